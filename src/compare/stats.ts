// Two-sided 95% Student t quantiles for 1..30 degrees of freedom; 1.96 beyond.
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Mean and the half-width of its 95% confidence interval. */
export interface MeanCI {
  /** Sample mean. */
  mean: number;
  /** Half-width of the 95% confidence interval (Student t, sample standard deviation); 0 for one value. */
  ci: number;
  /** Number of values. */
  n: number;
}

/** Mean ± 95% CI: `t(0.975, n-1) x s / sqrt(n)` with `s` the sample standard deviation. */
export function meanCI(values: readonly number[]): MeanCI {
  const n = values.length;
  if (n === 0) return { mean: 0, ci: 0, n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  // Equal values have no spread; summing them may leave a rounding crumb in the mean (13.3 x 5 / 5)
  // that would print as a spread of 2.5e-15.
  if (n === 1 || values.every((v) => v === values[0])) return { mean: n === 1 ? mean : (values[0] as number), ci: 0, n };
  const s = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const t = T95[n - 2] ?? 1.96;
  return { mean, ci: (t * s) / Math.sqrt(n), n };
}
