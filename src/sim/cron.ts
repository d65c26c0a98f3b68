// Recurring tasks (`cron:` in a scenario), built only on Tasks, as the talk that started Diego asked
// ("new features go here: cron-like tasks"). A controller hosted by the active auctioneer wakes at
// each entry's ticks (simulated time mapped onto the calendar from CRON_EPOCH_MS) and desires one
// task per tick through the BBS, named for the entry and the tick (tickGuid): a tick sent twice is
// refused by the BBS as a second desire of the same task. What it does follows Kubernetes' CronJob
// controller (kubernetes pkg/controller/cronjob): the concurrency policies allow, forbid and replace;
// ticks that came while no auctioneer held the lock are caught up on its return, the latest only, and
// only within the starting deadline (the others are missed); a tick whose task has not started within
// the deadline is cancelled and missed; completed tick tasks past the history limit are deleted.
// The controller's record of the last tick it scheduled is kept durably (as a CronJob's
// lastScheduleTime is, in the API server): a BBS write after the desire. An auctioneer that dies
// between the two leaves its successor to send that tick again, which the BBS refuses.
import { CRON_EPOCH_MS, parseSchedule, Schedule, type ScheduleSpec } from '../core/cron/schedule.js';
import { tickGuid } from '../core/cron/tick-guid.js';
import { percentiles } from '../metrics/percentiles.js';
import type { CronSummary } from '../results/run-result.js';
import type { TaskRecord } from './actors/bbs-records.js';
import type { CronSpec, WorldSpec } from './scenario-types.js';
import { readWorkResources } from './work-resource-schema.js';
import type { BBS } from './actors/bbs.js';
import type { BBSAPI } from './bbs-api.js';
import type { Kernel } from './kernel/kernel.js';

/** What the cron controller needs of the world (declared beside its consumer). */
export interface CronWorld {
  /** The clock, timers and notes. */
  readonly kernel: Kernel;
  /** The run's length, the lock's retry interval, the BBS's write time. */
  readonly scenario: WorldSpec;
  /** Where the tick tasks are desired, and followed. */
  readonly bbs: BBS;
  /** Cancelling a task (replace, a deadline passed). */
  readonly api: Pick<BBSAPI, 'cancelTask'>;
  /** The auctioneers (the controller runs in the one holding the lock). */
  readonly auctioneers: readonly { readonly id: string; readonly alive: boolean }[];
  /** The auctioneer holding the lock, if any. */
  activeAuctioneer(): { readonly id: string } | undefined;
  /** Asks for a task to be auctioned. */
  requestTask(guid: string): void;
}

interface TickTask {
  entry: Entry;
  tickMs: number;
  /** The deadline check's event, or -1. */
  deadline: number;
}

interface Entry {
  spec: CronSpec;
  schedule: Schedule;
  /** The last tick scheduled, as the durable record says (sim ms; from: none yet). */
  lastScheduled: number;
  /** Tick tasks pending or running, oldest first. */
  active: string[];
  /** Completed tick tasks still in the BBS, oldest first. */
  history: string[];
  /** The auctioneer whose record of a tick is on its way (null: none). */
  recording: string | null;
  /** Whether forbid is holding the latest tick back (its task before still pending or running). */
  forbidden: boolean;
  /** Ticks up to here (sim ms) are counted as run or passed over. */
  countedTo: number;
  stats: Omit<CronSummary, 'name' | 'schedule' | 'concurrency' | 'latenessMs' | 'waiting'> & { lateness: number[]; missedNoTask: number };
}

/** The cron controller of one world. */
export class CronController {
  private readonly entries: Entry[];
  private readonly tasks = new Map<string, TickTask>();
  private readonly hTick: number;
  private readonly hDeadline: number;
  private readonly hRecorded: number;
  private readonly hCatchUp: number;
  private catchUpScheduled = false;
  private readonly recordings: { entry: Entry; tickMs: number; host: string }[] = [];
  private readonly deadlines: string[] = [];

  /** The controller of `w` for the scenario's entries (their first ticks scheduled). */
  constructor(
    private readonly w: CronWorld,
    specs: readonly CronSpec[],
  ) {
    const k = w.kernel;
    this.entries = specs.map((spec) => ({
      spec,
      schedule: new Schedule(parseSchedule(spec.schedule) as ScheduleSpec, CRON_EPOCH_MS + spec.from),
      lastScheduled: spec.from,
      active: [],
      history: [],
      recording: null,
      forbidden: false,
      countedTo: spec.from,
      stats: { ticks: 0, created: 0, started: 0, onTime: 0, late: 0, lateness: [], missed: 0, missedNoTask: 0, skipped: 0, replaced: 0, duplicatesRejected: 0, succeeded: 0, failures: {} },
    }));
    this.hTick = k.register('cron.tick', (i) => this.tick(this.entries[i] as Entry, i), (i) => ({ work: this.entries[i]?.spec.name ?? '' }));
    this.hDeadline = k.register('cron.deadline', (i) => this.deadlinePassed(this.deadlines[i] as string), (i) => ({ work: this.deadlines[i] ?? '' }));
    this.hRecorded = k.register('cron.recorded', (i) => this.recorded(i));
    this.hCatchUp = k.register('cron.catch-up', () => this.catchUp());
    w.bbs.tasks.observer = { started: (t) => this.started(t), finished: (t) => this.finished(t) };
    this.entries.forEach((e, i) => this.scheduleNext(e, i, e.spec.from));
  }

