import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { FAULT_KINDS as FAULTS, type FaultKind } from '../../testing/plan.js';
import { checkStrategy, DEFAULT_CHECK_RUNS } from '../../testing/check-strategy.js';
import { CliError, EXIT_RUN_FAILED } from '../cli-error.js';
import { wholeNumber } from '../options.js';
import { ALLOW_LARGE_HELP, scenarioFrom } from '../scenario-option.js';
import { warnIfHeapTight } from '../heap-advice.js';
import { ProgressBar } from '../progress.js';
import { strategyFrom } from '../strategy-option.js';


interface CheckFlags {
  scenario?: string;
  runs: number;
  seed?: number;
  faults?: string;
  out: string;
  json?: boolean;
  allowLarge?: boolean;
}

/** Registers `auctionlab check`. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .summary("check a strategy against Diego's safety, liveness and determinism properties")
    .description(
      'Run the properties auctionlab checks on its own strategies against <strategy> (a built-in name or a path to a strategy module): ' +
        'placement accounting in one auction; safety (placement constraints included) just after every event and at every sample, and convergence within a bound, under random operations and faults; ' +
        'determinism. A failure prints the seed, the shrunk counterexample (written as a scenario file) and the command that replays it. ' +
        'Exit 1 if a property broke, 2 on bad input.',
    )
    .argument('<strategy>', 'built-in strategy name or path to a strategy module')
    .option('--scenario <file>', 'also run this scenario (file or bundled name) on random seeds: safe throughout, its expectations kept')
    .option('--allow-large', ALLOW_LARGE_HELP)
    .option('--runs <n>', 'runs per property, the --scenario one included', wholeNumber(1), DEFAULT_CHECK_RUNS)
    .option('--seed <n>', 'fast-check seed (to replay a failure)', wholeNumber(0))
    .option('--faults <kinds>', `fault kinds to inject, comma-separated: ${FAULTS.join(', ')} (default all)`)
    .option('--out <dir>', 'where counterexample scenario files go', 'reports/counterexamples')
    .option('--json', 'print the report as JSON')
    .action(async (spec: string, flags: CheckFlags) => {
      const strategy = await strategyFrom(spec, 'check <strategy>');
      let faults: FaultKind[] | undefined;
      if (flags.faults !== undefined) {
        const list = flags.faults.split(',').map((f) => f.trim()).filter((f) => f !== '');
        const bad = list.filter((f) => !FAULTS.includes(f as FaultKind));
        if (bad.length > 0) throw new CliError([`--faults: unknown fault kind ${bad.map((b) => JSON.stringify(b)).join(', ')} (expected: ${FAULTS.join(', ')})`]);
        faults = list as FaultKind[];
      }
      const loaded = flags.scenario !== undefined ? scenarioFrom(flags.scenario, flags) : undefined;
      if (loaded !== undefined) warnIfHeapTight(loaded.file, loaded.scenario);
      const scenario = loaded?.scenario;
      let property = '';
      const bar = new ProgressBar(`checking ${strategy.name}`, { amount: (d, t) => `${d} of ${t} runs (${property})` });
      const report = ((): ReturnType<typeof checkStrategy> => {
        try {
          return checkStrategy(strategy, {
            runs: flags.runs,
            onProgress: (done, total, name) => {
              property = name;
              bar.update(done, total);
            },
            ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
            ...(faults ? { faults } : {}),
            ...(scenario ? { scenario } : {}),
          });
        } finally {
          bar.done();
        }
      })();
      const lines: string[] = [`auctionlab check ${spec} (${strategy.name}), ${flags.runs} runs per property`, ''];
      for (const p of report.properties) {
        lines.push(`${p.ok ? 'ok    ' : 'BROKEN'} ${p.name} (${p.runs} runs): ${p.description}`);
        if (p.ok) continue;
        lines.push(`       ${p.error?.split('\n')[0] ?? ''}`);
        lines.push(`       seed ${p.seed}, path ${p.path}: replay with --seed ${p.seed}`);
        if (p.scenario) {
          mkdirSync(flags.out, { recursive: true });
          const file = join(flags.out, `${strategy.name}-${p.name}.yaml`);
          writeFileSync(file, p.scenario);
          lines.push(`       counterexample: ${file}`);
          lines.push(`       replay: auctionlab run ${file} --strategy ${spec} --log events.jsonl`);
        } else if (p.counterexample) {
          lines.push(`       counterexample (cells, lrps, tasks, seed): ${p.counterexample.length > 400 ? `${p.counterexample.slice(0, 400)}...` : p.counterexample}`);
        }
      }
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${lines.join('\n')}\n`);
      if (!report.ok) process.exitCode = EXIT_RUN_FAILED;
    });
}
