// An auction's explanation for people: the zones Diego tried, the best cells with their score
// term by term, the winner, the runner-up and the margin, and every other cell grouped by why it
// was not the one (no room, a zone not reached, a filter, draining).
import type { AuctionExplanation, CellVerdict } from '../core/explain/explanation.js';
import { MESSAGES_RULE } from '../core/explain/explain-by-messages.js';
import { plural } from '../results/plural.js';
import { renderTable } from './table.js';

/** Cells named per group of the "not the one" lines. */
const NAMED = 4;

/** A score or term for people: whole numbers as they are, others to four places (tiny ones in exponent form). */
export function formatScore(x: number): string {
  return Number.isInteger(x) ? String(x) : Math.abs(x) >= 0.0001 ? x.toFixed(4) : x.toExponential(2);
}

const num = formatScore;

function some<T>(list: readonly T[], show: (x: T) => string): string {
  const shown = list.slice(0, NAMED).map(show).join(', ');
  return list.length > NAMED ? `${shown}, +${list.length - NAMED} more` : shown;
}

// A term's name as a column head: binPack -> bin-pack.
const words = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

type Verdict<K extends CellVerdict['verdict']> = Extract<CellVerdict, { verdict: K }>;

// What a cell lacked, with the numbers: `cell-01 (0 containers free)`, `cell-02 (300 of 512 MB memory)`.
function lacked(c: Verdict<'insufficient'>): string {
  const parts = c.problems.map((p) =>
    p === 'containers' ? `${c.available.Containers} containers free` : p === 'disk' ? `${c.available.DiskMB} of ${c.needed.DiskMB} MB disk` : `${c.available.MemoryMB} of ${c.needed.MemoryMB} MB memory`,
  );
  return `${c.cell} (${parts.join(', ')})`;
}

/** The cells that were not the one, grouped by why, one line per group. */
function others(e: AuctionExplanation, skipScored: number): string[] {
  const out: string[] = [];
  const byProblems = new Map<string, Verdict<'insufficient'>[]>();
  const byFilter = new Map<string, Verdict<'filtered'>[]>();
  const notReached: CellVerdict[] = [];
  const draining: CellVerdict[] = [];
  const byError = new Map<string, Verdict<'refused'>[]>();
  for (const c of e.cells) {
    if (c.verdict === 'insufficient') {
      const k = c.problems.join(' and ');
      const l = byProblems.get(k);
      if (l) l.push(c);
      else byProblems.set(k, [c]);
    } else if (c.verdict === 'filtered') {
      const l = byFilter.get(c.filter);
      if (l) l.push(c);
      else byFilter.set(c.filter, [c]);
    } else if (c.verdict === 'not-reached') notReached.push(c);
    else if (c.verdict === 'evacuating') draining.push(c);
    else if (c.verdict === 'refused') {
      const l = byError.get(c.error);
      if (l) l.push(c);
      else byError.set(c.error, [c]);
    }
  }
  if (skipScored > 0) out.push(`    ${plural(skipScored, 'more cell')} scored, none lower`);
  for (const [k, l] of byProblems) out.push(`    no room (${k}): ${plural(l.length, 'cell')}: ${some(l, lacked)}`);
  for (const [error, l] of byError) out.push(`    refused (${error}): ${plural(l.length, 'cell')}: ${some(l, (c) => `${c.cell} (round ${c.round})`)}`);
  // Diego skips whole zones; the window- and sample-based strategies leave fitting cells unscored;
  // a strategy explained by its messages never asked them.
  const skipped = e.zones.length > 0 ? 'in a zone not reached' : e.rule === MESSAGES_RULE ? 'never asked' : 'could take it, not scored by the strategy';
  if (notReached.length > 0) out.push(`    ${skipped}: ${plural(notReached.length, 'cell')}: ${some(notReached, (c) => `${c.cell} (${c.zone})`)}`);
  for (const [k, l] of byFilter) out.push(`    turned away by the ${k} filter: ${plural(l.length, 'cell')}: ${some(l, (c) => c.cell)} (${l[0]!.error})`);
  if (draining.length > 0) out.push(`    evacuating, left out: ${plural(draining.length, 'cell')}: ${some(draining, (c) => c.cell)}`);
  return out;
}

/** One auction's explanation as text; `top` best cells in the score table. */
export function formatExplanation(e: AuctionExplanation, top = 5): string {
  const out: string[] = [];
  const asks = `asks ${e.needs.MemoryMB} MB memory${e.kind === 'lrp' ? ' (+ the cell\'s proxy memory)' : ''}, ${e.needs.DiskMB} MB disk, one container`;
  const head = e.placedOn === null ? `${e.id} FAILED: ${e.reason ?? ''}` : e.rejected !== undefined ? `${e.id} -> ${e.placedOn}, then REJECTED` : `${e.id} -> ${e.placedOn}`;
  out.push(`${head} (${e.kind}; ${asks})`);
  if (e.zones.length > 0) {
    out.push('  zones, in the order Diego tried them (fewest instances of the app first):');
    for (const z of e.zones) {
      const state = z.passedFilters === 0 ? 'no cell passed the filters' : z.reached ? 'scored' : 'not reached (a zone with fewer of the app placed it)';
      out.push(`    ${z.zone}: ${z.instancesOfApp} of the app, ${plural(z.passedFilters, 'cell')} passed the filters: ${state}`);
    }
  }
  const scored = e.cells.filter((c): c is Verdict<'scored'> => c.verdict === 'scored');
  if (scored.length > 0) {
    out.push(`  best cells (${e.rule}):`);
    const names = Object.keys(scored[0]!.terms);
    const rows = scored.slice(0, top).map((c) => [c.cell, c.zone, num(c.score), ...names.map((n) => num(c.terms[n] ?? 0))]);
    const table = renderTable(['cell', 'zone', 'score', ...names.map(words)], rows, rows[0] ? rows[0].map((_, i) => i).filter((i) => i >= 2) : []);
    for (const line of table.split('\n')) out.push(`    ${line}`);
  }
  if (e.rejected !== undefined) out.push(`  but ${e.placedOn ?? 'the cell'} turned the work down when it was sent, so it failed after all: ${e.rejected}`);
  if (e.placedOn !== null && e.runnerUp && e.margin !== undefined) {
    out.push(e.decidedByTie ? `  ${e.placedOn} and ${e.runnerUp.cell} tied; the seeded tie order chose ${e.placedOn}` : `  ${e.placedOn} won; runner-up ${e.runnerUp.cell} by ${num(e.margin)}`);
  } else if (e.placedOn !== null) out.push(`  ${e.placedOn} was the only cell that could take it`);
  const rest = others(e, Math.max(0, scored.length - top));
  if (rest.length > 0) out.push(e.placedOn !== null ? '  the other cells:' : '  no cell could take it:', ...rest);
  return `${out.join('\n')}\n`;
}
