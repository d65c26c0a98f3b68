import { ERR_TASK_CANCELLED } from '../core/convergence/states.js';
import type { Auction, LRPAuction } from '../core/model/auctions.js';
import type { CellState, LRP } from '../core/model/cell-state.js';
import { emptyCellState } from '../core/model/empty-cell.js';
import type { LRPStartRequest, TaskStartRequest } from '../core/model/requests.js';
import { PlacementIndex } from '../core/rep/placement-index.js';
import type { AuctionOutcome, Strategy, StrategySettings } from '../core/strategy.js';
import type { CellGroup, Scenario } from '../scenario/types.js';
import { AuctioneerLock, type AuctioneerWorld, requestContext, SimAuctioneer } from './actors/auctioneer.js';
import { BBS, type ActualLRP, type AppActuals, type DesiredLRP, type LRPGroup } from './actors/bbs.js';
import { SimCell } from './actors/cell.js';
import { convergencePass } from './actors/converger.js';
import { SimExecutor, type Container, type TaskHook } from './executor.js';
import { FaultInjector, type Fault } from './faults.js';
import { Kernel } from './kernel/kernel.js';
import { Network } from './network.js';
import { RouteTable } from './routes.js';
import type { Endpoint } from './network.js';


/** Counters the run keeps as it goes; the summary reads them at the end. */
export interface RunCounters {
  /** Auction batches. */
  auctions: number;
  /** Auctions placed. */
  placed: number;
  /** Auctions failed. */
  failed: number;
  /** Placements never confirmed by the cell. */
  unconfirmed: number;
  /** Failures by reason. */
  failuresByReason: Map<string, number>;
  /** Waits from request to placement (ms). */
  waitTimesMs: number[];
  /** Crashes. */
  crashes: number;
  /** Instances stopped by evacuation. */
  evictions: number;
  /** Round trips on auctions' critical paths. */
  rounds: number;
  /** Cells scored or asked to bid. */
  cellsScored: number;
  /** LRP auctions placed (Diego's AuctioneerLRPAuctionsStarted). */
  lrpAuctionsStarted: number;
  /** LRP auctions failed (AuctioneerLRPAuctionsFailed). */
  lrpAuctionsFailed: number;
  /** Task auctions placed (AuctioneerTaskAuctionsStarted). */
  taskAuctionsStarted: number;
  /** Task auctions failed (AuctioneerTaskAuctionsFailed). */
  taskAuctionsFailed: number;
  /** How long the latest fetch of the cells' states took (ms of simulated time; AuctioneerFetchStatesDuration). */
  fetchStatesDurationMs: number;
  /** Convergence passes run (ConvergenceLRPRuns). */
  convergenceRuns: number;
}



/** Builds the cells' initial states from the scenario's cell groups. */
export function initialCells(groups: readonly CellGroup[]): CellState[] {
  const out: CellState[] = [];
  let cellIndex = 0;
  for (const g of groups) {
    const width = String(g.count - 1).length;
    for (let i = 0; i < g.count; i++) {
      out.push(
        emptyCellState({
          cell_id: `${g.prefix}-${String(i).padStart(Math.max(width, 2), '0')}`,
          cell_index: cellIndex++,
          zone: g.zones[i % g.zones.length] as string,
          memoryMB: g.memoryMB,
          diskMB: g.diskMB,
          containers: g.containers,
          stacks: g.stacks,
          docker: g.docker,
          placementTags: g.placementTags,
          optionalPlacementTags: g.optionalPlacementTags,
          volumeDrivers: g.volumeDrivers,
          proxyMemoryMB: g.proxyMemoryMB,
        }),
      );
    }
  }
  return out;
}

/**
 * Diego in a box: the kernel, the network, the BBS, the cells, the auctioneers and the converger,
 * wired together for one scenario. Cells and auctioneers talk over the simulated network; cells and
 * the converger reach the BBS directly (that path is not the subject of the study).
 */
