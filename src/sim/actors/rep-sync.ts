// The rep's periodic bulk sync (Diego's rep compares its containers with the BBS's ActualLRPs every
// polling interval, 30 s by default, and removes any instance the BBS no longer records on it:
// rep generator, the "residual instance" operation; diego-release jobs/rep/spec
// polling_interval_in_seconds). The simulator runs a cell's sync only when it may have something to
// do: after the BBS dropped a record whose container still runs there (a SUSPECT or EVACUATING copy
// whose replacement started). Each cell syncs on its own seeded phase.
import type { Rng } from '../../core/random.js';
import type { Kernel } from '../kernel/kernel.js';
import type { SimCell } from './cell.js';

/** What the sync needs of the world. */
export interface RepSyncWorld {
  /** The kernel (timers). */
  readonly kernel: Kernel;
  /** Every cell (its index is the sync event's argument). */
  readonly cells: readonly SimCell[];
  /** Whether a zone is cut off from the control plane (a cut-off rep cannot read the BBS). */
  isCut(zone: string): boolean;
  /** Stops the cell's containers whose records the BBS dropped, if it still does not record them. */
  syncResidual(cell: SimCell): void;
}

/** Schedules each cell's bulk sync at its next polling tick. */
export class RepSync {
  private readonly phase: Float64Array;
  private readonly pending: Uint8Array;
  private readonly h: number;

  /** Bulk syncs every `intervalMs` for each cell of `w`, phases drawn from `rng`. */
  constructor(
    private readonly w: RepSyncWorld,
    private readonly intervalMs: number,
    rng: Rng,
  ) {
    this.phase = new Float64Array(w.cells.length);
    for (let i = 0; i < this.phase.length; i++) this.phase[i] = rng.next() * intervalMs;
    this.pending = new Uint8Array(w.cells.length);
    this.h = w.kernel.register('cell.bulk-sync', (n) => this.sync(n));
  }

  /** The cell has something for its next sync to look at. */
  schedule(cell: SimCell): void {
    const n = this.w.cells.indexOf(cell);
    if (n < 0 || this.pending[n] === 1) return;
    this.pending[n] = 1;
    this.w.kernel.at(this.nextTick(n), this.h, n);
  }

  // The cell's first tick strictly after now. Computed from the phase, then stepped forward: past
  // 2^25 ms the division may round to a tick at now itself, which a cut-off cell would reschedule forever.
  private nextTick(n: number): number {
    const now = this.w.kernel.now;
    const p = this.phase[n] as number;
    let t = p + Math.max(0, Math.floor((now - p) / this.intervalMs)) * this.intervalMs;
    while (t <= now) t += this.intervalMs;
    return t;
  }

  private sync(n: number): void {
    const cell = this.w.cells[n];
    this.pending[n] = 0;
    // A draining rep's evacuation loop polls its containers every 10 s and stops (evicts) those whose
    // records are gone: that loop owns them, and counts them as evacuated.
    if (!cell || !cell.alive || cell.evacuatingSince >= 0) return;
    // A rep cut off from the BBS cannot compare; it tries again at its next tick.
    if (this.w.isCut(cell.zone)) {
      this.schedule(cell);
      return;
    }
    this.w.syncResidual(cell);
  }
}
