import { crashCountAfterCrash, restartDelayMs } from '../../core/convergence/crash-restart.js';
import { lrpTransitionAllowed, type LRPPresence, type LRPState } from '../../core/convergence/states.js';
import { AppActuals, countRunning, isCrashLooping, missingIn, needsConvergerLook, newGroup, type ActualLRP, type DesiredLRP, type LRPGroup } from './bbs-records.js';
import { GroupTimes } from './group-times.js';
import { TaskTable } from './bbs-tasks.js';
import { Resting } from './resting.js';
import { WatchList } from './watch-list.js';


export { AppActuals, LRPGroup, type ActualLRP, type DesiredLRP, type TaskRecord } from './bbs-records.js';

/**
 * Learns of what happens to groups' records (the fault recovery figures follow displaced instances
 * through it). Called synchronously by the BBS after the change.
 */
export interface LRPObserver {
  /** The BBS acted on a group's record: made it SUSPECT, evacuated or unclaimed it, or recorded its crash. */
  noticed(g: LRPGroup): void;
  /** A cell claimed a group's ordinary record. */
  claimed(g: LRPGroup): void;
  /** A group's ordinary record became RUNNING (started, or a suspect copy promoted back). */
  running(g: LRPGroup): void;
  /** The BBS made a group (perhaps anew, for an index whose group it had let go). */
  made(g: LRPGroup): void;
}

/**
 * The BBS: the single source of truth for desired LRPs, actual LRPs and tasks. Every change goes
 * through a method that checks Diego's state machine and counts what it rejects. It keeps running
 * totals (desired instances, running desired instances) so "missing" is O(1).
 */
export class BBS {
  readonly desired = new Map<string, DesiredLRP>();
  readonly actual = new Map<string, AppActuals>();
  /** Tasks by guid, with their own state machine and counters (see bbs-tasks.ts). */
  readonly tasks: TaskTable;
  /** Transitions asked for that Diego's state machine rejects. */
  rejectedTransitions = 0;
  /** Sum of desired instances. */
  desiredInstances = 0;
  /** Ordinary RUNNING instances with an index below their app's desired count. */
  runningDesired = 0;
  /** Ordinary records in CRASHED. */
  crashed = 0;
  /**
   * Process guids that were scaled down, replaced or removed: the only ones that can have
   * instances nothing desires (extras), so counting extras looks at these alone.
   */
  readonly shrunk = new Set<string>();
  /**
   * Groups the converger must look at even when nothing else changed: an ordinary record that is
   * UNCLAIMED or CRASHED or missing, a suspect or evacuating copy. Kept loosely (a group may stay
   * after it stopped needing a look; the converger drops it then). Every group that becomes one of
   * these is marked here; the converger then moves those that only time can make due to
   * {@link BBS.resting}, and lets go of those that never come due (200 crashes).
   */
  readonly watch = new WatchList<LRPGroup>();
  /**
   * Watched groups the converger set aside until a time (the group's `wakeAt`): a CRASHED or
   * UNCLAIMED ordinary record with no copies can only come due when its backoff or stale period
   * ends, so it rests here until then instead of being looked at every pass (see converger.ts). A
   * change that can make it due sooner marks it in {@link BBS.watch} again (a failed placement only
   * makes it due later, and is caught when it wakes).
   */
  readonly resting = new Resting<LRPGroup>();
  /** Apps whose instance count or ordinary records changed since the converger last looked. */
  readonly recounts = new Set<string>();
  /** Told of record changes the fault recovery figures follow (none: nobody is told). */
  observer: LRPObserver | null = null;
  private seq = 0;
  private dropped = 0;
  // Where the groups keep their times (see GroupTimes).
  private readonly times = new GroupTimes();
  // The number of the next ordinary record made (see ActualLRP.recordNo).
  private records = 0;

  /** `now` gives the simulated time. */
  constructor(private readonly now: () => number) {
    this.tasks = new TaskTable(now, () => this.rejectedTransitions++);
  }

