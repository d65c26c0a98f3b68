// The API reports: one file per entry point of package.json `exports` in api/ (api/auctionlab.api.md,
// api/auctionlab-sim.api.md, ...), written by API Extractor from the built declarations in dist/, so
// that a change to what users can import shows up in review as a diff of these files.
// `npm run api` builds and rewrites them; test/api-report.test.ts runs the same in check mode and
// fails while one is stale.
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const CONFIG = resolve(ROOT, 'api/api-extractor.json');
const PACKAGE_JSON = resolve(ROOT, 'package.json');

/** One entry point of the package, as package.json `exports` declares it. */
export interface EntryPoint {
  /** The subpath users import (`.`, `./sim`, ...). */
  subpath: string;
  /** Its built declaration file (absolute). */
  declarations: string;
  /** The report's base name: the import specifier with `/` as `-` (`auctionlab-sim`). */
  reportName: string;
}

/** What API Extractor said about one entry point. */
export interface EntryReport {
  /** The entry point. */
  entry: EntryPoint;
  /** The committed report (relative to the repository). */
  report: string;
  /** Whether the report differed from the one API Extractor made (rewritten in write mode). */
  changed: boolean;
  /** Errors and warnings, one line each (a stale report is one of them in check mode). */
  problems: string[];
}

/** The entry points with declarations in package.json `exports`, in the order listed there. */
export function entryPoints(): EntryPoint[] {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { name: string; exports: Record<string, string | { types?: string }> };
  const out: EntryPoint[] = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string' || target.types === undefined) continue; // ./package.json
    out.push({ subpath, declarations: resolve(ROOT, target.types), reportName: subpath === '.' ? pkg.name : `${pkg.name}-${subpath.slice(2).replaceAll('/', '-')}` });
  }
  return out;
}

/**
 * Runs API Extractor on every entry point. `write` rewrites the reports that changed; `check` leaves
 * them alone and reports each stale or missing one as a problem. Needs a build (dist/) first.
 */
export function apiReports(mode: 'write' | 'check'): EntryReport[] {
  const base = ExtractorConfig.loadFile(CONFIG);
  const entries = entryPoints();
  for (const e of entries) {
    if (!existsSync(e.declarations)) throw new Error(`${relative(ROOT, e.declarations)} is missing: run \`npm run build\` first`);
  }
  // One TypeScript program for all entries: they share most of their declarations.
  let compilerState: CompilerState | undefined;
  return entries.map((entry) => {
    const config = ExtractorConfig.prepare({
      configObject: { ...base, mainEntryPointFilePath: entry.declarations, apiReport: { ...base.apiReport, enabled: true, reportFileName: entry.reportName } },
      configObjectFullPath: CONFIG,
      packageJsonFullPath: PACKAGE_JSON,
    });
    compilerState ??= CompilerState.create(config, { additionalEntryPoints: entries.map((e) => e.declarations) });
    const problems: string[] = [];
    const result = Extractor.invoke(config, {
      localBuild: mode === 'write',
      printApiReportDiff: mode === 'check',
      compilerState,
      messageCallback: (m) => {
        if (m.logLevel === ExtractorLogLevel.Error || m.logLevel === ExtractorLogLevel.Warning) problems.push(m.formatMessageWithLocation(`${ROOT}/`));
        m.handled = true;
      },
    });
    if (!result.succeeded && problems.length === 0) problems.push(`API Extractor failed on ${entry.subpath}`);
    return { entry, report: relative(ROOT, config.reportFilePath), changed: result.apiReportChanged, problems };
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mode = process.argv.includes('--check') ? 'check' : 'write';
  let failed = false;
  for (const r of apiReports(mode)) {
    for (const p of r.problems) console.error(p);
    failed ||= r.problems.length > 0;
    console.log(`${r.report}: ${r.changed ? (mode === 'write' ? 'rewritten' : 'STALE') : 'up to date'}`);
  }
  if (failed) process.exit(1);
}
