import { decideLRPGroup, decideTask, LRP_ACTION, lrpGroupDueFrom, TASK_ACTION } from '../../core/convergence/decide.js';
import { ERR_TASK_CELL_DISAPPEARED, ERR_TASK_NOT_STARTED } from '../../core/convergence/states.js';
import type { ConvergenceSettings } from '../../core/convergence/states.js';
import type { Kernel } from '../kernel/kernel.js';
import type { ActualLRP, AppActuals, BBS, LRPGroup } from './bbs.js';
import { needsConvergerLook } from './bbs-records.js';

/**
 * What the converger needs of the simulated world (declared here, beside its consumer, so the
 * converger does not import the world that wires it): the BBS it reads and writes, the clock, which
 * cells exist and are present, the settings, and the three effects of a pass.
 */
export interface ConvergerWorld {
  /** The BBS. */
  readonly bbs: BBS;
  /** The kernel (its clock, and notes). */
  readonly kernel: Kernel;
  /** Every cell, with whether the BBS sees its presence. */
  readonly cells: readonly { readonly id: string; readonly present: boolean }[];
  /** Cells by id (a cell that does not exist is not present). */
  readonly cellById: ReadonlyMap<string, unknown>;
  /** The scenario's convergence settings. */
  readonly scenario: { readonly convergence: ConvergenceSettings };
  /** Counters of the run (the number of passes so far marks the groups a pass took). */
  readonly counters: { readonly convergenceRuns: number };
  /** Asks the auctioneer to place instance `index` of an app (with its app map and record, when known). */
  requestLRP(processGuid: string, index: number, app?: AppActuals, rec?: ActualLRP | null): void;
  /** Asks the auctioneer to place a task. */
  requestTask(guid: string): void;
  /** Stops an instance's container on its cell. */
  stopInstance(cellId: string, instanceGuid: string): void;
  /** The BBS dropped a copy's record without telling its rep: the rep stops it at its next bulk sync. */
  copyDropped(cellId: string, instanceGuid: string): void;
}

/** What a pass did, for its note. */
interface Tally {
  auctioned: number;
  retired: number;
}

/**
 * One pass of Diego's converger (BBS), in Diego's order:
 * suspect and evacuating copies whose fate is decided are settled; stale UNCLAIMED instances are
 * re-auctioned; instances on vanished cells become SUSPECT and get an UNCLAIMED replacement;
 * missing indices are created and auctioned; extra indices and instances with no DesiredLRP are
 * retired; CRASHED instances whose backoff has passed are restarted. Tasks: PENDING too long fail,
 * other PENDING are re-sent, RUNNING on a vanished cell fail, COMPLETED are deleted after their TTL.
 * All start requests of the pass go to the auctioneer together.
 *
 * Diego's converger reads every ActualLRP each pass. So does this one after a cell vanished (`full`),
 * since every record on that cell must become SUSPECT. Otherwise it visits only the groups that can
 * need something (the BBS's watch list: UNCLAIMED, CRASHED, missing, suspect or evacuating records,
 * plus every group of an app that shrank), in the very order a full visit would reach them, so both
 * ways send the same requests in the same order and a run's digest does not depend on which ran.
 */
export function convergencePass(w: ConvergerWorld, full: boolean): void {
  const { bbs, kernel } = w;
  // Cells the BBS cannot see; usually none, and then no record needs a presence check.
  const absent = new Set(w.cells.filter((c) => !c.present).map((c) => c.id));
  const present = (cellId: string) => absent.size === 0 || (!absent.has(cellId) && w.cellById.has(cellId));
  const tally: Tally = { auctioned: 0, retired: 0 };
  const short = full ? fullVisit(w, present, tally) : watchedVisit(w, present, tally, w.counters.convergenceRuns);
  for (const guid of short) {
    for (const i of bbs.missingIndices(guid)) {
      const rec = bbs.createUnclaimed(guid, i);
      w.requestLRP(guid, i, rec.group.app, rec);
      tally.auctioned++;
      if (kernel.logging) kernel.tell('converger', { work: `${guid}.${i}`, did: 'missing: created and auctioned' });
    }
  }
  bbs.recounts.clear();
  taskPass(w, present);
  kernel.note('converge', { auctioned: tally.auctioned, retired: tally.retired, missing: bbs.missing });
}

