import { InputError } from '../core/json/problems.js';
import { STRATEGIES } from '../core/strategies/index.js';
import { isStrategyModule } from '../io/load-strategy.js';

/** One point of a comparison: a strategy with settings. */
export interface GridPoint {
  /** Label such as `diego` or `diego binPackFirstFitWeight=0.25`. */
  label: string;
  /** Strategy: a built-in name or a path to a strategy module, as given. */
  strategy: string;
  /** Settings given for this point (the rest are the strategy's defaults or the scenario's). */
  settings: Record<string, number>;
}

/** One run of a comparison: a grid point on one seed. */
export interface RunSpec {
  /** Position in the full list of runs (stable across shards and job counts). */
  index: number;
  /** Grid point. */
  point: number;
  /** Seed. */
  seed: number;
  /** Whether to keep the run's placement and time series (the first seed of each point, for reports). */
  detail: boolean;
}

/**
 * Parses `--set strategy.setting=v1,v2,...` values into a grid: every strategy gets the cartesian
 * product of the values given for its settings (and is a single point without any).
 */
export function buildGrid(strategies: readonly string[], sets: readonly string[]): GridPoint[] {
  const problems: { path: string; message: string }[] = [];
  const axes = new Map<string, [string, number[]][]>();
  for (const raw of sets) {
    const m = /^([^.=\s]+)\.([^=\s]+)=(.+)$/.exec(raw.trim());
    if (!m) {
      problems.push({ path: '--set', message: `expected strategy.setting=v1,v2,..., got ${JSON.stringify(raw)}` });
      continue;
    }
    const [, strategy, setting, list] = m as unknown as [string, string, string, string];
    if (!strategies.includes(strategy)) {
      problems.push({ path: '--set', message: `${strategy} is not among --strategies (${strategies.join(', ')})` });
      continue;
    }
    const values = list.split(',').map((v) => Number(v.trim()));
    if (values.some((v) => !Number.isFinite(v))) {
      problems.push({ path: '--set', message: `expected numbers after ${strategy}.${setting}=, got ${JSON.stringify(list)}` });
      continue;
    }
    axes.set(strategy, [...(axes.get(strategy) ?? []), [setting, values]]);
  }
  for (const s of strategies) {
    if (!STRATEGIES.has(s) && !isStrategyModule(s)) problems.push({ path: '--strategies', message: `unknown strategy ${JSON.stringify(s)} (expected one of: ${[...STRATEGIES.keys()].join(', ')})` });
  }
  if (problems.length > 0) throw new InputError(problems);
  const points: GridPoint[] = [];
  for (const strategy of strategies) {
    let combos: Record<string, number>[] = [{}];
    for (const [setting, values] of axes.get(strategy) ?? []) {
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [setting]: v })));
    }
    for (const settings of combos) {
      const parts = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
      points.push({ label: [strategy, ...parts].join(' '), strategy, settings });
    }
  }
  return points;
}

/** Every (point, seed) run, in a fixed order. */
export function runSpecs(points: number, seeds: readonly number[]): RunSpec[] {
  const out: RunSpec[] = [];
  for (let p = 0; p < points; p++) seeds.forEach((seed, k) => out.push({ index: out.length, point: p, seed, detail: k === 0 }));
  return out;
}

/** The runs of shard `i` of `n` (1-based): every n-th run, so shards are balanced. */
export function shardOf(runs: readonly RunSpec[], i: number, n: number): RunSpec[] {
  return runs.filter((r) => r.index % n === i - 1);
}
