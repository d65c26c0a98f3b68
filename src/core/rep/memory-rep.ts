import { type ExtraRequest, filterError, filterStage, FilterStage, resourceProblems } from '../filters.js';
import { setLength } from '../scheduler/scratch.js';
import { giveExtraResources, takeExtraResources } from '../model/extra-resources.js';
import type { GpuAsk } from '../model/gpus.js';
import { insufficientResources } from '../errors.js';
import type { Auction } from '../model/auctions.js';
import type { CellState, LRP, Task } from '../model/cell-state.js';
import { rootFSProvidersFrozen } from '../model/rootfs.js';
import type { Work } from '../model/requests.js';
import type { Reply, Request } from '../protocol/messages.js';
import { AppNumbers, appNumberOf } from './app-numbers.js';
import type { PlacementIndex } from './placement-index.js';

/** Something that answers a cell's messages: an in-memory rep, a simulated one, an HTTP client. */
export interface RepHandler {
  /** The cell's id. */
  readonly cellId: string;
  /** Answers one request at once. */
  handle(req: Request): Reply;
}

/** The state an LRP or task is in right after a rep accepts it. */
export const STARTING_STATE = 'RESERVED';

/** The state of a container once its process runs. */
export const RUNNING_STATE = 'RUNNING';

/**
 * How long a 2014-style reservation holds a cell's resources unless it is claimed or released (the
 * simulator's and the real cell's holds lapse alike; assumed, Diego's 2014 bidding published no figure).
 */
export const RESERVATION_TTL_MS = 30_000;

/** Rep's reply text when work is addressed to another cell. */
export const ERR_CELL_ID_MISMATCH = 'cell id mismatch';

interface Hold {
  memoryMB: number;
  diskMB: number;
  auction: Auction;
  /** The GPU devices held (absent: none). */
  devices: number[] | undefined;
}

/**
 * A cell's handle on one LRP instance it lists, from {@link MemoryRep.perform}'s or
 * {@link MemoryRep.claim}'s `handles`: naming the instance by it finds it without a lookup by guid
 * (at Diego's scale a map by instance guid per cell was set, read and deleted several times per
 * instance placed, each a miss in a cold table: about a tenth of a simulated hour). Pass it back to
 * the cell that gave it; it names nothing once that cell no longer lists the instance, or once the
 * cell handed it over to another handle ({@link MemoryRep.rehandleLRP}). The handle also holds what
 * the host keeps with the instance ({@link MemoryRep.tagLRP}).
 */
export class LRPHandle {
  /** @internal The instance's position in its cell's list (-1: no longer listed). */
  at: number;
  /** @internal What the host keeps with the instance (see MemoryRep.tagLRP). */
  tag: unknown = undefined;
  /**
   * @internal The instance's app's number in its cell's table while the cell lists it (-1: none):
   * the number outlives no listing (a cell's own table gives a number back only once no instance of
   * the app is listed), so removing the instance needs no lookup by guid.
   */
  appNumber: number;

  /** @internal A handle on the instance at `at` in its cell's list, of the app numbered `appNumber`. */
  constructor(at: number, appNumber = -1) {
    this.at = at;
    this.appNumber = appNumber;
  }
}

// What work holds on a cell beyond memory and disk: its CPU and GPU ask, and the devices it got.
type Held = ExtraRequest & { GpuDevices?: number[] };

// A Perform's empty list of failed work, to fill.
function noneFailed(): Work {
  return { LRPs: [], Tasks: [], cell_id: '' };
}

// The reply of every Perform that started all it carried: one object, frozen (whoever reads a
// reply may not change it; a host adding failures of its own makes a new one).
const NOTHING_FAILED: Reply = Object.freeze({
  kind: 'perform',
  ok: true,
  failed: Object.freeze({ LRPs: Object.freeze([]) as unknown as LRP[], Tasks: Object.freeze([]) as unknown as Task[], cell_id: '' }),
});

function refuse(kind: Request['kind'], error: string): Reply {
  return { kind, ok: false, error, lost: false };
}

/**
 * A cell's rep held in memory: it owns a copy of a cell state and answers every message kind with
 * Diego's rules. `perform` follows Diego's rep: work for another cell is refused; an evacuating cell
 * fails all work; LRPs are taken largest first while their memory plus the proxy allocation fits,
 * tasks while they fit. `bid`, `reserve`, `release` and `claim` follow the 2014 bidding reps.
 */