export class World implements AuctioneerWorld {
  readonly kernel: Kernel;
  readonly network: Network;
  readonly lock = new AuctioneerLock();
  readonly bbs: BBS;
  readonly cells: SimCell[] = [];
  readonly cellById = new Map<string, SimCell>();
  readonly auctioneers: SimAuctioneer[] = [];
  readonly counters: RunCounters = {
    auctions: 0,
    placed: 0,
    failed: 0,
    unconfirmed: 0,
    failuresByReason: new Map(),
    waitTimesMs: [],
    crashes: 0,
    evictions: 0,
    rounds: 0,
    cellsScored: 0,
    lrpAuctionsStarted: 0,
    lrpAuctionsFailed: 0,
    taskAuctionsStarted: 0,
    taskAuctionsFailed: 0,
    fetchStatesDurationMs: 0,
    convergenceRuns: 0,
  };
  /** Faults injected so far, with when the system was whole again. */
  /** The containers of every cell and their life. */
  readonly executor: SimExecutor;
  /** Kills, partitions, evacuations and their accounting. */
  readonly faultInjector: FaultInjector;
  private readonly index = new PlacementIndex();
  /** Routable instances per process guid (running, health check passed, on a live cell). */
  get routable(): ReadonlyMap<string, number> {
    return this.routes.byGuid;
  }
  /** Routable instances per scenario app (the route emitter's table) and their lows. */
  readonly routes: RouteTable;
  // Start requests gathered within one instant, flushed to the active auctioneer together.
  // `lookUp`: some index was asked for without its record, so the flush starts its wait.
  private outLRPs = new Map<string, { indices: number[]; app: AppActuals | undefined; lookUp: boolean }>();
  private outTasks: string[] = [];
  private flushScheduled = false;
  private convergeScheduled = false;
  // Every pass reads every record (as Diego's does) instead of the watched ones; for tests.
  private readonly fullConvergence: boolean;
  // A cell vanished since the last pass: the next one reads every record.
  private cellVanished = false;
  private readonly h: Record<'flush' | 'converge' | 'tick', number>;

  /** Builds the world for a scenario with a resolved strategy. */
  constructor(
    readonly scenario: Scenario,
    strategy: Strategy,
    settings: StrategySettings,
    opts: { shuffleTies?: boolean; log?: (line: string) => void; fullConvergence?: boolean } = {},
  ) {
    this.fullConvergence = opts.fullConvergence === true;
    this.kernel = new Kernel({ seed: scenario.seed, ...(opts.shuffleTies ? { shuffleTies: true } : {}), ...(opts.log ? { log: opts.log } : {}) });
    const k = this.kernel;
    this.network = new Network(k, scenario.network, k.stream('network'));
    this.bbs = new BBS(() => k.now);
    this.routes = new RouteTable(new Set(scenario.apps.map((a) => a.name)));
    this.executor = new SimExecutor(this);
    this.faultInjector = new FaultInjector(this);
    const hooks = {
      lrpAccepted: (c: SimCell, g: string, sent: LRP) => this.executor.lrpAccepted(c, g, sent),
      taskAccepted: (c: SimCell, g: string) => this.executor.taskAccepted(c, g),
      reserved: (c: SimCell, a: Auction) => this.executor.reserved(c, a),
    };
    for (const state of initialCells(scenario.cells)) {
      const cell = new SimCell(state, this.index, hooks);
      this.cells.push(cell);
      this.cellById.set(cell.id, cell);
    }
    this.h = {
      flush: k.register('bbs.request-auctions', () => this.flush()),
      converge: k.register('converger.pass', () => this.converge()),
      tick: k.register('converger.tick', () => this.convergeTick()),
    };
    for (let i = 0; i < scenario.auctioneers; i++) {
      const id = `auctioneer-${i}`;
      this.auctioneers.push(new SimAuctioneer(id, this, strategy, settings, k.stream(id), scenario.lockTtlMs, scenario.lockRetryMs));
    }
    k.at(scenario.convergence.intervalMs, this.h.tick);
  }

  // ---- what the auctioneers need -------------------------------------------------------------

  /** Cells whose presence the BBS sees, by id. */
  presentCells(): readonly string[] {
    // The same list auction after auction until a cell's presence changes: made once per change.
    let ids = this.presentIds;
    if (ids === null) {
      ids = Object.freeze(this.cells.filter((c) => c.present).map((c) => c.id));
      this.presentIds = ids;
    }
    return ids;
  }
  private presentIds: readonly string[] | null = null;

  /** A cell as a network endpoint. */
  endpoint(id: string): Endpoint | undefined {
    return this.cellById.get(id);
  }

