// Which cells an event acts on: its type and how it reads in words (its schema and reader are in
// ../field-schemas.ts with the scenario's other field types).

/** Which cells an event applies to. */
export type CellSelector =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'zone'; zone: string }
  | { kind: 'fraction'; fraction: number };

/** A selector in words: `cell-01,cell-02`, `zone z1`, `10% of cells`. */
export function describeSelector(sel: CellSelector): string {
  if (sel.kind === 'ids') return sel.ids.join(',');
  if (sel.kind === 'zone') return `zone ${sel.zone}`;
  return `${Math.round(sel.fraction * 100)}% of cells`;
}