/** Every group of every app, in the BBS's order; returns the apps short of ordinary records. */
function fullVisit(w: ConvergerWorld, present: (cellId: string) => boolean, tally: Tally): Set<string> {
  const { bbs } = w;
  // Apps whose ordinary records fall short of their instance count, for the missing-index step.
  const short = new Set<string>();
  for (const guid of bbs.desired.keys()) if (!bbs.actual.has(guid)) short.add(guid);
  // forEach walks, not iterators: an iterator's pair and generator per app were a million
  // short-lived objects a pass at ten times Diego's scale. Groups put during the walk are reached
  // either way (AppActuals.forEach keeps a Map's walk order).
  bbs.actual.forEach((byIndex, guid) => {
    byIndex.forEach((g) => visit(w, g, present, tally));
    // The app's DesiredLRP from its map while the BBS keeps the map (one the visits just let go is
    // looked up), not a lookup by guid in a map of every app each time: that was most of a full pass.
    const d = bbs.desiredOf(guid, byIndex);
    if (d && byIndex.ordinaries < d.instances) short.add(guid);
  });
  return short;
}

/**
 * The watched groups and every group of a shrunk app, sorted into the order a full visit meets
 * them (by app, in the order apps entered the BBS, then by group, likewise); returns the apps
 * short of ordinary records, in the order a full visit would list them.
 */
function watchedVisit(w: ConvergerWorld, present: (cellId: string) => boolean, tally: Tally, pass: number): string[] {
  const { bbs } = w;
  const groups: LRPGroup[] = [];
  const take = (g: LRPGroup) => {
    if (g.pass === pass) return;
    g.pass = pass;
    groups.push(g);
  };
  const now = w.kernel.now;
  const staleMs = w.scenario.convergence.staleUnclaimedMs;
  // Groups set aside until their backoff or stale period ends are watched again once it has (a
  // group the BBS has let go since is not: a full visit would not meet it); an entry the group was
  // rested again before, until an earlier time, is outdated.
  bbs.resting.wake(now, (g, wakeAt) => {
    if (wakeAt !== g.wakeAt) return;
    g.wakeAt = null;
    if (!g.dropped) bbs.watch.add(g);
  });
  // Most watched groups are waiting (a backoff, the stale period, a suspect's cell that stays
  // away): only those a visit would act on now are taken, and only they are sorted.
  // A WatchList is walked by forEach alone (it makes no iterator objects: see watch-list.ts).
  bbs.watch.forEach((g) => {
    // Claimed or running with no copies: nothing to look at until the BBS marks it again.
    if (!needsConvergerLook(g)) bbs.watch.delete(g);
    else if (due(g, now, staleMs, present)) take(g);
    else {
      // Waiting on time alone: set aside until it may be due, rather than looked at every pass. A
      // change to the group before then marks it again (the BBS watches every record that becomes
      // UNCLAIMED or CRASHED or gets a copy), and one that never comes due is not looked at again.
      const wakeAt = lrpGroupDueFrom(g, staleMs);
      if (wakeAt > now) {
        bbs.watch.delete(g);
        // An entry already due to wake it no later is kept (the pass it wakes at rests it again, if
        // it must), so a group has one live entry at a time (and an outdated one only when it had
        // to wake sooner than it was resting for).
        if (wakeAt !== Infinity && !(g.wakeAt !== null && g.wakeAt <= wakeAt)) {
          g.wakeAt = wakeAt;
          bbs.resting.add(g, wakeAt);
        }
      }
    }
  });
  for (const guid of bbs.shrunk) bbs.actual.get(guid)?.forEach(take);
  // Only an app whose instance count changed or which lost an ordinary record can fall short;
  // where it stands among the apps is taken before any group is dropped (which may drop the app),
  // and with it the app's map, which answers for the app after the visits while the BBS keeps it (a
  // kept map is the one a lookup would find: see BBS.appActuals): one lookup by guid per app, not three,
  // in tables of every app (a cold start at ten times Diego's scale recounts two million).
  const mapsThen: (AppActuals | undefined)[] = [];
  bbs.recounts.forEach((guid) => mapsThen.push(bbs.actual.get(guid)));
  inVisitOrder(groups);
  for (let k = 0; k < groups.length; k++) {
    const g = groups[k] as LRPGroup;
    visit(w, g, present, tally);
    if (!needsConvergerLook(g)) bbs.watch.delete(g);
  }
  // Short apps: a full visit lists those with no records first (in the order they were desired),
  // then the others in the BBS's order. An app recounted during the visits (a record retired) comes
  // after those recounted before (a set keeps the order entries were added), with no place taken.
  const without: string[] = [];
  const within: { guid: string; seq: number }[] = [];
  let i = 0;
  bbs.recounts.forEach((guid) => {
    const then = i < mapsThen.length ? mapsThen[i] : undefined;
    i++;
    const m = bbs.appActuals(guid, then);
    const d = bbs.desiredOf(guid, m);
    if (!d || (m?.ordinaries ?? 0) >= d.instances) return;
    if (then !== undefined) within.push({ guid, seq: then.seq });
    else without.push(guid);
  });
  if (without.length > 1) {
    const order = new Map<string, number>();
    let n = 0;
    for (const guid of bbs.desired.keys()) order.set(guid, n++);
    without.sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
  }
  // An app's seq is its own: a total order.
  within.sort((a, b) => a.seq - b.seq);
  return [...without, ...within.map((x) => x.guid)];
}