  /** Instances desired but not running (ordinary records). */
  get missing(): number {
    return this.desiredInstances - this.runningDesired;
  }

  /**
   * Desired instances not running whose ordinary record has crashed since it was last placed: CRASHED
   * and waiting out its backoff, or unclaimed or claimed again for a restart. One look at every group.
   */
  crashingNotRunning(): number {
    let n = 0;
    // Walked with forEach: an iterator's [key, value] pair per entry was a million arrays at ten
    // times Diego's scale, made at the run's end just to be counted.
    this.actual.forEach((byIndex, guid) => {
      const d = this.desiredOf(guid, byIndex);
      if (!d) return;
      byIndex.forEach((g, index) => {
        const r = g.ordinary;
        if (r && index < d.instances && isCrashLooping(r)) n++;
      });
    });
    return n;
  }

  /**
   * An app's map: `hint` (its map, when the caller holds it) while the BBS keeps it, since a kept
   * map is the one a lookup finds (a map is let go only by dropGroup, which marks it); else looked up
   * by guid. Saves a lookup in a table of every app.
   */
  appActuals(processGuid: string, hint: AppActuals | undefined): AppActuals | undefined {
    return hint !== undefined && !hint.dropped ? hint : this.actual.get(processGuid);
  }

  /** The group for (process, index), created empty if asked; `app` as for {@link BBS.appActuals}. */
  group(processGuid: string, index: number, create = false, app?: AppActuals): LRPGroup | undefined {
    let byIndex = this.appActuals(processGuid, app);
    if (!byIndex) {
      if (!create) return undefined;
      byIndex = new AppActuals(this.seq++, this.desired.get(processGuid));
      this.actual.set(processGuid, byIndex);
    }
    let g = byIndex.get(index);
    if (!g && create) {
      const seq = this.seq++;
      g = newGroup(processGuid, index, seq, byIndex, this.times);
      byIndex.set(index, g);
      this.observer?.made(g);
    }
    return g;
  }

  /**
   * The group for (process, index) without creating one: `hint` if it still is that group (reads of
   * the hint itself), else the group looked up by guid.
   */
  groupOf(processGuid: string, index: number, hint: LRPGroup | undefined): LRPGroup | undefined {
    // A group leaves its app's map only by dropGroup, which marks it, and is never put back; a map
    // is let go only once empty, so its groups were all dropped first. A group not dropped is the
    // one a lookup would find, and asking its app's map (a miss more, and a Map lookup for an app
    // with several indices, on every crash, claim and start) adds nothing. Its process guid is
    // checked too (the same string the instance was named by, so one comparison of two pointers): a
    // hint made for another app (a hand-made instance carrying another's context) is not this group.
    if (hint !== undefined && !hint.dropped && hint.index === index && hint.processGuid === processGuid) return hint;
    return this.group(processGuid, index);
  }

  /** Forgets a group with no record left (and its app's map once empty). */
  dropGroup(g: LRPGroup): void {
    // Dropped already: its map no longer holds it (the mark groupOf reads says so).
    if (g.dropped) return;
    const byIndex = g.app;
    byIndex.delete(g.index);
    g.dropped = true;
    this.dropped++;
    if (byIndex.size === 0 && this.actual.get(g.processGuid) === byIndex) {
      this.actual.delete(g.processGuid);
      byIndex.dropped = true;
    }
    this.watch.delete(g);
  }

  /**
   * Groups dropped so far. While it stays the same, each (process guid, index) has had one group
   * object throughout (dropGroup is the only way a group leaves its map, and a map is let go only
   * once empty), so a mark set on a group marks the instance (see the BBS client's queue marks).
   */
  get groupsDropped(): number {
    return this.dropped;
  }

