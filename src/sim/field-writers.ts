// The inverse of field-schemas.ts: durations, distributions and cell selectors as a scenario file
// writes them, so that a validated scenario can be printed back (`run --print-scenario`) and read
// again to the same thing.
import type { Distribution } from './distributions.js';
import type { CellSelector } from './events/selector.js';

const UNITS: readonly [string, number][] = [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/**
 * A duration as a file writes it: `1h30m`, `2s500ms`, `0s`; a time that is not a whole number of
 * milliseconds (or is beyond 2^53 ms) stays a number of milliseconds (the readers take both).
 */
export function durationText(ms: number): string | number {
  // Past 2^53 a count of units would print in exponent notation, which no duration reads.
  if (!Number.isSafeInteger(ms) || ms < 0) return ms;
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * size;
  }
  return text;
}

/** A distribution as a file writes it: a duration (constant), `{uniform: [min, max]}` or `{exponential: mean}`. */
export function distributionValue(d: Distribution): unknown {
  if (d.kind === 'uniform') return { uniform: [durationText(d.min), durationText(d.max)] };
  if (d.kind === 'exponential') return { exponential: durationText(d.mean) };
  return durationText(d.value);
}

/** A cell selector as a file writes it: `{ids}`, `{zone}` or `{fraction}` (exact, not rounded to a percentage). */
export function selectorValue(sel: CellSelector): unknown {
  if (sel.kind === 'ids') return { ids: [...sel.ids] };
  if (sel.kind === 'zone') return { zone: sel.zone };
  return { fraction: sel.fraction };
}
