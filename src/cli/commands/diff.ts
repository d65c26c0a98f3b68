import type { Command } from 'commander';
import { diffResults, diffSide, type DiffResult, type DiffSide } from '../../compare/diff.js';
import { InputError } from '../../core/json/problems.js';
import { formatFigure } from '../../report/format.js';
import { CliError } from '../cli-error.js';
import { parseJSONFile } from '../read-json-file.js';
import { renderTable } from '../table.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffReport } from '../../report/diff-report.js';
import { renderHtml } from '../../report/html.js';
import type { RunResultsFile } from '../../report/build.js';
import { asReportInput } from './report.js';
import { defaultReportDir } from '../report-dir.js';

/** Registers `auctionlab diff`. */
export function registerDiff(program: Command): void {
  program
    .command('diff')
    .summary('compare two saved results of the same scenario, figure by figure')
    .description(
      'Compare two results.json files (of `run`, `compare` or `merge`) of the same scenario and duration: for the points both have ' +
        '(or the only point of each), every figure of <b> against <a>, paired by seed over the seeds both ran, with its 95% bootstrap ' +
        'interval and a verdict (better or worse only when the interval is clear of zero, on three seeds or more). ' +
        'Exit 0; 2 when the two cannot be compared (another scenario, duration or seeds).',
    )
    .argument('<a>', 'the results.json to compare with (the reference)')
    .argument('<b>', 'the results.json to compare')
    .option('--json', 'print the diff as JSON')
    .option('--report', 'also write report.html: the figures, and for two runs their placement maps side by side at the same moment (one slider over both timelines), the cells that differ framed')
    .option('--out <dir>', 'where --report writes (default reports/diff-<scenario>)')
    .action((a: string, b: string, flags: { json?: boolean; report?: boolean; out?: string }) => {
      const sa = parseJSONFile<DiffSide>(a, diffSide);
      const sb = parseJSONFile<DiffSide>(b, diffSide);
      let d: DiffResult;
      try {
        d = diffResults(sa, sb);
      } catch (e) {
        if (e instanceof InputError) throw new CliError(e.problems.map((p) => `diff ${a} ${b}: cannot compare: ${p.message}`));
        throw e;
      }
      process.stdout.write(flags.json ? `${JSON.stringify(d, null, 2)}\n` : formatDiff(d, a, b));
      if (flags.report || flags.out !== undefined) {
        // A run's results show its map; a comparison's only its figures.
        const side = (file: string) => {
          const value = parseJSONFile<unknown>(file, (v) => v);
          const r = (value as { kind?: unknown }).kind === 'auctionlab-run' ? (asReportInput(value, file) as RunResultsFile) : null;
          return { label: file, run: r };
        };
        const dir = flags.out ?? defaultReportDir('diff', d.scenario);
        const html = join(dir, 'report.html');
        try {
          mkdirSync(dir, { recursive: true });
          writeFileSync(html, renderHtml(diffReport(d, side(a), side(b))));
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          if (err.code) throw new CliError([`--out: cannot write ${html}: ${err.message}`]);
          throw e;
        }
        (flags.json ? process.stderr : process.stdout).write(`Report: ${html}\n`);
      }
    });
}

/** The diff for people: per pair of points, a table of figures. */
export function formatDiff(d: DiffResult, a: string, b: string): string {
  const seeds = d.seeds.length === 1 ? `seed ${d.seeds[0]}` : `${d.seeds.length} seeds in common (${d.seeds[0]}..${d.seeds[d.seeds.length - 1]})`;
  const out = [`auctionlab diff: scenario ${d.scenario}, ${seeds}`, `a: ${a}`, `b: ${b}`];
  const est = (x: { mean: number; lo: number; hi: number; n: number }, signed = false) => {
    if (x.n === 0) return 'n/a';
    const f = (v: number) => (signed && v > 0 ? `+${formatFigure(v)}` : formatFigure(v));
    return x.lo === x.hi ? f(x.mean) : `${f(x.mean)} [${f(x.lo)}, ${f(x.hi)}]`;
  };
  for (const p of d.pairs) {
    out.push('', p.a === p.b ? `${p.b}:` : `${p.b} (b) against ${p.a} (a):`);
    const rows = p.figures.map((f) => [f.name, est(f.a), est(f.b), est(f.diff, true), f.diff.n === 0 ? '' : `${f.verdict} (${f.diff.n} seed${f.diff.n === 1 ? '' : 's'})`, `${f.better} is better`]);
    out.push(...renderTable(['figure', 'a', 'b', 'b - a [95% interval]', 'verdict for b', ''], rows).split('\n').map((l) => `  ${l}`.trimEnd()));
  }
  out.push('', 'Paired by seed (the same workloads and faults); a verdict needs the whole interval on one side of zero and three seeds or more.');
  return `${out.join('\n')}\n`;
}
