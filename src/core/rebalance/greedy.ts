// `greedy`: the most loaded cell gives an instance to the least loaded, as long as the move narrows the
// spread of memory in use, and the rebalancer sends the replacement to that cell itself.
import { resourceProblems, filterStage, FilterStage } from '../filters.js';
import type { CellState, LRP } from '../model/cell-state.js';
import { holdsIndex, memoryHeld, memoryUsed, type MoveBudget, type RebalanceMove, type RebalancePolicy } from './policy.js';

// A cell as the policy sees it while it plans: its state and its memory in use after the moves planned.
interface Planned {
  readonly s: CellState;
  used: number;
  free: { MemoryMB: number; DiskMB: number; Containers: number };
  readonly cap: number;
  // Instances planned onto it (its rep would refuse a second copy of an index).
  readonly arriving: Set<string>;
  // Instances planned off it.
  readonly leaving: Set<string>;
}

const share = (c: Planned) => c.used / c.cap;

/**
 * Greedy load levelling on memory in use (share of each cell's memory). Each step takes the most
 * loaded cell and, of the cells below it from the least loaded up, the first that can take one of its
 * instances such that the move lowers the sum of squared deviations from the mean share (so it can
 * never undo itself: each move strictly narrows the spread); of the instances that qualify it takes
 * the one that leaves the larger of the two cells' shares lowest (ties: app, then index); a move across
 * zones may not spread its app across zones more unevenly than Diego's auction aims at. A cell with
 * nothing that can move is passed over. Stops when the budget is spent or no move narrows the spread.
 */
export const greedy: RebalancePolicy = {
  name: 'greedy',
  description: 'most loaded cell to least loaded, while a move narrows the spread of memory in use; the replacement is sent to that cell',
  decide(cells: readonly CellState[], budget: MoveBudget): RebalanceMove[] {
    const plan: Planned[] = cells
      .filter((s) => s.TotalResources.MemoryMB > 0)
      .map((s) => ({ s, used: memoryUsed(s), free: { ...s.AvailableResources }, cap: s.TotalResources.MemoryMB, arriving: new Set<string>(), leaving: new Set<string>() }));
    const zones = new ZoneCounts(cells);
    const moves: RebalanceMove[] = [];
    const spent = new Set<Planned>();
    while (budget.left > 0) {
      // Most loaded first, least loaded last; ties by cell id (a total order).
      const order = [...plan].sort((a, b) => share(b) - share(a) || (a.s.cell_id < b.s.cell_id ? -1 : a.s.cell_id > b.s.cell_id ? 1 : 0));
      const src = order.find((c) => !spent.has(c));
      if (!src) break;
      const move = bestMove(src, order.slice().reverse(), budget, zones);
      if (!move) {
        spent.add(src);
        continue;
      }
      const { lrp, dst, mem } = move;
      src.used -= mem;
      src.free.MemoryMB += mem;
      src.free.DiskMB += lrp.DiskMB;
      src.free.Containers++;
      src.leaving.add(lrp.instance_guid);
      dst.used += mem;
      dst.free.MemoryMB -= mem;
      dst.free.DiskMB -= lrp.DiskMB;
      dst.free.Containers--;
      dst.arriving.add(`${lrp.process_guid}\u0000${lrp.index}`);
      zones.move(lrp.process_guid, src.s.Zone, dst.s.Zone);
      budget.take(lrp);
      moves.push({ processGuid: lrp.process_guid, index: lrp.index, instanceGuid: lrp.instance_guid, from: src.s.cell_id, to: dst.s.cell_id });
      // The cells' loads changed: any cell may have something to give again.
      spent.clear();
    }
    return moves;
  },
};

// The best instance of `src` to move to the first cell (least loaded first) that can take one.
function bestMove(src: Planned, leastFirst: readonly Planned[], budget: MoveBudget, zones: ZoneCounts): { lrp: LRP; dst: Planned; mem: number } | null {
  const from = share(src);
  for (const dst of leastFirst) {
    if (dst === src || share(dst) >= from) break;
    let best: { lrp: LRP; mem: number; peak: number } | null = null;
    const before = from * from + share(dst) * share(dst);
    for (const lrp of src.s.LRPs) {
      if (src.leaving.has(lrp.instance_guid)) continue;
      const mem = memoryHeld(src.s, lrp);
      if (mem <= 0) continue;
      const after = (src.used - mem) / src.cap;
      const onto = (dst.used + mem) / dst.cap;
      // Narrows the spread: (a - m)² + (b + m)² < a² + b² in shares, i.e. the two cells end closer together.
      if (after * after + onto * onto >= before - 1e-12) continue;
      const peak = Math.max(after, onto);
      if (best !== null && (peak > best.peak || (peak === best.peak && !earlier(lrp, best.lrp)))) continue;
      if (!fits(dst, lrp, mem) || !zones.keepsBalance(lrp.process_guid, src.s.Zone, dst.s.Zone) || !budget.allows(lrp, src.s.cell_id)) continue;
      best = { lrp, mem, peak };
    }
    if (best) return { lrp: best.lrp, dst, mem: best.mem };
  }
  return null;
}

// Whether `dst` can take the instance: its filters pass, it has the room, and it holds no copy of the index.
function fits(dst: Planned, lrp: LRP, mem: number): boolean {
  if (filterStage(dst.s, lrp) !== FilterStage.Passed) return false;
  if (holdsIndex(dst.s, lrp.process_guid, lrp.index) || dst.arriving.has(`${lrp.process_guid}\u0000${lrp.index}`)) return false;
  return resourceProblems({ ...dst.s.AvailableResources, ...dst.free }, mem, lrp.DiskMB, lrp) === 0;
}

/**
 * Each app's instances per zone, over the cells looked at: a move across zones may not leave its app
 * more unevenly spread than Diego's auction aims at (a skew of at most 1, or no worse than it was).
 */
class ZoneCounts {
  private readonly zones: string[];
  private readonly byApp = new Map<string, Map<string, number>>();

  constructor(cells: readonly CellState[]) {
    this.zones = [...new Set(cells.map((s) => s.Zone))].sort();
    for (const s of cells) for (const l of s.LRPs) this.add(l.process_guid, s.Zone, 1);
  }

  keepsBalance(app: string, from: string, to: string): boolean {
    if (from === to) return true;
    const before = this.skew(app);
    this.add(app, from, -1);
    this.add(app, to, 1);
    const after = this.skew(app);
    this.add(app, to, -1);
    this.add(app, from, 1);
    return after <= Math.max(1, before);
  }

  move(app: string, from: string, to: string): void {
    this.add(app, from, -1);
    this.add(app, to, 1);
  }

  private add(app: string, zone: string, n: number): void {
    let m = this.byApp.get(app);
    if (!m) this.byApp.set(app, (m = new Map()));
    m.set(zone, (m.get(zone) ?? 0) + n);
  }

  private skew(app: string): number {
    const m = this.byApp.get(app);
    let lo = Infinity;
    let hi = -Infinity;
    for (const z of this.zones) {
      const n = m?.get(z) ?? 0;
      if (n < lo) lo = n;
      if (n > hi) hi = n;
    }
    return this.zones.length === 0 ? 0 : hi - lo;
  }
}

// App, then index: a total order on the instances of one cell.
function earlier(a: LRP, b: LRP): boolean {
  return a.process_guid < b.process_guid || (a.process_guid === b.process_guid && a.index < b.index);
}