  /** Marks a group for the converger's next look (`hint` as for {@link BBS.groupOf}). */
  watchGroup(processGuid: string, index: number, hint?: LRPGroup): void {
    const g = this.groupOf(processGuid, index, hint);
    if (g) this.watch.add(g);
  }

  /**
   * An app's DesiredLRP, read from `app` (its map, when the caller holds it) while the BBS keeps
   * that map, since the map carries it; else looked up by guid.
   */
  desiredOf(processGuid: string, app: AppActuals | undefined): DesiredLRP | undefined {
    return app !== undefined && !app.dropped ? app.desired : this.desired.get(processGuid);
  }

  /** Ordinary records of an app (groups with one). */
  ordinaryCount(processGuid: string): number {
    return this.actual.get(processGuid)?.ordinaries ?? 0;
  }

  /**
   * Records a new DesiredLRP (or replaces one) and returns the indices now without any record, which
   * the caller may leave without one: the converger is asked to recount the app, and makes them at
   * its next pass. (The simulator's own DesireLRP makes them at once: {@link BBS.desireAndCreate}.)
   */
  desire(d: DesiredLRP): number[] {
    return this.recordDesired(d, true);
  }

  /**
   * Records a DesiredLRP as {@link BBS.desire} does, then makes an UNCLAIMED ordinary record for
   * every index without one, handing each to `made` in index order: what Diego's DesireLRP does
   * before it asks for their auctions (bbs handlers/desired_lrp_handlers.go, DesireDesiredLRP and
   * startInstanceRange). The app cannot fall short of records by it, so the converger is not asked
   * to recount it (nor to look it up: a cold start at ten times Diego's scale desires two million
   * apps), and its records are made in its map without a lookup by guid each.
   */
  desireAndCreate(d: DesiredLRP, made: (rec: ActualLRP, index: number) => void): void {
    const guid = d.processGuid;
    let app: AppActuals | undefined;
    for (const i of this.recordDesired(d, false)) {
      const rec = this.createUnclaimed(guid, i, 0, app);
      app = rec.group.app;
      made(rec, i);
    }
  }

  // desire's work; `recount`: whether the converger is to look at the app's count of records.
  private recordDesired(d: DesiredLRP, recount: boolean): number[] {
    // What removeDesiredCounts, recount and missingIndices do, with one lookup of each map: a cold
    // start desires a couple of hundred thousand apps, and each lookup in maps this size is slow.
    const guid = d.processGuid;
    const prev = this.desired.get(guid);
    const m = this.actual.get(guid);
    if (prev) {
      this.shrunk.add(guid);
      this.desiredInstances -= prev.instances;
      if (m) this.runningDesired -= countRunning(m, prev.instances);
    }
    if (recount) this.recounts.add(guid);
    this.desired.set(guid, d);
    this.desiredInstances += d.instances;
    if (m) {
      m.desired = d;
      this.runningDesired += countRunning(m, d.instances);
    }
    return missingIn(m, d.instances);
  }

  /** Changes an app's instance count; returns the indices that now lack a record. */
  scale(processGuid: string, instances: number): number[] {
    const d = this.desired.get(processGuid);
    if (!d) return [];
    if (instances < d.instances) this.shrunk.add(processGuid);
    this.recounts.add(processGuid);
    this.removeDesiredCounts(processGuid);
    d.instances = instances;
    this.desiredInstances += instances;
    this.recount(processGuid);
    return this.missingIndices(processGuid);
  }

  /** Removes an app's DesiredLRP; its actual records become extras for convergence to retire. */
  removeDesired(processGuid: string): void {
    if (this.desired.has(processGuid)) this.shrunk.add(processGuid);
    this.removeDesiredCounts(processGuid);
    this.desired.delete(processGuid);
    const m = this.actual.get(processGuid);
    if (m) m.desired = undefined;
  }

  /** Indices 0..N-1 of an app with no ordinary record. */
  missingIndices(processGuid: string): number[] {
    const d = this.desired.get(processGuid);
    return d ? missingIn(this.actual.get(processGuid), d.instances) : [];
  }