  /** The auctioneer holding a live lease, if any. */
  activeAuctioneer(): SimAuctioneer | undefined {
    return this.auctioneers.find((a) => a.active);
  }

  /** Reports an auction's outcome to the BBS, as Diego's auctioneer does. */
  auctionFinished(outcome: AuctionOutcome, rounds: number): void {
    const c = this.counters;
    const now = this.kernel.now;
    c.auctions++;
    c.rounds += rounds;
    c.cellsScored += outcome.cellsScored;
    // Indexed loops: a converger pass's batch ends tens of thousands of auctions at once.
    const placed = outcome.placed;
    for (let k = 0; k < placed.length; k++) {
      const p = placed[k] as AuctionOutcome['placed'][number];
      c.placed++;
      if (p.auction.kind === 'lrp') c.lrpAuctionsStarted++;
      else c.taskAuctionsStarted++;
      if (!p.confirmed) c.unconfirmed++;
      // The wait is measured on the record the auction was for: from its first request to now.
      const rec = p.auction.kind === 'lrp' ? this.groupOf(p.auction)?.ordinary : this.bbs.tasks.get(p.auction.task.TaskGuid);
      if (rec && rec.requestedAt >= 0) {
        c.waitTimesMs.push(now - rec.requestedAt);
        rec.requestedAt = -1;
      }
    }
    const failed = outcome.failed;
    // Failures come in runs of one reason (a full cluster fails a whole pass alike): counted per run.
    let reason = '';
    let run = 0;
    for (let k = 0; k < failed.length; k++) {
      const f = failed[k] as AuctionOutcome['failed'][number];
      c.failed++;
      if (f.auction.kind === 'lrp') c.lrpAuctionsFailed++;
      else c.taskAuctionsFailed++;
      if (f.reason !== reason) {
        if (run > 0) c.failuresByReason.set(reason, (c.failuresByReason.get(reason) ?? 0) + run);
        reason = f.reason;
        run = 0;
      }
      run++;
      if (f.auction.kind === 'lrp') this.bbs.failPlacement(f.auction.lrp.process_guid, f.auction.lrp.index, f.reason, this.hintOf(f.auction.lrp));
      else this.bbs.rejectTask(f.auction.task.TaskGuid, f.reason, this.scenario.convergence.maxTaskRetries);
    }
    if (run > 0) c.failuresByReason.set(reason, (c.failuresByReason.get(reason) ?? 0) + run);
    this.kernel.note('auction', { placed: outcome.placed.length, failed: outcome.failed.length });
  }

  // The group an instance sent to auction was made for, as the flush knew it (it sends each request
  // with its app's map as context): a hint for the BBS, which checks it is still current.
  private hintOf(lrp: LRP): LRPGroup | undefined {
    const app = requestContext(lrp) as AppActuals | null | undefined;
    return app?.get(lrp.index);
  }

  // The BBS group an LRP auction is for.
  private groupOf(a: LRPAuction): LRPGroup | undefined {
    return this.bbs.groupOf(a.lrp.process_guid, a.lrp.index, this.hintOf(a.lrp));
  }

  /** Records how long the latest fetch of the cells' states took. */
  statesFetched(durationMs: number): void {
    this.counters.fetchStatesDurationMs = durationMs;
  }

  /** Strategy outcomes that did not account for their batch, in words (must stay empty). */
  readonly accountingErrors: string[] = [];

  /** Records an outcome that lost an auction or ended one twice. */
  accountingError(detail: string): void {
    this.accountingErrors.push(detail);
    this.kernel.note('accounting-error', { detail });
  }

  // ---- requests to the auctioneer ------------------------------------------------------------

  /**
   * Asks for an LRP instance to be auctioned (batched with everything asked for this instant).
   * `app`, the BBS's map of the app when the caller holds it, saves the flush looking it up;
   * `rec`, the instance's ordinary record when the caller holds it, has its wait start now, which
   * saves the flush looking the record up (as it does for instances asked for without it).
   */
  requestLRP(processGuid: string, index: number, app?: AppActuals, rec?: ActualLRP): void {
    if (rec !== undefined && rec.requestedAt < 0) rec.requestedAt = this.kernel.now;
    const out = this.outLRPs.get(processGuid);
    if (out) {
      if (!out.indices.includes(index)) out.indices.push(index);
      if (out.app === undefined) out.app = app;
      if (rec === undefined) out.lookUp = true;
    } else this.outLRPs.set(processGuid, { indices: [index], app, lookUp: rec === undefined });
    this.scheduleFlush();
  }

