import type { Rng } from '../core/random.js';

/** A random quantity (in ms for times): fixed, uniform between two values, or exponential by mean. */
export type Distribution =
  | { kind: 'constant'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'exponential'; mean: number };

/** Draws one value from a distribution with the given stream. */
export function sample(d: Distribution, rng: Rng): number {
  // Every path returns a number, with no fall-through after a switch: a path that could return
  // undefined made V8 box every draw into a heap number (two per cell per state fetch).
  if (d.kind === 'uniform') return d.min + (d.max - d.min) * rng.next();
  // 1 - u is in (0, 1], so the log is finite.
  if (d.kind === 'exponential') return -d.mean * Math.log(1 - rng.next());
  return d.value;
}
