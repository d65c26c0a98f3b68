import type { Strategy } from '../core/strategy.js';
import type { Scenario } from '../scenario/types.js';
import type { PlacementSnapshot } from '../metrics/placement-snapshot.js';
import { simulate, type RunSummary, type Sample } from '../sim/simulate.js';
import type { GridPoint, RunSpec } from './grid.js';
import { meanCI, type MeanCI } from './stats.js';
import { RUN_METRICS } from '../results/run-metrics.js';

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
}

/** Runs one (point, seed) with the point's strategy loaded. Pure: the same inputs give the same run, in any process. */
export function runOne(scenario: Scenario, point: GridPoint, strategy: Strategy, spec: RunSpec, durationMs?: number): CompareRun {
  const r = simulate(scenario, {
    seed: spec.seed,
    strategy,
    settings: point.settings,
    ...(durationMs !== undefined ? { durationMs } : {}),
  });
  const run: CompareRun = { index: spec.index, point: spec.point, seed: spec.seed, digest: r.digest, metrics: { ...r.metrics } };
  if (spec.detail) run.detail = { placement: r.placement, series: r.series, faults: r.summary.faults, failuresByReason: r.summary.failuresByReason };
  return run;
}

/** One grid point's figures over its seeds. */
export interface PointSummary {
  /** The point. */
  label: string;
  /** Mean and 95% CI per metric, with whether this point is the best on it. */
  metrics: Record<string, MeanCI & { best: boolean }>;
}

/** Mean ± CI per metric per point, and which point is best on each metric (ties all best). */
export function summarisePoints(points: readonly GridPoint[], runs: readonly CompareRun[]): PointSummary[] {
  const out: PointSummary[] = points.map((p, i) => {
    const mine = runs.filter((r) => r.point === i);
    const metrics: PointSummary['metrics'] = {};
    for (const m of RUN_METRICS) metrics[m.key] = { ...meanCI(mine.map((r) => r.metrics[m.key] as number)), best: false };
    return { label: p.label, metrics };
  });
  for (const m of RUN_METRICS) {
    const means = out.map((p) => (p.metrics[m.key] as MeanCI).mean);
    const best = m.better === 'lower' ? Math.min(...means) : Math.max(...means);
    out.forEach((p) => {
      const x = p.metrics[m.key] as MeanCI & { best: boolean };
      x.best = out.length > 1 && x.mean === best;
    });
  }
  return out;
}
