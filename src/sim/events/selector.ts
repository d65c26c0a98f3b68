// A cell selector as a scenario file writes it (`{ids}`, `{zone}`, `{fraction}` or `"10%"`): its
// type, how it is read and how it reads in words.
import type { Reader } from '../../core/json/reader.js';

/** Which cells an event applies to. */
export type CellSelector =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'zone'; zone: string }
  | { kind: 'fraction'; fraction: number };

/** The selector's syntax, for errors and docs. */
export const SELECTOR_SYNTAX = 'cells to act on: {ids: [...]}, {zone: z1}, {fraction: 0.1} or "10%"';

/** Reads a cell selector: `{ids}`, `{zone}`, `{fraction}` or `"10%"`. */
export function readSelector(r: Reader, value: unknown, path: string): CellSelector {
  if (typeof value === 'string' && /^\d+(\.\d+)?%$/.test(value)) {
    const percent = Number(value.slice(0, -1));
    if (percent > 100) r.report(path, `expected a share of the cells from 0% to 100%, got ${value}`);
    return { kind: 'fraction', fraction: Math.min(percent, 100) / 100 };
  }
  const o = r.object(value, path, SELECTOR_SYNTAX);
  if (!o) return { kind: 'ids', ids: [] };
  r.rejectUnknown(o, path, ['ids', 'zone', 'fraction']);
  const given = ['ids', 'zone', 'fraction'].filter((k) => o[k] !== undefined);
  if (given.length > 1) r.report(path, `expected one of ids, zone, fraction, got ${given.join(' and ')}`);
  if (o['ids'] !== undefined) {
    const ids = r.strings(o, 'ids', path);
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) r.report(`${path}.ids[${i}]`, `duplicate cell id ${JSON.stringify(id)}`);
      seen.add(id);
    });
    return { kind: 'ids', ids: [...seen] };
  }
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
