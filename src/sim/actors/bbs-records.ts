// The BBS's records in the simulator: DesiredLRPs, ActualLRPs grouped by (process guid, index) with
// Diego's ORDINARY, EVACUATING and SUSPECT presences, each app's map of its groups, and Tasks.
import type { LRPPresence, LRPState, TaskState } from '../../core/convergence/states.js';
import type { Distribution } from '../distributions.js';
import { NO_APP_NUMBER, type AppNumbers } from '../../core/rep/app-numbers.js';
import type { AppSpec, WorkResources } from '../scenario-types.js';
import type { GroupTimes } from './group-times.js';

/** A DesiredLRP: an app and how many instances it should have (with the scenario's crash behaviour). */
export interface DesiredLRP extends Pick<AppSpec, 'instances' | 'memoryMB' | 'diskMB' | 'rootfs' | 'placementTags' | 'volumeDrivers' | 'crash'>, WorkResources {
  /** The app. */
  processGuid: string;
  /** Health check before an instance runs (Diego's linux-circus); none: running once started. */
  healthCheck?: AppSpec['healthCheck'];
  /** Time each instance spends downloading the droplet before it starts (ms). */
  startupExtraMs?: number;
  /** The scenario app (or app group) it belongs to, for the routes per app; worked out from the guid if absent. */
  app?: string;
}

/**
 * One ActualLRP record: a group's ordinary record (the group itself, see {@link LRPGroup}), or an
 * EVACUATING or SUSPECT copy (an object of its own).
 */
export interface ActualLRP {
  /** The app. */
  readonly processGuid: string;
  /** Instance index. */
  readonly index: number;
  /** Guid of the instance on its cell ('' while UNCLAIMED). */
  instanceGuid: string;
  /** Diego state. */
  state: LRPState;
  /** ORDINARY, EVACUATING or SUSPECT (a group's own record is always ORDINARY). */
  readonly presence: LRPPresence;
  /** The cell ('' while UNCLAIMED). */
  cell: string;
  /** When it entered its state (ms). */
  since: number;
  /** Crashes counted by the restart policy. */
  crashCount: number;
  /** When it last started running (ms). */
  runningSince: number;
  /** Why its last auction failed ('' if it did not). */
  placementError: string;
  /**
   * When it was first asked for since it last got a cell (ms), or null: the start of its wait. (null,
   * not -1, as for {@link LRPGroup.wakeAt}: only the records waiting hold a boxed time.)
   */
  requestedAt: number | null;
  /**
   * Which record it is: a number the BBS gives each ordinary record it makes, kept by its copies and
   * given back when one is promoted, so a holder of a group's ordinary record (the group, the same
   * object for all of them) tells by it whether that is still the record it took (see {@link recordNamed}).
   */
  readonly recordNo: number;
  /**
   * The group it belongs to all its life (as ordinary record, then perhaps as a copy), so a state
   * change reaches the group and the app's DesiredLRP without two lookups by guid in maps of a
   * quarter of a million entries.
   */
  readonly group: LRPGroup;
}

/**
 * The records of one (process guid, index): the ordinary one, and the copies Diego allows.
 *
 * The group holds its ordinary record's fields itself (its two times in the BBS's {@link GroupTimes},
 * where they are no objects of their own) and is that record (`ordinary` answers the
 * group while it has one): nearly every instance has an ordinary record and no copy, and one object
 * where there were two is about 48 bytes (the 250k drill's live heap, measured) and a pointer to
 * chase less per instance, on every BBS write.
 * So the ordinary record of a group is always the same object: when it is demoted (its cell drains
 * or vanishes) its fields are copied into a copy of their own and the group's are those of the next
 * ordinary record; when a copy is promoted back, its fields are copied into the group. A holder of
 * the ordinary record across such a change holds the new one; {@link ActualLRP.recordNo} tells them apart.
 *
 * The BBS makes its groups with {@link newGroup} (the same object, made where V8 can make it old at once).
 */
