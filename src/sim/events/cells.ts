// The cells an event acts on, chosen in the simulated world (by id, by zone, or a seeded random
// fraction), and the plans' one-cell events; shared by kill, recover, evacuate and slowCell.
import type fastCheck from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { Rng } from '../../core/random.js';
import type { SimCell } from '../actors/cell.js';
import type { World } from '../world.js';
import type { PlanContext, PlanEvent } from './kind.js';
import type { CellSelector } from './selector.js';

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

