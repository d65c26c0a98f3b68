// Cell selectors, shared by the event kinds that act on cells (kill, recover, evacuate, slowCell):
// by id, by zone, or a seeded random fraction.
import type fastCheck from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { Reader } from '../../core/json/reader.js';
import type { Rng } from '../../core/random.js';
import type { SimCell } from '../actors/cell.js';
import type { World } from '../world.js';
import type { PlanContext, PlanEvent } from './kind.js';

/** Which cells an event applies to. */
export type CellSelector =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'zone'; zone: string }
  | { kind: 'fraction'; fraction: number };

/** The selector's syntax, for errors and docs. */
export const SELECTOR_SYNTAX = 'cells to act on: {ids: [...]}, {zone: z1}, {fraction: 0.1} or "10%"';

/** Reads a cell selector: `{ids}`, `{zone}`, `{fraction}` or `"10%"`. */
export function readSelector(r: Reader, value: unknown, path: string): CellSelector {
  if (typeof value === 'string' && /^\d+(\.\d+)?%$/.test(value)) return { kind: 'fraction', fraction: Number(value.slice(0, -1)) / 100 };
  const o = r.object(value, path, SELECTOR_SYNTAX);
  if (!o) return { kind: 'ids', ids: [] };
  r.rejectUnknown(o, path, ['ids', 'zone', 'fraction']);
  if (o['ids'] !== undefined) return { kind: 'ids', ids: r.strings(o, 'ids', path) };
  if (o['zone'] !== undefined) return { kind: 'zone', zone: r.string(o, 'zone', path, { nonEmpty: true }) };
  if (o['fraction'] !== undefined) return { kind: 'fraction', fraction: r.number(o, 'fraction', path, { min: 0, max: 1 }) };
  r.report(path, 'expected one of ids, zone, fraction');
  return { kind: 'ids', ids: [] };
}

/** A selector in words: `cell-01,cell-02`, `zone z1`, `10% of cells`. */
export function describeSelector(sel: CellSelector): string {
  if (sel.kind === 'ids') return sel.ids.join(',');
  if (sel.kind === 'zone') return `zone ${sel.zone}`;
  return `${Math.round(sel.fraction * 100)}% of cells`;
}

/** The cells a selector picks among those `eligible`: by id, by zone, or a seeded random fraction (sized against all cells). */
export function selectCells(w: World, sel: CellSelector, eligible: (c: SimCell) => boolean, rng: Rng): SimCell[] {
  if (sel.kind === 'ids') return sel.ids.map((id) => w.cellById.get(id)).filter((c): c is SimCell => c !== undefined && eligible(c));
  if (sel.kind === 'zone') return w.cells.filter((c) => c.zone === sel.zone && eligible(c));
  const pool = w.cells.filter(eligible);
  const want = Math.min(pool.length, Math.round(sel.fraction * w.cells.length));
  for (let i = 0; i < want; i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as SimCell, pool[i] as SimCell];
  }
  return pool.slice(0, want);
}

/** `1 cell`, `3 cells`. */
export function cellCount(n: number): string {
  return n === 1 ? '1 cell' : `${n} cells`;
}

/** A plan's selector of one cell by id. */
export function oneCell(id: string): { ids: string[] } {
  return { ids: [id] };
}

/** A plan's event on one of the plan's cells, chosen at random (kill, recover, evacuate). */
export function anyOneCell(fc: typeof fastCheck, ctx: PlanContext): Arbitrary<PlanEvent> {
  return fc.constantFrom(...ctx.cells).map((id) => ({ body: oneCell(id) }));
}

