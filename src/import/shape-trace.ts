// What every importer does once it has read a trace's machines and work: keep a seeded subset of
// machines, cut a window, sample, scale time, drop departures if asked, and count what it left out
// and why; then sum what was asked, read and imported.
import { streamFor } from '../core/random.js';
import type { Trace, TraceCell, TraceWork } from './trace.js';

/** One piece of work as read, times in seconds of the trace. */
export interface RawWork extends Omit<TraceWork, 'arrivalMs' | 'departureMs'> {
  /** When it arrives (seconds of the trace). */
  arrivalS: number;
  /** When it leaves (seconds), or null: it stays. */
  departureS: number | null;
}

/** How a trace is cut and shaped (every importer's flags). */
export interface ShapeOptions {
  /** First second of the trace imported (work arriving earlier is left out). */
  fromS?: number;
  /** End of the window (seconds; work arriving at or after it is left out; the run ends there). */
  toS?: number;
  /** Fraction of the work kept, at random (seeded). */
  sample?: number;
  /** Simulated time per trace time. */
  timeScale?: number;
  /** Machines kept, at random (seeded); work is sampled in the same proportion. */
  cells?: number;
  /** Whether work leaves at its departure (default) or stays to the end. */
  departures?: boolean;
  /** Seed of the sampling. */
  seed?: number;
}

/** Sums of requested resources. */
export interface ResourceTotals {
  /** CPU (millicores). */
  cpuMilli: number;
  /** Memory (MiB, the scenario's MB). */
  memoryMiB: number;
  /** GPU devices asked (a share counts as one). */
  gpus: number;
  /** GPU thousandths asked (devices x share). */
  gpuMilli: number;
}

/** What an import read, made and left out. */
export interface ImportReport {
  /** Machines read (rows without problems). */
  cellsRead: number;
  /** Work read (pods, rows). */
  workRead: number;
  /** Cells in the scenario. */
  cells: number;
  /** LRPs in the scenario. */
  lrps: number;
  /** Tasks in the scenario. */
  tasks: number;
  /** Work left out, by reason. */
  leftOut: Record<string, number>;
  /** Sums over the work read (per instance for LRPs of several instances: times instances). */
  readTotals: ResourceTotals;
  /** The same sums over the work imported. */
  importedTotals: ResourceTotals;
}

/** The reasons work is left out, as the report says them. */
export const LEFT_OUT = Object.freeze({
  window: 'outside --from/--to',
  sample: 'not in the sample (--sample)',
  sampleCells: 'not in the sample (--sample, --cells)',
  instant: 'leaves when it arrives (lives 0 ms once time is scaled)',
  model: 'asks for GPU models no kept machine has (--cells)',
});

/** Shapes read machines and work into a trace named `name`, with its report. */
export function shapeTrace(name: string, machines: readonly TraceCell[], read: readonly RawWork[], opts: ShapeOptions): { trace: Trace; report: ImportReport } {
  const seed = opts.seed ?? 0;
  const leftOut: Record<string, number> = {};
  const leave = (why: string) => (leftOut[why] = (leftOut[why] ?? 0) + 1);
  // Machines: a seeded subset when --cells asks for fewer.
  let cells: readonly TraceCell[] = machines;
  let share = 1;
  const subset = opts.cells !== undefined && opts.cells < machines.length;
  if (subset) {
    const rng = streamFor(seed, 'import:cells');
    const keep = new Set(sampleIndices(machines.length, opts.cells as number, () => rng.next()));
    cells = machines.filter((_, i) => keep.has(i));
    share = (opts.cells as number) / machines.length;
  }
  const keptModels = new Set(cells.flatMap((c) => (c.gpuModel !== undefined ? [c.gpuModel] : [])));
  const rng = streamFor(seed, 'import:pods');
  const fromS = opts.fromS ?? 0;
  const scale = opts.timeScale ?? 1;
  const ms = (s: number) => Math.round((s - fromS) * 1000 * scale);
  const work: TraceWork[] = [];
  for (const w of read) {
    // One draw per item whatever is kept, so a window does not change which items a sample keeps.
    const draw = rng.next();
    if (w.arrivalS < fromS || (opts.toS !== undefined && w.arrivalS >= opts.toS)) {
      leave(LEFT_OUT.window);
      continue;
    }
    if (draw >= (opts.sample ?? 1) * share) {
      leave(subset ? LEFT_OUT.sampleCells : LEFT_OUT.sample);
      continue;
    }
    // Work that leaves the moment it arrives, once time is scaled, would be desired and deleted at once.
    if (w.departureS !== null && ms(w.departureS) === ms(w.arrivalS) && opts.departures !== false) {
      leave(LEFT_OUT.instant);
      continue;
    }
    if (subset && w.gpuModels !== undefined && w.gpuModels.length > 0 && !w.gpuModels.some((m) => keptModels.has(m))) {
      leave(LEFT_OUT.model);
      continue;
    }
    const { arrivalS, departureS, ...rest } = w;
    work.push({ ...rest, arrivalMs: ms(arrivalS), departureMs: opts.departures === false || departureS === null ? null : ms(departureS) });
  }
  // Arrival order, ties in the trace's order (a stable sort of it: a total order).
  work.sort((a, b) => a.arrivalMs - b.arrivalMs);
  const trace: Trace = { name, header: [], cells: [...cells], work, ...(opts.toS !== undefined ? { durationMs: ms(opts.toS) } : {}) };
  const report: ImportReport = {
    cellsRead: machines.length,
    workRead: read.length,
    cells: cells.length,
    lrps: work.filter((w) => w.kind === 'lrp').length,
    tasks: work.filter((w) => w.kind === 'task').length,
    leftOut,
    readTotals: totals(read),
    importedTotals: totals(work),
  };
  return { trace, report };
}

function totals(items: readonly Pick<TraceWork, 'instances' | 'memoryMB' | 'cpuMilli' | 'gpus' | 'gpuMilli'>[]): ResourceTotals {
  const t: ResourceTotals = { cpuMilli: 0, memoryMiB: 0, gpus: 0, gpuMilli: 0 };
  for (const x of items) {
    const n = x.instances;
    const gpus = x.gpus ?? 0;
    t.cpuMilli += n * (x.cpuMilli ?? 0);
    t.memoryMiB += n * x.memoryMB;
    t.gpus += n * gpus;
    t.gpuMilli += n * gpus * (gpus > 0 ? (x.gpuMilli ?? 1000) : 0);
  }
  return t;
}

// `k` of `0..n-1`, chosen by a partial Fisher-Yates shuffle with `next` (seeded).
function sampleIndices(n: number, k: number, next: () => number): number[] {
  const at = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(next() * (n - i));
    [at[i], at[j]] = [at[j] as number, at[i] as number];
  }
  return at.slice(0, k).sort((a, b) => a - b);
}
