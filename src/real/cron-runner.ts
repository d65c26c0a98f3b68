// Recurring tasks on the real auctioneer (`PUT /v1/cron/:name`), the same rules as the simulator's
// controller (sim/cron.ts): on each of its ticks (every second; assumed) it looks at every entry's
// ticks due since the entry's last, runs the latest (within the starting deadline) and counts the
// ones before it missed, applies the concurrency policy to the entry's tasks still pending or
// running (forbid holds the tick back until they end, then runs it late), and desires the tick's
// task under the tick's guid. The task and the entry's new last tick
// are journalled in one sync: a restart between the two never happened (neither was acknowledged) or
// finds both, and a tick sent again after a restart is refused as a task that exists.
import { parseSchedule, Schedule, type ScheduleSpec } from '../core/cron/schedule.js';
import { tickGuid } from '../core/cron/tick-guid.js';
import type { BBSStore, CronEntry, StoredTask } from './bbs-store.js';

/** What the runner needs of the auctioneer. */
export interface CronHost {
  /** The BBS state and journal. */
  readonly store: BBSStore;
  /** Records a new PENDING task; false if the guid is taken (the caller syncs). */
  addTask(t: { guid: string; template: string; memoryMB: number; diskMB: number }): boolean;
  /** Ends a task as failed (its cell, if it runs it, is told to stop at the next pass). */
  cancelTask(t: StoredTask, reason: string): void;
  /** Writes a line to the log. */
  log(line: string): void;
}

/** One entry's ticks since the auctioneer started (in memory). */
export interface CronStats {
  /** Ticks that came due. */
  ticks: number;
  /** Tick tasks desired. */
  created: number;
  /** Of those, sent to a cell. */
  started: number;
  /** Started within the entry's lateAfter of the tick. */
  onTime: number;
  /** Started later. */
  late: number;
  /** From a started tick to its task's sending (ms): the latest and the largest (null: none started). */
  lateness: { lastMs: number | null; maxMs: number | null };
  /** Ticks that never ran: not the latest of those due at once, past the deadline, or cancelled at it. */
  missed: number;
  /** Ticks the forbid policy held back until a later tick replaced them. */
  skipped: number;
  /** Tasks cancelled by the replace policy. */
  replaced: number;
  /** Ticks sent again whose task existed, refused. */
  duplicatesRejected: number;
}

interface Counters extends CronStats {
  /** Ticks up to here are counted in `ticks` (undefined: from the entry's last tick). */
  countedTo?: number;
  /** Ticks up to here are counted as run, missed or skipped. */
  passedTo?: number;
  /** Whether forbid holds the latest tick back. */
  forbidden: boolean;
  /** Tick tasks created and not yet seen started: guid to tick time. */
  waiting: Map<string, number>;
}

/** The reason a task cancelled by the replace policy or its deadline fails with (Diego's CancelTask). */
export const CRON_CANCELLED = 'task was cancelled';

/** The cron entries' runner of one real auctioneer. */
export class CronRunner {
  private readonly schedules = new Map<string, { text: string; created: number; schedule: Schedule }>();
  private readonly counters = new Map<string, Counters>();

  /** A runner over `host`'s journalled entries. */
  constructor(private readonly host: CronHost) {}

  private scheduleOf(e: CronEntry): Schedule {
    const known = this.schedules.get(e.name);
    if (known && known.text === e.schedule && known.created === e.createdAtMs) return known.schedule;
    const schedule = new Schedule(parseSchedule(e.schedule) as ScheduleSpec, e.createdAtMs);
    this.schedules.set(e.name, { text: e.schedule, created: e.createdAtMs, schedule });
    return schedule;
  }

  private countersOf(name: string): Counters {
    let c = this.counters.get(name);
    if (!c) {
      c = { ticks: 0, created: 0, started: 0, onTime: 0, late: 0, lateness: { lastMs: null, maxMs: null }, missed: 0, skipped: 0, replaced: 0, duplicatesRejected: 0, waiting: new Map(), forbidden: false };
      this.counters.set(name, c);
    }
    return c;
  }

  // The entry's tick tasks still pending or running, by their guid's prefix.
  private activeTasks(e: CronEntry): StoredTask[] {
    const prefix = `${e.name}-`;
    return [...this.host.store.tasks.values()].filter((t) => t.guid.startsWith(prefix) && t.state !== 'COMPLETED');
  }

  /** Acts on every entry's ticks due by `nowMs`; true when it changed the journal (the caller syncs). */
  tick(nowMs: number): boolean {
    let changed = false;
    for (const e of this.host.store.cron.values()) changed = this.act(e, nowMs) || changed;
    changed = this.follow(nowMs) || changed;
    return changed;
  }