  // The entry's next tick after `afterMs` (sim ms), if it is within the entry's window and the run.
  private scheduleNext(e: Entry, i: number, afterMs: number): void {
    const next = e.schedule.next(CRON_EPOCH_MS + afterMs);
    if (next === null) return;
    const at = next - CRON_EPOCH_MS;
    if (at <= e.spec.until && at <= this.w.scenario.durationMs) this.w.kernel.at(at, this.hTick, i);
  }

  // A tick came due: the following one is scheduled, and the controller (if hosted) acts on the entry.
  private tick(e: Entry, i: number): void {
    const now = this.w.kernel.now;
    e.stats.ticks++;
    this.scheduleNext(e, i, now);
    this.act(e);
  }

  // The ticks of an entry not yet scheduled, up to now, acted on by the controller if an auctioneer hosts it.
  private act(e: Entry): void {
    const host = this.w.activeAuctioneer();
    if (host === undefined) {
      // No auctioneer holds the lock: the ticks wait for one (looked for at the lock's retry interval).
      if (!this.catchUpScheduled) {
        this.catchUpScheduled = true;
        this.w.kernel.after(this.w.scenario.lockRetryMs, this.hCatchUp);
      }
      return;
    }
    // A record on its way from a live auctioneer: that tick is being sent (a dead one's never lands).
    if (e.recording !== null && this.w.auctioneers.some((a) => a.id === e.recording && a.alive)) return;
    const now = this.w.kernel.now;
    // The ticks due since the record's last, within the entry's window: the latest runs; the ones
    // before it never will (missed: no auctioneer held the lock; skipped: forbid held them back).
    const end = Math.min(now, e.spec.until);
    let latest = -1;
    let prev = -1;
    for (let t = e.lastScheduled; ; ) {
      const next = e.schedule.next(CRON_EPOCH_MS + t);
      if (next === null || next - CRON_EPOCH_MS > end) break;
      prev = latest;
      t = latest = next - CRON_EPOCH_MS;
    }
    if (latest < 0) return;
    const deadline = e.spec.startingDeadlineMs;
    const late = deadline !== null && now - latest > deadline;
    // Forbid: the tick waits (the record is not moved on) until the task before it ends, then runs
    // late, within its deadline (Kubernetes: the previous run finishing may start a new one).
    if (!late && e.active.length > 0 && e.spec.concurrency === 'forbid') {
      e.forbidden = true;
      return;
    }
    // The ticks before the latest never run (each counted once, however often this looks at them).
    this.passOver(e, prev);
    if (late) {
      this.passOver(e, latest);
      e.lastScheduled = latest;
      return;
    }
    e.forbidden = false;
    if (e.active.length > 0 && e.spec.concurrency === 'replace') {
      for (const guid of [...e.active]) {
        e.stats.replaced++;
        this.w.api.cancelTask(guid);
      }
    }
    this.record(e, latest, host.id);
  }

  // Counts the ticks after the last counted, up to `upTo`, as never run: skipped if forbid held them
  // back, else missed (no auctioneer held the lock when they came, or their deadline passed).
  private passOver(e: Entry, upTo: number): void {
    if (upTo <= e.countedTo) return;
    let n = 0;
    for (let t = Math.max(e.countedTo, e.lastScheduled); ; ) {
      const next = e.schedule.next(CRON_EPOCH_MS + t);
      if (next === null || next - CRON_EPOCH_MS > upTo) break;
      t = next - CRON_EPOCH_MS;
      n++;
    }
    if (e.forbidden) e.stats.skipped += n;
    else e.stats.missedNoTask += n;
    e.countedTo = upTo;
  }

  // The controller writes the tick down first, then sends it: a record that lands with its
  // auctioneer dead leaves the tick unsent (missed), never sent twice (at most once, as a Task is).
  private record(e: Entry, tickMs: number, host: string): void {
    const writeMs = this.w.scenario.serviceTime?.bbsWriteMs ?? 0;
    if (writeMs === 0) {
      e.lastScheduled = tickMs;
      this.fire(e, tickMs);
      return;
    }
    e.recording = host;
    this.w.kernel.after(writeMs, this.hRecorded, this.recordings.push({ entry: e, tickMs, host }) - 1);
  }

