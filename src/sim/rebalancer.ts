// The auto-rebalancer in the simulated world (`rebalance:`): every interval, while an auctioneer holds
// the lock (it is the leader's work, as the auction is), it fetches the cells' states as the auction
// does, its policy (core/rebalance/) proposes moves, and it carries out those its disruption budget
// allows by evacuation's safe dance (bbs controllers/evacuation_controller.go
// EvacuateRunningActualLRP): the instance's record becomes an EVACUATING copy that keeps running and
// routable, a new UNCLAIMED ordinary record is made and its replacement started (sent to the cell the
// policy chose, or auctioned); once the replacement runs and is routable (StartActualLRP drops the
// EVACUATING record), the old copy is stopped. Diego never had a rebalancer: the intervals, budget
// and floor are auctionlab's (assumed); its moves in flight are taken to be kept in the BBS, so a new
// leader carries on with them.
import { buildBatch } from '../core/batch.js';
import type { CellState, LRP } from '../core/model/cell-state.js';
import type { Reply } from '../core/protocol/messages.js';
import { REBALANCE_POLICIES } from '../core/rebalance/index.js';
import type { MoveBudget, RebalanceMove, RebalancePolicy } from '../core/rebalance/policy.js';
import { stateRequests } from '../core/strategies/protocol-steps.js';
import { percentiles } from '../metrics/percentiles.js';
import type { RebalanceSummary } from '../results/run-result.js';
import type { BBS, LRPGroup } from './actors/bbs.js';
import type { SimCell } from './actors/cell.js';
import { lrpStartRequest } from './bbs-client.js';
import type { Container } from './container.js';
import type { Kernel } from './kernel/kernel.js';
import type { Endpoint, Network } from './network.js';
import type { RebalanceSpec, WorldSpec } from './scenario-types.js';

/** What the rebalancer needs of the world (declared beside its consumer). */
export interface RebalancerWorld {
  /** The kernel: the clock, timers, notes. */
  readonly kernel: Kernel;
  /** The network to the cells (its messages are counted there too). */
  readonly network: Network;
  /** The BBS. */
  readonly bbs: BBS;
  /** The scenario (the evacuation poll and timeout). */
  readonly scenario: WorldSpec;
  /** Cells by id. */
  readonly cellById: ReadonlyMap<string, SimCell>;
  /** The containers. */
  readonly executor: { containerOf(cellId: string, guid: string): Container | undefined };
  /** Ids of the cells whose presence the BBS sees. */
  presentCells(): readonly string[];
  /** A cell as a network endpoint. */
  endpoint(id: string): Endpoint | undefined;
  /** The auctioneer holding a live lease, if any. */
  activeAuctioneer(): object | undefined;
  /** Asks the auctioneer to place an instance. */
  requestLRP(processGuid: string, index: number): void;
  /** Stops an instance on a cell if it is there. */
  stopInstance(cellId: string, instanceGuid: string): void;
  /** Routable instances of a process guid. */
  routableOf(processGuid: string): number;
  /** Whether a zone is cut off from the control plane. */
  isCut(zone: string): boolean;
}

// A move under way.
interface Move {
  readonly processGuid: string;
  readonly index: number;
  readonly oldGuid: string;
  readonly from: string;
  readonly to: string | null;
  readonly startedAt: number;
  // The index's crash count when the move started (its replacement's record carries it on).
  readonly crashesAtStart: number;
}

// The first problems are kept: a broken rule repeats, and the first few say it all.
const MAX_PROBLEMS = 20;

/** The auto-rebalancer of a world with a `rebalance:` entry (policy `none`: it only reports that nothing moved). */
export class Rebalancer {
  // Null for `none`: nothing is registered or scheduled (a run is Diego's, event for event).
  private readonly policy: RebalancePolicy | null;
  private readonly moving = new Map<string, Move>();
  private readonly movingPerApp = new Map<string, number>();
  private h: Record<'look' | 'poll', number> = { look: -1, poll: -1 };
  private fetching = false;
  private polling = false;
  private nextGuid = 0;
  private readonly moveMs: number[] = [];
  private spreadSum = 0;
  private spreadSamples = 0;
  private emptyCells = 0;
  private readonly s: Omit<RebalanceSummary, 'moveMs' | 'inFlightAtEnd' | 'loadSpreadMean' | 'emptyCellsAtEnd'> = {
    policy: '',
    looks: 0,
    unled: 0,
    proposed: 0,
    started: 0,
    completed: 0,
    onTarget: 0,
    fellBack: 0,
    calledOff: 0,
    lost: 0,
    messages: 0,
    floorBroken: 0,
    problems: [],
  };

