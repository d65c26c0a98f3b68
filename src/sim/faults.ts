// Faults in the simulated world: machines that die and come back, zones cut off and healed, cells
// drained, the presence the BBS sees lapsing and returning, a cell squaring up with the BBS
// afterwards. What each fault displaces is handed to its recovery figures (fault-recovery.ts). The
// world wires it through FaultsWorld.
import { ERR_TASK_CELL_DISAPPEARED } from '../core/convergence/states.js';
import type { WorldSpec } from './scenario-types.js';
import type { ActualLRP, AppActuals, BBS, LRPGroup } from './actors/bbs.js';
import type { SimCell } from './actors/cell.js';
import type { SimExecutor } from './executor.js';
import type { Container } from './container.js';
import { FaultRecoveryTracker } from './fault-recovery.js';
import type { Kernel } from './kernel/kernel.js';
import type { Network } from './network.js';

/** What the fault injector needs of the world (declared beside its consumer). */
export interface FaultsWorld {
  /** The kernel: the clock, timers, notes. */
  readonly kernel: Kernel;
  /** The network (zones cut off). */
  readonly network: Network;
  /** Every cell. */
  readonly cells: readonly SimCell[];
  /** Cells by id. */
  readonly cellById: ReadonlyMap<string, SimCell>;
  /** The BBS. */
  readonly bbs: BBS;
  /** The scenario (presence TTL, evacuation timings). */
  readonly scenario: WorldSpec;
  /** The containers. */
  readonly executor: SimExecutor;
  /** The run's counters (evictions). */
  readonly counters: { evictions: number };
  /** Asks the auctioneer to place an instance. */
  requestLRP(processGuid: string, index: number, app?: AppActuals, rec?: ActualLRP | null): void;
  /** Destroys a container. */
  stop(c: Container): void;
  /** Stops an instance on a cell if it is there. */
  stopInstance(cellId: string, instanceGuid: string): void;
  /** A cell's containers, oldest first. */
  containersOn(cell: SimCell): Container[];
  /** The auctioneer holding a live lease, if any. */
  activeAuctioneer(): { readonly id: string; die(): void } | undefined;
  /** The presence the BBS sees changed (`vanished`: a cell disappeared). */
  presenceChanged(vanished: boolean): void;
}

/** Injects faults into the simulated world and hands what they displace to their recovery figures. */
export class FaultInjector {
  /** Every fault so far and how what it displaced came back (the BBS's observer). */
  readonly recovery: FaultRecoveryTracker;
  // Each cell's presence refresh phase (see losePresenceLater), drawn on first use.
  private phases: Float64Array | null = null;
  // The slowdowns in force per cell (their factors).
  private readonly slowdowns = new Map<SimCell, number[]>();
  private readonly h: Record<'presence' | 'evacPoll', number>;

  /** The fault injector of a world (its event kinds registered with the world's kernel). */
  constructor(private readonly w: FaultsWorld) {
    const k = w.kernel;
    // The same event names as ever: the digest hashes names, not registration order.
    this.h = {
      presence: k.register('cell.presence-lapsed', (n) => this.presenceLapsed(n), (n) => (w.cells[n] ? { cell: w.cells[n].id } : undefined)),
      evacPoll: k.register('cell.evacuation-poll', (n) => this.evacuationPoll(n), (n) => (w.cells[n] ? { cell: w.cells[n].id } : undefined)),
    };
    this.recovery = new FaultRecoveryTracker(
      () => k.now,
      (id) => {
        const c = w.cellById.get(id);
        return c !== undefined && c.alive && !w.network.isCut(c.zone);
      },
    );
    w.bbs.observer = this.recovery;
  }

  /** The machine dies: its containers are gone, its presence lapses after the presence TTL. */
  killCell(cell: SimCell): void {
    if (!cell.alive) return;
    this.displacedFrom(cell);
    this.w.executor.cellDied(cell);
    cell.alive = false;
    this.w.kernel.note('cell-killed', { cell: cell.id });
    this.losePresenceLater(cell);
  }

