import type { CellState } from '../core/model/cell-state.js';

/**
 * Coefficient of variation: population standard deviation / mean. 0 for an empty list or a zero
 * mean (nothing to be uneven about).
 */
export function coefficientOfVariation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  if (mean === 0) return 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    sq += d * d;
  }
  return Math.sqrt(sq / n) / mean;
}

/** Memory in use on each cell (MB): total minus available. */
export function memoryUsedPerCell(states: readonly CellState[]): number[] {
  return states.map((s) => s.TotalResources.MemoryMB - s.AvailableResources.MemoryMB);
}

/**
 * Diego's distribution score: the coefficient of variation of memory used per cell
 * (`population std dev / mean`). 0 is perfectly even; lower is better balanced.
 */
export function distributionScore(states: readonly CellState[]): number {
  return coefficientOfVariation(memoryUsedPerCell(states));
}
