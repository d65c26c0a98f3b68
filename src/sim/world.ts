import { carriesExtraDimensions } from '../metrics/resource-use.js';
import type { Auction, AuctionBatch } from '../core/model/auctions.js';
import type { LRP } from '../core/model/cell-state.js';
import type { LRPHandle } from '../core/rep/memory-rep.js';
import { PlacementIndex } from '../core/rep/placement-index.js';
import type { AuctionOutcome, Strategy, StrategyContext, StrategySettings } from '../core/strategy.js';
import { initialCells } from './initial-cells.js';
import type { InitialPlacement } from '../results/run-result.js';
import type { WorldSpec } from './scenario-types.js';
import { AuctioneerLock, type AuctioneerWorld, SimAuctioneer } from './actors/auctioneer.js';
import { BBS, type ActualLRP } from './actors/bbs.js';
import { type AppActuals, appNumberFor } from './actors/bbs-records.js';
import { SimCell } from './actors/cell.js';
import { ConvergenceTimer } from './actors/convergence-timer.js';
import { RepSync } from './actors/rep-sync.js';
import { CronController } from './cron.js';
import { Rebalancer } from './rebalancer.js';
import { BBSAPI } from './bbs-api.js';
import { BBSClient } from './bbs-client.js';
import type { RunCounters } from './run-counters.js';
import { SimExecutor, type TaskHook } from './executor.js';
import type { Container } from './container.js';
import { FaultInjector } from './faults.js';
import { Kernel } from './kernel/kernel.js';
import { Network } from './network.js';
import { RouteTable } from './routes.js';
import type { Endpoint } from './network.js';
import type { RunExplainer } from './run-explainer.js';
import { MessageLog } from '../core/explain/message-log.js';
import type { MessageListener } from './actors/auctioneer.js';