export class MemoryRep implements RepHandler {
  /** The cell's id (its state's `cell_id`). */
  readonly cellId: string;
  private readonly s: CellState;
  // Indices of each app's instances listed on the cell, by app number (see apps), so no instance
  // starts twice here: the index itself for an app with one instance here (most of them: no array
  // each), else a list. Only a cell without a shared index keeps one (null otherwise): the shared
  // index counts each app's instances per cell, and the few apps with one here are found in the
  // cell's list. A hash table per cell was a cache miss at nearly every instance placed or removed
  // at ten times Diego's scale (12,500 tables of some 200 entries; bench/RESULTS.md).
  private readonly listed: Map<number, number | number[]> | null;
  // The apps' numbers: the shared index's (one lookup by guid per instance serves the cell and the
  // index), else the cell's own, whose numbers it gives back as apps leave (a real cell
  // lives for months and sees a new process guid at every push).
  private readonly apps: AppNumbers;
  private readonly ownApps: boolean;
  // Reservations held per app (2014 bidding), which count in bids but are not listed yet.
  private readonly heldPerApp = new Map<string, number>();
  private readonly holds = new Map<string, Hold>();
  private readonly taskGuids = new Set<string>();
  // Position of each LRP by instance guid: made at the cell's first lookup by guid, and kept from
  // then on (a host that names instances by their handles, as the simulator does, pays for it only
  // on the cells it asks by guid).
  private lrpAt: Map<string, number> | null = null;
  // Whether the map by guid has seen a guid listed twice (the real backend's /work accepts any guid
  // for a new process and index): then a removal looks for another instance with the guid.
  private sharedGuids = false;
  // Position of each task in the state's list, so the cell finds and removes one in O(1).
  private readonly taskAt = new Map<string, number>();
  // The handle of each LRP (with its tag: see tagLRP) and what the host keeps with each task, at
  // the same positions as the state's lists: a host needs no map of its own per cell to find its
  // record of an instance.
  private readonly lrpHandles: LRPHandle[] = [];
  private readonly taskTags: unknown[] = [];
  private readonly index: PlacementIndex | undefined;
  private readonly cellNo: number;
  // The `state` reply: the same live state every time, so one object serves every fetch.
  private readonly stateReply: Reply;

  /**
   * Takes a deep copy of `state` (but for its `RootFSProviders` when they are frozen throughout,
   * which cannot change and are kept as they are); the caller's object is never changed. Reps of
   * one cluster may share a `PlacementIndex` (an internal of `schedule()` and the simulator): each
   * keeps its own cell's entries there (and then no table of its apps of its own) and attaches it to
   * its state replies.
   */
  constructor(state: CellState, index?: PlacementIndex) {
    this.s = structuredClone(state);
    // The caller's id string itself, not the clone's copy of it: an auctioneer checks every state
    // it fetched against the id it asked (protocol-steps usableStates), and the same string object
    // compares without reading its characters (at ten times Diego's scale, 226 million checks an hour).
    this.s.cell_id = state.cell_id;
    // Providers that can never change (rootFSProvidersFrozen) are kept as they are, not copied: the
    // simulator gives every cell of a group one such object, which every claim's rootfs check then
    // reads (at ten times Diego's scale, 12,500 cells' own copies cost a cache miss or more a claim).
    if (rootFSProvidersFrozen(state.RootFSProviders)) this.s.RootFSProviders = state.RootFSProviders;
    this.cellId = state.cell_id;
    this.index = index;
    this.cellNo = index ? index.cellNo(this.cellId) : -1;
    this.apps = index ? index.apps : new AppNumbers();
    this.ownApps = index === undefined;
    this.listed = index ? null : new Map();
    // Frozen (the state it carries is the live one, not frozen): whoever is handed it can rely on its
    // fields, as a fetch reading the same replies again does (protocol-steps usableStates).
    this.stateReply = Object.freeze(index ? { kind: 'state', ok: true, state: this.s, index } : { kind: 'state', ok: true, state: this.s });
    this.s.LRPs.forEach((l, i) => {
      // (A clone carries no app number: structuredClone leaves symbol-keyed slots out.)
      const app = this.apps.no(l.process_guid);
      this.list(l, app); // also fills this cell's part of the shared index
      this.lrpHandles.push(new LRPHandle(i, app));
    });
    this.s.Tasks.forEach((t, i) => {
      this.taskGuids.add(t.TaskGuid);
      this.taskAt.set(t.TaskGuid, i);
      this.taskTags.push(undefined);
    });
  }