  /**
   * The machine comes back empty (after a failure, or after an upgrade that drained it); the BBS
   * drops what it thought ran there.
   */
  recoverCell(cell: SimCell): void {
    if (cell.alive && cell.evacuatingSince < 0) return;
    for (const c of this.w.containersOn(cell)) this.w.stop(c);
    // A new machine: whatever slowed the old one is gone with it.
    this.slowdowns.delete(cell);
    cell.latencyFactor = 1;
    cell.restart();
    this.regainPresence(cell);
    this.reconcile(cell);
    this.w.kernel.note('cell-recovered', { cell: cell.id });
  }

  /** Cuts a zone off: messages are dropped and its cells' presence lapses. */
  partition(zone: string): void {
    if (!this.w.network.isCut(zone)) for (const c of this.w.cells) if (c.zone === zone && c.alive) this.displacedFrom(c);
    this.w.network.partition(zone);
    for (const c of this.w.cells) if (c.zone === zone && c.alive) this.losePresenceLater(c);
    this.w.kernel.note('partition', { zone });
  }

  /** Heals a zone: presence comes back and each cell reconciles with the BBS. */
  heal(zone: string): void {
    this.w.network.heal(zone);
    for (const c of this.w.cells) {
      if (c.zone !== zone || !c.alive) continue;
      this.regainPresence(c);
      // The rep squares up with the BBS: what the BBS moved elsewhere meanwhile is stopped here.
      this.reconcile(c);
    }
    // No pass now: Diego's converger notices the cells' presence at its next periodic pass.
    this.recovery.reconnected(this.w.bbs);
    this.w.kernel.note('heal', { zone });
  }

  /** Starts draining a cell: each instance gets a replacement; the old one stays until it runs. */
  evacuate(cell: SimCell): void {
    if (!cell.alive || cell.evacuatingSince >= 0) return;
    this.displacedFrom(cell);
    cell.evacuatingSince = this.w.kernel.now;
    cell.rep.setEvacuating(true);
    for (const c of this.w.containersOn(cell)) {
      if (c.kind !== 'lrp') continue;
      const g = this.w.bbs.group(c.processGuid, c.index);
      // Already an EVACUATING copy (the rebalancer is moving it): it keeps serving until its
      // replacement runs, and this cell's evacuation poll stops it then, or at the timeout.
      if (g?.evacuating?.instanceGuid === c.guid && g.evacuating.cell === cell.id) continue;
      const rec = g?.ordinary;
      const running = rec?.state === 'RUNNING' && rec.instanceGuid === c.guid;
      const earlier = g?.evacuating ?? null;
      if (this.w.bbs.evacuate(c.processGuid, c.index, c.guid, cell.id)) this.w.requestLRP(c.processGuid, c.index);
      // The BBS keeps one EVACUATING copy per index: an older one (its cell drained before) is
      // replaced, and its cell stops it.
      if (earlier && g?.evacuating !== earlier) {
        this.w.counters.evictions++;
        this.w.stopInstance(earlier.cell, earlier.instanceGuid);
      }
      // Diego's rep keeps only running instances while draining; one still starting is destroyed
      // at once (its record was unclaimed above and goes back to auction).
      if (!running) {
        this.w.counters.evictions++;
        this.w.stop(c);
      }
    }
    this.w.kernel.note('evacuate', { cell: cell.id });
    this.w.kernel.after(this.w.scenario.evacuationPollMs, this.h.evacPoll, this.w.cells.indexOf(cell));
  }

  private evacuationPoll(n: number): void {
    const cell = this.w.cells[n];
    if (!cell || !cell.alive || cell.evacuatingSince < 0) return;
    const timedOut = this.w.kernel.now - cell.evacuatingSince >= this.w.scenario.evacuationTimeoutMs;
    let left = 0;
    for (const c of this.w.containersOn(cell)) {
      if (c.kind !== 'lrp') continue;
      const g = this.w.bbs.group(c.processGuid, c.index);
      const mine = g?.evacuating?.instanceGuid === c.guid && g.evacuating.cell === cell.id;
      if (!mine || timedOut || g?.ordinary?.state === 'RUNNING') {
        if (mine && g) g.evacuating = null;
        this.w.counters.evictions++;
        this.w.stop(c);
      } else left++;
    }
    if (left > 0) this.w.kernel.after(this.w.scenario.evacuationPollMs, this.h.evacPoll, n);
  }