  private act(e: CronEntry, nowMs: number): boolean {
    const schedule = this.scheduleOf(e);
    const c = this.countersOf(e.name);
    let latest = -1;
    let prev = -1;
    for (let t = e.lastScheduledMs; ; ) {
      const next = schedule.next(t);
      if (next === null || next > nowMs) break;
      prev = latest;
      t = latest = next;
    }
    if (latest < 0) return false;
    // Every tick counted once, however often a held-back one is looked at again.
    const counted = c.countedTo ?? e.lastScheduledMs;
    for (let t = counted; ; ) {
      const next = schedule.next(t);
      if (next === null || next > latest) break;
      t = next;
      c.ticks++;
    }
    c.countedTo = Math.max(counted, latest);
    const late = e.startingDeadlineMs !== null && nowMs - latest > e.startingDeadlineMs;
    const active = this.activeTasks(e);
    // Forbid: the tick waits until the task before it ends, then runs late, within its deadline.
    if (!late && active.length > 0 && e.concurrency === 'forbid') {
      c.forbidden = true;
      return false;
    }
    // The ticks before the latest never run: skipped if forbid held them back, else missed.
    const passed = this.countBetween(schedule, Math.max(c.passedTo ?? e.lastScheduledMs, e.lastScheduledMs), prev) + (late ? 1 : 0);
    if (c.forbidden) c.skipped += passed;
    else c.missed += passed;
    c.passedTo = late ? latest : Math.max(c.passedTo ?? 0, prev);
    c.forbidden = false;
    e.lastScheduledMs = latest;
    if (late) {
      this.host.log(`cron ${e.name}: tick ${new Date(latest).toISOString()} not run (past its starting deadline)`);
    } else {
      if (e.concurrency === 'replace') {
        for (const t of active) {
          c.replaced++;
          this.host.cancelTask(t, CRON_CANCELLED);
        }
      }
      const guid = tickGuid(e.name, latest);
      if (this.host.addTask({ guid, template: e.template, memoryMB: e.memoryMB, diskMB: e.diskMB })) {
        c.created++;
        c.waiting.set(guid, latest);
      } else {
        c.duplicatesRejected++;
        this.host.log(`cron ${e.name}: tick ${guid} sent again and refused (the task exists)`);
      }
    }
    // The new last tick goes into the same sync as the tick's task.
    this.host.store.setCron(e);
    this.trimHistory(e);
    return true;
  }

  // Ticks in (from, to].
  private countBetween(schedule: Schedule, from: number, to: number): number {
    let n = 0;
    for (let t = from; ; ) {
      const next = schedule.next(t);
      if (next === null || next > to) return n;
      t = next;
      n++;
    }
  }

  // Starts and deadlines of the tick tasks created since the start; true when a deadline cancelled one.
  private follow(nowMs: number): boolean {
    let changed = false;
    for (const [name, c] of this.counters) {
      const e = this.host.store.cron.get(name);
      for (const [guid, tick] of c.waiting) {
        const t = this.host.store.tasks.get(guid);
        if (t === undefined) {
          c.waiting.delete(guid);
          continue;
        }
        if (t.sentAtMs !== null && (t.state === 'RUNNING' || (t.state === 'COMPLETED' && t.ranOn.length > 0))) {
          const lateness = Math.max(0, t.sentAtMs - tick);
          c.started++;
          c.lateness = { lastMs: lateness, maxMs: Math.max(lateness, c.lateness.maxMs ?? 0) };
          if (e === undefined || lateness <= e.lateAfterMs) c.onTime++;
          else c.late++;
          c.waiting.delete(guid);
        } else if (t.state === 'PENDING' && e !== undefined && e.startingDeadlineMs !== null && nowMs - tick > e.startingDeadlineMs) {
          c.missed++;
          c.waiting.delete(guid);
          this.host.cancelTask(t, CRON_CANCELLED);
          this.host.log(`cron ${name}: task ${guid} not started within its deadline, cancelled`);
          changed = true;
        } else if (t.state === 'COMPLETED') c.waiting.delete(guid);
      }
    }
    return changed;
  }

  // Completed tick tasks past the entry's history limit, oldest first, are deleted.
  private trimHistory(e: CronEntry): void {
    const prefix = `${e.name}-`;
    const done = [...this.host.store.tasks.values()].filter((t) => t.guid.startsWith(prefix) && t.state === 'COMPLETED').sort((a, b) => (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0));
    for (const t of done.slice(0, Math.max(0, done.length - e.historyLimit))) this.host.store.deleteTask(t.guid);
  }

  /** One entry's counts since the auctioneer started. */
  stats(name: string): CronStats {
    const { waiting: _w, countedTo: _c, passedTo: _p, forbidden: _f, ...rest } = this.countersOf(name);
    return { ...rest, lateness: { ...rest.lateness } };
  }
}
