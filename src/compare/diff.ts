// `auctionlab diff`: the paired comparison of two saved results (runs or comparisons) of the same
// scenario, figure by figure over the seeds both ran, with the intervals and verdicts `compare` uses.
import { InputError } from '../core/json/problems.js';
import { RUN_METRICS } from '../results/run-metrics.js';
import type { RunSummary } from '../results/run-result.js';
import { bootstrapMean, MIN_SEEDS_FOR_VERDICT, pairedDifference, sideOfZero, type Estimate } from './stats.js';

/** One side of a diff: the points of a results file, each with its figures by seed. */
export interface DiffSide {
  /** Scenario name. */
  scenario: string;
  /** The scenario as run, when the file says (comparisons do), to check both ran the same one. */
  scenarioSpec: unknown;
  /** Simulated duration (ms). */
  durationMs: number;
  /** Points by label: per metric key, value by seed (runs with no such figure left out). */
  points: Map<string, Map<string, Map<number, number>>>;
}

/** One figure of one pair of points. */
export interface DiffFigure {
  /** Metric key. */
  key: string;
  /** Its name and unit. */
  name: string;
  /** Which way is better. */
  better: 'lower' | 'higher';
  /** Mean of a over the seeds both sides have the figure for, with its interval. */
  a: Estimate;
  /** Mean of b over the same seeds, with its interval. */
  b: Estimate;
  /** b minus a, paired by seed, with its interval. */
  diff: Estimate;
  /** `better` or `worse` (for b) when the difference's interval is clear of zero, else `same`; `undecided` on fewer than three seeds. */
  verdict: 'better' | 'worse' | 'same' | 'undecided';
}