  /** The rebalancer of a world, looking every interval from `spec.fromMs` (the first look one interval in). */
  constructor(
    private readonly w: RebalancerWorld,
    private readonly spec: RebalanceSpec,
  ) {
    this.s.policy = spec.policy;
    const policy = spec.policy === 'none' ? null : REBALANCE_POLICIES.get(spec.policy);
    if (policy === undefined) throw new Error(`no rebalancing policy ${spec.policy}`);
    this.policy = policy;
    if (policy === null) return;
    const k = w.kernel;
    this.h = {
      look: k.register('rebalancer.look', () => this.look()),
      poll: k.register('rebalancer.poll', () => this.poll()),
    };
    // It looks every interval from `from` (its first look one interval in).
    k.at(spec.fromMs + spec.everyMs, this.h.look);
  }

  /** What it did so far. */
  summary(): RebalanceSummary {
    return {
      ...this.s,
      problems: [...this.s.problems],
      moveMs: this.moveMs.length > 0 ? percentiles(this.moveMs) : null,
      inFlightAtEnd: this.moving.size,
      loadSpreadMean: this.spreadSamples > 0 ? this.spreadSum / this.spreadSamples : 0,
      emptyCellsAtEnd: this.emptyCells,
    };
  }

  /** A sample of the run's series saw this spread of load and these empty cells (see sim/summary.ts). */
  sampled(loadSpread: number, emptyCells: number): void {
    this.spreadSum += loadSpread;
    this.spreadSamples++;
    this.emptyCells = emptyCells;
  }

  // Every interval: fetch the live cells' states (as the auction does), then decide on them.
  private look(): void {
    const k = this.w.kernel;
    if (this.spec.untilMs !== null && k.now > this.spec.untilMs) return;
    k.after(this.spec.everyMs, this.h.look);
    const leader = this.w.activeAuctioneer();
    if (!leader) {
      this.s.unled++;
      return;
    }
    // A fetch still out (a cell slower than the interval) is not doubled.
    if (this.fetching) return;
    const ids = this.w.presentCells();
    if (ids.length === 0) return;
    this.s.looks++;
    this.fetching = true;
    this.s.messages += ids.length;
    const ends = ids.map((id) => this.w.endpoint(id) as Endpoint);
    this.w.network.fanOut(stateRequests(ids), ends, (replies) => {
      this.fetching = false;
      // The leader it looked for lost the lock meanwhile: its successor looks at its own next interval.
      if (this.w.activeAuctioneer() !== leader) return;
      this.decide(replies);
    });
  }

  private decide(replies: readonly Reply[]): void {
    const states: CellState[] = [];
    for (const r of replies) if (r.kind === 'state' && r.ok && !r.state.Evacuating) states.push(r.state);
    const taken = new Map<string, number>();
    let left = this.spec.movesPerInterval;
    const budget: MoveBudget = {
      get left() {
        return left;
      },
      allows: (lrp, cellId) => left > 0 && this.movable(lrp, cellId, taken.get(lrp.process_guid) ?? 0) === null,
      take: (lrp) => {
        left--;
        taken.set(lrp.process_guid, (taken.get(lrp.process_guid) ?? 0) + 1);
      },
    };
    const moves = (this.policy as RebalancePolicy).decide(states, budget, this.spec);
    this.s.proposed += moves.length;
    for (const m of moves) this.start(m);
  }