export type { RunCounters } from './run-counters.js';

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
  /** Whether the cells carry CPU or GPUs (then samples and the summary report their allocation). */
  readonly carriesExtraDimensions: boolean;
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
    convergenceDurationMs: 0,
  };
  /** Work the scenario had running on its cells when it was desired (see initial-placement.ts). */
  readonly initialPlacement: InitialPlacement = { instances: 0, tasks: 0, refused: 0, refusals: [] };
  /** The BBS's side of auctions: requests batched and flushed to the active auctioneer, outcomes recorded. */
  readonly bbsClient: BBSClient;
  /** The containers of every cell and their life. */
  readonly executor: SimExecutor;
  /** Kills, partitions, evacuations and their accounting. */
  readonly faultInjector: FaultInjector;
  /** The reps' shared placement index: where every app's instances are, by cell (the reps keep it; read it only). */
  readonly index = new PlacementIndex();
  /** Numbers the apps of the auctioneers' requests in the index (see appNumberFor). */
  readonly appNumbers = { no: (processGuid: string, context: unknown): number => appNumberFor(this.index.apps, processGuid, context) };
  /** Routable instances per process guid (running, health check passed, on a live cell). */
  get routable(): ReadonlyMap<string, number> {
    return this.routes.byGuid;
  }
  /** Routable instances per scenario app (the route emitter's table) and their lows. */
  readonly routes: RouteTable;
  /** The BBS's API (desire, scale, delete, cancel), as Cloud Controller and the events use it. */
  readonly api: BBSAPI;
  /** When the converger runs. */
  readonly converger: ConvergenceTimer;
  /** The reps' bulk syncs. */
  readonly repSync: RepSync;
  /** The recurring tasks' controller (null: the scenario has no cron entries). */
  readonly cron: CronController | null;
  /** The auto-rebalancer (null: the scenario has no `rebalance:` entry). */
  readonly rebalancer: Rebalancer | null;

  /** Builds the world for a scenario with a resolved strategy. */
  constructor(
    readonly scenario: WorldSpec,
    strategy: Strategy,
    settings: StrategySettings,
    opts: { shuffleTies?: boolean; log?: (line: string) => void; fullConvergence?: boolean; digestThread?: boolean } = {},
  ) {
    this.kernel = new Kernel({ seed: scenario.seed, ...(opts.shuffleTies ? { shuffleTies: true } : {}), ...(opts.log ? { log: opts.log } : {}), ...(opts.digestThread ? { digestThread: true } : {}) });
    const k = this.kernel;
    this.network = new Network(k, scenario.network, k.stream('network'));
    this.bbs = new BBS(() => k.now);
    this.routes = new RouteTable(new Set(scenario.apps.map((a) => a.name)), this.index.apps);
    this.bbsClient = new BBSClient(this);
    this.executor = new SimExecutor(this);
    this.faultInjector = new FaultInjector(this);
    this.api = new BBSAPI(this);
    const hooks = {
      lrpAccepted: (c: SimCell, handle: LRPHandle, sent: LRP, allocatedInMs: number) => this.executor.lrpAccepted(c, handle, sent, allocatedInMs),
      taskAccepted: (c: SimCell, g: string) => this.executor.taskAccepted(c, g),
      reserved: (c: SimCell, a: Auction) => this.executor.reserved(c, a),
      endpointChanged: () => this.network.endpointChanged(),
    };
    // Every change of a cell as an endpoint reaches the network through the hook above.
    this.network.reportsEndpointChanges();
    const initial = initialCells(scenario.cells);
    this.carriesExtraDimensions = carriesExtraDimensions(initial);
    for (const state of initial) {
      const cell = new SimCell(state, this.index, hooks);
      cell.allocationMs = scenario.serviceTime?.repAllocationMs ?? 0;
      this.cells.push(cell);
      this.cellById.set(cell.id, cell);
    }
    for (let i = 0; i < scenario.auctioneers; i++) {
      const id = `auctioneer-${i}`;
      this.auctioneers.push(new SimAuctioneer(id, this, strategy, settings, k.stream(id), scenario.lockTtlMs, scenario.lockRetryMs));
    }
    this.repSync = new RepSync(this, scenario.repPollingMs, k.stream('cells/bulk-sync'));
    // Made last: its first tick is scheduled after everything the auctioneers schedule.
    this.converger = new ConvergenceTimer(this, opts.fullConvergence === true, scenario.convergeOnCellLoss);
    // Made after it: a scenario without cron entries registers nothing more (its digest is unchanged).
    this.cron = scenario.cron !== undefined && scenario.cron.length > 0 ? new CronController(this, scenario.cron) : null;
    // Made last, for the same reason.
    this.rebalancer = scenario.rebalance !== undefined ? new Rebalancer(this, scenario.rebalance) : null;
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

  /** Reports an auction's outcome to the BBS, as Diego's auctioneer does (see bbs-client.ts). */
  auctionFinished(outcome: AuctionOutcome, rounds: number): void {
    this.bbsClient.auctionFinished(outcome, rounds);
  }

  /** Explains the batches a run asked about (`run --explain`); null: none, and nothing is done. */
  explainer: RunExplainer | null = null;

  /** A strategy that explains itself is about to decide a batch: explained when the run asked. */
  batchStarting(batch: AuctionBatch, ctx: StrategyContext, strategy: Strategy, settings: StrategySettings): void {
    this.explainer?.batchStarting(batch, ctx, strategy, settings, this.kernel.now);
  }

  /**
   * A strategy that does not explain itself starts a batch over `cells`: when the run explains it,
   * a listener that keeps the protocol's messages and, when it ends, explains the batch by them
   * (core/explain/message-log.ts), as `schedule --explain` explains such a strategy.
   */
  batchByMessages(batch: AuctionBatch, cells: readonly string[], strategy: string): MessageListener | null {
    const explainer = this.explainer;
    const plan = explainer?.messagesWanted(batch, cells.length, this.kernel.now);
    if (!explainer || !plan) return null;
    const log = new MessageLog();
    // The cells as they stood when the batch began (a cell never asked is listed as not reached, or draining).
    const seen = cells.map((id) => {
      const c = this.cellById.get(id);
      return { id, zone: c?.zone ?? '', evacuating: c !== undefined && c.evacuatingSince >= 0 };
    });
    return {
      heard: (req, reply, round) => log.observe(req, reply, round),
      ended: (outcome) => explainer.batchExplained(log.explain(batch, seen, outcome, strategy, plan.only), plan),
    };
  }

  /** An auctioneer took the lock anew: the cron controller it hosts catches up. */
  becameLeader(): void {
    this.cron?.hostChanged();
  }

  /** The active auctioneer's queue was drained or lost (see BBSClient.queueEmptied). */
  queueEmptied(): void {
    this.bbsClient.queueEmptied();
  }

  /** Records how long the latest fetch of the cells' states took. */
  statesFetched(durationMs: number): void {
    this.counters.fetchStatesDurationMs = durationMs;
  }

  /** Strategy outcomes that did not account for their batch, in words (must stay empty). */
  readonly accountingErrors: string[] = [];

  /** Work whose container could not be created on its cell (see SimExecutor.placementBreaches). */
  get placementBreaches(): readonly string[] {
    return this.executor.placementBreaches;
  }

  /** Records an outcome that lost an auction or ended one twice. */
  accountingError(detail: string): void {
    this.accountingErrors.push(detail);
    this.kernel.note('accounting-error', { detail });
  }

  // ---- requests to the auctioneer (the BBS client: see bbs-client.ts) ---------------------------

  /** Asks for an LRP instance to be auctioned (batched with everything asked for this instant; see BBSClient.requestLRP). */
  requestLRP(processGuid: string, index: number, app?: AppActuals, rec?: ActualLRP | null): void {
    this.bbsClient.requestLRP(processGuid, index, app, rec);
  }

  /** Asks for a task to be auctioned. */
  requestTask(guid: string): void {
    this.bbsClient.requestTask(guid);
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
    // A container allocated whose claim is still on its way to the BBS is not an instance yet (its
    // claim may be refused): the reps list it, so take it back out. There are only a few at a time.
    this.executor.forEachClaimInFlight((cell, lrp, handle) => {
      if (cell.alive && shrunk.has(lrp.process_guid) && lrp.index >= (this.bbs.desired.get(lrp.process_guid)?.instances ?? 0) && cell.rep.lrp(handle)) extra--;
    });
    return extra;
  }

  /** Routable instances (running, health check passed, on a live cell) of a process guid. */
  routableOf(processGuid: string): number {
    return this.routes.routableOf(processGuid);
  }

  // ---- faults (the fault injector: see faults.ts) ------------------------------------------------

  /** Presence changed: the BBS's view of the cells is read again; a cell that vanished makes the next pass a full one, at once. */
  presenceChanged(vanished: boolean): void {
    this.presentIds = null;
    if (vanished) this.converger.cellVanished();
  }

  /** The BBS dropped a copy's record without telling its rep (see ConvergerWorld.copyDropped). */
  copyDropped(cellId: string, instanceGuid: string): void {
    this.executor.residual(cellId, instanceGuid);
  }

  /** A container on `cell` runs without a record: the cell's rep syncs at its next tick. */
  residualAppeared(cell: SimCell): void {
    this.repSync.schedule(cell);
  }

  /** Stops the residual instances of a cell that the BBS still does not record. */
  syncResidual(cell: SimCell): void {
    this.executor.syncResidual(cell);
  }

  /** Whether a zone is cut off from the control plane. */
  isCut(zone: string): boolean {
    return this.network.isCut(zone);
  }

  /** Instances allocated by their rep whose claim is on its way to the BBS (a fresh set when asked: read it once). */
  get claiming(): ReadonlySet<string> {
    return this.executor.claimingInstances;
  }

  /** Instances the BBS no longer records that run until their rep's next bulk sync. */
  get residual(): ReadonlySet<string> {
    return this.executor.residualInstances;
  }

  /** Records a convergence pass reads: one per desired instance and per task (for its duration). */
  recordsToRead(): number {
    return this.bbs.desiredInstances + this.bbs.tasks.size;
  }

}