  /**
   * Creates an UNCLAIMED ordinary record for (process, index). A new record starts with no crashes
   * (bbs db/sqldb/actual_lrp_db.go CreateUnclaimedActualLRP: crash_count defaults to 0), a cell-loss
   * replacement included (controllers/lrp_convergence_controller.go: the old record turns SUSPECT
   * and keeps its count; the replacement is created). Evacuation passes the count on: Diego unclaims
   * the same record there (see {@link BBS.evacuate}). `app`: the app's map, when the caller holds it
   * (as for {@link BBS.group}).
   */
  createUnclaimed(processGuid: string, index: number, crashCount = 0, app?: AppActuals): ActualLRP {
    const g = this.group(processGuid, index, true, app) as LRPGroup;
    // A group whose ordinary record was just demoted still counts as having one (it is replaced).
    if (!g.hasOrdinary) g.app.ordinaries++;
    g.makeOrdinary(this.now(), crashCount, this.records++);
    this.watch.add(g);
    return g;
  }

  /**
   * A cell claims an UNCLAIMED instance it is starting. False (the cell must give it up) otherwise.
   * `hint`: the group, if the caller holds it (see {@link BBS.groupOf}); so for the methods below.
   */
  claim(processGuid: string, index: number, instanceGuid: string, cell: string, hint?: LRPGroup): boolean {
    const rec = this.groupOf(processGuid, index, hint)?.ordinary;
    if (!rec || this.desiredOf(processGuid, rec.group.app) === undefined) return false;
    if (rec.state === 'CLAIMED' && rec.instanceGuid === instanceGuid && rec.cell === cell) return true;
    if (rec.state !== 'UNCLAIMED') {
      this.rejectedTransitions++;
      return false;
    }
    this.setState(rec, 'CLAIMED');
    rec.instanceGuid = instanceGuid;
    rec.cell = cell;
    rec.placementError = '';
    this.observer?.claimed(rec.group);
    // Claimed with no copy: nothing for the converger until the BBS marks it again. Let go of here,
    // where the group is at hand, rather than read again by the next pass only to be let go of (29%
    // of the passes' watched visits in the 250k hour).
    if (!needsConvergerLook(rec.group)) this.watch.delete(rec.group);
    return true;
  }

  /** A cell reports an instance running. False if the BBS no longer expects it there. */
  start(processGuid: string, index: number, instanceGuid: string, cell: string, hint?: LRPGroup): boolean {
    const g = this.groupOf(processGuid, index, hint);
    const rec = g?.ordinary;
    if (!rec || rec.instanceGuid !== instanceGuid || rec.cell !== cell || !this.transition(rec, 'RUNNING')) return false;
    rec.runningSince = this.now();
    // A running replacement ends the SUSPECT and EVACUATING copies' records (bbs
    // controllers/actual_lrp_lifecycle_controller.go StartActualLRP removes both); their containers run
    // until their reps notice (the evacuation poll, the bulk sync).
    if (g && g.suspect) g.suspect = null;
    if (g && g.evacuating) g.evacuating = null;
    this.observer?.running(rec.group);
    // Running, its copies ended: nothing for the converger (see claim).
    if (!needsConvergerLook(rec.group)) this.watch.delete(rec.group);
    return true;
  }

  /**
   * A cell reports a crash. Returns `'restart'` when the instance should be auctioned at once
   * (crash count 1-2), `'backoff'` when it waits as CRASHED, `'unknown'` if no record matched.
   */
  crash(processGuid: string, index: number, instanceGuid: string, cell: string, hint?: LRPGroup): 'restart' | 'backoff' | 'unknown' {
    const rec = this.groupOf(processGuid, index, hint)?.ordinary;
    if (!rec || rec.instanceGuid !== instanceGuid || rec.cell !== cell) return 'unknown';
    const ran = rec.state === 'RUNNING' ? this.now() - rec.runningSince : 0;
    if (!this.transition(rec, 'CRASHED')) return 'unknown';
    this.observer?.noticed(rec.group);
    rec.crashCount = crashCountAfterCrash(rec.crashCount, ran);
    if (restartDelayMs(rec.crashCount) === 0) {
      this.unclaim(rec);
      return 'restart';
    }
    return 'backoff';
  }

