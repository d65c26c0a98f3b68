// Progress of long work on stderr: what is being done, how much of how much, and about how long is
// left. Drawn only on a terminal (and not under CI), so pipes, files and logs stay clean.
import { performance } from 'node:perf_hooks';

/** Where a bar draws: stderr, or a stand-in for tests. */
export interface ProgressStream {
  /** Whether it is a terminal. */
  readonly isTTY?: boolean;
  /** Its width in columns, when known. */
  readonly columns?: number;
  /** Writes text. */
  write(text: string): unknown;
}

/** How a bar is set up (the defaults suit the CLI). */
export interface ProgressOptions {
  /** Says how far along the work is: `3 of 12 runs`, `4.0 min of 12.0 min simulated`. */
  readonly amount?: (done: number, total: number) => string;
  /** Where to draw (stderr). */
  readonly stream?: ProgressStream;
  /** Whether to draw at all (default: the stream is a terminal and CI is not set). */
  readonly enabled?: boolean;
  /** Wall clock in ms (performance.now). */
  readonly now?: () => number;
}

/** Redraws at most this often (ms): a terminal need not see every run. */
const REDRAW_MS = 100;
/** No estimate before this much wall time (ms): the first moments are not typical. */
const ESTIMATE_AFTER_MS = 1000;

/** Wall time left, for people: `5s`, `1m05s`, `1h02m`. */
export function formatEta(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * A one-line progress bar: `comparing on default [#####.........] 31% 12 of 40 runs, about 25s left`.
 * Silent unless its stream is a terminal and CI is not set.
 */
export class ProgressBar {
  private readonly enabled: boolean;
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly amount: (done: number, total: number) => string;
  private readonly start: number;
  private lastDraw = -Infinity;
  private width = 0;

  /** A bar labelled `label`. */
  constructor(private readonly label: string, opts: ProgressOptions = {}) {
    this.stream = opts.stream ?? process.stderr;
    this.enabled = opts.enabled ?? (this.stream.isTTY === true && !process.env['CI']);
    this.now = opts.now ?? (() => performance.now());
    this.amount = opts.amount ?? ((d, t) => `${d} of ${t}`);
    this.start = this.now();
  }

  /** Shows `done` of `total`; redrawn at most every 100 ms, and always when the work is done. */
  update(done: number, total: number): void {
    if (!this.enabled) return;
    const t = this.now();
    if (t - this.lastDraw < REDRAW_MS && done < total) return;
    this.lastDraw = t;
    const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
    const bar = 20;
    const full = Math.round(fraction * bar);
    const elapsed = t - this.start;
    const eta = done > 0 && done < total && elapsed >= ESTIMATE_AFTER_MS ? `, about ${formatEta((elapsed * (total - done)) / done)} left` : '';
    let line = `${this.label} [${'#'.repeat(full)}${'.'.repeat(bar - full)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${this.amount(done, total)}${eta}`;
    // A line wider than the terminal would wrap, and \r would then redraw only its last part.
    const cols = this.stream.columns ?? 0;
    if (cols > 1 && line.length >= cols) line = line.slice(0, cols - 1);
    this.stream.write(`\r${line.padEnd(this.width)}`);
    this.width = line.length;
  }

  /** Clears the line. */
  done(): void {
    if (this.enabled && this.width > 0) this.stream.write(`\r${' '.repeat(this.width)}\r`);
    this.width = 0;
  }
}
