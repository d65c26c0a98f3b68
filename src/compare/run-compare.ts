import type { Strategy } from '../core/strategy.js';
import type { Scenario } from '../scenario/types.js';
import type { PlacementSnapshot } from '../metrics/placement-snapshot.js';
import { simulate, type RunResult, type RunSummary, type Sample } from '../sim/simulate.js';
import type { GridPoint, RunSpec } from './grid.js';
import { meanCI, type MeanCI } from './stats.js';

/** A figure compared across strategies: how to read it off a run, and which way is better. */
export interface MetricSpec {
  /** Key in results and CSV. */
  key: string;
  /** Column heading. */
  label: string;
  /** Whether lower or higher values are better. */
  better: 'lower' | 'higher';
  /** Reads the figure off a run's summary. */
  get: (r: RunResult) => number;
}

/** The figures `compare` reports, with the same names as everywhere else. */
export const COMPARE_METRICS: readonly MetricSpec[] = [
  { key: 'distributionScore', label: 'distribution', better: 'lower', get: (r) => r.summary.distributionScore },
  { key: 'jainIndex', label: 'jain', better: 'higher', get: (r) => r.summary.balance.jainIndex },
  { key: 'zoneSkewMax', label: 'zone skew', better: 'lower', get: (r) => r.summary.balance.zoneSkewMax },
  { key: 'strandedMemoryMB', label: 'stranded MB', better: 'lower', get: (r) => r.summary.packing.strandedMemoryMB },
  { key: 'cellsNeeded', label: 'cells needed', better: 'lower', get: (r) => r.summary.packing.cellsNeeded },
  { key: 'failed', label: 'failed', better: 'lower', get: (r) => r.summary.failed },
  { key: 'waitP99Ms', label: 'wait p99 ms', better: 'lower', get: (r) => r.summary.waitMs.p99 },
  { key: 'missingAtEnd', label: 'missing', better: 'lower', get: (r) => r.summary.missingAtEnd },
  { key: 'convergeMs', label: 'converge ms', better: 'lower', get: (r) => meanConvergence(r) },
  { key: 'messages', label: 'messages', better: 'lower', get: (r) => r.summary.messages },
  { key: 'rounds', label: 'rounds', better: 'lower', get: (r) => r.summary.rounds },
];

/**
 * Mean time to converge over the run's faults (ms); a fault not converged by the end counts as the
 * time from the fault to the end of the run (a lower bound).
 */
function meanConvergence(r: RunResult): number {
  const faults = r.summary.convergence;
  if (faults.length === 0) return 0;
  return faults.reduce((a, f) => a + (f.convergedAfterMs ?? r.durationMs - f.at), 0) / faults.length;
}

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
  /** Each fault and the time to converge after it. */
  convergence: RunSummary['convergence'];
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
  const metrics: Record<string, number> = {};
  for (const m of COMPARE_METRICS) metrics[m.key] = m.get(r);
  const run: CompareRun = { index: spec.index, point: spec.point, seed: spec.seed, digest: r.digest, metrics };
  if (spec.detail) run.detail = { placement: r.placement, series: r.series, convergence: r.summary.convergence, failuresByReason: r.summary.failuresByReason };
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
    for (const m of COMPARE_METRICS) metrics[m.key] = { ...meanCI(mine.map((r) => r.metrics[m.key] as number)), best: false };
    return { label: p.label, metrics };
  });
  for (const m of COMPARE_METRICS) {
    const means = out.map((p) => (p.metrics[m.key] as MeanCI).mean);
    const best = m.better === 'lower' ? Math.min(...means) : Math.max(...means);
    out.forEach((p) => {
      const x = p.metrics[m.key] as MeanCI & { best: boolean };
      x.best = out.length > 1 && x.mean === best;
    });
  }
  return out;
}