  /** Makes an ordinary record UNCLAIMED again (restart, cell gone, given up). */
  unclaim(rec: ActualLRP): void {
    if (!this.transition(rec, 'UNCLAIMED')) return;
    rec.instanceGuid = '';
    rec.cell = '';
    this.observer?.noticed(rec.group);
  }

  /**
   * Records a failed auction (Diego's FailActualLRP): the instance stays UNCLAIMED with the
   * placement error, and its `since` is now, so it goes stale (and is auctioned again) a full
   * stale period after the failure, not after it was first made. `hint` as for {@link BBS.claim}.
   */
  failPlacement(processGuid: string, index: number, error: string, hint?: LRPGroup): void {
    const rec = this.groupOf(processGuid, index, hint)?.ordinary;
    if (rec && rec.state === 'UNCLAIMED') {
      rec.placementError = error;
      rec.since = this.now();
    }
  }

  /**
   * A draining cell hands an instance over: the ordinary record becomes an EVACUATING copy on the
   * cell and a new UNCLAIMED ordinary record is made. Returns true if a replacement must be auctioned.
   */
  evacuate(processGuid: string, index: number, instanceGuid: string, cell: string): boolean {
    const g = this.group(processGuid, index);
    const rec = g?.ordinary;
    if (!g || !rec || rec.instanceGuid !== instanceGuid || rec.cell !== cell) return false;
    this.observer?.noticed(g);
    if (rec.state === 'RUNNING') {
      g.evacuating = this.demote(g, 'EVACUATING');
      this.watch.add(g);
      // Diego makes the EVACUATING copy and unclaims the ordinary record, which keeps its crash count
      // (bbs controllers/evacuation_controller.go EvacuateRunningActualLRP).
      this.createUnclaimed(processGuid, index, g.evacuating.crashCount);
    } else {
      this.unclaim(rec);
    }
    return true;
  }

  /**
   * Calls off a move whose replacement found no cell or crashed (auctionlab's rebalancer; Diego has
   * no such call, assumed): the UNCLAIMED or CRASHED ordinary record made for the replacement is
   * dropped and the EVACUATING copy, still running on its cell, is the ordinary record again. False,
   * and nothing changes, when the replacement is claimed (starting) or running, or there is no
   * evacuating copy.
   */
  recallEvacuating(g: LRPGroup): boolean {
    const o = g.ordinary;
    const e = g.evacuating;
    if (!e || (o && o.state !== 'UNCLAIMED' && o.state !== 'CRASHED')) return false;
    if (o) this.removeOrdinary(g);
    g.evacuating = null;
    g.promote(e);
    g.app.ordinaries++;
    this.watch.add(g);
    this.recounts.add(g.processGuid);
    if (this.counted(g)) this.runningDesired++;
    if (g.state === 'RUNNING') this.observer?.running(g);
    return true;
  }

  /**
   * Desired indices whose ordinary record is not running but whose EVACUATING copy runs (a drain or a
   * rebalancing move under way): served, so not missing; `crashing`: those of them whose ordinary
   * record has crashed since it was placed. One look at every group.
   */
  servedByEvacuatingCopies(): { served: number; crashing: number } {
    let served = 0;
    let crashing = 0;
    // forEach, not iterators: see crashingNotRunning.
    this.actual.forEach((byIndex, guid) => {
      const d = this.desiredOf(guid, byIndex);
      if (!d) return;
      byIndex.forEach((g, index) => {
        const o = g.ordinary;
        if (index >= d.instances || g.evacuating?.state !== 'RUNNING' || o?.state === 'RUNNING') return;
        served++;
        if (o && isCrashLooping(o)) crashing++;
      });
    });
    return { served, crashing };
  }

