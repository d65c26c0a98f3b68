// When the converger runs: every convergence interval (Diego's 30 s, bbs converger/converger.go: a
// timer re-armed after each pass), and at once when the simulator asks for a pass (an app scaled or
// deleted, whose extra instances Diego stops at once), once per instant. A cell that vanished is
// noticed by the next periodic pass, which then reads every record (see convergencePass); only with
// `convergence.onCellLoss` (older Diego) does its loss start a pass at once.
import type { Kernel } from '../kernel/kernel.js';
import { convergencePass, type ConvergerWorld } from './converger.js';

/** What the timer needs beyond the converger's own view: the run's pass counter, and what to do after a pass. */
export interface ConvergenceTimerWorld extends ConvergerWorld {
  /** The kernel (timers). */
  readonly kernel: Kernel;
  /** The run's counters (passes are counted here). */
  readonly counters: { convergenceRuns: number };
  /** Runs after every pass (fault recovery may have completed). */
  afterConvergence(): void;
}

/** Schedules the converger's passes. */
export class ConvergenceTimer {
  private scheduled = false;
  // A cell vanished since the last pass: the next one reads every record.
  private vanished = false;
  private readonly h: Record<'converge' | 'tick', number>;

  /**
   * The timer of a world; the first periodic pass comes one interval after the start.
   * `fullConvergence` makes every pass read every record (as Diego's does), for tests.
   */
  constructor(
    private readonly w: ConvergenceTimerWorld,
    private readonly fullConvergence: boolean,
    private readonly onCellLoss: boolean,
  ) {
    const k = w.kernel;
    this.h = {
      converge: k.register('converger.pass', () => this.converge()),
      tick: k.register('converger.tick', () => this.tick()),
    };
    k.at(w.scenario.convergence.intervalMs, this.h.tick);
  }

  /** Runs a pass now (after the current event), once per instant. */
  convergeSoon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.w.kernel.after(0, this.h.converge);
  }

  /** A cell disappeared: the next pass reads every record; it runs at once only with `onCellLoss`. */
  cellVanished(): void {
    this.vanished = true;
    if (this.onCellLoss) this.convergeSoon();
  }

  private tick(): void {
    this.convergeSoon();
    this.w.kernel.after(this.w.scenario.convergence.intervalMs, this.h.tick);
  }

  private converge(): void {
    this.scheduled = false;
    this.w.counters.convergenceRuns++;
    convergencePass(this.w, this.fullConvergence || this.vanished);
    this.vanished = false;
    this.w.afterConvergence();
  }
}
