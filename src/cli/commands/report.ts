import { dirname, relative } from 'node:path';
import type { Command } from 'commander';
import { PngUnavailableError } from '../../report/png.js';
import { writeReport, type ReportInput, type ReportOptions } from '../../report/write.js';
import { CliError } from '../cli-error.js';
import { readJSONFile } from '../read-json-file.js';

/** Flags shared by `run`, `compare` and `report` that shape a report. */
export interface ReportFlags {
  /** Write the HTML report. */
  report?: boolean;
  /** Also write PNG charts. */
  png?: boolean;
  /** Also write CSV tables. */
  csv?: boolean;
}

/** Adds `--report`, `--png` and `--csv` to a command that writes results.json. */
export function addReportOptions(cmd: Command): Command {
  return cmd
    .option('--report', 'also write report.html (placement map, charts, figures) next to results.json')
    .option('--png', 'with the report, write its charts and maps as PNG files under png/ (needs @napi-rs/canvas)')
    .option('--csv', 'with the report, write cells.csv, apps.csv, series.csv and strategies.csv');
}

/** Whether the flags ask for a report (--png and --csv imply --report). */
export function wantsReport(f: ReportFlags): boolean {
  return Boolean(f.report || f.png || f.csv);
}

/**
 * Writes the report of results into `dir` and says where, on stdout (stderr when stdout carries
 * JSON). A missing canvas package for --png is a clear message and exit 2, not a stack trace.
 */
export async function emitReport(results: ReportInput, dir: string, f: ReportFlags, toStderr = false): Promise<void> {
  const opts: ReportOptions = { ...(f.png ? { png: true } : {}), ...(f.csv ? { csv: true } : {}) };
  let written;
  try {
    written = await writeReport(results, dir, opts);
  } catch (e) {
    if (e instanceof PngUnavailableError) throw new CliError([`--png: ${e.message}`]);
    const err = e as NodeJS.ErrnoException;
    if (err.code && err.path) throw new CliError([`cannot write the report to ${dir}: ${err.message}`]);
    throw e;
  }
  // Relative to where the user is when that is shorter, else as given.
  const show = (p: string) => {
    const r = relative(process.cwd(), p);
    return r === '' || r.startsWith('..') ? p : r;
  };
  const lines = [`Report: ${show(written.html)}`];
  if (written.png.length > 0) lines.push(`PNG: ${written.png.length} files in ${show(dirname(written.png[0] as string))}`);
  if (written.csv.length > 0) lines.push(`CSV: ${written.csv.map(show).join(', ')}`);
  (toStderr ? process.stderr : process.stdout).write(`${lines.join('\n')}\n`);
}

/** Checks that parsed JSON is results auctionlab can report on, naming the first field that is not. */
export function asReportInput(value: unknown, file: string): ReportInput {
  const bad = (path: string, expected: string) => new CliError([`${file}: ${path}: expected ${expected}`]);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('(top level)', 'an object written by `auctionlab run --out` or `auctionlab compare --out`');
  const r = value as Record<string, unknown>;
  if (r['kind'] === 'auctionlab-compare') {
    for (const k of ['points', 'seeds', 'runs', 'summary'] as const) if (!Array.isArray(r[k])) throw bad(k, 'an array');
    if (typeof r['scenario'] !== 'string') throw bad('scenario', 'a string');
    if (typeof r['durationMs'] !== 'number') throw bad('durationMs', 'a number');
    return value as ReportInput;
  }
  if (typeof r['summary'] !== 'object' || r['summary'] === null) throw bad('summary', 'an object (is this a results.json of `auctionlab run` or `compare`?)');
  if (!Array.isArray(r['series'])) throw bad('series', 'an array of time samples');
  const p = r['placement'] as Record<string, unknown> | undefined;
  if (typeof p !== 'object' || p === null || !Array.isArray(p['cells']) || !Array.isArray(p['apps'])) {
    throw bad('placement', 'the placement at the end ({apps, cells}); results.json from an older auctionlab lacks it: run the scenario again');
  }
  for (const k of ['scenario', 'strategy', 'digest'] as const) if (typeof r[k] !== 'string') throw bad(k, 'a string');
  for (const k of ['seed', 'durationMs'] as const) if (typeof r[k] !== 'number') throw bad(k, 'a number');
  if (typeof r['settings'] !== 'object' || r['settings'] === null || Array.isArray(r['settings'])) throw bad('settings', "the strategy's settings by name (an object)");
  // What the report's page reads of the optional parts, so a damaged file is a line here, not a blank page.
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const t = r['timeline'];
  if (t !== undefined) {
    if (!obj(t)) throw bad('timeline', 'an object (or no timeline)');
    for (const k of ['times', 'cells', 'frames'] as const) if (!Array.isArray(t[k])) throw bad(`timeline.${k}`, 'an array');
    const apps = t['apps'];
    if (!obj(apps) || !Array.isArray(apps['shared']) || !Array.isArray(apps['rest']) || !Array.isArray(apps['memoryRuns'])) throw bad('timeline.apps', 'the app table ({shared, rest, memoryRuns})');
  }
  const reasons = r['placementReasons'];
  if (reasons !== undefined) {
    if (!obj(reasons)) throw bad('placementReasons', 'an object (or no placementReasons)');
    for (const k of ['instances', 'failures'] as const) if (!obj(reasons[k])) throw bad(`placementReasons.${k}`, 'an object by id');
  }
  return value as ReportInput;
}

/** Registers `auctionlab report`. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .summary('make an HTML report (and PNG charts, CSV tables) from saved results')
    .description(
      'Make report.html from a results.json written by `auctionlab run --out` or `auctionlab compare --out` (or `merge`): ' +
        'one self-contained file that works offline, with the placement map, distributions, time series with faults marked, ' +
        'failures, convergence, the comparison table and the facts to reproduce it. --png also draws the charts as PNG files; ' +
        '--csv writes per-cell, per-app, per-sample and per-strategy tables (columns in the README).',
    )
    .argument('<results>', 'a results.json file')
    .option('--out <dir>', 'where to write (default: the directory of results.json)')
    .option('--png', 'also write the charts and placement maps as PNG files under png/ (needs @napi-rs/canvas)')
    .option('--csv', 'also write cells.csv, apps.csv, series.csv and strategies.csv')
    .action(async (file: string, flags: { out?: string; png?: boolean; csv?: boolean }) => {
      const results = asReportInput(readJSONFile(file), file);
      await emitReport(results, flags.out ?? dirname(file), { report: true, ...(flags.png ? { png: true } : {}), ...(flags.csv ? { csv: true } : {}) });
    });
}