  /** The cell's current state. Read it, do not change it. */
  get state(): CellState {
    return this.s;
  }

  /** Answers any request kind at once. */
  handle(req: Request): Reply {
    switch (req.kind) {
      case 'state':
        return this.stateReply;
      case 'perform':
        return this.perform(req.work);
      case 'bid':
        return this.bid(req.auction);
      case 'reserve':
        return this.reserve(req.auction);
      case 'release':
        return this.release(req.auction);
      case 'claim':
        return this.claim(req.auction);
    }
  }

  /**
   * `POST /work`: starts what fits and replies with what did not. With `handles` (made as long as
   * `work.LRPs`, every entry written), entry `i` is the cell's handle on `work.LRPs[i]` when it
   * started here, else undefined (also when the work is refused or the cell drains): naming the
   * instance by it to {@link MemoryRep.lrp}, {@link MemoryRep.tagLRP},
   * {@link MemoryRep.markLRPRunning} or {@link MemoryRep.removeLRP} finds it without a lookup by guid.
   * The reply is only to be read: when nothing failed it is one frozen reply shared by every Perform.
   *
   * The rep keeps a copy of each LRP it starts, unless `adopt` is true: then it keeps an object
   * that was never a rep's record (its `state` empty, as `buildBatch` makes it, and not frozen) as
   * its own record (its `state` and `GpuDevices` are the rep's from then on), which saves a copy per
   * instance; any other it still copies, so a sender that hands the same object to a second cell (a
   * strategy retrying a Perform that got no answer) or passes on a record from a cell's state
   * changes no rep's record. A caller may adopt when nothing reads the objects it sends afterwards
   * but the fields a rep never changes (the simulator's cells; a rep behind a network gets its own
   * objects by parsing).
   */
  perform(work: Work, handles?: (LRPHandle | undefined)[], adopt = false): Reply {
    const lrps = work.LRPs;
    if (handles !== undefined) {
      setLength(handles, lrps.length);
      handles.fill(undefined);
    }
    if (work.cell_id !== '' && work.cell_id !== this.cellId) return refuse('perform', ERR_CELL_ID_MISMATCH);
    if (this.s.Evacuating) return { kind: 'perform', ok: true, failed: { LRPs: [...lrps], Tasks: [...work.Tasks], cell_id: '' } };
    // What failed, made only when something does: most Performs start all they carry, and their
    // replies wait for the whole commit's (a reply and an empty work per Perform were a twentieth of
    // what survived the young generation in a 250k hour).
    let failed: Work | null = null;
    // Largest first; equals in the order sent (the order a stable sort of the work keeps). Work
    // already in that order (a single LRP, the usual Perform of a batch spread over many cells, or
    // an index's instances placed largest first) is taken as sent, without the sort's arrays.
    const order = largestFirst(lrps) ? null : lrps.map((_, i) => i).sort((i, j) => (lrps[j] as LRP).MemoryMB - (lrps[i] as LRP).MemoryMB || i - j);
    for (let k = 0; k < lrps.length; k++) {
      const i = order === null ? k : (order[k] as number);
      if (!this.performLRP(lrps[i] as LRP, i, handles, adopt)) (failed ??= noneFailed()).LRPs.push(lrps[i] as LRP);
    }
    for (const task of work.Tasks) {
      if (this.taskGuids.has(task.TaskGuid) || !this.fits(task.MemoryMB, task.DiskMB, task)) (failed ??= noneFailed()).Tasks.push(task);
      else this.startTask(task);
    }
    return failed === null ? NOTHING_FAILED : { kind: 'perform', ok: true, failed };
  }

  // Perform's rule for one LRP, `work.LRPs[i]`: started (true) if it fits and the cell lists no
  // instance of its app at its index, else failed.
  private performLRP(lrp: LRP, i: number, handles: (LRPHandle | undefined)[] | undefined, adopt: boolean): boolean {
    // The app's number if it has one (asked once: a rep with its own table looks the guid up), and
    // numbered only once it starts here: work turned down leaves no number behind.
    const hint = appNumberOf(lrp);
    const app = this.apps.find(lrp.process_guid, hint);
    if ((app !== undefined && this.hasIndex(app, lrp.index)) || !this.fits(lrp.MemoryMB + this.s.ProxyMemoryAllocationMB, lrp.DiskMB, lrp)) return false;
    const handle = this.startLRP(lrp, app ?? this.apps.no(lrp.process_guid, hint), adopt);
    if (handles !== undefined) handles[i] = handle;
    return true;
  }