/**
 * Sorts groups into the order a full visit meets them: by app (its `seq`), then by group (its own).
 * Each group's place is read once into a key of this pass (app seq times a span above every seq
 * here, plus the group's seq: exact below 2^53), the keys sorted as numbers, and each group put at
 * its key's rank: a comparator read both groups' app through two objects at every comparison,
 * thousands of scattered reads a pass. (A key kept on every group was a boxed double on each.)
 */
export function inVisitOrder(groups: LRPGroup[]): void {
  const n = groups.length;
  if (n < 2) return;
  // Above every seq here, the apps' too (a group enters after its app, so its seq is the larger,
  // but the keys are exact whatever the order).
  let span = 0;
  for (let i = 0; i < n; i++) {
    const g = groups[i] as LRPGroup;
    span = Math.max(span, g.seq + 1, g.app.seq + 1);
  }
  if (span * span > Number.MAX_SAFE_INTEGER) {
    groups.sort((a, b) => a.app.seq - b.app.seq || a.seq - b.seq);
    return;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = groups[i] as LRPGroup;
    keys[i] = g.app.seq * span + g.seq;
  }
  // Numbers, no comparator; every key differs (a group's seq is its own).
  const sorted = keys.slice().sort();
  const from = groups.slice();
  for (let i = 0; i < n; i++) groups[rankOf(sorted, keys[i] as number)] = from[i] as LRPGroup;
}

