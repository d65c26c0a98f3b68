// Writes a report of saved results: report.html, and on request PNG charts and CSV tables.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { CompareResults } from '../compare/results.js';
import { compareReport, runReport, type ReportModel, type RunResultsFile } from './build.js';
import { compareTables, runTables, type ReportTables } from './csv.js';
import { renderHtml } from './html.js';
import { writePngs } from './png.js';

/** Results a report can be made of. */
export type ReportInput = RunResultsFile | CompareResults;

/** What to write besides the HTML. */
export interface ReportOptions {
  /** Also write the charts and maps as PNG files under `png/`. */
  png?: boolean;
  /** Also write cells.csv, apps.csv, series.csv and strategies.csv. */
  csv?: boolean;
}

/** The files written. */
export interface WrittenReport {
  /** The HTML report. */
  html: string;
  /** PNG files. */
  png: string[];
  /** CSV files. */
  csv: string[];
}

/** Whether results come from `compare` (or `merge`). */
export function isCompare(r: ReportInput): r is CompareResults {
  return (r as CompareResults).kind === 'auctionlab-compare';
}

/** The report model of results of either kind. */
export function reportModel(r: ReportInput): ReportModel {
  return isCompare(r) ? compareReport(r) : runReport(r);
}

/** The CSV tables of results of either kind. */
export function reportTables(r: ReportInput): ReportTables {
  return isCompare(r) ? compareTables(r) : runTables(r);
}

/** Writes report.html (and PNG and CSV files when asked) into `dir`. */
export async function writeReport(r: ReportInput, dir: string, opts: ReportOptions = {}): Promise<WrittenReport> {
  const model = reportModel(r);
  mkdirSync(dir, { recursive: true });
  const html = join(dir, 'report.html');
  writeFileSync(html, renderHtml(model));
  const csv: string[] = [];
  if (opts.csv) {
    const tables = reportTables(r);
    for (const [name, rows] of Object.entries(tables) as [keyof ReportTables, ReportTables[keyof ReportTables]][]) {
      const file = join(dir, `${name}.csv`);
      writeFileSync(file, stringify(rows));
      csv.push(file);
    }
  }
  const png = opts.png ? await writePngs(model, join(dir, 'png')) : [];
  return { html, png, csv };
}