  /**
   * The 2014 rep bid, lower is better: the mean used fraction of memory, disk and containers, plus
   * the number of instances of the same app already here. Refused if the work cannot run here.
   */
  bid(auction: Auction): Reply {
    const why = this.cannotTake(auction);
    if (why !== null) return refuse('bid', why);
    const a = this.s.AvailableResources;
    const t = this.s.TotalResources;
    const used = (1 - a.MemoryMB / t.MemoryMB + (1 - a.DiskMB / t.DiskMB) + (1 - a.Containers / t.Containers)) / 3;
    const p = auction.kind === 'lrp' ? auction.lrp.process_guid : '';
    const same = auction.kind === 'lrp' ? listedCount(this.listedOf(p)) + (this.heldPerApp.get(p) ?? 0) : 0;
    return { kind: 'bid', ok: true, bid: used + same };
  }

  /** Holds the resources for one auction until it is claimed or released. */
  reserve(auction: Auction): Reply {
    if (this.holds.has(holdKey(auction))) return refuse('reserve', `already reserved: ${auction.id}`);
    const why = this.cannotTake(auction);
    if (why !== null) return refuse('reserve', why);
    // The recast bid: what the rep bids for the work before holding it (ReserveAndRecastVote).
    const recast = this.bid(auction);
    const { memoryMB, diskMB } = this.need(auction);
    const devices = this.take(memoryMB, diskMB, workOf(auction));
    if (auction.kind === 'lrp') this.hold(auction.lrp.process_guid, 1);
    this.holds.set(holdKey(auction), { memoryMB, diskMB, auction, devices });
    return recast.ok && recast.kind === 'bid' ? { kind: 'reserve', ok: true, bid: recast.bid } : { kind: 'reserve', ok: true };
  }

  /** Gives back a reservation. Releasing what is not held is a no-op, so a retried release is safe. */
  release(auction: Auction): Reply {
    const h = this.holds.get(holdKey(auction));
    if (h) {
      this.holds.delete(holdKey(auction));
      this.give(h.memoryMB, h.diskMB, h.devices !== undefined ? { ...workOf(auction), GpuDevices: h.devices } : workOf(auction));
      if (auction.kind === 'lrp') this.hold(auction.lrp.process_guid, -1);
    }
    return { kind: 'release', ok: true };
  }

  /**
   * Starts the container for a held reservation. With `handles`, its only entry is set to the cell's
   * handle on a claimed LRP (else undefined), as {@link MemoryRep.perform}'s.
   */
  claim(auction: Auction, handles?: (LRPHandle | undefined)[]): Reply {
    if (handles !== undefined) handles.splice(0, handles.length, undefined);
    const h = this.holds.get(holdKey(auction));
    if (!h) return refuse('claim', `no reservation for ${auction.id}`);
    this.holds.delete(holdKey(auction));
    // The resources and the bid count were taken at reserve time; now the instance is listed.
    if (auction.kind === 'lrp') {
      this.hold(auction.lrp.process_guid, -1);
      const handle = this.addLRP(withDevices({ ...auction.lrp, state: STARTING_STATE }, h.devices), this.apps.no(auction.lrp.process_guid, appNumberOf(auction.lrp)));
      if (handles !== undefined) handles[0] = handle;
    } else {
      this.addTask(withDevices({ ...auction.task, state: STARTING_STATE }, h.devices));
    }
    return { kind: 'claim', ok: true };
  }

  /** How many instances of an app the cell lists with an index of `from` or more. */
  countFrom(processGuid: string, from: number): number {
    const indices = this.listedOf(processGuid);
    if (indices === undefined) return 0;
    if (typeof indices === 'number') return indices >= from ? 1 : 0;
    let n = 0;
    for (const i of indices) if (i >= from) n++;
    return n;
  }

  /**
   * The LRP instance on the cell named by `instance`, if any: its instance guid (a guid listed more
   * than once names one of them), or the cell's {@link LRPHandle} on it (found without a lookup).
   */
  lrp(instance: string | LRPHandle): LRP | undefined {
    const at = this.lrpPosition(instance);
    return at < 0 ? undefined : this.s.LRPs[at];
  }