  // The record landed (its write reaches the BBS only from a live auctioneer); the tick is sent now
  // by the auctioneer that wrote it, if it still lives and holds the lock.
  private recorded(i: number): void {
    const r = this.recordings[i];
    if (r === undefined) return;
    const e = r.entry;
    if (e.recording === r.host) e.recording = null;
    const host = this.w.auctioneers.find((a) => a.id === r.host);
    if (host?.alive !== true) return;
    if (r.tickMs > e.lastScheduled) e.lastScheduled = r.tickMs;
    if (this.w.activeAuctioneer()?.id === r.host) this.fire(e, r.tickMs);
    // Else its auctioneer lost the lock after writing: the tick is recorded and not sent (missed).
  }

  // Desires the tick's task (the BBS refuses a second desire of one guid: then it is counted, not run).
  private fire(e: Entry, tickMs: number): void {
    const guid = tickGuid(e.spec.name, CRON_EPOCH_MS + tickMs);
    const s = e.spec;
    if (!this.w.bbs.tasks.desire({ guid, memoryMB: s.memoryMB, diskMB: s.diskMB, rootfs: s.rootfs, placementTags: s.placementTags, duration: s.duration, ...readWorkResources(s) })) {
      e.stats.duplicatesRejected++;
      this.w.kernel.note('cron-duplicate', { work: guid });
      return;
    }
    e.stats.created++;
    const deadline = s.startingDeadlineMs !== null ? this.w.kernel.after(Math.max(0, tickMs + s.startingDeadlineMs - this.w.kernel.now), this.hDeadline, this.deadlines.push(guid) - 1) : -1;
    this.tasks.set(guid, { entry: e, tickMs, deadline });
    e.active.push(guid);
    this.w.requestTask(guid);
    this.w.kernel.note('cron-tick', { work: guid });
  }

  /**
   * An auctioneer took the lock anew: the controller starts in it and looks at every entry at once
   * (Kubernetes' controller syncs every CronJob when it starts): ticks due while none did are caught
   * up, and a tick whose record had not landed when its predecessor died is sent by this one.
   */
  hostChanged(): void {
    for (const e of this.entries) this.act(e);
  }

  // An auctioneer may hold the lock again: every entry with ticks waiting is acted on.
  private catchUp(): void {
    this.catchUpScheduled = false;
    for (const e of this.entries) this.act(e);
  }

  private deadlinePassed(guid: string): void {
    const tt = this.tasks.get(guid);
    const t = this.w.bbs.tasks.get(guid);
    if (tt === undefined || t === undefined || t.state !== 'PENDING') return;
    tt.deadline = -1;
    tt.entry.stats.missed++;
    this.w.kernel.note('cron-deadline', { work: guid });
    this.w.api.cancelTask(guid);
  }

  private started(t: TaskRecord): void {
    const tt = this.tasks.get(t.guid);
    if (tt === undefined || t.starts !== 1) return;
    const s = tt.entry.stats;
    const lateness = this.w.kernel.now - tt.tickMs;
    s.started++;
    s.lateness.push(lateness);
    if (lateness <= tt.entry.spec.lateAfterMs) s.onTime++;
    else s.late++;
    if (tt.deadline >= 0) {
      this.w.kernel.cancel(tt.deadline);
      tt.deadline = -1;
    }
  }

  private finished(t: TaskRecord): void {
    const tt = this.tasks.get(t.guid);
    if (tt === undefined) return;
    const e = tt.entry;
    if (tt.deadline >= 0) {
      this.w.kernel.cancel(tt.deadline);
      tt.deadline = -1;
    }
    const at = e.active.indexOf(t.guid);
    if (at >= 0) e.active.splice(at, 1);
    // A tick forbid held back may run now (late, within its deadline).
    if (e.forbidden && e.active.length === 0) this.act(e);
    if (t.failed) e.stats.failures[t.failureReason] = (e.stats.failures[t.failureReason] ?? 0) + 1;
    else e.stats.succeeded++;
    // The history: the newest completed tick tasks stay in the BBS; older ones are deleted (resolved).
    e.history.push(t.guid);
    while (e.history.length > e.spec.historyLimit) {
      const old = e.history.shift() as string;
      if (this.w.bbs.tasks.get(old)?.state === 'COMPLETED') this.w.bbs.tasks.delete(old);
    }
  }

  /**
   * Each entry's ticks so far. Missed: ticks that got no task (due while no auctioneer held the lock:
   * not the latest, or past the deadline) and tasks cancelled at their deadline. Waiting: ticks with
   * no task yet at the end (held back by forbid, waiting for an auctioneer, their record on its way).
   */
  summary(): CronSummary[] {
    return this.entries.map((e) => {
      const { lateness, missedNoTask, ...rest } = e.stats;
      return {
        name: e.spec.name,
        schedule: e.spec.schedule,
        concurrency: e.spec.concurrency,
        ...rest,
        missed: rest.missed + missedNoTask,
        waiting: Math.max(0, rest.ticks - rest.created - rest.skipped - missedNoTask),
        failures: { ...rest.failures },
        latenessMs: percentiles(lateness),
      };
    });
  }
}