  // The presence lock lapses a TTL after the rep's last successful refresh. A rep refreshes every
  // presenceRefresh (locket.RetryInterval, 5 s: rep cmd/rep/main.go builds its presence runner with it;
  // locket expiration/lock_pick.go expires a lock its TTL after the last refresh), each cell on its own
  // seeded phase, so the lapse comes TTL - refresh to TTL after death (10-15 s with Diego's values).
  private losePresenceLater(cell: SimCell): void {
    if (cell.presenceTimer >= 0 || !cell.present) return;
    const n = this.w.cells.indexOf(cell);
    const { presenceTtlMs: ttl, presenceRefreshMs: every } = this.w.scenario;
    let sinceRefresh = 0;
    if (every > 0) {
      const phase = this.presencePhases()[n] as number;
      sinceRefresh = (((this.w.kernel.now - phase) % every) + every) % every;
    }
    cell.presenceTimer = this.w.kernel.after(Math.max(0, ttl - sinceRefresh), this.h.presence, n);
  }

  // Each cell's refresh phase in [0, refresh), drawn for every cell at once on first use so that one
  // cell's phase does not depend on which cell was lost first.
  private presencePhases(): Float64Array {
    if (this.phases === null) {
      const rng = this.w.kernel.stream('cells/presence');
      this.phases = new Float64Array(this.w.cells.length);
      for (let i = 0; i < this.phases.length; i++) this.phases[i] = rng.next() * this.w.scenario.presenceRefreshMs;
    }
    return this.phases;
  }

  private presenceLapsed(n: number): void {
    const cell = this.w.cells[n];
    if (!cell) return;
    cell.presenceTimer = -1;
    if (cell.alive && !this.w.network.isCut(cell.zone)) return;
    cell.present = false;
    this.w.kernel.note('cell-gone', { cell: cell.id });
    this.w.presenceChanged(true);
  }

  private regainPresence(cell: SimCell): void {
    if (cell.presenceTimer >= 0) {
      this.w.kernel.cancel(cell.presenceTimer);
      cell.presenceTimer = -1;
    }
    cell.present = true;
    this.w.presenceChanged(false);
  }

  /**
   * A cell squares up with the BBS (Diego's rep does on start-up and periodically): records that
   * place instances on it which it does not run are dropped or unclaimed; containers the BBS no
   * longer wants are stopped.
   */
  reconcile(cell: SimCell): void {
    const runs = (guid: string) => this.w.executor.runsOn(cell, guid);
    // The groups with a record on this cell, in the BBS's order (as a look at every group finds them).
    for (const g of this.groupsOn(cell.id)) {
      const index = g.index;
      if (g.suspect?.cell === cell.id && !runs(g.suspect.instanceGuid)) g.suspect = null;
      if (g.evacuating?.cell === cell.id && !runs(g.evacuating.instanceGuid)) g.evacuating = null;
      const o = g.ordinary;
      if (o && o.cell === cell.id && (o.state === 'CLAIMED' || o.state === 'RUNNING') && !runs(o.instanceGuid)) {
        this.w.bbs.unclaim(o);
        this.w.requestLRP(g.processGuid, index);
      }
    }
    // Tasks the BBS thinks run here but whose container is gone failed with their cell.
    for (const t of this.w.bbs.tasks.values()) {
      if (t.state === 'RUNNING' && t.cell === cell.id && !runs(t.guid)) this.w.bbs.tasks.finish(t, true, ERR_TASK_CELL_DISAPPEARED);
    }
    for (const c of this.w.containersOn(cell)) {
      if (c.kind === 'task') {
        const t = this.w.bbs.tasks.get(c.guid);
        if (!t || t.state !== 'RUNNING' || t.cell !== cell.id) this.w.stop(c);
        continue;
      }
      const g = this.w.bbs.group(c.processGuid, c.index);
      const wanted = [g?.ordinary, g?.evacuating, g?.suspect].some((r) => r?.instanceGuid === c.guid && r.cell === cell.id);
      // An instance the BBS moved elsewhere meanwhile runs until the rep's next bulk sync stops it.
      if (!wanted) this.w.executor.residual(cell.id, c.guid);
    }
  }

