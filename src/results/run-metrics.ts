// The metric registry: every figure a run is compared on, with its name in words, its unit, which
// way is better and where it comes from. The run's results (`metrics` in results.json), `run`'s text,
// `compare` (table, CSV, results.json) and the reports all read this one list; adding a figure is
// adding an entry here.
import type { RunResult } from './run-result.js';

/** What a figure is read from: a run's summary and duration. */
export type MetricSource = Pick<RunResult, 'summary' | 'durationMs'>;

/** The unit of a figure: milliseconds, megabytes, a count of what its name says, or a pure number (a score or index). */
export type MetricUnit = 'ms' | 'MB' | 'count' | 'score';

/** A figure of a run: how to read it off the run, what it is called and which way is better. */
export interface MetricSpec {
  /** Key in results.json and CSV (camelCase, stable). */
  readonly key: string;
  /** Short column heading (tables on narrow screens). */
  readonly label: string;
  /** Its name in words, for titles and the run's text. */
  readonly name: string;
  /** Unit of its value. */
  readonly unit: MetricUnit;
  /** Whether lower or higher values are better. */
  readonly better: 'lower' | 'higher';
  /** Where it comes from: what it is computed over, in a sentence. */
  readonly from: string;
  /** Decimals worth showing. */
  readonly digits: number;
  /** Reads the figure off a run. */
  get(r: MetricSource): number;
  /**
   * How many observations the run's figure rests on, where that can be few or none (a percentile's
   * placements, the faults that displaced anything); a run with none has no such figure.
   */
  samples?(r: MetricSource): number;
  /**
   * Whether the figure means anything for a run (absent: always): CPU and GPU figures only for a
   * cluster that carries CPU or GPUs. Where it applies to no run, `run`, `compare` and the reports
   * leave it out rather than show a 0 that was never measured.
   */
  applies?(r: MetricSource): boolean;
}

// A fault displaced instances that were still desired when the run ended (else there was nothing to bring back).
const hadInstancesToBringBack = (f: { displaced: number; noLongerDesired: number }) => f.displaced - f.noLongerDesired > 0;

/**
 * Mean, over the run's faults that displaced instances, of the time until the last of them ran again
 * (ms); a fault some of whose instances never came back counts until the end of the run (a lower
 * bound). 0 when no fault displaced anything.
 */
function meanRecovery(r: MetricSource): number {
  const faults = r.summary.faults.filter(hadInstancesToBringBack);
  if (faults.length === 0) return 0;
  return faults.reduce((a, f) => a + (f.recoveredAfterMs ?? r.durationMs - f.at), 0) / faults.length;
}

// The rebalancing figures apply to runs of scenarios with a `rebalance:` entry, one observation each.
const REBALANCED: Pick<MetricSpec, 'samples' | 'applies'> = {
  samples: (r) => (r.summary.rebalance ? 1 : 0),
  applies: (r) => r.summary.rebalance !== undefined,
};

