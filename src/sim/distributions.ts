import type { Rng } from '../core/random.js';
import type { Distribution } from '../scenario/types.js';

/** Draws one value from a distribution with the given stream. */
export function sample(d: Distribution, rng: Rng): number {
  switch (d.kind) {
    case 'constant':
      return d.value;
    case 'uniform':
      return d.min + (d.max - d.min) * rng.next();
    case 'exponential':
      // 1 - u is in (0, 1], so the log is finite.
      return -d.mean * Math.log(1 - rng.next());
  }
}
