// The report of `auctionlab diff --report`: two results of the same scenario side by side. Every
// figure of b against a with its paired interval and verdict; for two runs, their placement maps
// at the same moment (one slider over both timelines) with the cells where they differ outlined.
import type { DiffResult } from '../compare/diff.js';
import type { ReportModel } from './build.js';
import type { RunResultsFile } from './build.js';

/** One side of the diff: its file's name and, when it is a run's results, the run. */
export interface DiffReportSide {
  /** How the report names it (the file's path). */
  label: string;
  /** The run, when the file is a run's results (its map is shown); null for a comparison. */
  run: RunResultsFile | null;
}

// A file name as a shell word: quoted unless it is plain.
const word = (s: string) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

/** The report model of a diff: its figures, and for two runs their maps. */
export function diffReport(d: DiffResult, a: DiffReportSide, b: DiffReportSide): ReportModel {
  const seeds = d.seeds.length === 1 ? String(d.seeds[0]) : `${d.seeds[0]}..${d.seeds[d.seeds.length - 1]} (${d.seeds.length} in common)`;
  const both = a.run !== null && b.run !== null ? [a.run, b.run] as const : null;
  const side = (s: DiffReportSide, name: 'a' | 'b', r: RunResultsFile) => ({
    id: `placement-${name}`,
    title: `${name}: ${s.label} (${r.strategy}${Object.keys(r.settings).length > 0 ? `, ${Object.entries(r.settings).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''})`,
    placement: r.placement,
    reasons: r.placementReasons ?? null,
    reasonsNote: `Explanations are in each run's own report: auctionlab report ${word(s.label)}`,
    // Both maps move together only when both have a timeline.
    timeline: both && both.every((x) => x.timeline) ? (r.timeline ?? null) : null,
    events: (r.summary.routesDuringEvents ?? []).map((e) => ({ atMs: e.atMs, label: e.event })),
  });
  return {
    kind: 'diff',
    title: `auctionlab diff ${d.scenario}: ${b.label} against ${a.label}`,
    facts: [
      { label: 'scenario', value: d.scenario },
      { label: 'a', value: a.label },
      { label: 'b', value: b.label },
      { label: 'seeds', value: seeds },
    ],
    reproduce: `auctionlab diff ${word(a.label)} ${word(b.label)} --report`,
    expectations: [],
    table: null,
    diff: d,
    maps: both ? [side(a, 'a', both[0]), side(b, 'b', both[1])] : [],
    sections: [],
    digests: both ? [{ label: `a: ${both[0].strategy}`, seed: both[0].seed, digest: both[0].digest }, { label: `b: ${both[1].strategy}`, seed: both[1].seed, digest: both[1].digest }] : [],
    failureExamples: [],
    rule: '',
  };
}