  /**
   * Keeps `tag` with an LRP instance on the cell until the instance is removed (a host's record of
   * it: the simulator keeps its container here). False, and nothing kept, if the cell holds no such
   * instance. `instance` as for {@link MemoryRep.lrp}.
   */
  tagLRP(instance: string | LRPHandle, tag: unknown): boolean {
    const at = this.lrpPosition(instance);
    if (at < 0) return false;
    (this.lrpHandles[at] as LRPHandle).tag = tag;
    return true;
  }

  /**
   * Hands the cell's handle on an LRP instance over to `successor`, a host's own object made for the
   * instance (of a class extending {@link LRPHandle}, naming nothing yet): the cell names the instance
   * by it from now on, with the tag kept, and `instance` names nothing. So a host's record of the
   * instance can be the handle, one object where a record and a handle were two. False, and nothing
   * changes, if `instance` names nothing here or `successor` already names something.
   */
  rehandleLRP(instance: LRPHandle, successor: LRPHandle): boolean {
    const at = this.lrpPosition(instance);
    if (at < 0 || successor.at >= 0) return false;
    successor.at = at;
    successor.tag = instance.tag;
    successor.appNumber = instance.appNumber;
    this.lrpHandles[at] = successor;
    instance.at = -1;
    instance.tag = undefined;
    return true;
  }

  /** What {@link MemoryRep.tagLRP} kept with an instance on the cell (undefined: none, or no such instance). */
  lrpTag(instance: string | LRPHandle): unknown {
    const at = this.lrpPosition(instance);
    return at < 0 ? undefined : (this.lrpHandles[at] as LRPHandle).tag;
  }

  /** {@link MemoryRep.tagLRP} for a task on the cell. */
  tagTask(taskGuid: string, tag: unknown): boolean {
    const at = this.taskAt.get(taskGuid);
    if (at === undefined) return false;
    this.taskTags[at] = tag;
    return true;
  }

  /** What {@link MemoryRep.tagTask} kept with a task on the cell. */
  taskTag(taskGuid: string): unknown {
    const at = this.taskAt.get(taskGuid);
    return at === undefined ? undefined : this.taskTags[at];
  }

  /** Calls `fn` with every tag kept, the LRPs' then the tasks' (in no meaningful order). */
  forEachTag(fn: (tag: unknown) => void): void {
    for (const h of this.lrpHandles) if (h.tag !== undefined) fn(h.tag);
    for (const t of this.taskTags) if (t !== undefined) fn(t);
  }

  /** Forgets every tag (the host let go of its records: the machine died), keeping the work listed. */
  clearTags(): void {
    for (const h of this.lrpHandles) h.tag = undefined;
    this.taskTags.fill(undefined);
  }

  /**
   * Marks a starting LRP as running: its container no longer counts as starting. Returns false if
   * the cell holds no such instance or it was already running. `instance` as for {@link MemoryRep.lrp}.
   */
  markLRPRunning(instance: string | LRPHandle): boolean {
    const at = this.lrpPosition(instance);
    const lrp = at < 0 ? undefined : this.s.LRPs[at];
    if (!lrp || lrp.state === RUNNING_STATE) return false;
    lrp.state = RUNNING_STATE;
    this.s.StartingContainerCount -= 1;
    this.changed();
    return true;
  }

  /** Marks a starting task as running. Returns false if there is no such starting task. */
  markTaskRunning(taskGuid: string): boolean {
    const at = this.taskAt.get(taskGuid);
    const task = at === undefined ? undefined : this.s.Tasks[at];
    if (!task || task.state === RUNNING_STATE) return false;
    task.state = RUNNING_STATE;
    this.s.StartingContainerCount -= 1;
    this.changed();
    return true;
  }

  /**
   * Destroys an LRP's container (stopped, crashed or given up) and frees its resources. Returns the
   * instance, or `undefined` if the cell holds no such instance. `instance` as for {@link MemoryRep.lrp}.
   */
  removeLRP(instance: string | LRPHandle): LRP | undefined {
    const at = this.lrpPosition(instance);
    if (at < 0) return undefined;
    // Listed, so numbered: its handle carries the number (read before the drop, which ends the handle).
    const app = (this.lrpHandles[at] as LRPHandle).appNumber;
    const lrp = this.dropLRP(at);
    this.give(lrp.MemoryMB + this.s.ProxyMemoryAllocationMB, lrp.DiskMB, lrp, lrp.state !== RUNNING_STATE);
    const listed = this.listed;
    if (listed !== null) {
      const indices = listed.get(app);
      if (typeof indices === 'number') {
        if (indices === lrp.index) this.unlist(app);
      } else if (indices !== undefined) {
        const at = indices.indexOf(lrp.index);
        if (at >= 0) indices.splice(at, 1);
        if (indices.length === 1) listed.set(app, indices[0] as number);
        else if (indices.length === 0) this.unlist(app);
      }
    }
    this.index?.addByNumbers(app, this.cellNo, -1);
    return lrp;
  }