  /** Asks for a task to be auctioned. */
  requestTask(guid: string): void {
    this.outTasks.push(guid);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.kernel.after(0, this.h.flush);
  }

  private flush(): void {
    this.flushScheduled = false;
    const now = this.kernel.now;
    // Sized for every app asked for (and cut to those still desired): a pass asks for tens of thousands.
    const lrps = new Array<LRPStartRequest>(this.outLRPs.size);
    // Each request's app map, which its auctions carry back (see groupOf).
    const apps = new Array<AppActuals | undefined>(this.outLRPs.size);
    let n = 0;
    // forEach, not for-of: a cold start flushes 200,000 apps, and iterating the map's entries made
    // an entry and a result object for each.
    this.outLRPs.forEach(({ indices, app, lookUp }, guid) => {
      // A map the BBS still keeps is its map of the app, and carries the app's DesiredLRP.
      const byIndex = app !== undefined && !app.dropped ? app : this.bbs.actual.get(guid);
      const d = this.bbs.desiredOf(guid, byIndex);
      if (!d) return;
      for (let k = 0; lookUp && k < indices.length; k++) {
        const rec = byIndex?.get(indices[k] as number)?.ordinary;
        if (rec && rec.requestedAt < 0) rec.requestedAt = now;
      }
      lrps[n] = { process_guid: guid, domain: 'cf-apps', indices, PlacementTags: d.placementTags, VolumeDrivers: d.volumeDrivers, RootFs: d.rootfs, MemoryMB: d.memoryMB, DiskMB: d.diskMB, MaxPids: 0 };
      apps[n++] = byIndex;
    });
    lrps.length = n;
    apps.length = n;
    const tasks: TaskStartRequest[] = [];
    for (const guid of this.outTasks) {
      const t = this.bbs.tasks.get(guid);
      if (!t || t.state !== 'PENDING') continue;
      if (t.requestedAt < 0) t.requestedAt = now;
      tasks.push({ TaskGuid: guid, Domain: 'cf-tasks', PlacementTags: t.placementTags, VolumeDrivers: [], RootFs: t.rootfs, MemoryMB: t.memoryMB, DiskMB: t.diskMB, MaxPids: 0 });
    }
    this.outLRPs = new Map();
    this.outTasks = [];
    if (lrps.length === 0 && tasks.length === 0) return;
    // With no live lease the requests are lost, as in Diego; convergence asks again.
    // One request per process guid (a map's keys) with no index twice: LRPs are unique by
    // construction; a task may have been asked for twice this instant (by its desire and a pass).
    const unique = tasks.length <= 1 || new Set(tasks.map((t) => t.TaskGuid)).size === tasks.length;
    this.activeAuctioneer()?.submit(lrps, tasks, unique, apps);
  }

  // ---- workload --------------------------------------------------------------------------------

  /** Desires an app and auctions its instances. */
  desire(d: DesiredLRP): void {
    for (const i of this.bbs.desire(d)) {
      const rec = this.bbs.createUnclaimed(d.processGuid, i);
      this.requestLRP(d.processGuid, i, rec.group.app, rec);
    }
    this.kernel.note('desire', { app: d.processGuid, instances: d.instances });
  }

  /** Scales an app; new indices are auctioned, extra ones retired at the next pass. */
  scale(processGuid: string, instances: number): void {
    for (const i of this.bbs.scale(processGuid, instances)) {
      this.bbs.createUnclaimed(processGuid, i);
      this.requestLRP(processGuid, i);
    }
    this.kernel.note('scale', { app: processGuid, instances });
    this.convergeSoon();
  }

  /** Deletes an app; its instances are retired at once. */
  deleteApp(processGuid: string): void {
    this.bbs.removeDesired(processGuid);
    this.kernel.note('delete', { app: processGuid });
    this.convergeSoon();
  }

  // ---- containers (the executor: see executor.ts) ---------------------------------------------

  /** Destroys a container and frees its resources on its cell. */
  stop(c: Container): void {
    this.executor.stop(c);
  }

  /** Stops an instance on a cell if it is there. */
  stopInstance(cellId: string, instanceGuid: string): void {
    this.executor.stopInstance(cellId, instanceGuid);
  }

