import type { Strategy } from '../core/strategy.js';
import type { Scenario } from '../scenario/types.js';
import type { PlacementSnapshot } from '../metrics/placement-snapshot.js';
import { simulate, type RunSummary, type Sample } from '../sim/simulate.js';
import type { GridPoint, RunSpec } from './grid.js';
import { bootstrapMean, MIN_SEEDS_FOR_VERDICT, pairedDifference, sideOfZero, type Estimate } from './stats.js';
import { RUN_METRICS } from '../results/run-metrics.js';
import { InstancePeaks } from '../scenario/instance-peaks.js';
import { withRebalancePolicy } from '../scenario/schema/rebalance.js';
import type { PlacementTimeline } from '../metrics/placement-timeline.js';

/** One run's outcome. */
export interface CompareRun {
  /** Position in the full list of runs. */
  index: number;
  /** Grid point. */
  point: number;
  /** Seed. */
  seed: number;
  /** Digest of the run's event log. */
  digest: string;
  /** Figures by metric key. */
  metrics: Record<string, number>;
  /** For figures that rest on few observations or none (see MetricSpec.samples): how many, by key. */
  samples?: Record<string, number>;
  /** The run's placement, time series and faults: kept for the first seed of each point, for reports. */
  detail?: RunDetail;
}

/** What a report shows of one run beyond its figures. */
export interface RunDetail {
  /** Where everything sat at the end. */
  placement: PlacementSnapshot;
  /** Time series. */
  series: Sample[];
  /** Each fault and how the instances it displaced came back. */
  faults: RunSummary['faults'];
  /** Failed auctions by reason. */
  failuresByReason: Record<string, number>;
  /** Where everything sat over the run, for the report's maps scrubbed together (scenarios of at most {@link COMPARE_TIMELINE_INSTANCES} instances). */
  timeline?: PlacementTimeline;
  /** The scenario's events, marked on the timeline. */
  events?: { atMs: number; label: string }[];
}

/**
 * The most instances (every app at its peak) a comparison records timelines for: one per point,
 * so a 250,000-instance scenario's four points would make a report of some 50 MB.
 */
export const COMPARE_TIMELINE_INSTANCES = 50_000;

/** Runs one (point, seed) with the point's strategy loaded. Pure: the same inputs give the same run, in any process. */
export function runOne(scenario: Scenario, point: GridPoint, strategy: Strategy, spec: RunSpec, durationMs?: number): CompareRun {
  const timeline = spec.detail === true && new InstancePeaks(scenario.apps, scenario.events).total() <= COMPARE_TIMELINE_INSTANCES;
  // The point's rebalancing policy (compare --rebalance), its settings the scenario's or the defaults.
  const run = point.rebalance !== undefined ? { ...scenario, rebalance: withRebalancePolicy(scenario.rebalance, point.rebalance) } : scenario;
  const r = simulate(run, {
    seed: spec.seed,
    strategy,
    settings: point.settings,
    ...(durationMs !== undefined ? { durationMs } : {}),
    ...(timeline ? { timeline: true } : {}),
  });
  const out: CompareRun = { index: spec.index, point: spec.point, seed: spec.seed, digest: r.digest, metrics: { ...r.metrics } };
  const counted = RUN_METRICS.filter((m) => m.samples !== undefined);
  if (counted.length > 0) out.samples = Object.fromEntries(counted.map((m) => [m.key, (m.samples as NonNullable<typeof m.samples>)({ summary: r.summary, durationMs: r.durationMs })]));
  if (spec.detail) {
    out.detail = {
      placement: r.placement,
      series: r.series,
      faults: r.summary.faults,
      failuresByReason: r.summary.failuresByReason,
      ...(r.timeline ? { timeline: r.timeline, events: r.summary.routesDuringEvents.map((e) => ({ atMs: e.atMs, label: e.event })) } : {}),
    };
  }
  return out;
}

/** Percentiles over fewer observations than this are flagged: the 99th of 50 is the worst but one. */
export const FEW_SAMPLES = 100;

