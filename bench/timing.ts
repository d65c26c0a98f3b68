// Wall-clock helpers for benchmarks (never used by src/core or src/sim).
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Runs `fn` after a full garbage collection (so earlier work's garbage is not billed to it) and
 * returns its result with the milliseconds it took.
 */
export function timed<T>(fn: () => T): { value: T; ms: number } {
  gc();
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

/** Best (lowest) time of `runs` runs, after one warm-up run. */
export function bestOf<T>(runs: number, fn: () => T): { value: T; ms: number } {
  let best = timed(fn);
  for (let i = 0; i < runs; i++) {
    const t = timed(fn);
    if (t.ms < best.ms) best = t;
  }
  return best;
}

/** Formats milliseconds for a table. */
export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}