  /** Moves an ordinary record whose cell vanished to SUSPECT and makes an UNCLAIMED replacement. */
  suspect(g: LRPGroup): void {
    if (!g.hasOrdinary) return;
    g.suspect = this.demote(g, 'SUSPECT');
    this.watch.add(g);
    this.createUnclaimed(g.processGuid, g.index);
    this.observer?.noticed(g);
  }

  /** Removes the ordinary record of a group (retiring an extra). */
  removeOrdinary(g: LRPGroup): void {
    if (!g.hasOrdinary) return;
    if (this.counted(g)) this.runningDesired--;
    if (g.state === 'CRASHED') this.crashed--;
    g.dropOrdinary();
    g.app.ordinaries--;
    this.recounts.add(g.processGuid);
    this.watch.add(g);
  }

  private transition(rec: ActualLRP, to: LRPState): boolean {
    if (!lrpTransitionAllowed(rec.state, to)) {
      this.rejectedTransitions++;
      return false;
    }
    this.setState(rec, to);
    return true;
  }

  /** Promotes a suspect copy back to the ordinary record (its cell returned before the replacement ran). */
  promoteSuspect(g: LRPGroup): void {
    const rec = g.suspect;
    if (!rec) return;
    if (g.hasOrdinary) this.removeOrdinary(g);
    g.suspect = null;
    g.promote(rec);
    g.app.ordinaries++;
    this.watch.add(g);
    if (this.counted(g)) this.runningDesired++;
    if (g.state === 'RUNNING') this.observer?.running(g);
  }

  private counted(r: ActualLRP): boolean {
    return r.presence === 'ORDINARY' && r.state === 'RUNNING' && r.index < (this.desiredOf(r.processGuid, r.group.app)?.instances ?? 0);
  }

  // Takes a group's ordinary record out of the ordinary role (and so out of the running count): a
  // copy as `presence`. The group's own fields stay as they were until the caller makes a new ordinary
  // record (it always does), and it still counts as having one meanwhile.
  private demote(g: LRPGroup, presence: LRPPresence): ActualLRP {
    if (this.counted(g)) this.runningDesired--;
    return g.copyOrdinary(presence);
  }

  // Keeps runningDesired (and the CRASHED count) right as a record changes state.
  private setState(rec: ActualLRP, to: LRPState): void {
    // The record counts as running desired before and/or after: one look at its app serves both.
    const below = rec.presence === 'ORDINARY' && rec.index < (this.desiredOf(rec.processGuid, rec.group.app)?.instances ?? 0);
    if (below && rec.state === 'RUNNING') this.runningDesired--;
    if (rec.state === 'CRASHED') this.crashed--;
    if (to === 'CRASHED') this.crashed++;
    rec.state = to;
    rec.since = this.now();
    if (below && to === 'RUNNING') this.runningDesired++;
    // UNCLAIMED goes stale and CRASHED waits out its backoff: the converger must come back to both.
    if ((to === 'UNCLAIMED' || to === 'CRASHED') && rec.presence === 'ORDINARY') this.watchGroup(rec.processGuid, rec.index, rec.group);
  }

  private removeDesiredCounts(processGuid: string): void {
    const d = this.desired.get(processGuid);
    if (!d) return;
    this.desiredInstances -= d.instances;
    this.runningDesired -= this.countRunning(processGuid, d.instances);
  }

  private recount(processGuid: string): void {
    const d = this.desired.get(processGuid);
    if (d) this.runningDesired += this.countRunning(processGuid, d.instances);
  }

  private countRunning(processGuid: string, below: number): number {
    const m = this.actual.get(processGuid);
    return m ? countRunning(m, below) : 0;
  }
}