  // Why an instance may not move now (null: it may): `extra` more of its app are being moved this look.
  private movable(lrp: LRP, cellId: string, extra: number): string | null {
    const pg = lrp.process_guid;
    const g = this.w.bbs.group(pg, lrp.index);
    const rec = g?.ordinary;
    // Only the instance the BBS records running there, with no other copy of its index about.
    if (!g || !rec || rec.state !== 'RUNNING' || rec.instanceGuid !== lrp.instance_guid || rec.cell !== cellId || g.evacuating || g.suspect) return 'not the running instance';
    const d = this.w.bbs.desired.get(pg);
    if (!d || lrp.index >= d.instances) return 'not desired';
    const c = this.w.executor.containerOf(cellId, lrp.instance_guid);
    if (!c || !c.running || c.unready) return 'not routable';
    const moving = (this.movingPerApp.get(pg) ?? 0) + extra;
    if (moving + 1 > this.spec.inFlightPerApp) return 'its app has moves in flight';
    // The floor with every moving instance of the app, this one included, counted as gone.
    if (this.w.routableOf(pg) - (moving + 1) < this.floorOf(d.instances)) return 'its app would go below its floor';
    return null;
  }

  private floorOf(instances: number): number {
    return Math.ceil(this.spec.floor * instances - 1e-9);
  }

  private start(m: RebalanceMove): void {
    const lrp = this.w.cellById.get(m.from)?.rep.lrp(m.instanceGuid);
    const why = lrp ? this.movable(lrp, m.from, 0) : 'gone from its cell';
    if (why !== null) {
      // The policy proposed what the budget did not allow: a policy's bug, kept for the property tests.
      this.problem(`${m.processGuid}.${m.index} on ${m.from}: proposed but ${why}`);
      return;
    }
    const crashesAtStart = this.w.bbs.group(m.processGuid, m.index)?.ordinary?.crashCount ?? 0;
    if (!this.w.bbs.evacuate(m.processGuid, m.index, m.instanceGuid, m.from)) return;
    const key = `${m.processGuid}\u0000${m.index}`;
    this.moving.set(key, { processGuid: m.processGuid, index: m.index, oldGuid: m.instanceGuid, from: m.from, to: m.to, startedAt: this.w.kernel.now, crashesAtStart });
    this.movingPerApp.set(m.processGuid, (this.movingPerApp.get(m.processGuid) ?? 0) + 1);
    this.s.started++;
    this.w.kernel.note('rebalance-move', { lrp: `${m.processGuid}.${m.index}`, from: m.from, ...(m.to !== null ? { to: m.to } : {}) });
    if (m.to === null) this.w.requestLRP(m.processGuid, m.index);
    else this.sendTo(m.processGuid, m.index, m.to);
    if (!this.polling) {
      this.polling = true;
      this.w.kernel.after(this.w.scenario.evacuationPollMs, this.h.poll);
    }
  }

  // The replacement goes to the chosen cell as the auctioneer sends work (a Perform); a cell that
  // refuses it or does not answer leaves it to Diego's auction.
  private sendTo(processGuid: string, index: number, to: string): void {
    const d = this.w.bbs.desired.get(processGuid);
    const cell = this.w.endpoint(to);
    if (!d || !cell) {
      this.fallBack(processGuid, index);
      return;
    }
    const { batch } = buildBatch([lrpStartRequest(processGuid, d, [index])], [], { instanceGuid: () => `rebalancer-${this.nextGuid++}`, unique: true });
    const lrp = (batch.lrps[0] as (typeof batch.lrps)[number]).lrp;
    this.s.messages++;
    this.w.network.send({ kind: 'perform', cell: to, work: { LRPs: [lrp], Tasks: [], cell_id: to } }, cell, (reply) => {
      if (reply.kind === 'perform' && reply.ok && reply.failed.LRPs.length === 0) return;
      this.fallBack(processGuid, index);
    });
  }

  private fallBack(processGuid: string, index: number): void {
    // Only while the index still waits for a cell (a lost reply may hide a cell that took it).
    if (this.w.bbs.group(processGuid, index)?.ordinary?.state !== 'UNCLAIMED') return;
    this.s.fellBack++;
    this.w.requestLRP(processGuid, index);
  }

  // As a draining rep polls its evacuating instances: a replacement running and routable ends the move.
  private poll(): void {
    const now = this.w.kernel.now;
    for (const [key, m] of this.moving) {
      const g = this.w.bbs.group(m.processGuid, m.index);
      if (this.settle(m, g, now) === null) continue;
      this.moving.delete(key);
      const n = (this.movingPerApp.get(m.processGuid) ?? 1) - 1;
      if (n > 0) this.movingPerApp.set(m.processGuid, n);
      else this.movingPerApp.delete(m.processGuid);
    }
    this.polling = this.moving.size > 0;
    if (this.polling) this.w.kernel.after(this.w.scenario.evacuationPollMs, this.h.poll);
  }