export class LRPGroup implements ActualLRP {
  /** The last convergence pass that picked it for a visit (so a pass picks it once). */
  pass = -1;
  /**
   * The auctioneer queue generation it was last asked for in (see BBSClient): while it is the current
   * one, the request is still queued and asking again adds nothing (Diego's batch dedupes it anyway).
   */
  queued = -1;
  /**
   * Whether the BBS's observer follows this index (a fault's displaced instance of it has not run
   * again: see FaultRecoveryTracker, which sets and clears it). The observer looks nothing up for a
   * group that is not followed: it is told of every claim, start and crash in the run, and a lookup
   * by guid for each was a cache miss in a table of every displaced app at ten times Diego's scale.
   */
  followed = false;
  /** @internal Its place in the BBS's watch list (BBS.watch, a WatchList), or -1 while it is not watched. */
  watchAt = -1;
  /**
   * When the converger set the group aside until (see BBS.resting), while it rests; null when it does
   * not. A rest entry whose time is not this one is outdated and is passed over when it comes up.
   * (null, not -1: a field that holds a time with a fraction is kept as a boxed double by V8, in
   * every group if any group's is one, where a field that also holds null boxes only the times set.)
   */
  wakeAt: number | null = null;
  /** The running copy on a draining cell. */
  evacuating: ActualLRP | null = null;
  /** The copy on a cell that vanished. */
  suspect: ActualLRP | null = null;
  /** {@inheritDoc ActualLRP.recordNo} (-1 before its first record.) */
  recordNo = -1;
  /** Whether the group has an ordinary record now (its fields below are that record's). */
  hasOrdinary = false;
  /** Whether the BBS has let the group go (BBS.dropGroup): its app's map no longer holds it, for good. */
  dropped = false;
  // The ordinary record's fields (see ActualLRP), meaningful while hasOrdinary.
  /** {@inheritDoc ActualLRP.instanceGuid} */
  instanceGuid = '';
  /** {@inheritDoc ActualLRP.state} */
  state: LRPState = 'UNCLAIMED';
  /** {@inheritDoc ActualLRP.cell} */
  cell = '';
  /** {@inheritDoc ActualLRP.crashCount} */
  crashCount = 0;
  /** {@inheritDoc ActualLRP.placementError} */
  placementError = '';
  /** {@inheritDoc ActualLRP.requestedAt} */
  requestedAt: number | null = null;
  /** @internal The chunk its two times are in (see GroupTimes), and where in it. */
  readonly times: Float64Array;
  /** @internal */
  readonly timesAt: number;

  /** An empty group (no record yet) of `app`, entering the BBS at `seq`, its times kept in `times` (the BBS's store). */
  constructor(
    /** The app. */
    readonly processGuid: string,
    /** Instance index. */
    readonly index: number,
    /**
     * When the group entered the BBS (a number that only grows): groups of one app in this order are
     * in the order their app's map lists them, which is the order the converger visits them.
     */
    readonly seq: number,
    /** Its app's map, which it lives in all its life (apps are visited in the order of their `seq`). */
    readonly app: AppActuals,
    times: GroupTimes,
  ) {
    this.timesAt = times.take();
    this.times = times.current;
  }

  /** {@inheritDoc ActualLRP.since} */
  get since(): number {
    return this.times[this.timesAt] as number;
  }

  set since(t: number) {
    this.times[this.timesAt] = t;
  }

  /** {@inheritDoc ActualLRP.runningSince} */
  get runningSince(): number {
    return this.times[this.timesAt + 1] as number;
  }

  set runningSince(t: number) {
    this.times[this.timesAt + 1] = t;
  }

  /** The ordinary record: the group itself, while it has one (may be UNCLAIMED). */
  get ordinary(): ActualLRP | null {
    return this.hasOrdinary ? this : null;
  }

  /** A group's own record is the ordinary one. */
  get presence(): LRPPresence {
    return 'ORDINARY';
  }

  /** The group (its own record belongs to it). */
  get group(): LRPGroup {
    return this;
  }

