import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { buildGrid, runSpecs, shardOf, withRebalancePolicies, type GridPoint } from '../../compare/grid.js';
import type { RebalancePolicyName } from '../../core/rebalance/index.js';
import { rebalancePolicyOf } from '../../scenario/schema/rebalance.js';
import { runAll } from '../../compare/pool.js';
import { assemble, METRIC_KEYS, type CompareResults } from '../../compare/results.js';
import { FEW_SAMPLES, type FigureSummary } from '../../compare/run-compare.js';
import { MIN_SEEDS_FOR_VERDICT } from '../../compare/stats.js';
import { metricTitle } from '../../results/run-metrics.js';
import { comparedMetrics } from '../../compare/compared-metrics.js';
import { InputError } from '../../core/json/problems.js';
import { resolveSettings } from '../../core/settings.js';
import type { Strategy } from '../../core/strategy.js';
import { isStrategyModule, loadStrategy } from '../../io/load-strategy.js';
import { findStrategy, STRATEGIES } from '../../core/strategies/index.js';
import { scenarioSettingsFor } from '../../sim/scenario-settings.js';
import { checkScenarioSettings } from '../strategy-option.js';
import { plural } from '../../results/plural.js';
import { readJSONFile } from '../read-json-file.js';
import { CliError } from '../cli-error.js';
import { wholeNumber } from '../options.js';
import { ProgressBar } from '../progress.js';
import { ALLOW_LARGE_HELP, durationFrom, scenarioFrom } from '../scenario-option.js';
import { warnIfHeapTight } from '../heap-advice.js';
import { renderTable } from '../table.js';
import { csvFigure, formatFigure } from '../../report/format.js';
import { addReportOptions, emitReport, wantsReport, type ReportFlags } from './report.js';
import { resultsText } from '../../results/results-text.js';
import { defaultReportDir } from '../report-dir.js';

interface CompareFlags extends ReportFlags {
  strategies?: string;
  rebalance?: string;
  seeds: number;
  set?: string[];
  jobs?: number;
  shard?: string;
  duration?: string;
  out?: string;
  json?: boolean;
  baseline?: string;
  allowLarge?: boolean;
}

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

/** Registers `auctionlab compare` and `auctionlab merge`. */
export function registerCompare(program: Command): void {
  const cmd = program
    .command('compare')
    .summary('run strategies on the same seeds and compare their figures')
    .description(
      'Run every strategy (and every point of a --set grid) on the same seeds of a scenario, so workloads and faults match, ' +
        'and print each figure as its mean with a 95% bootstrap interval over the seeds, then every point\'s paired difference from the baseline ' +
        '(the first point unless --baseline says otherwise), better or worse only when the interval is clear of zero; * marks a point that beats ' +
        'every other clearly. Runs spread over worker threads; ' +
        'results are identical whatever --jobs is. --shard i/n runs one slice, for a cluster of machines; `auctionlab merge` joins the slices.',
    )
    .argument('<scenario>', 'scenario file or bundled scenario name')
    .option('--strategies <list>', "comma-separated strategies: built-in names or paths to strategy modules (default: the scenario's strategy, with its settings)")
    .option('--seeds <n>', 'seeds per point (the scenario seed and the next ones)', wholeNumber(1), 5)
    .option('--set <strategy.setting=v1,v2>', "grid values for a strategy setting, repeatable; a module is named by its path or its strategy's name (./two-choices.js.choices=1,2)", collect)
    .option('--rebalance <list>', "comma-separated rebalancing policies (none, greedy, low-node-utilization): every strategy runs with each, the scenario's rebalancer settings kept (or their defaults)")
    .option('--jobs <n>', 'worker threads (default: the number of cores); each holds one run in memory, so give large scenarios fewer', wholeNumber(1))
    .option('--shard <i/n>', 'run only shard i of n (1-based)')
    .option('--duration <time>', "override the scenario's duration")
    .option('--out <dir>', 'write results.json, runs.csv and summary.csv there (default with --report: reports/compare-<scenario>)')
    .option('--allow-large', ALLOW_LARGE_HELP)
    .option('--baseline <point>', 'the point the others are compared with: its label (as the table shows it) or its number from 1 (default: the first)')
    .option('--json', 'print the results as JSON');
  addReportOptions(cmd).action(async (arg: string, flags: CompareFlags) => {
    const results = await compare(arg, flags);
    const out = flags.out ?? (wantsReport(flags) ? defaultReportDir('compare', results.scenario) : undefined);
    if (out) writeResults(out, results);
    process.stdout.write(flags.json ? resultsText(results) : formatCompare(results));
    if (out && wantsReport(flags)) await emitReport(results, out, flags, flags.json === true);
  });

  const mergeCmd = program
    .command('merge')
    .summary('join the results.json files of compare shards')
    .description('Join the results.json files written by `compare --shard i/n` into the results of the whole comparison (the same as an unsharded run).')
    .argument('<results...>', 'results.json files of the shards')
    .option('--out <dir>', 'write results.json, runs.csv and summary.csv there (default with --report: reports/compare-<scenario>)')
    .option('--json', 'print the merged results as JSON');
  addReportOptions(mergeCmd).action(async (files: string[], flags: { out?: string; json?: boolean } & ReportFlags) => {
    const merged = merge(files);
    const out = flags.out ?? (wantsReport(flags) ? defaultReportDir('compare', merged.scenario) : undefined);
    if (out) writeResults(out, merged);
    process.stdout.write(flags.json ? resultsText(merged) : formatCompare(merged));
    if (out && wantsReport(flags)) await emitReport(merged, out, flags, flags.json === true);
  });
}

