// When the converger runs: every convergence interval (Diego's 30 s, bbs converger/converger.go: a
// timer re-armed after each pass), and at once when the simulator asks for a pass (an app scaled or
// deleted, whose extra instances Diego stops at once), once per instant. A cell that vanished is
// noticed by the next periodic pass, which then reads every record (see convergencePass); only with
// `convergence.onCellLoss` (older Diego) does its loss start a pass at once.
import type { Kernel } from '../kernel/kernel.js';
import type { ServiceTimes } from '../scenario-types.js';
import type { AppActuals, LRPGroup } from './bbs.js';
import { recordNamed } from './bbs-records.js';
import { convergencePass, type ConvergerWorld } from './converger.js';

/** What the timer needs beyond the converger's own view: the run's pass counter, and what to do after a pass. */
export interface ConvergenceTimerWorld extends ConvergerWorld {
  /** The kernel (timers). */
  readonly kernel: Kernel;
  /** The run's counters (passes are counted here, and the last periodic pass's duration). */
  readonly counters: { convergenceRuns: number; convergenceDurationMs: number };
  /** The settings: the interval, and how long a pass takes (null: no time). */
  readonly scenario: ConvergerWorld['scenario'] & { readonly serviceTime: ServiceTimes | null };
  /** Records a pass reads: one per desired instance and per task. */
  recordsToRead(): number;
}

// A timed pass's auction requests, held until it ends: one array per field rather than a tuple per
// request, since a pass after a cell's loss holds thousands, all of which live as long as the pass
// takes (simulated seconds, so past the young generation), and for-of destructuring of each tuple
// walked it as an iterator. An LRP request holds the ordinary record the pass saw, if it passed one,
// by its group and number (ActualLRP.recordNo): the group is every ordinary record of its index,
// and the one the pass saw may be a copy by the time the pass ends, or gone.
interface HeldRequests {
  readonly guids: string[];
  readonly indices: number[];
  readonly apps: (AppActuals | undefined)[];
  readonly groups: (LRPGroup | undefined)[];
  /** The record's number in its group, or -1 for none. */
  readonly recordNos: number[];
  readonly tasks: string[];
}

/** Schedules the converger's passes. */
export class ConvergenceTimer {
  private scheduled = false;
  // A cell vanished since the last pass: the next one reads every record.
  private vanished = false;
  private readonly h: Record<'converge' | 'tick' | 'done', number>;
  // A periodic pass is due (the timer fired); on-demand passes take no time.
  private periodic = false;
  // The pending tick of the periodic timer.
  private tickHandle = -1;
  // The duration of the pass under way.
  private durationMs = 0;
  // The auction requests of a pass still running, sent when it ends (Diego sends them last).
  private held: HeldRequests | null = null;

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
      done: k.register('converger.pass-done', () => this.passDone()),
    };
    this.armTimer();
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
    if (!this.onCellLoss) return;
    // Older Diego ran a full pass on the cell event and re-armed its timer after it, as after any
    // pass (bbs converger/converger.go resets the timer in every case). A pass under way is left alone.
    if (this.held === null) {
      this.w.kernel.cancel(this.tickHandle);
      this.periodic = true;
      if (this.w.scenario.serviceTime === null) this.armTimer();
    }
    this.convergeSoon();
  }

  // The timer fired. Diego re-arms it once the pass is over (bbs converger/converger.go), so with
  // service times the next tick is scheduled when the pass ends; without, now (the same instant).
  private tick(): void {
    this.periodic = true;
    this.convergeSoon();
    if (this.w.scenario.serviceTime === null) this.armTimer();
  }

  // The periodic timer's next tick, one interval from now.
  private armTimer(): void {
    this.tickHandle = this.w.kernel.after(this.w.scenario.convergence.intervalMs, this.h.tick);
  }

  private converge(): void {
    this.scheduled = false;
    this.w.counters.convergenceRuns++;
    const t = this.w.scenario.serviceTime;
    const periodic = this.periodic;
    this.periodic = false;
    if (t === null || !periodic) {
      convergencePass(this.w, this.fullConvergence || this.vanished);
      this.vanished = false;
      return;
    }
    // A pass reads every record (bbs db/sqldb/lrp_convergence.go) and takes time for it; it decides
    // on the records as they are now, and its auction requests go out when it ends (bbs
    // controllers/lrp_convergence_controller.go defers RequestLRPAuctions to the end).
    const durationMs = t.convergenceFixedMs + t.convergencePerRecordMs * this.w.recordsToRead();
    const held: HeldRequests = { guids: [], indices: [], apps: [], groups: [], recordNos: [], tasks: [] };
    const w = this.w;
    const holding: ConvergerWorld = {
      bbs: w.bbs,
      kernel: w.kernel,
      cells: w.cells,
      cellById: w.cellById,
      scenario: w.scenario,
      counters: w.counters,
      requestLRP: (guid, index, app, rec) => {
        held.guids.push(guid);
        held.indices.push(index);
        held.apps.push(app);
        held.groups.push(rec ? rec.group : undefined);
        held.recordNos.push(rec ? rec.recordNo : -1);
      },
      requestTask: (guid) => held.tasks.push(guid),
      stopInstance: (cell, guid) => w.stopInstance(cell, guid),
      copyDropped: (cell, guid) => w.copyDropped(cell, guid),
    };
    convergencePass(holding, this.fullConvergence || this.vanished);
    this.vanished = false;
    this.held = held;
    this.durationMs = durationMs;
    this.w.kernel.after(durationMs, this.h.done);
  }

  // The pass is over: its auction requests go out, and the timer is re-armed.
  private passDone(): void {
    const held = this.held;
    this.held = null;
    // Diego emits ConvergenceLRPDuration when the pass is over.
    this.w.counters.convergenceDurationMs = this.durationMs;
    if (held) {
      // The record the pass saw has its wait started wherever it is now (a copy's, should it be
      // promoted back); one the BBS no longer has, nothing.
      for (let i = 0; i < held.guids.length; i++) {
        const g = held.groups[i];
        this.w.requestLRP(held.guids[i] as string, held.indices[i] as number, held.apps[i], g === undefined ? undefined : recordNamed(g, held.recordNos[i] as number));
      }
      for (const guid of held.tasks) this.w.requestTask(guid);
    }
    this.armTimer();
  }
}