/** One figure of one grid point over its seeds. */
export interface FigureSummary extends Estimate {
  /** Whether this point beats every other point on it, each by a paired difference clear of zero. */
  best: boolean;
  /** Its paired difference from the baseline point over the common seeds; null for the baseline itself. */
  diff: Estimate | null;
  /** The difference's verdict: `better` or `worse` when its interval is clear of zero, else `same`; `undecided` on fewer than three seeds; null for the baseline. */
  verdict: 'better' | 'worse' | 'same' | 'undecided' | null;
  /** For figures with a sample count: the fewest observations a run's figure rested on; runs with none are left out. */
  fewestSamples: number | null;
  /** Whether that is below {@link FEW_SAMPLES} for a percentile (the figure is then shaky). */
  few: boolean;
}

/** One grid point's figures over its seeds. */
export interface PointSummary {
  /** The point. */
  label: string;
  /** Per metric: mean and 95% bootstrap interval, difference from the baseline, whether best. */
  metrics: Record<string, FigureSummary>;
}

/**
 * Per point and metric: the mean over seeds with its 95% bootstrap interval, the paired difference
 * from the baseline point, and the best point, marked only when it beats every other point with a
 * difference clear of zero (see stats.ts). A run whose figure rests on no observation (no fault
 * displaced anything, for the recovery time) is left out of that figure.
 */
export function summarisePoints(points: readonly GridPoint[], runs: readonly CompareRun[], baseline = 0): PointSummary[] {
  const values = (m: (typeof RUN_METRICS)[number], i: number) => {
    const bySeed = new Map<number, number>();
    for (const r of runs) {
      if (r.point !== i) continue;
      if (m.samples !== undefined && (r.samples?.[m.key] ?? 1) === 0) continue;
      bySeed.set(r.seed, r.metrics[m.key] as number);
    }
    return bySeed;
  };
  const fewest = (m: (typeof RUN_METRICS)[number], i: number) => {
    if (m.samples === undefined) return null;
    const counts = runs.filter((r) => r.point === i && r.samples?.[m.key] !== undefined && r.samples[m.key] !== 0).map((r) => r.samples?.[m.key] as number);
    return counts.length === 0 ? 0 : Math.min(...counts);
  };
  const out: PointSummary[] = points.map((p) => ({ label: p.label, metrics: {} }));
  for (const m of RUN_METRICS) {
    const series = points.map((_, i) => values(m, i));
    const sign = m.better === 'lower' ? -1 : 1;
    points.forEach((p, i) => {
      const bySeed = series[i] as Map<number, number>;
      const est = bootstrapMean([...bySeed].sort((a, b) => a[0] - b[0]).map(([, v]) => v), `${p.label}/${m.key}`);
      const diff = i === baseline ? null : pairedDifference(bySeed, series[baseline] as Map<number, number>, `${p.label}-vs-${points[baseline]?.label}/${m.key}`);
      const side = diff === null ? 0 : sideOfZero(diff);
      const low = fewest(m, i);
      (out[i] as PointSummary).metrics[m.key] = {
        ...est,
        best: false,
        diff,
        verdict: diff === null ? null : diff.n < MIN_SEEDS_FOR_VERDICT ? 'undecided' : side === 0 ? 'same' : side === sign ? 'better' : 'worse',
        fewestSamples: low,
        few: low !== null && m.key.includes('P99') && low < FEW_SAMPLES,
      };
    });
    // The best: the point with the best mean, if it beats every other point clearly.
    const means = out.map((p) => (p.metrics[m.key] as FigureSummary).mean);
    const finite = means.filter((x) => Number.isFinite(x));
    if (points.length < 2 || finite.length === 0) continue;
    const target = m.better === 'lower' ? Math.min(...finite) : Math.max(...finite);
    const c = means.indexOf(target);
    const beatsAll = points.every((q, j) => j === c || sideOfZero(pairedDifference(series[c] as Map<number, number>, series[j] as Map<number, number>, `${points[c]?.label}-vs-${q.label}/${m.key}`)) === sign);
    if (beatsAll) (out[c] as PointSummary).metrics[m.key]!.best = true;
  }
  return out;
}
