// An auction's explanation for people: the zones Diego tried, the best cells with their score
// term by term, the winner, the runner-up and the margin, and every other cell grouped by why it
// was not the one (no room, a zone not reached, a filter, draining).
import type { AuctionExplanation } from '../core/explain/explanation.js';
import { summarizeExplanation, type ExplanationSummary, type VerdictGroup, type VerdictOf } from '../core/explain/summary.js';
import { plural } from '../results/plural.js';
import { renderTable } from './table.js';

/** Cells named per group of the "not the one" lines. */
const NAMED = 4;

/** A score or term for people: whole numbers as they are, others to four places (tiny ones in exponent form). */
export function formatScore(x: number): string {
  return Number.isInteger(x) ? String(x) : Math.abs(x) >= 0.0001 ? x.toFixed(4) : x.toExponential(2);
}

const num = formatScore;

function some<T>(list: readonly T[], count: number, show: (x: T) => string): string {
  const shown = list.map(show).join(', ');
  return count > list.length ? `${shown}, +${count - list.length} more` : shown;
}

// A term's name as a column head: binPack -> bin-pack.
const words = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

// What a cell lacked, with the numbers: `cell-01 (0 containers free)`, `cell-02 (300 of 512 MB memory)`.
function lacked(c: VerdictOf<'insufficient'>): string {
  const parts = c.problems.map((p) => {
    if (p === 'containers') return `${c.available.Containers} containers free`;
    if (p === 'disk') return `${c.available.DiskMB} of ${c.needed.DiskMB} MB disk`;
    if (p === 'cpu') return `${c.available.CpuMilli ?? 0} of ${c.needed.CpuMilli ?? 0} millicores CPU`;
    if (p === 'gpu') {
      // Devices with the share free, of the devices asked.
      const want = c.needed.GpuMilli ?? [];
      const share = want[0] ?? 1000;
      const free = (c.available.GpuMilli ?? []).filter((f) => f >= share).length;
      return `${free} of ${want.length} GPUs with ${share} thousandths free`;
    }
    return `${c.available.MemoryMB} of ${c.needed.MemoryMB} MB memory`;
  });
  return `${c.cell} (${parts.join(', ')})`;
}

/** A group of cells that were not the one, as one line. */
function groupLine(g: VerdictGroup): string {
  const n = plural(g.count, 'cell');
  switch (g.why) {
    case 'insufficient':
      return `no room (${g.lacking}): ${n}: ${some(g.examples, g.count, lacked)}`;
    case 'refused':
      return `refused (${g.error}): ${n}: ${some(g.examples, g.count, (c) => `${c.cell} (round ${c.round})`)}`;
    case 'not-reached':
      return `${g.how}: ${n}: ${some(g.examples, g.count, (c) => `${c.cell} (${c.zone})`)}`;
    case 'filtered':
      return `turned away by the ${g.filter} filter: ${n}: ${some(g.examples, g.count, (c) => c.cell)} (${g.error})`;
    case 'evacuating':
      return `evacuating, left out: ${n}: ${some(g.examples, g.count, (c) => c.cell)}`;
  }
}

/** One auction's explanation as text; `top` best cells in the score table. */
export function formatExplanation(e: AuctionExplanation, top = 5): string {
  return formatSummary(summarizeExplanation(e, top, NAMED));
}

/** A summarised explanation ({@link summarizeExplanation}) as text. */
export function formatSummary(e: ExplanationSummary): string {
  const out: string[] = [];
  const cpu = e.needs.CpuMilli !== undefined ? `, ${e.needs.CpuMilli} millicores CPU` : '';
  const gpus = e.needs.GpuCount !== undefined ? `, ${plural(e.needs.GpuCount, 'GPU')}${e.needs.GpuMilli !== undefined && e.needs.GpuMilli < 1000 ? ` (${e.needs.GpuMilli} thousandths of ${e.needs.GpuCount === 1 ? 'it' : 'each'})` : ''}` : '';
  const asks = `asks ${e.needs.MemoryMB} MB memory${e.kind === 'lrp' ? ' (+ the cell\'s proxy memory)' : ''}, ${e.needs.DiskMB} MB disk, one container${cpu}${gpus}`;
  const head = e.placedOn === null ? `${e.id} FAILED: ${e.reason ?? ''}` : e.rejected !== undefined ? `${e.id} -> ${e.placedOn}, then REJECTED` : `${e.id} -> ${e.placedOn}`;
  out.push(`${head} (${e.kind}; ${asks})`);
  if (e.zones.length > 0) {
    out.push('  zones, in the order Diego tried them (fewest instances of the app first):');
    for (const z of e.zones) {
      const state = z.passedFilters === 0 ? 'no cell passed the filters' : z.reached ? 'scored' : 'not reached (a zone with fewer of the app placed it)';
      out.push(`    ${z.zone}: ${z.instancesOfApp} of the app, ${plural(z.passedFilters, 'cell')} passed the filters: ${state}`);
    }
  }
  const scored = e.best;
  if (scored.length > 0) {
    out.push(`  best cells (${e.rule}):`);
    const names = Object.keys(scored[0]!.terms);
    const rows = scored.map((c) => [c.cell, c.zone, num(c.score), ...names.map((n) => num(c.terms[n] ?? 0))]);
    const table = renderTable(['cell', 'zone', 'score', ...names.map(words)], rows, rows[0] ? rows[0].map((_, i) => i).filter((i) => i >= 2) : []);
    for (const line of table.split('\n')) out.push(`    ${line}`);
  }
  if (e.rejected !== undefined) out.push(`  but ${e.placedOn ?? 'the cell'} turned the work down when it was sent, so it failed after all: ${e.rejected}`);
  if (e.placedOn !== null && e.runnerUp && e.margin !== undefined) {
    out.push(e.decidedByTie ? `  ${e.placedOn} and ${e.runnerUp.cell} tied; the seeded tie order chose ${e.placedOn}` : `  ${e.placedOn} won; runner-up ${e.runnerUp.cell} by ${num(e.margin)}`);
  } else if (e.placedOn !== null) out.push(`  ${e.placedOn} was the only cell that could take it`);
  const rest = [...(e.scored > e.best.length ? [`${plural(e.scored - e.best.length, 'more cell')} scored, none lower`] : []), ...e.others.map(groupLine)].map((l) => `    ${l}`);
  if (rest.length > 0) out.push(e.placedOn !== null ? '  the other cells:' : '  no cell could take it:', ...rest);
  return `${out.join('\n')}\n`;
}
