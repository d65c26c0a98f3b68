import { InputError } from '../core/json/problems.js';
import { STRATEGIES } from '../core/strategies/index.js';
import { isStrategyModule } from '../io/load-strategy.js';
import type { RebalancePolicyName } from '../core/rebalance/index.js';

/** One point of a comparison: a strategy with settings. */
export interface GridPoint {
  /** Label such as `diego` or `diego binPackFirstFitWeight=0.25`. */
  label: string;
  /** Strategy: a built-in name or a path to a strategy module, as given. */
  strategy: string;
  /** Settings given for this point (the rest are the strategy's defaults or the scenario's). */
  settings: Record<string, number>;
  /** The rebalancing policy this point runs with (`compare --rebalance`; absent: the scenario's). */
  rebalance?: RebalancePolicyName;
}

/** How {@link buildGrid} names strategy modules and what settings points start from. */
export interface GridOptions {
  /** A strategy module's path (as in the list) to its strategy's name. */
  names?: ReadonlyMap<string, string>;
  /** Settings every point of a strategy starts from, by strategy (as in the list). */
  base?: ReadonlyMap<string, Readonly<Record<string, number>>>;
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
 *
 * `opts.names` maps a strategy module's path (as given in `strategies`) to its strategy's own name:
 * a `--set` may then name the module either way (`./two-choices.js.choices=1,2` or
 * `two-choices.choices=1,2`), and the module's points are labelled by its name (by its path when
 * another strategy of the comparison has the same name). `opts.base` gives a strategy settings
 * every one of its points starts from (the scenario's own, when compare runs the scenario's
 * strategy), shown in the labels.
 */
export function buildGrid(strategies: readonly string[], sets: readonly string[], opts: GridOptions = {}): GridPoint[] {
  const names = opts.names ?? new Map<string, string>();
  const problems: { path: string; message: string }[] = [];
  const nameOf = (spec: string) => names.get(spec) ?? spec;
  const label = (spec: string) => (strategies.some((o) => o !== spec && nameOf(o) === nameOf(spec)) ? spec : nameOf(spec));
  const axes = new Map<string, [string, number[]][]>();
  for (const raw of sets) {
    // The setting is after the last dot before `=`: a module path has dots of its own.
    const m = /^([^=\s]+)\.([^.=\s]+)=(.+)$/.exec(raw.trim());
    if (!m) {
      problems.push({ path: '--set', message: `expected strategy.setting=v1,v2,..., got ${JSON.stringify(raw)}` });
      continue;
    }
    const [, key, setting, list] = m as unknown as [string, string, string, string];
    const strategy = strategies.includes(key) ? key : strategies.find((s) => nameOf(s) === key);
    if (strategy === undefined) {
      problems.push({ path: '--set', message: `${key} is not among --strategies (${strategies.map(label).join(', ')})` });
      continue;
    }
    const values = list.split(',').map((v) => (v.trim() === '' ? NaN : Number(v.trim())));
    if (values.some((v) => !Number.isFinite(v))) {
      problems.push({ path: '--set', message: `expected numbers after ${key}.${setting}=, got ${JSON.stringify(list)}` });
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
    let combos: Record<string, number>[] = [{ ...opts.base?.get(strategy) }];
    for (const [setting, values] of axes.get(strategy) ?? []) {
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [setting]: v })));
    }
    for (const settings of combos) {
      const parts = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
      points.push({ label: [label(strategy), ...parts].join(' '), strategy, settings });
    }
  }
  return points;
}

/**
 * Every point once per rebalancing policy (`compare --rebalance`), policies inside strategies:
 * `diego rebalance=none`, `diego rebalance=greedy`, ... None given: the points as they are.
 */
export function withRebalancePolicies(points: readonly GridPoint[], policies: readonly RebalancePolicyName[]): GridPoint[] {
  if (policies.length === 0) return [...points];
  return points.flatMap((p) => policies.map((rebalance) => ({ ...p, label: `${p.label} rebalance=${rebalance}`, rebalance })));
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