  /**
   * Makes the group's ordinary record a new UNCLAIMED one at `now` with `crashCount` (over whatever
   * ordinary record it had, which the caller has demoted or removed), numbered `recordNo`.
   */
  makeOrdinary(now: number, crashCount: number, recordNo: number): void {
    this.hasOrdinary = true;
    this.recordNo = recordNo;
    this.instanceGuid = '';
    this.state = 'UNCLAIMED';
    this.cell = '';
    this.since = now;
    this.crashCount = crashCount;
    this.runningSince = 0;
    this.placementError = '';
    this.requestedAt = null;
  }

  /** A copy of the ordinary record as `presence` (the group's own fields are left as they are). */
  copyOrdinary(presence: LRPPresence): ActualLRP {
    return {
      processGuid: this.processGuid,
      index: this.index,
      instanceGuid: this.instanceGuid,
      state: this.state,
      presence,
      cell: this.cell,
      since: this.since,
      crashCount: this.crashCount,
      runningSince: this.runningSince,
      placementError: this.placementError,
      requestedAt: this.requestedAt,
      recordNo: this.recordNo,
      group: this,
    };
  }

  /** Makes a copy's fields the group's ordinary record (the copy is promoted back). */
  promote(copy: ActualLRP): void {
    this.hasOrdinary = true;
    this.recordNo = copy.recordNo;
    this.instanceGuid = copy.instanceGuid;
    this.state = copy.state;
    this.cell = copy.cell;
    this.since = copy.since;
    this.crashCount = copy.crashCount;
    this.runningSince = copy.runningSince;
    this.placementError = copy.placementError;
    this.requestedAt = copy.requestedAt;
  }

  /** The group no longer has an ordinary record (it was removed). */
  dropOrdinary(): void {
    this.hasOrdinary = false;
  }
}

/**
 * A new empty group, as `new LRPGroup(...)` makes it (the same fields, in the same order), made by
 * an object literal with LRPGroup's prototype, so V8 can allocate groups in the old generation at
 * once (as the executor's containers: see newContainer in ../container.ts): a group lives as long
 * as its index is desired, and a class's instances are always made young and copied once or twice
 * before they are promoted. The 250k hour's scavenges, on top of the containers' change, copied
 * 333-334 MiB where they had copied 364-382, and promoted 365-373 MiB where they had promoted
 * 405-420 (bench/RESULTS.md, #24 thirtieth step). The BBS makes its groups here, their times kept
 * in its store `times` (see {@link GroupTimes}).
 */
export function newGroup(processGuid: string, index: number, seq: number, app: AppActuals, times: GroupTimes): LRPGroup {
  const timesAt = times.take();
  // The constructor's parameter properties first, then the fields as their initialisers set them.
  return {
    __proto__: LRPGroup.prototype,
    processGuid,
    index,
    seq,
    app,
    pass: -1,
    queued: -1,
    followed: false,
    watchAt: -1,
    wakeAt: null,
    evacuating: null,
    suspect: null,
    recordNo: -1,
    hasOrdinary: false,
    dropped: false,
    instanceGuid: '',
    state: 'UNCLAIMED',
    cell: '',
    crashCount: 0,
    placementError: '',
    requestedAt: null,
    times: times.current,
    timesAt,
  } as unknown as LRPGroup;
}

/**
 * The record of `g` numbered `recordNo` (see {@link ActualLRP.recordNo}): its ordinary record, or its
 * EVACUATING or SUSPECT copy, whichever that record is now; null once the BBS no longer has it.
 */
export function recordNamed(g: LRPGroup, recordNo: number): ActualLRP | null {
  if (g.hasOrdinary && g.recordNo === recordNo) return g;
  if (g.evacuating !== null && g.evacuating.recordNo === recordNo) return g.evacuating;
  if (g.suspect !== null && g.suspect.recordNo === recordNo) return g.suspect;
  return null;
}