/** The figures runs are compared on, in the order tables show them. */
export const RUN_METRICS: readonly MetricSpec[] = [
  {
    key: 'distributionScore',
    label: 'distribution',
    name: 'Distribution score',
    unit: 'score',
    better: 'lower',
    digits: 4,
    from: "coefficient of variation of memory used per live cell at the end (Diego's balance score; 0 is perfectly even)",
    get: (r) => r.summary.distributionScore,
  },
  { key: 'jainIndex', label: 'jain', name: "Jain's fairness index", unit: 'score', better: 'higher', digits: 4, from: 'of memory used per live cell at the end (1 is perfectly even)', get: (r) => r.summary.balance.jainIndex },
  { key: 'zoneSkewMax', label: 'zone skew', name: 'Zone skew (worst app)', unit: 'count', better: 'lower', digits: 1, from: "the largest, over apps, of instances in the app's fullest zone minus its emptiest, at the end", get: (r) => r.summary.balance.zoneSkewMax },
  { key: 'strandedMemoryMB', label: 'stranded MB', name: 'Stranded memory', unit: 'MB', better: 'lower', digits: 0, from: 'free memory on live cells that cannot take one more instance of the most common size, at the end', get: (r) => r.summary.packing.strandedMemoryMB },
  { key: 'cellsNeeded', label: 'cells needed', name: 'Cells needed if compacted', unit: 'count', better: 'lower', digits: 1, from: 'the fewest cells that would hold everything running at the end', get: (r) => r.summary.packing.cellsNeeded },
  { key: 'failed', label: 'failed', name: 'Failed auctions', unit: 'count', better: 'lower', digits: 1, from: 'auctions (instances and tasks) that ended without a placement, over the run', get: (r) => r.summary.failed },
  {
    key: 'waitP99Ms',
    label: 'wait p99 ms',
    name: 'Wait for placement, p99',
    unit: 'ms',
    better: 'lower',
    digits: 1,
    from: '99th percentile of the time from request to placement, over every placement of the run',
    get: (r) => r.summary.waitMs.p99,
    samples: (r) => r.summary.waitMs.count,
  },
  { key: 'missingAtEnd', label: 'missing', name: 'Instances missing at the end', unit: 'count', better: 'lower', digits: 1, from: 'desired instances not running when the run ends (an index whose EVACUATING copy still serves, in a drain or a rebalancing move, is not missing)', get: (r) => r.summary.missingAtEnd },
  {
    key: 'recoveryMs',
    label: 'recovery ms',
    name: "Time until a fault's instances all ran again, mean",
    unit: 'ms',
    better: 'lower',
    digits: 0,
    from: 'mean over faults that displaced instances of the time until the last of them ran again (some never did: until the end); crash loops of other apps do not count',
    get: meanRecovery,
    samples: (r) => r.summary.faults.filter(hadInstancesToBringBack).length,
  },
  // CPU and GPUs: only runs whose cells carry them have these figures (a Diego cluster has none).
  {
    key: 'cpuAllocation',
    label: 'cpu alloc',
    name: 'CPU allocated',
    unit: 'score',
    better: 'higher',
    digits: 3,
    from: 'CPU allocated over the CPU of live cells that account CPU, at the end (only clusters with CPU)',
    get: (r) => r.summary.resources?.cpuAllocation ?? 0,
    samples: (r) => (r.summary.resources?.cpuAllocation == null ? 0 : 1),
    applies: (r) => r.summary.resources?.cpuAllocation != null,
  },
  {
    key: 'gpuAllocation',
    label: 'gpu alloc',
    name: 'GPU allocated',
    unit: 'score',
    better: 'higher',
    digits: 3,
    from: 'GPU thousandths allocated over those of live cells, at the end (only clusters with GPUs)',
    get: (r) => r.summary.resources?.gpuAllocation ?? 0,
    samples: (r) => (r.summary.resources?.gpuAllocation == null ? 0 : 1),
    applies: (r) => r.summary.resources?.gpuAllocation != null,
  },
  {
    key: 'strandedGpus',
    label: 'stranded GPUs',
    name: 'Stranded GPUs',
    unit: 'count',
    better: 'lower',
    digits: 1,
    from: 'free GPUs (whole devices\' worth) on live cells that cannot take one more of the most common GPU work, at the end (only clusters with GPUs)',
    get: (r) => r.summary.resources?.strandedGpus ?? 0,
    samples: (r) => (r.summary.resources?.strandedGpus == null ? 0 : 1),
    applies: (r) => r.summary.resources?.strandedGpus != null,
  },
  // Recurring tasks: only runs with cron entries have these figures.
  {
    key: 'cronMissed',
    label: 'cron missed',
    name: 'Cron ticks missed or skipped',
    unit: 'count',
    better: 'lower',
    digits: 1,
    from: 'ticks of every cron entry that did not run: missed (no auctioneer held the lock, or the starting deadline passed) or skipped by the forbid policy (only scenarios with cron entries)',
    get: (r) => (r.summary.cron ?? []).reduce((n, c) => n + c.missed + c.skipped, 0),
    samples: (r) => ((r.summary.cron ?? []).length > 0 ? 1 : 0),
    applies: (r) => (r.summary.cron ?? []).length > 0,
  },
  {
    key: 'cronLatenessP99Ms',
    label: 'cron late p99 ms',
    name: 'Cron lateness, p99',
    unit: 'ms',
    better: 'lower',
    digits: 1,
    from: "the largest, over cron entries, of the 99th percentile of the time from a tick to its task's start (only scenarios with cron entries whose ticks started)",
    get: (r) => Math.max(0, ...(r.summary.cron ?? []).map((c) => c.latenessMs.p99)),
    samples: (r) => ((r.summary.cron ?? []).some((c) => c.latenessMs.count > 0) ? 1 : 0),
    applies: (r) => (r.summary.cron ?? []).some((c) => c.latenessMs.count > 0),
  },
  // Rebalancing: only runs of scenarios with a `rebalance:` entry (policy none included) have these figures.
  {
    key: 'loadSpreadMean',
    label: 'load spread',
    name: 'Spread of load over time',
    unit: 'score',
    better: 'lower',
    digits: 4,
    from: "the mean, over the run's samples, of the standard deviation of live cells' share of memory in use (only scenarios with rebalance:)",
    get: (r) => r.summary.rebalance?.loadSpreadMean ?? 0,
    ...REBALANCED,
  },
  {
    key: 'rebalanceMoves',
    label: 'moves',
    name: 'Rebalancing moves',
    unit: 'count',
    better: 'lower',
    digits: 1,
    from: 'instances the rebalancer moved (started: each a replacement started and an old copy stopped), over the run (only scenarios with rebalance:)',
    get: (r) => r.summary.rebalance?.started ?? 0,
    ...REBALANCED,
  },
  { key: 'messages', label: 'messages', name: 'Messages', unit: 'count', better: 'lower', digits: 0, from: 'requests between auctioneers and cells, over the run', get: (r) => r.summary.messages },
  { key: 'rounds', label: 'rounds', name: 'Round trips on critical paths', unit: 'count', better: 'lower', digits: 0, from: "round trips on auctions' critical paths, over the run", get: (r) => r.summary.rounds },
];

/** Every registry figure of a run, by key. */
export function metricsOf(r: MetricSource): Record<string, number> {
  const out: Record<string, number> = {};
  // A figure that does not apply to the run (CPU or GPUs on a cluster without them) is absent, not 0.
  for (const m of RUN_METRICS) if (m.applies === undefined || m.applies(r)) out[m.key] = m.get(r);
  return out;
}

/** A figure's value with its unit when it has one: `0.1234`, `512 MB`, `10.5 ms`, `3`. */
export function formatMetric(m: MetricSpec, value: number): string {
  const v = Number.isInteger(value) ? String(value) : value.toFixed(m.digits);
  return m.unit === 'ms' || m.unit === 'MB' ? `${v} ${m.unit}` : v;
}

/** A figure's name with its unit when it has one, for axes and headings: `Stranded memory (MB)`. */
export function metricTitle(m: MetricSpec): string {
  return m.unit === 'ms' || m.unit === 'MB' ? `${m.name} (${m.unit})` : m.name;
}

/**
 * The figures to show: every figure of the registry, but one with `applies` only where `applies`
 * says it means something (for a run: that run; for a comparison: some run of it).
 */
export function shownMetrics(applies: (m: MetricSpec) => boolean): readonly MetricSpec[] {
  return RUN_METRICS.filter((m) => m.applies === undefined || applies(m));
}
