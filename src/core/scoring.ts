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
  /** 1: the CPU in use joins the mean, on cells that account CPU (auctionlab's `scoreCpu`; absent or 0: Diego's score). */
  scoreCpu?: number;
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
  return terms(available, total, memoryMB, diskMB, startingContainerCount * startingContainerWeight, 0, 0, null).score;
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
  lrp: { process_guid: string; MemoryMB: number; DiskMB: number; CpuMilli?: number | undefined },
  weights: ScoreWeights,
  cellIndex: number = cell.cell_index,
): number {
  return lrpScoreTerms(cell, lrp, weights, cellIndex).score;
}

/**
 * Diego's score of a task on a cell: resource score plus 1000 per task already on the cell.
 * Tasks get no proxy memory and no bin-pack term.
 */
export function scoreTask(
  cell: CellState,
  task: { MemoryMB: number; DiskMB: number; CpuMilli?: number | undefined },
  weights: Pick<ScoreWeights, 'startingContainerWeight' | 'scoreCpu'>,
): number {
  return taskScoreTerms(cell, task, weights).score;
}

/**
 * The terms of Diego's score of one piece of work on one cell, as the scheduler computed it: the
 * fraction of memory, disk and containers in use after the placement, their mean, the starting
 * containers x weight, the locality offset (1000 per instance of the same app, or per task, on the
 * cell) and the bin-pack term (cell index x weight; LRPs only). `score` is their sum in Diego's
 * order, the very float the scheduler compared.
 */
export interface ScoreTerms {
  /** Fraction of memory in use after the placement (proxy memory included for an LRP). */
  memory: number;
  /** Fraction of disk in use after it. */
  disk: number;
  /** Fraction of containers in use after it. */
  containers: number;
  /** Fraction of CPU in use after it, when the score counts CPU (`scoreCpu` on a cell that accounts CPU). */
  cpu?: number;
  /** Starting containers on the cell x startingContainerWeight. */
  starting: number;
  /** LOCALITY_OFFSET x instances of the same app (LRP) or tasks (task) already on the cell. */
  locality: number;
  /** Cell index x binPackFirstFitWeight (0 for tasks). */
  binPack: number;
  /** The score: (memory + disk + containers) / 3 (with CPU: (memory + disk + containers + cpu) / 4) + starting, + locality, + binPack. */
  score: number;
}

// Diego's arithmetic, once: every score above and its terms come from here, in Diego's order, so
// the floats (and so the ties) are Diego's.
// `cpuMilli` is the work's CPU when the score counts CPU on this cell, else null.
function terms(available: Resources, total: Resources, memoryMB: number, diskMB: number, starting: number, locality: number, binPack: number, cpuMilli: number | null): ScoreTerms {
  const memory = 1.0 - (available.MemoryMB - memoryMB) / total.MemoryMB;
  const disk = 1.0 - (available.DiskMB - diskMB) / total.DiskMB;
  const containers = 1.0 - (available.Containers - 1) / total.Containers;
  if (cpuMilli !== null) {
    const cpu = 1.0 - ((available.CpuMilli ?? 0) - cpuMilli) / (total.CpuMilli as number);
    const score = (memory + disk + containers + cpu) / 4.0 + starting + locality + binPack;
    return { memory, disk, containers, cpu, starting, locality, binPack, score };
  }
  // Summed as scoreLRP and scoreTask sum them, so `score` is the same float.
  const score = (memory + disk + containers) / 3.0 + starting + locality + binPack;
  return { memory, disk, containers, starting, locality, binPack, score };
}

// The work's CPU if the score counts CPU on this cell (scoreCpu set, the cell accounting CPU).
function scoredCpu(cell: CellState, work: { CpuMilli?: number | undefined }, weights: { scoreCpu?: number }): number | null {
  return weights.scoreCpu === 1 && cell.TotalResources.CpuMilli !== undefined ? (work.CpuMilli ?? 0) : null;
}

/** The terms of {@link scoreLRP}: the same arguments, the same score, taken apart. */
export function lrpScoreTerms(cell: CellState, lrp: { process_guid: string; MemoryMB: number; DiskMB: number; CpuMilli?: number | undefined }, weights: ScoreWeights, cellIndex: number = cell.cell_index): ScoreTerms {
  let same = 0;
  for (const l of cell.LRPs) if (l.process_guid === lrp.process_guid) same++;
  return terms(cell.AvailableResources, cell.TotalResources, lrp.MemoryMB + cell.ProxyMemoryAllocationMB, lrp.DiskMB, cell.StartingContainerCount * weights.startingContainerWeight, LOCALITY_OFFSET * same, cellIndex * weights.binPackFirstFitWeight, scoredCpu(cell, lrp, weights));
}

/** The terms of {@link scoreTask}: the same arguments, the same score, taken apart. */
export function taskScoreTerms(cell: CellState, task: { MemoryMB: number; DiskMB: number; CpuMilli?: number | undefined }, weights: Pick<ScoreWeights, 'startingContainerWeight' | 'scoreCpu'>): ScoreTerms {
  return terms(cell.AvailableResources, cell.TotalResources, task.MemoryMB, task.DiskMB, cell.StartingContainerCount * weights.startingContainerWeight, LOCALITY_OFFSET * cell.Tasks.length, 0, scoredCpu(cell, task, weights));
}
