// The pieces of a walk of dependent loads, shared by the machine's probes (bench/machine-speed-child.mjs,
// bench/memory-footprint-child.mjs): a fixed shuffle to make a random cycle from, and the timed walk.
import { performance } from 'node:perf_hooks';

/**
 * 0..n-1 in a shuffled order (Sattolo's loop with a fixed linear congruential generator): the same
 * order on every run and machine. Linking each entry to the next, the last to the first, makes one
 * random cycle through all n.
 */
export function shuffled(n) {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let x = 12345;
  for (let i = n - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % i;
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * ns per load of `steps` dependent loads around the cycle in `next` from slot 0 (each slot read names
 * the next slot to read: the next address is known only once the load before is done).
 */
export function walkNs(next, steps) {
  let p = 0;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) p = next[p];
  const ns = ((performance.now() - t0) * 1e6) / steps;
  if (p === -1) console.log(p); // keeps the walk's result observable
  return ns;
}