  /** Containers on a cell, oldest first. */
  containersOn(cell: SimCell): Container[] {
    return this.executor.containersOn(cell);
  }

  /**
   * Watches a task: when it completes on its cell, it fails with `failureProbability` (and
   * `failureReason`), and `done` learns whether it failed.
   */
  watchTask(guid: string, hook: TaskHook): void {
    this.executor.watchTask(guid, hook);
  }

  /** An instance started running or crashed: fault recovery may have completed. */
  instanceChanged(): void {
    this.faultInjector.check();
  }

  /** The group an instance sent to auction was made for (see hintOf). */
  groupHint(lrp: LRP): LRPGroup | undefined {
    return this.hintOf(lrp);
  }

  /**
   * Instances on live cells that nothing desires: an index at or above its app's instance count,
   * or an app no longer desired. Only apps the BBS saw shrink can have any, so only those are
   * looked at (an app gone and gone from every cell is forgotten).
   */
  extraInstances(): number {
    let extra = 0;
    const shrunk = this.bbs.shrunk;
    for (const guid of shrunk) {
      const d = this.bbs.desired.get(guid);
      // Forgotten once nothing is left of it anywhere (the converger also visits shrunk apps' records).
      if (!d && !this.index.has(guid) && !this.bbs.actual.has(guid)) {
        shrunk.delete(guid);
        continue;
      }
      const from = d ? d.instances : 0;
      this.index.forEachCell(guid, (cellId) => {
        const cell = this.cellById.get(cellId);
        if (cell?.alive) extra += cell.rep.countFrom(guid, from);
      });
    }
    return extra;
  }

  /** Routable instances (running, health check passed, on a live cell) of a process guid. */
  routableOf(processGuid: string): number {
    return this.routes.routableOf(processGuid);
  }

  // ---- faults (the fault injector: see faults.ts) ------------------------------------------------

  /** Cancels a task: a pending one fails at once, a running one is stopped on its cell first. */
  cancelTask(guid: string): void {
    const t = this.bbs.tasks.get(guid);
    if (!t || (t.state !== 'PENDING' && t.state !== 'RUNNING')) return;
    if (t.state === 'RUNNING') {
      const c = this.executor.containerOf(t.cell, guid);
      if (c) this.stop(c);
    }
    this.bbs.finishTask(t, true, ERR_TASK_CANCELLED);
    this.kernel.note('task-cancelled', { task: guid });
  }
  /** Crashes a running (or starting) instance of an app, if it has one on a live cell. */
  crashInstance(processGuid: string, index: number): void {
    const rec = this.bbs.group(processGuid, index)?.ordinary;
    if (!rec || !rec.cell) return;
    const c = this.executor.containerOf(rec.cell, rec.instanceGuid);
    if (c && !c.gone && c.cell.alive) this.executor.containerCrashed(c.id);
  }
  /** The active auctioneer's process dies. */
  killActiveAuctioneer(): void {
    const a = this.activeAuctioneer();
    if (!a) return;
    a.die();
    this.kernel.note('auctioneer-killed', { auctioneer: a.id });
  }
  /** Open and closed fault records (kind, when, when the cluster was whole again). */
  get faults(): readonly Fault[] {
    return this.faultInjector.records;
  }

  /** Presence changed: the BBS's view of the cells is read again; a cell that vanished makes the next pass a full one, at once. */
  presenceChanged(vanished: boolean): void {
    this.presentIds = null;
    if (!vanished) return;
    this.cellVanished = true;
    // Diego's converger runs at once when a cell disappears.
    this.convergeSoon();
  }

  // ---- convergence ---------------------------------------------------------------------------

  /** Runs a convergence pass now (after the current event), once per instant. */
  convergeSoon(): void {
    if (this.convergeScheduled) return;
    this.convergeScheduled = true;
    this.kernel.after(0, this.h.converge);
  }

  private convergeTick(): void {
    this.convergeSoon();
    this.kernel.after(this.scenario.convergence.intervalMs, this.h.tick);
  }

  private converge(): void {
    this.convergeScheduled = false;
    this.counters.convergenceRuns++;
    convergencePass(this, this.fullConvergence || this.cellVanished);
    this.cellVanished = false;
    this.faultInjector.check();
  }
}
