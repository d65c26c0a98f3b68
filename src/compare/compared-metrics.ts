import { type MetricSpec, shownMetrics } from '../results/run-metrics.js';
import type { CompareRun } from './run-compare.js';

/**
 * The figures a comparison shows: the registry's, less those that apply to none of its runs (CPU and
 * GPU figures of a cluster without CPU or GPUs). A run's `samples` says whether a figure applied to
 * it (every figure with `applies` counts its samples).
 */
export function comparedMetrics(c: { runs: readonly Pick<CompareRun, 'samples'>[] }): readonly MetricSpec[] {
  return shownMetrics((m) => c.runs.some((run) => (run.samples?.[m.key] ?? 0) > 0));
}
