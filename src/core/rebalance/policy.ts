// Auto-rebalancing (the talk's "future" list; Diego never shipped it: after a cell comes back every
// instance stays where convergence put it, lattice-release #206 and #216). A policy looks at the cells'
// states, as an auctioneer fetches them, and proposes moves; the simulator (sim/rebalancer.ts) carries
// each out by Diego's own safe dance, evacuation's: the replacement starts first, the old instance stops
// only once the replacement runs and is routable. Policies are pure: the same states and budget give
// the same moves.
import type { CellState, LRP } from '../model/cell-state.js';

/** One move a policy proposes: an instance off its cell, onto `to` (or wherever Diego's auction puts it). */
export interface RebalanceMove {
  /** The instance's app. */
  readonly processGuid: string;
  /** Its index. */
  readonly index: number;
  /** The instance that moves (its old copy). */
  readonly instanceGuid: string;
  /** The cell it leaves. */
  readonly from: string;
  /** The cell its replacement is sent to; null: Diego's auction places it (the replacement is auctioned). */
  readonly to: string | null;
}

/**
 * What a policy may still move in this interval (the disruption budget): the rebalancer says whether
 * an instance may move now (the moves left, its app's moves in flight, the app's routable floor, the
 * instance running where the BBS records it) and is told of each move taken.
 */
export interface MoveBudget {
  /** Moves left in this interval. */
  readonly left: number;
  /** Whether this instance, on this cell, may move now. */
  allows(lrp: LRP, cellId: string): boolean;
  /** A move of this instance was taken (counted against the interval's and its app's budget). */
  take(lrp: LRP): void;
}

/** The thresholds and settings a policy reads (the scenario's `rebalance:` entry). */
export interface RebalanceSettings {
  /** Low-node-utilization: a cell below this share of each of its memory, disk and containers in use is underused. */
  readonly low: number;
  /** Low-node-utilization: a cell above this share of any of them is overused, and gives instances until it is not. */
  readonly high: number;
}

/** A rebalancing policy: from the cells' states and the budget, the moves to make now, in order. */
export interface RebalancePolicy {
  /** Its name, as a scenario's `rebalance.policy` names it. */
  readonly name: string;
  /** One line on what it does, for `--help` and the docs. */
  readonly description: string;
  /**
   * The moves to make now. `cells`: the live cells that answered and are not draining, in the order
   * they were asked. Calls `budget.take` for each move it returns, and proposes none it does not allow.
   */
  decide(cells: readonly CellState[], budget: MoveBudget, settings: RebalanceSettings): RebalanceMove[];
}

/** Memory a cell has in use (its instances, tasks and their proxies), as its rep reports it. */
export function memoryUsed(s: CellState): number {
  return s.TotalResources.MemoryMB - s.AvailableResources.MemoryMB;
}

/** Memory an instance holds on a cell: its own and its proxy's (the rep allocates both). */
export function memoryHeld(s: CellState, lrp: LRP): number {
  return lrp.MemoryMB + s.ProxyMemoryAllocationMB;
}

/** Whether a cell already lists an instance of the app at this index (its rep would refuse a second). */
export function holdsIndex(s: CellState, processGuid: string, index: number): boolean {
  return s.LRPs.some((l) => l.process_guid === processGuid && l.index === index);
}