/**
 * One app's groups by index, in the order they entered (as a Map lists its entries), with when the
 * app entered the BBS and how many of its groups have an ordinary record.
 *
 * Most apps have one instance, so an app with one group holds it in two fields and only an app that
 * ever had two at once gets a Map: at 200,000 apps a Map each (its object and a hash table of 152
 * bytes) was a tenth of the simulator's live heap. It answers the part of a Map's interface the
 * simulator uses, with a Map's semantics, also for groups added or removed while it is iterated
 * (a convergence pass drops groups as it visits them).
 */
export class AppActuals {
  /** Groups with an ordinary record. */
  ordinaries = 0;
  /**
   * The app's DesiredLRP while this map is the BBS's map of the app (what `bbs.desired` holds for its
   * guid, kept in step by the BBS), so code holding a group reads it without a lookup by guid.
   */
  desired: DesiredLRP | undefined;
  /** Whether the BBS has let this map go (its last group dropped); its `desired` is no longer kept. */
  dropped = false;
  /** The app's number in the cells' placement index once its instances were auctioned (see {@link appNumberFor}). */
  appNo = NO_APP_NUMBER;
  // The only group and its index while the app never had two at once (undefined and -1: none).
  private one: LRPGroup | undefined = undefined;
  private oneIndex = -1;
  // Every group, once the app had two at once; kept from then on (an iteration may be reading it).
  private many: Map<number, LRPGroup> | undefined = undefined;

  /** An empty map for an app entering the BBS at `seq`, desired as `desired`. */
  constructor(
    readonly seq: number,
    desired: DesiredLRP | undefined,
  ) {
    this.desired = desired;
  }

  /** How many groups the app has. */
  get size(): number {
    if (this.many !== undefined) return this.many.size;
    return this.one === undefined ? 0 : 1;
  }

  /** The group at `index`, if any. */
  get(index: number): LRPGroup | undefined {
    if (this.many !== undefined) return this.many.get(index);
    return index === this.oneIndex ? this.one : undefined;
  }

  /** Whether there is a group at `index`. */
  has(index: number): boolean {
    return this.get(index) !== undefined;
  }

  /**
   * Puts a group at `index` (last in order unless the index was there). The BBS puts a group only
   * where there is none (BBS.group makes one when missing): a group put in place of another during a
   * walk would be reached by the walk, where a Map's walk would not reach it.
   */
  set(index: number, g: LRPGroup): this {
    if (this.many !== undefined) this.many.set(index, g);
    else if (this.one === undefined || this.oneIndex === index) {
      this.one = g;
      this.oneIndex = index;
    } else {
      this.many = new Map([
        [this.oneIndex, this.one],
        [index, g],
      ]);
      this.one = undefined;
      this.oneIndex = -1;
    }
    return this;
  }

  /** Removes the group at `index`; whether there was one. */
  delete(index: number): boolean {
    if (this.many !== undefined) return this.many.delete(index);
    if (this.one === undefined || this.oneIndex !== index) return false;
    this.one = undefined;
    this.oneIndex = -1;
    return true;
  }

  /**
   * Calls `fn` for each group in order. As with a Map, a group added during the walk is reached and
   * one removed before it is reached is not (a group removed is never put back: the BBS makes a new one).
   */
  forEach(fn: (g: LRPGroup, index: number, app: AppActuals) => void): void {
    if (this.many !== undefined) {
      this.many.forEach((g, index) => fn(g, index, this));
      return;
    }
    let seen: LRPGroup | undefined;
    let many: Map<number, LRPGroup> | undefined;
    while ((many = this.grown()) === undefined) {
      const g = this.one;
      if (g === undefined || g === seen) return;
      seen = g;
      fn(g, this.oneIndex, this);
    }
    // The app got a second group during the walk: the Map lists the one seen first, then the new ones.
    many.forEach((g, index) => {
      if (g !== seen) fn(g, index, this);
    });
  }

  /** The (index, group) entries in order, with {@link AppActuals.forEach}'s semantics. */
  *entries(): IterableIterator<[number, LRPGroup]> {
    if (this.many !== undefined) {
      yield* this.many;
      return;
    }
    let seen: LRPGroup | undefined;
    let many: Map<number, LRPGroup> | undefined;
    while ((many = this.grown()) === undefined) {
      const g = this.one;
      if (g === undefined || g === seen) return;
      seen = g;
      yield [this.oneIndex, g];
    }
    for (const e of many) if (e[1] !== seen) yield e;
  }