  /** Destroys a task's container and frees its resources. Returns the task, or `undefined`. */
  removeTask(taskGuid: string): Task | undefined {
    const at = this.taskAt.get(taskGuid);
    if (at === undefined) return undefined;
    const task = swapRemove(this.s.Tasks, this.taskTags, at, this.taskAt, (t) => t.TaskGuid);
    this.give(task.MemoryMB, task.DiskMB, task, task.state !== RUNNING_STATE);
    this.taskGuids.delete(taskGuid);
    return task;
  }

  /**
   * Removes every LRP and task, first to last as listed, freeing their resources (the machine came
   * back empty): a shared index no longer counts them here. Reservations (2014 bidding) are kept:
   * they lapse or are released as ever.
   */
  clear(): void {
    for (const h of [...this.lrpHandles]) this.removeLRP(h);
    for (const t of [...this.s.Tasks]) this.removeTask(t.TaskGuid);
  }

  /** Starts or stops draining: an evacuating cell reports it and turns all new work down. */
  setEvacuating(evacuating: boolean): void {
    this.s.Evacuating = evacuating;
    // Told to the shared index, so a fetch does not take last fetch's usable states for granted.
    this.index?.evacuationChanged();
  }

  // Where an instance is in the state's list (-1: not listed): by its handle, else by guid.
  private lrpPosition(instance: string | LRPHandle): number {
    if (typeof instance !== 'string') {
      const at = instance.at;
      // Another cell's handle names nothing here.
      return at >= 0 && this.lrpHandles[at] === instance ? at : -1;
    }
    return this.byGuid().get(instance) ?? -1;
  }

  // The positions by instance guid, made now if no lookup by guid asked before.
  private byGuid(): Map<string, number> {
    if (this.lrpAt === null) {
      const m = new Map<string, number>();
      // (An instance guid listed twice: the later one answers until one of them goes.)
      this.s.LRPs.forEach((l, i) => {
        if (m.has(l.instance_guid)) this.sharedGuids = true;
        m.set(l.instance_guid, i);
      });
      this.lrpAt = m;
    }
    return this.lrpAt;
  }

  // Removes the LRP at `at` from the state's list by moving the last one into its place (order is
  // not meaningful in a cell's lists), keeping the handles (and so the tags) and the guid map right.
  private dropLRP(at: number): LRP {
    const list = this.s.LRPs;
    const handles = this.lrpHandles;
    const item = list[at] as LRP;
    const handle = handles[at] as LRPHandle;
    const last = list.pop() as LRP;
    const lastHandle = handles.pop() as LRPHandle;
    // The removed instance's handle names nothing from now on, and keeps nothing alive.
    handle.at = -1;
    handle.tag = undefined;
    const m = this.lrpAt;
    if (m !== null && m.get(item.instance_guid) === at) m.delete(item.instance_guid);
    if (at < list.length) {
      list[at] = last;
      handles[at] = lastHandle;
      lastHandle.at = at;
      if (m !== null && m.get(last.instance_guid) === list.length) m.set(last.instance_guid, at);
    }
    if (m !== null && this.sharedGuids && !m.has(item.instance_guid)) {
      // Another instance listed with the removed one's guid (perhaps the one just moved) answers to
      // it from now on.
      const other = list.findIndex((l) => l.instance_guid === item.instance_guid);
      if (other >= 0) m.set(item.instance_guid, other);
    }
    return item;
  }

  private cannotTake(auction: Auction): string | null {
    const pc = auction.kind === 'lrp' ? auction.lrp : auction.task;
    if (this.s.Evacuating) return 'cell is evacuating';
    const stage = filterStage(this.s, pc);
    if (stage !== FilterStage.Passed) return filterError(stage, pc);
    if (auction.kind === 'lrp' && this.hasInstance(auction.lrp)) return `already running ${auction.id}`;
    const { memoryMB, diskMB } = this.need(auction);
    const p = resourceProblems(this.s.AvailableResources, memoryMB, diskMB, workOf(auction));
    return p === 0 ? null : insufficientResources(p);
  }

