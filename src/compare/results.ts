import { packageVersion } from '../io/version.js';
import type { Scenario } from '../scenario/types.js';
import type { GridPoint } from './grid.js';
import { RUN_METRICS } from '../results/run-metrics.js';
import { summarisePoints, type CompareRun, type PointSummary } from './run-compare.js';

/** What `compare` writes to results.json (and `merge` reads back). */
export type CompareResults = CompareResultsOf<Scenario>;

/**
 * A comparison's results with the scenario as `S` (results-file.ts names a plainer type than
 * {@link Scenario} for the published schema, which the schema generator can follow).
 */
export interface CompareResultsOf<S> {
  /** Marks the file. */
  kind: 'auctionlab-compare';
  /** The auctionlab version that ran it. */
  version: string;
  /** Scenario name. */
  scenario: string;
  /** The scenario as run (so shards can be checked to match). */
  scenarioSpec: S;
  /** Simulated duration of each run (ms). */
  durationMs: number;
  /** Seeds every point ran on. */
  seeds: number[];
  /** Grid points. */
  points: GridPoint[];
  /** Which shard this is (`null` for a whole comparison). */
  shard: { i: number; n: number } | null;
  /** Runs, by index. */
  runs: CompareRun[];
  /** The point every other is compared with (paired over the seeds), by index. */
  baseline: number;
  /** Per point: each figure's mean and 95% bootstrap interval, its paired difference from the baseline, the best marked (over the runs present). */
  summary: PointSummary[];
}

/** Assembles results from runs (sorted by index), computing the summary. */
export function assemble(
  scenario: Scenario,
  durationMs: number,
  seeds: number[],
  points: GridPoint[],
  runs: CompareRun[],
  shard: { i: number; n: number } | null,
  baseline = 0,
): CompareResults {
  const sorted = [...runs].sort((a, b) => a.index - b.index);
  return { kind: 'auctionlab-compare', version: packageVersion(), scenario: scenario.name, scenarioSpec: scenario, durationMs, seeds, points, shard, runs: sorted, baseline, summary: summarisePoints(points, sorted, baseline) };
}

/** The column keys of the CSV tables. */
export const METRIC_KEYS = RUN_METRICS.map((m) => m.key);