async function compare(arg: string, flags: CompareFlags): Promise<CompareResults> {
  const { file, scenario } = scenarioFrom(arg, flags.allowLarge ? { allowLarge: true } : {});
  const policies = rebalancePoliciesOf(flags.rebalance);
  // Without --strategies, the scenario's own strategy (its settings come with it).
  const strategies = flags.strategies === undefined ? [scenario.strategy] : [...new Set(flags.strategies.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  if (strategies.length === 0) throw new CliError([`--strategies: expected a comma-separated list of strategies, got ${JSON.stringify(flags.strategies)}`]);
  // The scenario's own strategy, when no flag names one, is the file's to get right.
  if (flags.strategies === undefined && findStrategy(scenario.strategy) === undefined) {
    throw new CliError([`${file}: strategy: unknown strategy ${JSON.stringify(scenario.strategy)} (expected one of: ${[...STRATEGIES.keys()].join(', ')})`]);
  }
  let points: GridPoint[];
  let loaded: Strategy[];
  try {
    // Strategies are loaded first: a --set may name a module by its strategy's name, and the
    // scenario's settings go with the strategy of their name.
    const bySpec = new Map<string, Strategy>();
    for (const spec of strategies) {
      const st = isStrategyModule(spec) ? await loadStrategy(spec) : findStrategy(spec);
      if (st) bySpec.set(spec, st);
    }
    // The scenario's settings, as the simulator gives them; wrong ones are the file's problem.
    const base = new Map<string, Readonly<Record<string, number>>>();
    for (const [spec, st] of bySpec) {
      const own = scenarioSettingsFor(st, scenario);
      if (Object.keys(own).length === 0) continue;
      checkScenarioSettings(st, own, file);
      base.set(spec, own);
    }
    points = withRebalancePolicies(buildGrid(strategies, flags.set ?? [], { names: new Map([...bySpec].filter(([spec]) => isStrategyModule(spec)).map(([spec, st]) => [spec, st.name])), base }), policies);
    loaded = await Promise.all(points.map((p) => bySpec.get(p.strategy) ?? loadStrategy(p.strategy)));
    loaded.forEach((s, i) => resolveSettings(s, (points[i] as GridPoint).settings));
  } catch (e) {
    if (e instanceof InputError) {
      throw new CliError(e.problems.map((p) => (p.path.startsWith('--') ? `${p.path}: ${p.message}` : p.path === 'strategy' ? `--strategies: ${p.message}` : `--set ${p.path}: ${p.message}`)));
    }
    throw e;
  }
  const durationMs = durationFrom(flags.duration, scenario, flags) ?? scenario.durationMs;
  let shard: { i: number; n: number } | null = null;
  if (flags.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flags.shard);
    const i = Number(m?.[1]);
    const n = Number(m?.[2]);
    if (!m || n < 1 || i < 1 || i > n) throw new CliError([`--shard: expected i/n with 1 <= i <= n, got ${JSON.stringify(flags.shard)}`]);
    shard = { i, n };
  }
  const seeds = Array.from({ length: flags.seeds }, (_, k) => scenario.seed + k);
  const all = runSpecs(points.length, seeds);
  const specs = shard ? shardOf(all, shard.i, shard.n) : all;
  warnIfHeapTight(file, scenario);
  const bar = new ProgressBar(`comparing on ${scenario.name}`, { amount: (d, t) => `${d} of ${plural(t, 'run')}` });
  bar.update(0, specs.length);
  let runs: Awaited<ReturnType<typeof runAll>>;
  try {
    runs = await runAll(scenario, points, loaded, specs, flags.jobs ?? cpus().length, durationMs, (d) => bar.update(d, specs.length));
  } finally {
    bar.done();
  }
  return assemble(scenario, durationMs, seeds, points, runs, shard, baselineOf(flags.baseline, points));
}

// The --baseline point: a label, or a number from 1.
// `--rebalance none,greedy`: the policies, each once, in the order given (none: no such axis).
function rebalancePoliciesOf(flag: string | undefined): RebalancePolicyName[] {
  if (flag === undefined) return [];
  const out: RebalancePolicyName[] = [];
  for (const part of flag.split(',')) {
    const p = rebalancePolicyOf('--rebalance', part);
    if (typeof p === 'object') throw new CliError([p.error]);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

function baselineOf(flag: string | undefined, points: readonly GridPoint[]): number {
  if (flag === undefined) return 0;
  const byLabel = points.findIndex((p) => p.label === flag);
  if (byLabel >= 0) return byLabel;
  if (/^\d+$/.test(flag) && Number(flag) >= 1 && Number(flag) <= points.length) return Number(flag) - 1;
  throw new CliError([`--baseline: expected one of the points (${points.map((p) => p.label).join(', ')}) or a number from 1 to ${points.length}, got ${JSON.stringify(flag)}`]);
}

function merge(files: readonly string[]): CompareResults {
  const parts = files.map((f) => {
    const r = readJSONFile(f) as Partial<CompareResults>;
    if (r?.kind !== 'auctionlab-compare' || !Array.isArray(r.runs) || !r.scenarioSpec || !Array.isArray(r.points) || !Array.isArray(r.seeds)) {
      throw new CliError([`${f}: not a results.json written by auctionlab compare`]);
    }
    return { file: f, r: r as CompareResults };
  });
  const first = parts[0]!.r;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const { file, r } of parts.slice(1)) {
    if (!same(r.scenarioSpec, first.scenarioSpec) || r.durationMs !== first.durationMs || !same(r.seeds, first.seeds) || !same(r.points, first.points)) {
      throw new CliError([`${file}: a shard of another comparison (scenario, duration, seeds or grid differ from ${parts[0]!.file})`]);
    }
  }
  const byIndex = new Map<number, CompareResults['runs'][number]>();
  for (const { r } of parts) for (const run of r.runs) byIndex.set(run.index, run);
  const expected = first.points.length * first.seeds.length;
  if (byIndex.size !== expected) throw new CliError([`merge: ${byIndex.size} of ${expected} runs present; a shard is missing`]);
  const baseline = first.baseline;
  if (baseline !== undefined && (!Number.isInteger(baseline) || baseline < 0 || baseline >= first.points.length)) throw new CliError([`${parts[0]!.file}: baseline: expected a point number from 0 to ${first.points.length - 1}, got ${JSON.stringify(baseline)}`]);
  return assemble(first.scenarioSpec, first.durationMs, first.seeds, first.points, [...byIndex.values()], null, baseline ?? 0);
}

function writeResults(dir: string, r: CompareResults): void {
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'results.json'), resultsText(r));
    const runs = r.runs.map((run) => [run.index, r.points[run.point]?.label ?? '', run.seed, run.digest, ...METRIC_KEYS.map((k) => run.metrics[k])]);
    writeFileSync(join(dir, 'runs.csv'), stringify([['index', 'point', 'seed', 'digest', ...METRIC_KEYS], ...runs]));
    const header = ['point', ...METRIC_KEYS.flatMap((k) => [`${k}_mean`, `${k}_lo`, `${k}_hi`, `${k}_n`, `${k}_best`, `${k}_diff`, `${k}_diff_lo`, `${k}_diff_hi`, `${k}_verdict`])];
    const rows = r.summary.map((p) =>
      [p.label, ...METRIC_KEYS.flatMap((k) => {
        const x = p.metrics[k]!;
        const v = csvFigure;
        return [v(x.mean), v(x.lo), v(x.hi), x.n, x.best ? 1 : 0, v(x.diff?.mean), v(x.diff?.lo), v(x.diff?.hi), x.verdict ?? ''];
      })],
    );
    writeFileSync(join(dir, 'summary.csv'), stringify([header, ...rows]));
  } catch (e) {
    throw new CliError([`--out: cannot write to ${dir}: ${(e as Error).message}`]);
  }
}


