import { selectInPlace } from './select.js';

/** Wait-time style summary of a list of numbers. */
export interface Percentiles {
  /** How many values. */
  count: number;
  /** Median. */
  p50: number;
  /** 90th percentile. */
  p90: number;
  /** 99th percentile. */
  p99: number;
  /** Largest value. */
  max: number;
}

/**
 * Nearest-rank percentile: the smallest value such that at least `p` of the values are at or below
 * it (`p` in 0..1). 0 for an empty list.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  return n === 0 ? 0 : (sorted[rankAt(n, p)] as number);
}

/** p50, p90, p99 and max of `values` (the input is not changed). */
export function percentiles(values: readonly number[]): Percentiles {
  const n = values.length;
  // A NaN or -0 is ordered by a sort, not by comparisons: then the whole list is sorted. So is a list
  // with a hole or a value that is not a number (outside the type): the plain copy below keeps them as
  // they are, where a typed copy makes them numbers (a hole a NaN).
  let plain = true;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v > max) max = v;
    if (typeof v !== 'number' || v !== v || (v === 0 && 1 / v < 0)) plain = false;
  }
  if (!plain || n < SELECT_FROM) {
    const sorted = Float64Array.from(values).sort();
    return { count: n, p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99), max: n > 0 ? (sorted[n - 1] as number) : 0 };
  }
  // The copy to select in is a plain array, not a typed one: V8 counts a typed array's buffer as
  // external memory, and past 64 MiB of it since the last full collection marks the whole heap at
  // once. A run's end at diego-x10 copies 5.8 million waits (46 MiB) here, beside the placement
  // snapshot's arrays: the collection that set off cost seconds there (bench/RESULTS.md).
  const copy = values.slice();
  // Each rank is found among the values below the one after it: the 99th percentile's selection
  // leaves the smaller values before it, the 90th's before that.
  const at99 = rankAt(n, 0.99);
  const at90 = rankAt(n, 0.9);
  const at50 = rankAt(n, 0.5);
  selectInPlace(copy, at99);
  selectInPlace(copy, at90, 0, at99);
  selectInPlace(copy, at50, 0, at90);
  return { count: n, p50: copy[at50] as number, p90: copy[at90] as number, p99: copy[at99] as number, max };
}

// Below this many values a sort is as quick.
const SELECT_FROM = 256;

// Where a sorted list of `n` (at least one) holds its nearest-rank percentile `p`.
function rankAt(n: number, p: number): number {
  return Math.min(n, Math.max(1, Math.ceil(p * n))) - 1;
}
