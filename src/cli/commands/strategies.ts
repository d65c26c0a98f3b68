import type { Command } from 'commander';
import { STRATEGIES } from '../../core/strategies/index.js';

/** Registers `auctionlab strategies`. */
export function registerStrategies(program: Command): void {
  program
    .command('strategies')
    .summary('list the auction strategies and their settings')
    .description('List every built-in auction strategy with what it is, and each of its settings with its default and range.')
    .option('--json', 'print the list as JSON')
    .action((flags: { json?: boolean }) => {
      const list = [...STRATEGIES.values()].map((s) => ({ name: s.name, summary: s.summary, settings: s.settings.map((x) => ({ ...x })) }));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      const out: string[] = [];
      for (const s of list) {
        out.push(`${s.name}: ${s.summary}`);
        for (const x of s.settings) {
          const range = x.max >= Number.MAX_SAFE_INTEGER ? `>= ${x.min}` : `${x.min}..${x.max}`;
          out.push(`  ${x.name} = ${x.default}  (${x.integer ? 'whole number' : 'number'} ${range}) ${x.description}`);
        }
        if (s.settings.length === 0) out.push('  (no settings)');
      }
      out.push('', 'Set one with --set <name>=<value> (schedule, run) or in a scenario\'s settings.');
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