/**
 * Formats compare results: a table of each figure's mean and 95% bootstrap interval (* on a point
 * that beats every other clearly), then a table of each point's paired difference from the baseline.
 */
export function formatCompare(r: CompareResults): string {
  const metrics = comparedMetrics(r);
  const shard = r.shard ? ` (shard ${r.shard.i}/${r.shard.n}: ${r.runs.length} runs)` : '';
  const head = `auctionlab compare ${r.scenario}: ${plural(r.points.length, 'point')} x ${plural(r.seeds.length, 'seed')} (${r.seeds[0]}..${r.seeds[r.seeds.length - 1]}), ${(r.durationMs / 1000).toFixed(0)} s simulated each${shard}`;
  const cell = (x: FigureSummary) => {
    if (x.n === 0) return 'n/a';
    const n = x.n < r.seeds.length ? ` n=${x.n}` : '';
    return `${x.best ? '*' : ''}${formatFigure(x.mean)} [${formatFigure(x.lo)}, ${formatFigure(x.hi)}]${x.few ? ' †' : ''}${n}`;
  };
  const rows = r.summary.map((p) => [p.label, ...metrics.map((m) => cell(p.metrics[m.key]!))]);
  const base = r.summary[r.baseline]?.label ?? '';
  const verdict = { better: ' better', worse: ' worse', same: '', undecided: '' } as const;
  const diffRows = r.summary.flatMap((p, i) =>
    i === r.baseline
      ? []
      : [[p.label, ...metrics.map((m) => {
          const d = p.metrics[m.key]!.diff;
          if (!d || d.n === 0) return 'n/a';
          const sign = (v: number) => (v > 0 ? `+${formatFigure(v)}` : formatFigure(v));
          return `${sign(d.mean)} [${sign(d.lo)}, ${sign(d.hi)}]${verdict[p.metrics[m.key]!.verdict ?? 'same']}`;
        })]],
  );
  const legend = metrics.map((m) => `${m.label}: ${metricTitle(m)}, ${m.better} is better`).join('; ');
  const diffs = diffRows.length === 0 ? '' : `\nPaired differences from ${base} (the same seeds, so the same workloads and faults):\n\n${renderTable(['point', ...metrics.map((m) => m.label)], diffRows)}\n`;
  const notes =
    `mean over seeds [95% bootstrap interval]; * beats every other point by a paired difference clear of zero (at least ${MIN_SEEDS_FOR_VERDICT} seeds); ` +
    `† a percentile over fewer than ${FEW_SAMPLES} placements in some run; n/a: no run had the figure (no fault displaced anything); n=: seeds it rests on, when fewer. ` +
    `A difference says better or worse only when its whole interval is on one side of zero. ${legend}.`;
  return `${head}\n\n${renderTable(['point', ...metrics.map((m) => m.label)], rows)}\n${diffs}\n${notes}\n`;
}