/** The diff of two results: for each pair of points, every figure. */
export interface DiffResult {
  /** Marks the output. */
  kind: 'auctionlab-diff';
  /** Scenario. */
  scenario: string;
  /** Seeds both sides ran (per pair they may be fewer, where a figure is missing). */
  seeds: number[];
  /** Pairs of points compared: b's against a's. */
  pairs: { a: string; b: string; figures: DiffFigure[] }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a results.json of `run` or `compare` (or `merge`) into a {@link DiffSide}; an {@link InputError} names what is wrong. */
export function diffSide(value: unknown): DiffSide {
  if (!isObj(value)) throw new InputError([{ path: '', message: 'expected a results.json written by auctionlab run, compare or merge' }]);
  const figures = (metrics: unknown, samples: unknown, path: string) => {
    if (!isObj(metrics)) throw new InputError([{ path, message: 'expected the figures by key' }]);
    const out = new Map<string, number>();
    for (const m of RUN_METRICS) {
      const v = Object.hasOwn(metrics, m.key) ? metrics[m.key] : undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const n = isObj(samples) && Object.hasOwn(samples, m.key) ? samples[m.key] : undefined;
      if (m.samples !== undefined && n === 0) continue;
      out.set(m.key, v);
    }
    return out;
  };
  const points = new Map<string, Map<string, Map<number, number>>>();
  const add = (label: string, seed: number, f: Map<string, number>) => {
    let p = points.get(label);
    if (!p) points.set(label, (p = new Map()));
    for (const [k, v] of f) {
      let bySeed = p.get(k);
      if (!bySeed) p.set(k, (bySeed = new Map()));
      bySeed.set(seed, v);
    }
  };
  if (value['kind'] !== 'auctionlab-run' && value['kind'] !== 'auctionlab-compare') {
    throw new InputError([{ path: 'kind', message: `expected "auctionlab-run" or "auctionlab-compare", got ${JSON.stringify(value['kind'] ?? null)}` }]);
  }
  const durationMs = value['durationMs'];
  if (typeof durationMs !== 'number' || !Number.isFinite(durationMs)) throw new InputError([{ path: 'durationMs', message: 'expected the simulated duration in ms (a results.json of this auctionlab version; re-run to make one)' }]);
  if (value['kind'] === 'auctionlab-run') {
    const seed = value['seed'];
    if (typeof seed !== 'number' || typeof value['strategy'] !== 'string' || typeof value['scenario'] !== 'string') throw new InputError([{ path: 'seed', message: 'expected a run results.json with its scenario, strategy and seed' }]);
    // A run's sample counts come from its summary (the same rule as compare's).
    const summary = value['summary'];
    if (!isObj(summary) || !Array.isArray(summary['faults']) || !isObj(summary['waitMs'])) throw new InputError([{ path: 'summary.faults', message: 'expected the recovery of each fault (a results.json of this auctionlab version; re-run to make one)' }]);
    const s = summary as unknown as RunSummary;
    const samples = Object.fromEntries(RUN_METRICS.filter((m) => m.samples).map((m) => [m.key, (m.samples as NonNullable<typeof m.samples>)({ summary: s, durationMs })]));
    add(value['strategy'], seed, figures(value['metrics'], samples, 'metrics'));
    return { scenario: value['scenario'], scenarioSpec: null, durationMs, points };
  }
  if (value['kind'] === 'auctionlab-compare') {
    const pts = value['points'];
    const runs = value['runs'];
    if (!Array.isArray(pts) || !Array.isArray(runs) || typeof value['scenario'] !== 'string') throw new InputError([{ path: 'runs', message: 'expected a comparison results.json with its points and runs' }]);
    runs.forEach((r: unknown, i) => {
      if (!isObj(r) || typeof r['point'] !== 'number' || typeof r['seed'] !== 'number') throw new InputError([{ path: `runs[${i}]`, message: 'expected {point, seed, metrics}' }]);
      const p = pts[r['point']] as Obj | undefined;
      if (!isObj(p) || typeof p['label'] !== 'string') throw new InputError([{ path: `runs[${i}].point`, message: `expected a point of points[] (0 to ${pts.length - 1})` }]);
      add(p['label'], r['seed'], figures(r['metrics'], r['samples'], `runs[${i}].metrics`));
    });
    return { scenario: value['scenario'], scenarioSpec: value['scenarioSpec'] ?? null, durationMs, points };
  }
  throw new InputError([{ path: 'kind', message: `expected "auctionlab-run" or "auctionlab-compare", got ${JSON.stringify(value['kind'] ?? null)}` }]);
}

/**
 * Compares `b` with `a`: the points both have (by label), or, when they share none and each has
 * one, those two. Throws an {@link InputError} (path `''`) when they cannot be compared: another
 * scenario, another duration, no seed in common, nothing to pair.
 */
export function diffResults(a: DiffSide, b: DiffSide): DiffResult {
  const problem = (message: string) => new InputError([{ path: '', message }]);
  if (a.scenario !== b.scenario) throw problem(`different scenarios (${JSON.stringify(a.scenario)} and ${JSON.stringify(b.scenario)})`);
  if (a.scenarioSpec !== null && b.scenarioSpec !== null && JSON.stringify(a.scenarioSpec) !== JSON.stringify(b.scenarioSpec)) throw problem(`scenario ${JSON.stringify(a.scenario)} differs between the two (its file changed between the runs)`);
  if (a.durationMs !== b.durationMs) throw problem(`different durations (${a.durationMs} ms and ${b.durationMs} ms)`);
  const shared = [...a.points.keys()].filter((l) => b.points.has(l));
  const pairs: [string, string][] = shared.length > 0 ? shared.map((l) => [l, l]) : a.points.size === 1 && b.points.size === 1 ? [[[...a.points.keys()][0] as string, [...b.points.keys()][0] as string]] : [];
  if (pairs.length === 0) throw problem(`no point to pair: the first has ${[...a.points.keys()].join(', ')}, the second ${[...b.points.keys()].join(', ')}`);
  const seedsOf = (p: Map<string, Map<number, number>>) => new Set([...p.values()].flatMap((m) => [...m.keys()]));
  const seeds = new Set<number>();
  for (const [la, lb] of pairs) {
    const sb = seedsOf(b.points.get(lb) as Map<string, Map<number, number>>);
    for (const s of seedsOf(a.points.get(la) as Map<string, Map<number, number>>)) if (sb.has(s)) seeds.add(s);
  }
  if (seeds.size === 0) throw problem('no seed in common: the two ran on different seeds');
  return {
    kind: 'auctionlab-diff',
    scenario: a.scenario,
    seeds: [...seeds].sort((x, y) => x - y),
    pairs: pairs.map(([la, lb]) => {
      const pa = a.points.get(la) as Map<string, Map<number, number>>;
      const pb = b.points.get(lb) as Map<string, Map<number, number>>;
      // A figure that applies to neither side (CPU or GPUs on clusters without them) is left out.
      const figures = RUN_METRICS.filter((m) => m.applies === undefined || pa.has(m.key) || pb.has(m.key)).map((m): DiffFigure => {
        const va = pa.get(m.key) ?? new Map<number, number>();
        const vb = pb.get(m.key) ?? new Map<number, number>();
        const common = [...va.keys()].filter((s) => vb.has(s)).sort((x, y) => x - y);
        const diff = pairedDifference(vb, va, `${lb}-vs-${la}/${m.key}`);
        const side = sideOfZero(diff);
        const sign = m.better === 'lower' ? -1 : 1;
        return {
          key: m.key,
          name: m.name,
          better: m.better,
          a: bootstrapMean(common.map((s) => va.get(s) as number), `${la}/${m.key}`),
          b: bootstrapMean(common.map((s) => vb.get(s) as number), `${lb}/${m.key}`),
          diff,
          verdict: diff.n < MIN_SEEDS_FOR_VERDICT ? 'undecided' : side === 0 ? 'same' : side === sign ? 'better' : 'worse',
        };
      });
      return { a: la, b: lb, figures };
    }),
  };
}
