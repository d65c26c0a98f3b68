import type { Rng } from '../core/random.js';
import type { Distribution } from '../scenario/types.js';

/** Draws one value from a distribution with the given stream. */
export function sample(d: Distribution, rng: Rng): number {
  // Every path returns a number, with no fall-through after a switch: a path that could return
  // undefined made V8 box every draw into a heap number (two per cell per state fetch).
  if (d.kind === 'uniform') return d.min + (d.max - d.min) * rng.next();
  // 1 - u is in (0, 1], so the log is finite.
  if (d.kind === 'exponential') return -d.mean * Math.log(1 - rng.next());
  return d.value;
}
