// `low-node-utilization`: the Kubernetes descheduler's LowNodeUtilization plugin (kubernetes-sigs/
// descheduler, README "LowNodeUtilization"), on memory. Chosen as the third policy because it is what
// operators of Kubernetes run for this very problem (nodes that come back stay empty: the scheduler
// never moves a running pod), and because it differs from `greedy` in the two ways that matter: it
// acts only when some cells are under `low` while others are over `high` (hysteresis, so it settles and
// does not chase small differences), and it only evicts: the replacement is placed by the scheduler,
// here Diego's own auction, which weighs zones and the app's spread as well as load.
import type { CellState, LRP } from '../model/cell-state.js';
import { filterStage, FilterStage, resourceProblems } from '../filters.js';
import { holdsIndex, memoryHeld, memoryUsed, type MoveBudget, type RebalanceMove, type RebalancePolicy, type RebalanceSettings } from './policy.js';

/**
 * Cells using less than `low` of each of their memory, disk and containers are underused; more than
 * `high` of any, overused (the descheduler's thresholds on cpu, memory and pods, on Diego's three
 * resources: a cell whose containers are half taken is not underused, however little memory they
 * use, since the auction would not send it much more). With at least one of each, the overused
 * cells, most loaded (by memory) first, give instances until each is at or below `high`
 * or the underused cells' room up to `high` is taken (the descheduler's bound: it evicts no more than
 * the underused nodes can take up to the target threshold). The descheduler evicts lower-priority pods
 * first; Diego's instances have no priority, so the largest instance goes first (fewest moves to bring
 * the cell down; assumed), ties by app and index, and, as the descheduler's NodeFit check, only an
 * instance some other cell could take (its filters, its room, no copy of its index). Each move is an eviction: its replacement is
 * auctioned, and the auction decides where it goes.
 */
export const lowNodeUtilization: RebalancePolicy = {
  name: 'low-node-utilization',
  description: "the Kubernetes descheduler's LowNodeUtilization: with cells under `low` and cells over `high`, the overused ones give instances down to `high`; Diego's auction places the replacements",
  decide(cells: readonly CellState[], budget: MoveBudget, settings: RebalanceSettings): RebalanceMove[] {
    const sized = cells.filter((s) => s.TotalResources.MemoryMB > 0);
    const shareOf = (s: CellState) => share(s, 'MemoryMB', 0);
    // The descheduler's rule on every resource it watches (its cpu, memory and pods; Diego's memory,
    // disk and containers): underused when each is under low, overused when any is over high.
    const shares = (s: CellState) => [shareOf(s), share(s, 'DiskMB', 0), share(s, 'Containers', 0)];
    const under = sized.filter((s) => shares(s).every((x) => x < settings.low));
    const over = sized.filter((s) => shares(s).some((x) => x > settings.high));
    if (under.length === 0 || over.length === 0) return [];
    let room = under.reduce((n, s) => n + Math.max(0, settings.high * s.TotalResources.MemoryMB - memoryUsed(s)), 0);
    over.sort((a, b) => shareOf(b) - shareOf(a) || (a.cell_id < b.cell_id ? -1 : a.cell_id > b.cell_id ? 1 : 0));
    const moves: RebalanceMove[] = [];
    for (const s of over) {
      const largestFirst = [...s.LRPs].sort((a, b) => memoryHeld(s, b) - memoryHeld(s, a) || order(a, b));
      // What the cell would give up with the evictions planned so far.
      let memory = 0;
      let disk = 0;
      let containers = 0;
      const stillOver = () => share(s, 'MemoryMB', memory) > settings.high || share(s, 'DiskMB', disk) > settings.high || share(s, 'Containers', containers) > settings.high;
      for (const lrp of largestFirst) {
        if (budget.left <= 0 || room <= 0 || !stillOver()) break;
        const mem = memoryHeld(s, lrp);
        // The descheduler's NodeFit: a pod is evicted only if some other node could take it.
        if (mem > room || !fitsElsewhere(sized, s, lrp, mem) || !budget.allows(lrp, s.cell_id)) continue;
        budget.take(lrp);
        memory += mem;
        disk += lrp.DiskMB;
        containers++;
        room -= mem;
        moves.push({ processGuid: lrp.process_guid, index: lrp.index, instanceGuid: lrp.instance_guid, from: s.cell_id, to: null });
      }
    }
    return moves;
  },
};

// Whether a cell other than `from` passes the instance's filters, has the room, and holds no copy of its index.
function fitsElsewhere(cells: readonly CellState[], from: CellState, lrp: LRP, mem: number): boolean {
  return cells.some((c) => c !== from && filterStage(c, lrp) === FilterStage.Passed && !holdsIndex(c, lrp.process_guid, lrp.index) && resourceProblems(c.AvailableResources, mem, lrp.DiskMB, lrp) === 0);
}

// A cell's share of one resource in use, less `given` (what its evictions take away); 0 for a cell without any of it.
function share(s: CellState, r: 'MemoryMB' | 'DiskMB' | 'Containers', given: number): number {
  const total = s.TotalResources[r];
  return total > 0 ? (total - s.AvailableResources[r] - given) / total : 0;
}

// App, then index.
function order(a: LRP, b: LRP): number {
  return a.process_guid < b.process_guid ? -1 : a.process_guid > b.process_guid ? 1 : a.index - b.index;
}