  // The groups with a record (ordinary, suspect or evacuating) on a cell, in the BBS's order. One
  // event often reconciles many cells (a tenth of 1,250 cells recovered, a zone healed): the groups
  // are sorted by cell once per event, not looked at in full once per cell. Within an event a
  // reconcile only takes records off the cell it squares up, so the lists stay good for the others
  // (each record is checked again where it is used).
  private groupsOn(cellId: string): readonly LRPGroup[] {
    const k = this.w.kernel;
    let idx = this.byCell;
    if (idx === null || idx.at !== k.now || idx.event !== k.events) {
      const cells = new Map<string, LRPGroup[]>();
      const add = (id: string, g: LRPGroup) => {
        const list = cells.get(id);
        if (list === undefined) cells.set(id, [g]);
        else if (list[list.length - 1] !== g) list.push(g);
      };
      // forEach walks, not iterators: a generator and an entry per app (200,000 at Diego's scale)
      // were most of what building the lists allocated. Nothing changes the BBS during the walk.
      const each = (g: LRPGroup) => {
        if (g.ordinary && g.ordinary.cell !== '') add(g.ordinary.cell, g);
        if (g.suspect) add(g.suspect.cell, g);
        if (g.evacuating) add(g.evacuating.cell, g);
      };
      this.w.bbs.actual.forEach((byIndex) => byIndex.forEach(each));
      idx = { at: k.now, event: k.events, cells };
      this.byCell = idx;
    }
    return idx.cells.get(cellId) ?? [];
  }
  private byCell: { at: number; event: number; cells: Map<string, LRPGroup[]> } | null = null;

  /** Crashes a running (or starting) instance of an app, if it has one on a live cell. */
  crashInstance(processGuid: string, index: number): void {
    const rec = this.w.bbs.group(processGuid, index)?.ordinary;
    if (!rec || !rec.cell) return;
    const c = this.w.executor.containerOf(rec.cell, rec.instanceGuid);
    if (c && !c.gone && c.cell.alive) {
      this.recovery.hit(rec);
      this.w.executor.containerCrashed(c.id);
    }
  }

  /** The active auctioneer's process dies. */
  killActiveAuctioneer(): void {
    const a = this.w.activeAuctioneer();
    if (!a) return;
    a.die();
    this.w.kernel.note('auctioneer-killed', { auctioneer: a.id });
  }

  /**
   * Slows a cell's messages by `factor` (see Endpoint.latencyFactor) until {@link FaultInjector.endSlowdown}.
   * Overlapping slowdowns of a cell: the largest factor in force applies.
   */
  slowDown(cell: SimCell, factor: number): void {
    const factors = this.slowdowns.get(cell) ?? [];
    factors.push(factor);
    this.slowdowns.set(cell, factors);
    this.settleSlowdown(cell, factors);
  }

  /** Ends one slowdown of a cell (none if the cell was replaced by a recovered machine meanwhile). */
  endSlowdown(cell: SimCell, factor: number): void {
    const factors = this.slowdowns.get(cell);
    const at = factors?.indexOf(factor) ?? -1;
    if (!factors || at < 0) return;
    factors.splice(at, 1);
    if (factors.length === 0) this.slowdowns.delete(cell);
    this.settleSlowdown(cell, factors);
  }

  // Overlapping slowdowns of a cell: the largest factor in force applies (none: 1).
  private settleSlowdown(cell: SimCell, factors: readonly number[]): void {
    cell.latencyFactor = factors.length === 0 ? 1 : Math.max(...factors);
    this.w.kernel.note('cell-slowed', { cell: cell.id, factor: cell.latencyFactor });
  }

  /** Records a fault, once it is done, with the instances it displaced. */
  mark(kind: string, detail: string): void {
    this.recovery.mark(kind, detail);
  }

  // The instances the BBS records as running or starting on a cell a fault is about to hit.
  private displacedFrom(cell: SimCell): void {
    for (const c of this.w.containersOn(cell)) {
      if (c.kind !== 'lrp') continue;
      const rec = this.w.bbs.group(c.processGuid, c.index)?.ordinary;
      if (rec && rec.cell === cell.id && rec.instanceGuid === c.guid) this.recovery.hit(rec);
    }
  }
}