  private need(auction: Auction): { memoryMB: number; diskMB: number } {
    return auction.kind === 'lrp'
      ? { memoryMB: auction.lrp.MemoryMB + this.s.ProxyMemoryAllocationMB, diskMB: auction.lrp.DiskMB }
      : { memoryMB: auction.task.MemoryMB, diskMB: auction.task.DiskMB };
  }

  private hasInstance(lrp: LRP): boolean {
    const app = this.apps.find(lrp.process_guid, appNumberOf(lrp));
    return app !== undefined && this.hasIndex(app, lrp.index);
  }

  // The cell lists no instance of the app (by number) any more: its own table gives the number back.
  private unlist(app: number): void {
    this.listed?.delete(app);
    if (this.ownApps) this.apps.release(app);
  }

  // Whether the cell lists an instance of the app (by number) at this index.
  private hasIndex(app: number, index: number): boolean {
    const indices = this.indicesOf(app);
    return typeof indices === 'number' ? indices === index : indices !== undefined && indices.includes(index);
  }

  // The cell's entry of an app (by guid), without numbering an app it has never seen.
  private listedOf(processGuid: string): number | number[] | undefined {
    const app = this.apps.find(processGuid);
    return app === undefined ? undefined : this.indicesOf(app);
  }

  // The indices of the app's instances (by number) the cell lists, as the cell's `listed` keeps them;
  // with a shared index, read off the cell's list when the index counts any here (in no particular
  // order: callers count them or look for one). The count alone would not do: two reps of one cell
  // id sharing an index (a caller's mistake, but not refused everywhere) share its counts, and each
  // rep answers for its own list. Reading the list happens only for an app with an instance here.
  private indicesOf(app: number): number | number[] | undefined {
    if (this.listed !== null) return this.listed.get(app);
    if ((this.index as PlacementIndex).countByNumbers(app, this.cellNo) === 0) return undefined;
    const guid = this.apps.guid(app);
    const found: number[] = [];
    for (const l of this.s.LRPs) if (l.process_guid === guid) found.push(l.index);
    return found.length === 1 ? found[0] : found;
  }

  private fits(memoryMB: number, diskMB: number, extra: ExtraRequest): boolean {
    return resourceProblems(this.s.AvailableResources, memoryMB, diskMB, extra) === 0;
  }

  // Takes what the work needs (it fits); returns the GPU devices it got, if it asked for any.
  private take(memoryMB: number, diskMB: number, extra: Held): number[] | undefined {
    const a = this.s.AvailableResources;
    a.MemoryMB -= memoryMB;
    a.DiskMB -= diskMB;
    a.Containers -= 1;
    const devices = takeExtraResources(a, extra, (free, ask) => namedDevices(free, extra, ask));
    this.s.StartingContainerCount += 1;
    this.changed();
    return devices;
  }

  private give(memoryMB: number, diskMB: number, held: Held, wasStarting = true): void {
    const a = this.s.AvailableResources;
    a.MemoryMB += memoryMB;
    a.DiskMB += diskMB;
    a.Containers += 1;
    giveExtraResources(a, held);
    if (wasStarting) this.s.StartingContainerCount -= 1;
    this.changed();
  }

  // Every change of the cell's figures is noted in the shared index (see PlacementIndex.changedAt).
  private changed(): void {
    this.index?.changedAt(this.cellNo);
  }

  // Starts an instance of the app numbered `app`; returns the cell's handle on it.
  // (`adopt`: the object handed over becomes the record, see perform.)
  private startLRP(lrp: LRP, app: number, adopt: boolean): LRPHandle {
    const devices = this.take(lrp.MemoryMB + this.s.ProxyMemoryAllocationMB, lrp.DiskMB, lrp);
    // A record (this rep's or another's, which sets a state) or a frozen object is copied even so.
    if (!adopt || lrp.state !== '' || Object.isFrozen(lrp)) return this.addLRP(withDevices({ ...lrp, state: STARTING_STATE }, devices), app);
    // As the copy would be: the same fields in the same order (a state it lacked comes last).
    lrp.state = STARTING_STATE;
    return this.addLRP(withDevices(lrp, devices), app);
  }

