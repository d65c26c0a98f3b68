// The cell verdicts every explaining strategy gives alike (Diego's filters and resource check are
// the same for all of them), and the explanation of a batch that had no usable state to decide on.
import { ERR_CELL_COMMUNICATION, problemNames, type ResourceProblems } from '../errors.js';
import { copyResources } from '../model/copy-resources.js';
import { gpuAsk } from '../model/gpus.js';
import { filterError, FilterStage } from '../filters.js';
import type { Auction, AuctionBatch, LRPAuction, TaskAuction } from '../model/auctions.js';
import type { CellState } from '../model/cell-state.js';
import type { Resources } from '../model/resources.js';
import type { AuctionExplanation, CellVerdict, FilterName, WorkNeeds } from './explanation.js';

const FILTER_NAMES: Record<number, FilterName> = { [FilterStage.RootFS]: 'rootfs', [FilterStage.VolumeDrivers]: 'volume-drivers', [FilterStage.PlacementTags]: 'placement-tags', [FilterStage.GpuModel]: 'gpu-model' };

/** What a piece of work asks for, for an explanation's `needs`. */
export function needsOf(w: LRPAuction['lrp'] | TaskAuction['task']): WorkNeeds {
  const out: WorkNeeds = { MemoryMB: w.MemoryMB, DiskMB: w.DiskMB };
  if (w.CpuMilli !== undefined) out.CpuMilli = w.CpuMilli;
  const ask = gpuAsk(w);
  if (ask !== null) {
    out.GpuCount = ask.count;
    out.GpuMilli = ask.milli;
  }
  return out;
}

/** The work an auction places. */
export function workOf(a: Auction): LRPAuction['lrp'] | TaskAuction['task'] {
  return a.kind === 'lrp' ? a.lrp : a.task;
}

/** A cell a filter turned away, with Diego's error for it. */
export function filteredVerdict(cell: CellState, stage: FilterStage, a: Auction): CellVerdict {
  return { cell: cell.cell_id, zone: cell.Zone, verdict: 'filtered', filter: FILTER_NAMES[stage] as FilterName, error: filterError(stage, workOf(a)) ?? '' };
}

/** A cell without room, with what the work needed on it (an LRP's memory with the cell's proxy memory) and what it had. */
export function insufficientVerdict(cell: CellState, problems: ResourceProblems, available: Resources, a: Auction): CellVerdict {
  const w = workOf(a);
  const proxy = a.kind === 'lrp' ? cell.ProxyMemoryAllocationMB : 0;
  const needed: Resources = { MemoryMB: w.MemoryMB + proxy, DiskMB: w.DiskMB, Containers: 1 };
  if (w.CpuMilli !== undefined) needed.CpuMilli = w.CpuMilli;
  const ask = gpuAsk(w);
  if (ask !== null) needed.GpuMilli = new Array<number>(ask.count).fill(ask.milli);
  return { cell: cell.cell_id, zone: cell.Zone, verdict: 'insufficient', problems: problemNames(problems), needed, available: copyResources(available) };
}

/** The evacuating cells among `states`, which the auctioneer leaves out. */
export function evacuatingVerdicts(states: readonly CellState[]): CellVerdict[] {
  return states.filter((s) => s.Evacuating).map((s) => ({ cell: s.cell_id, zone: s.Zone, verdict: 'evacuating' }));
}

/**
 * A batch with no usable state (none fetched, or every cell evacuating): the strategy asks again
 * and then fails every auction with Diego's communication error; so does its explanation.
 */
export function unreachableBatch(batch: AuctionBatch, states: readonly CellState[], strategy: string, rule: string): AuctionExplanation[] {
  return [...batch.lrps, ...batch.tasks].map((a) => ({
    id: a.id,
    kind: a.kind,
    strategy,
    rule,
    needs: needsOf(workOf(a)),
    placedOn: null,
    reason: ERR_CELL_COMMUNICATION,
    decidedByTie: false,
    zones: [],
    cells: evacuatingVerdicts(states),
  }));
}