  // Ends a move whose replacement runs and is routable (stopping the old copy), whose replacement found
  // no cell (calling it off), or whose old copy is gone; null while it is under way.
  private settle(m: Move, g: LRPGroup | undefined, now: number): 'completed' | 'called off' | 'lost' | null {
    const rec = g?.ordinary;
    const old = this.w.executor.containerOf(m.from, m.oldGuid);
    const replaced = rec !== null && rec !== undefined && rec.state === 'RUNNING' && rec.instanceGuid !== m.oldGuid;
    const replacement = replaced ? this.w.executor.containerOf(rec.cell, rec.instanceGuid) : undefined;
    if (replaced && replacement !== undefined && replacement.running && !replacement.unready && !this.w.isCut(replacement.cell.zone)) {
      // The old copy is stopped through its rep: on a cell cut off from the control plane it runs on
      // until its rep squares up with the BBS (which dropped its record) once the zone heals.
      const from = this.w.cellById.get(m.from);
      if (old && !old.gone && from !== undefined && !this.w.isCut(from.zone)) {
        this.w.stopInstance(m.from, m.oldGuid);
        this.w.kernel.note('rebalance-done', { lrp: `${m.processGuid}.${m.index}`, from: m.from, to: rec.cell });
      }
      this.completed(m);
      if (m.to !== null && rec.cell === m.to) this.s.onTarget++;
      const d = this.w.bbs.desired.get(m.processGuid);
      if (d && this.w.routableOf(m.processGuid) < this.floorOf(d.instances)) this.s.floorBroken++;
      return 'completed';
    }
    // The index is no longer desired (scaled down, deleted): the converger retired its ordinary record;
    // the old copy, the only one left, is retired too (as a draining rep stops an undesired instance).
    const d = this.w.bbs.desired.get(m.processGuid);
    if (old && !old.gone && (!d || m.index >= d.instances)) {
      if (g && g.evacuating?.instanceGuid === m.oldGuid) {
        g.evacuating = null;
        this.w.bbs.watch.add(g);
      }
      this.w.stopInstance(m.from, m.oldGuid);
      this.s.calledOff++;
      this.w.kernel.note('rebalance-called-off', { lrp: `${m.processGuid}.${m.index}`, cell: m.from, reason: 'no longer desired' });
      return 'called off';
    }
    if (old && !old.gone) {
      // A replacement that no cell would take (its auction failed), that crashed, or that is not
      // starting or running by the evacuation timeout: the move is called off and the old copy is
      // the instance again (a starting replacement is waited for: it runs, or crashes).
      const idle = rec?.state === 'UNCLAIMED' || rec?.state === 'CRASHED';
      const stuck = idle && (rec.placementError !== '' || rec.crashCount > m.crashesAtStart || now - m.startedAt >= this.w.scenario.evacuationTimeoutMs);
      if (stuck && g && g.evacuating?.instanceGuid === m.oldGuid && this.w.bbs.recallEvacuating(g)) {
        this.s.calledOff++;
        this.w.kernel.note('rebalance-called-off', { lrp: `${m.processGuid}.${m.index}`, cell: m.from });
        return 'called off';
      }
      // The safe dance: the old copy keeps running until its replacement is routable.
      return null;
    }
    // The old copy went without the rebalancer stopping it: after its replacement ran, its rep stopped
    // it (the BBS had dropped its record: a move done by Diego's rules); before, a fault took it.
    if (replaced) {
      this.completed(m);
      return 'completed';
    }
    this.s.lost++;
    return 'lost';
  }

  private completed(m: Move): void {
    this.s.completed++;
    this.moveMs.push(this.w.kernel.now - m.startedAt);
  }

  private problem(detail: string): void {
    if (this.s.problems.length < MAX_PROBLEMS) this.s.problems.push(`${(this.w.kernel.now / 1000).toFixed(3)}s: ${detail}`);
  }
}