  // Lists an instance (the cell's own record, made by the caller) of the app numbered `app`; returns
  // the cell's handle on it.
  private addLRP(lrp: LRP, app: number): LRPHandle {
    const at = this.s.LRPs.length;
    const m = this.lrpAt;
    if (m !== null) {
      if (m.has(lrp.instance_guid)) this.sharedGuids = true;
      m.set(lrp.instance_guid, at);
    }
    this.s.LRPs.push(lrp);
    const handle = new LRPHandle(at, app);
    this.lrpHandles.push(handle);
    this.list(lrp, app);
    return handle;
  }

  private addTask(task: Task): void {
    this.taskAt.set(task.TaskGuid, this.s.Tasks.length);
    this.s.Tasks.push(task);
    this.taskTags.push(undefined);
    this.taskGuids.add(task.TaskGuid);
    // The task count is one of the figures a snapshot reads.
    this.changed();
  }

  private startTask(task: Task): void {
    const devices = this.take(task.MemoryMB, task.DiskMB, task);
    this.addTask(withDevices({ ...task, state: STARTING_STATE }, devices));
  }

  // Records an instance (of the app numbered `app`) now in the state's LRP list, here and in the shared index.
  private list(lrp: LRP, app: number): void {
    const listed = this.listed;
    if (listed !== null) {
      const indices = listed.get(app);
      if (indices === undefined) listed.set(app, lrp.index);
      else if (typeof indices === 'number') listed.set(app, [indices, lrp.index]);
      else indices.push(lrp.index);
    }
    this.index?.addByNumbers(app, this.cellNo, 1);
  }

  private hold(processGuid: string, delta: number): void {
    const n = (this.heldPerApp.get(processGuid) ?? 0) + delta;
    if (n === 0) this.heldPerApp.delete(processGuid);
    else this.heldPerApp.set(processGuid, n);
  }
}

// The devices the auctioneer named for the work, when they are this cell's, distinct, as many as
// asked and each still has the share free; else null (the cell then picks by its own rule).
function namedDevices(free: readonly number[], work: Held, ask: GpuAsk): number[] | null {
  const named = work.GpuDevices;
  if (named === undefined || named.length !== ask.count) return null;
  for (let k = 0; k < named.length; k++) {
    const d = named[k] as number;
    if (!Number.isInteger(d) || d < 0 || d >= free.length || (free[d] as number) < ask.milli || named.indexOf(d) !== k) return null;
  }
  return [...named];
}

// How many instances of an app a cell lists, from its entry of indices (see MemoryRep's indicesOf).
function listedCount(indices: number | number[] | undefined): number {
  return indices === undefined ? 0 : typeof indices === 'number' ? 1 : indices.length;
}

function workOf(auction: Auction): LRP | Task {
  return auction.kind === 'lrp' ? auction.lrp : auction.task;
}

// The work as the cell keeps it: with the GPU devices it holds here (a copy made by the caller),
// and without any devices it was sent with (another cell's numbers mean nothing here).
function withDevices<T extends Held>(work: T, devices: number[] | undefined): T {
  if (devices !== undefined) work.GpuDevices = devices;
  else if (work.GpuDevices !== undefined) delete work.GpuDevices;
  return work;
}

// Whether each LRP asks for no more memory than the one before (false if any figure is NaN, which
// only the sort orders as it does).
function largestFirst(lrps: readonly LRP[]): boolean {
  for (let i = 1; i < lrps.length; i++) if (!((lrps[i] as LRP).MemoryMB <= (lrps[i - 1] as LRP).MemoryMB)) return false;
  return true;
}

// A reservation belongs to one attempt: an LRP instance guid is new for every auction of an index,
// so a lapsed attempt's hold never blocks the next one.
function holdKey(auction: Auction): string {
  return auction.kind === 'lrp' ? `i:${auction.lrp.instance_guid}` : `t:${auction.task.TaskGuid}`;
}

// Removes list[at] by moving the last element into its place (order is not meaningful in a cell's
// lists), keeping the position map and the tags beside the list right (the tasks': see dropLRP).
function swapRemove<T>(list: T[], tags: unknown[], at: number, positions: Map<string, number>, key: (x: T) => string): T {
  const item = list[at] as T;
  const last = list.pop() as T;
  const lastTag = tags.pop();
  positions.delete(key(item));
  if (at < list.length) {
    list[at] = last;
    tags[at] = lastTag;
    positions.set(key(last), at);
  }
  return item;
}
