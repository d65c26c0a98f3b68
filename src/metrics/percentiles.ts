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
  if (n === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * n));
  return sorted[Math.min(n, rank) - 1] as number;
}

/** p50, p90, p99 and max of `values` (the input is not changed). */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : 0,
  };
}