// The position of `key` in ascending `sorted`, which holds it.
function rankOf(sorted: Float64Array, key: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether {@link visit} would act on a group of an app that did not shrink (so no index of it is
 * beyond its instance count), in a pass that need not check presence of ordinary records (no cell
 * vanished since the last pass): the core's decision, asked with no instance count to exceed.
 */
function due(g: LRPGroup, now: number, staleMs: number, present: (cellId: string) => boolean): boolean {
  return decideLRPGroup(g, g.index, Number.MAX_SAFE_INTEGER, present, now, staleMs) !== LRP_ACTION.NONE;
}

/** Applies the core's decision for one (process guid, index) (core/convergence/decide.ts). */
function visit(w: ConvergerWorld, g: LRPGroup, present: (cellId: string) => boolean, tally: Tally): void {
  const { bbs, kernel, scenario } = w;
  // The group's map is the BBS's map of its app (a dropped group is never visited), so its desired is current.
  const d = g.app.desired;
  const act = decideLRPGroup(g, g.index, d ? d.instances : -1, present, kernel.now, scenario.convergence.staleUnclaimedMs);
  if (act === LRP_ACTION.NONE) return;
  const guid = g.processGuid;
  const index = g.index;
  if (act & LRP_ACTION.PROMOTE_SUSPECT) {
    // bbs removes the replacement's record and promotes the SUSPECT one (controllers/
    // lrp_convergence_controller.go, SuspectKeysWithExistingCells); nobody tells the replacement's rep.
    const replacement = g.ordinary;
    if (replacement?.cell) w.copyDropped(replacement.cell, replacement.instanceGuid);
    bbs.promoteSuspect(g);
  } else if (act & LRP_ACTION.DROP_SUSPECT && g.suspect) {
    // RemoveSuspectActualLRP deletes the record only (SuspectLRPKeysToRetire); the rep's sync stops the copy.
    w.copyDropped(g.suspect.cell, g.suspect.instanceGuid);
    g.suspect = null;
  }
  if (act & LRP_ACTION.FORGET_EVACUATING) g.evacuating = null;
  const o = g.ordinary;
  if (act & LRP_ACTION.RETIRE && o) {
    if (o.cell) w.stopInstance(o.cell, o.instanceGuid);
    bbs.removeOrdinary(g);
    tally.retired++;
  } else if (act & LRP_ACTION.SUSPECT_AND_REPLACE) {
    bbs.suspect(g);
    w.requestLRP(guid, index, g.app, g.ordinary ?? undefined);
    tally.auctioned++;
  } else if (act & LRP_ACTION.UNCLAIM_LOST && o) {
    bbs.unclaim(o);
    w.requestLRP(guid, index, g.app, o);
    tally.auctioned++;
  } else if (act & LRP_ACTION.REAUCTION_STALE && o) {
    w.requestLRP(guid, index, g.app, o);
    tally.auctioned++;
  } else if (act & LRP_ACTION.RESTART_CRASHED && o) {
    bbs.unclaim(o);
    w.requestLRP(guid, index, g.app, o);
    tally.auctioned++;
  }
  if (act & LRP_ACTION.DROP_GROUP) bbs.dropGroup(g);
  if (kernel.logging) {
    // The cell of the record acted on, as the action left it: a record made SUSPECT is the copy now
    // (the group, its own ordinary record, is the replacement, with no cell); one unclaimed has none.
    const cell = act & LRP_ACTION.SUSPECT_AND_REPLACE ? (g.suspect?.cell ?? '') : (o?.cell ?? '');
    kernel.tell('converger', { work: `${guid}.${index}`, did: convergerDeed(act, o !== null), ...(cell ? { cell } : {}) });
  }
}

// What the converger did to one instance, in words, for the log's story (the first that applies).
function convergerDeed(act: number, hadRecord: boolean): string {
  if (act & LRP_ACTION.RETIRE && hadRecord) return 'retired (no longer desired)';
  if (act & LRP_ACTION.SUSPECT_AND_REPLACE) return 'its cell vanished: kept as SUSPECT, a replacement auctioned';
  if (act & LRP_ACTION.UNCLAIM_LOST) return 'its cell vanished: unclaimed and auctioned again';
  if (act & LRP_ACTION.REAUCTION_STALE) return 'UNCLAIMED too long: auctioned again';
  if (act & LRP_ACTION.RESTART_CRASHED) return 'crashed, backoff over: restarted through an auction';
  if (act & LRP_ACTION.PROMOTE_SUSPECT) return 'its SUSPECT copy promoted back';
  if (act & LRP_ACTION.DROP_SUSPECT) return 'its SUSPECT copy dropped';
  if (act & LRP_ACTION.FORGET_EVACUATING) return 'its evacuating copy forgotten';
  if (act & LRP_ACTION.DROP_GROUP) return 'no longer desired: its records dropped';
  return 'settled';
}

/** Applies the core's decision for every task (core/convergence/decide.ts). */
function taskPass(w: ConvergerWorld, present: (cellId: string) => boolean): void {
  const { bbs, kernel } = w;
  const now = kernel.now;
  const limits = w.scenario.convergence;
  for (const [guid, t] of bbs.tasks) {
    switch (decideTask(t, present, now, limits)) {
      case TASK_ACTION.FAIL_EXPIRED:
        bbs.tasks.finish(t, true, ERR_TASK_NOT_STARTED);
        break;
      case TASK_ACTION.AUCTION:
        w.requestTask(guid);
        break;
      case TASK_ACTION.FAIL_CELL_GONE:
        bbs.tasks.finish(t, true, ERR_TASK_CELL_DISAPPEARED);
        break;
      case TASK_ACTION.DEMOTE_RESOLVING:
        t.state = 'COMPLETED';
        break;
      case TASK_ACTION.DELETE_COMPLETED:
        bbs.tasks.delete(guid);
        break;
      case TASK_ACTION.NONE:
        break;
    }
  }
}
