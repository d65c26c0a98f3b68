import type { CellState } from './model/cell-state.js';
import type { Resources } from './model/resources.js';

/**
 * Diego's locality offset: each instance of the same app (or each task, for tasks) already on a
 * cell adds this much, so spreading beats load in the score.
 */
export const LOCALITY_OFFSET = 1000;

/** The weights of Diego's score, all settings of the `diego` strategy. */
export interface ScoreWeights {
  /** Weight of the cell's StartingContainerCount (Diego's default 0.25). */
  startingContainerWeight: number;
  /** Weight of the cell's (per-zone normalised) index, for bin-pack first fit (Diego's default 0). */
  binPackFirstFitWeight: number;
}

/**
 * Diego's resource score, lower is better: the mean fraction of memory, disk and containers that
 * would be in use after this placement, plus StartingContainerCount x weight.
 *
 * `((1 - remMem/totMem) + (1 - remDisk/totDisk) + (1 - remContainers/totContainers)) / 3 + starting x w`
 *
 * The arithmetic is written exactly as Diego's so the floats, and so the ties, are the same.
 */
export function resourceScore(
  available: Resources,
  total: Resources,
  memoryMB: number,
  diskMB: number,
  startingContainerCount: number,
  startingContainerWeight: number,
): number {
  const fm = 1.0 - (available.MemoryMB - memoryMB) / total.MemoryMB;
  const fd = 1.0 - (available.DiskMB - diskMB) / total.DiskMB;
  const fc = 1.0 - (available.Containers - 1) / total.Containers;
  return (fm + fd + fc) / 3.0 + startingContainerCount * startingContainerWeight;
}

/**
 * Diego's score of an LRP instance on a cell (the filters and the resource check are separate):
 * resource score with the cell's proxy memory added to the instance, plus 1000 per instance of the
 * same app on the cell, plus the cell's index x the bin-pack first-fit weight.
 *
 * This is the readable reference; the scheduler computes the same numbers over typed arrays.
 * `cellIndex` is the (possibly per-zone normalised) index the scheduler uses.
 */
export function scoreLRP(
  cell: CellState,
  lrp: { process_guid: string; MemoryMB: number; DiskMB: number },
  weights: ScoreWeights,
  cellIndex: number = cell.cell_index,
): number {
  let same = 0;
  for (const l of cell.LRPs) if (l.process_guid === lrp.process_guid) same++;
  const rs = resourceScore(
    cell.AvailableResources,
    cell.TotalResources,
    lrp.MemoryMB + cell.ProxyMemoryAllocationMB,
    lrp.DiskMB,
    cell.StartingContainerCount,
    weights.startingContainerWeight,
  );
  return rs + LOCALITY_OFFSET * same + cellIndex * weights.binPackFirstFitWeight;
}

/**
 * Diego's score of a task on a cell: resource score plus 1000 per task already on the cell.
 * Tasks get no proxy memory and no bin-pack term.
 */
export function scoreTask(
  cell: CellState,
  task: { MemoryMB: number; DiskMB: number },
  weights: Pick<ScoreWeights, 'startingContainerWeight'>,
): number {
  const rs = resourceScore(
    cell.AvailableResources,
    cell.TotalResources,
    task.MemoryMB,
    task.DiskMB,
    cell.StartingContainerCount,
    weights.startingContainerWeight,
  );
  return rs + LOCALITY_OFFSET * cell.Tasks.length;
}