  // The Map of every group, if the app has one now: read through a call so TypeScript does not keep
  // `this.many` narrowed to undefined across a callback or a yield, which may have made it.
  private grown(): Map<number, LRPGroup> | undefined {
    return this.many;
  }

  /** The (index, group) entries in order. */
  [Symbol.iterator](): IterableIterator<[number, LRPGroup]> {
    return this.entries();
  }

  /** The groups in order. */
  *values(): IterableIterator<LRPGroup> {
    for (const e of this.entries()) yield e[1];
  }

  /** The indices in order. */
  *keys(): IterableIterator<number> {
    for (const e of this.entries()) yield e[0];
  }
}

/** A Task record. */
export interface TaskRecord extends WorkResources {
  /** Task guid. */
  guid: string;
  /** Diego state. */
  state: TaskState;
  /** Its cell while RUNNING. */
  cell: string;
  /** When created (ms). */
  createdAt: number;
  /** When its state last changed (ms). */
  updatedAt: number;
  /** When completed (ms). */
  completedAt: number;
  /** Whether it failed. */
  failed: boolean;
  /** Why it failed. */
  failureReason: string;
  /** Auctions that could not place it. */
  rejections: number;
  /** How many times it went RUNNING (Diego guarantees at most once). */
  starts: number;
  /** When it was first asked for (ms), or -1 once placed: the start of its wait. */
  requestedAt: number;
  /** Memory (MB). */
  memoryMB: number;
  /** Disk (MB). */
  diskMB: number;
  /** Root file system URL. */
  rootfs: string;
  /** Placement tags. */
  placementTags: string[];
  /** How long it runs (simulation only). */
  duration: Distribution;
}

/**
 * Whether a group can need the converger while nothing about its app or cells changes: no ordinary
 * record, a SUSPECT or EVACUATING copy, or an ordinary record UNCLAIMED or CRASHED. The BBS watches
 * every group that becomes one (BBS.watch) and lets go of one that stops being one when it is at
 * hand (a claim, a start); the converger lets go of the rest at its next pass.
 */
export function needsConvergerLook(g: LRPGroup): boolean {
  const o = g.ordinary;
  return o === null || g.suspect !== null || g.evacuating !== null || o.state === 'UNCLAIMED' || o.state === 'CRASHED';
}

/** Indices 0..n-1 with no ordinary record in an app's map (all of them without a map). */
export function missingIn(m: AppActuals | undefined, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (!m?.get(i)?.ordinary) out.push(i);
  return out;
}

/** How many of an app's groups below index `below` have a RUNNING ordinary record. */
export function countRunning(m: AppActuals, below: number): number {
  let n = 0;
  m.forEach((g, index) => {
    if (index < below && g.ordinary?.state === 'RUNNING') n++;
  });
  return n;
}

/**
 * Whether an ordinary record that is not running belongs to an instance crash-looping (Diego counts it
 * as crashed, not missing): CRASHED and waiting out its backoff, or restarted after a crash and not
 * turned down for room (a placement error means it waits for room, whatever it did before).
 */
export function isCrashLooping(rec: ActualLRP): boolean {
  return rec.state !== 'RUNNING' && (rec.state === 'CRASHED' || (rec.crashCount > 0 && rec.placementError === ''));
}

/**
 * The number of a request's app in `apps` (the cells' placement index's table), for the instances
 * an auction makes of it (see APP_NUMBER): `context` is the request's context, the BBS's map of the
 * app when the BBS client had it, which keeps the number once found, so an app is looked up by guid
 * once rather than once per request (a number it kept is checked against the table).
 */
export function appNumberFor(apps: AppNumbers, processGuid: string, context: unknown): number {
  if (!(context instanceof AppActuals)) return apps.no(processGuid);
  const n = apps.no(processGuid, context.appNo);
  context.appNo = n;
  return n;
}
