// Intervals for comparisons over seeds: the percentile bootstrap of a mean, and of a mean paired
// difference (the same seed, so the same workload and faults, under two points). A bootstrap
// interval of a mean lies within the smallest and largest value it resamples, so it never leaves
// the range a figure can take (no count below zero, no index above one), which Student's t on five
// seeds did. With few seeds it is too narrow rather than too wide: the README says so.
import { streamFor } from '../core/random.js';

/** Resamples per interval: enough for stable 2.5 % and 97.5 % quantiles. */
export const RESAMPLES = 2000;

/** A mean and its 95% interval. */
export interface Estimate {
  /** Sample mean. */
  mean: number;
  /** Lower end of the 95% percentile-bootstrap interval. */
  lo: number;
  /** Upper end of it. */
  hi: number;
  /** How many values (seeds) it rests on. */
  n: number;
}

/**
 * The mean of `values` with its 95% percentile-bootstrap interval: `RESAMPLES` resamples with
 * replacement, drawn from a stream seeded by `label` (the same values and label give the same
 * interval everywhere). One value, or all equal: the interval is that value. None: NaN throughout.
 */
export function bootstrapMean(values: readonly number[], label: string): Estimate {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN, n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const first = values[0] as number;
  // Equal values have no spread; summing them may leave a rounding crumb in the mean.
  if (values.every((v) => v === first)) return { mean: first, lo: first, hi: first, n };
  const rng = streamFor(0, `bootstrap/${label}`);
  const means = new Float64Array(RESAMPLES);
  for (let b = 0; b < RESAMPLES; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(rng.next() * n)] as number;
    means[b] = sum / n;
  }
  means.sort();
  // The 2.5th and 97.5th percentiles (nearest rank).
  const at = (p: number) => means[Math.min(RESAMPLES - 1, Math.max(0, Math.ceil(p * RESAMPLES) - 1))] as number;
  return { mean, lo: at(0.025), hi: at(0.975), n };
}

/**
 * The mean of `a[s] - b[s]` over the seeds both have, with its 95% bootstrap interval: how much
 * `a` differs from `b` on the same workloads. `a` and `b` map seed to value.
 */
export function pairedDifference(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>, label: string): Estimate {
  const diffs: number[] = [];
  for (const [seed, x] of [...a].sort((p, q) => p[0] - q[0])) {
    const y = b.get(seed);
    if (y !== undefined && Number.isFinite(x) && Number.isFinite(y)) diffs.push(x - y);
  }
  return bootstrapMean(diffs, label);
}

/** Seeds a difference must rest on before it can count as clear. */
export const MIN_SEEDS_FOR_VERDICT = 3;

/**
 * Whether an estimated difference is clearly (its whole interval) on one side of zero: -1 below, 1
 * above, 0 neither, or fewer than {@link MIN_SEEDS_FOR_VERDICT} seeds.
 */
export function sideOfZero(d: Estimate): -1 | 0 | 1 {
  if (d.n < MIN_SEEDS_FOR_VERDICT) return 0;
  if (d.hi < 0) return -1;
  if (d.lo > 0) return 1;
  return 0;
}
