import type { CellState } from '../core/model/cell-state.js';
import type { PlacementIndex } from '../core/rep/placement-index.js';

/** Largest minus smallest value; 0 for an empty list. */
export function maxMinusMin(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo;
}

/**
 * Jain's fairness index: `(Σx)² / (n · Σx²)`, from 1/n (one cell holds everything) to 1 (all
 * equal). 1 for an empty list or all zeros (nothing to be unfair about).
 */
export function jainIndex(values: ArrayLike<number>): number {
  const n = values.length;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    sum += v;
    sq += v * v;
  }
  return n === 0 || sq === 0 ? 1 : (sum * sum) / (n * sq);
}

/**
 * The standard deviation of cells' share of their memory in use (0: every cell equally full; a cell
 * without memory is left out; 0 for none). What the rebalancer's policies narrow, sampled over time.
 */
export function memoryShareSpread(states: readonly CellState[]): number {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (const s of states) {
    const total = s.TotalResources.MemoryMB;
    if (total <= 0) continue;
    const share = (total - s.AvailableResources.MemoryMB) / total;
    n++;
    sum += share;
    sq += share * share;
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sq / n - mean * mean));
}

/** Per app, how unevenly its instances sit across zones. */
export interface ZoneSkew {
  /** Each app's skew: instances in its fullest zone minus instances in its emptiest zone. */
  byApp: Record<string, number>;
  /** The largest skew of any app (0 with no apps). */
  max: number;
  /** The mean skew over apps (0 with no apps). */
  mean: number;
}

/**
 * Per-app zone skew: for each app, instances in its fullest zone minus instances in its emptiest,
 * counting every zone that has cells (a zone with none of the app's instances counts as 0).
 * Diego's zone balancing aims at a skew of at most 1.
 */
export function zoneSkew(states: readonly CellState[]): ZoneSkew;
/** The same figures without `byApp` (no per-app record, no sorting of app names): for summaries. */
export function zoneSkew(states: readonly CellState[], opts: { byApp: false }): Omit<ZoneSkew, 'byApp'>;
/** Implementation of both forms; `byApp` defaults to true. */
export function zoneSkew(states: readonly CellState[], opts: { byApp: boolean } = { byApp: true }): ZoneSkew | Omit<ZoneSkew, 'byApp'> {
  const zones = [...new Set(states.map((s) => s.Zone))].sort();
  const zoneNo = new Map(zones.map((z, i) => [z, i] as const));
  const nz = zones.length;
  // Each app's counts sit in one flat array, `nz` slots per app, in the order apps are first seen.
  const appAt = new Map<string, number>();
  let counts = new Int32Array(1024);
  for (const s of states) {
    const z = zoneNo.get(s.Zone) as number;
    for (const l of s.LRPs) {
      let at = appAt.get(l.process_guid);
      if (at === undefined) {
        at = appAt.size * nz;
        appAt.set(l.process_guid, at);
        if (at + nz > counts.length) {
          const grown = new Int32Array(Math.max(counts.length * 2, at + nz));
          grown.set(counts);
          counts = grown;
        }
      }
      counts[at + z] = (counts[at + z] as number) + 1;
    }
  }
  const byApp: Record<string, number> = {};
  let max = 0;
  let total = 0;
  // Apps in name order for `byApp`; the max and mean do not depend on the order.
  const apps = opts.byApp ? [...appAt.keys()].sort() : appAt.keys();
  for (const app of apps) {
    const skew = spreadOf(counts, appAt.get(app) as number, nz);
    if (opts.byApp) byApp[app] = skew;
    if (skew > max) max = skew;
    total += skew;
  }
  const mean = appAt.size === 0 ? 0 : total / appAt.size;
  return opts.byApp ? { byApp, max, mean } : { max, mean };
}

/**
 * {@link zoneSkew}'s max and mean read from the reps' placement index instead of every cell's LRP
 * list: the same figures (the index lists exactly what the reps list), without a map of every app
 * built at the run's end (at 2.5 million instances that walk cost seconds). `zoneOf[cellNo]` is the
 * cell's zone number (below `zones`), or -1 for a cell not counted (a dead one), as `zoneSkew`
 * counts the states it is given and the zones they are in.
 */
export function zoneSkewOfIndex(index: PlacementIndex, zoneOf: ArrayLike<number>, zones: number): Omit<ZoneSkew, 'byApp'> {
  const perZone = new Int32Array(zones);
  let max = 0;
  let total = 0;
  let apps = 0;
  index.forEachApp((_, { cells, counts }) => {
    perZone.fill(0);
    let counted = false;
    for (let i = 0; i < cells.length; i++) {
      const z = zoneOf[cells[i] as number] ?? -1;
      if (z < 0) continue;
      perZone[z] = (perZone[z] as number) + (counts[i] as number);
      counted = true;
    }
    if (!counted) return;
    const skew = spreadOf(perZone, 0, zones);
    if (skew > max) max = skew;
    total += skew;
    apps++;
  });
  return { max, mean: apps === 0 ? 0 : total / apps };
}

// One app's skew: the largest minus the smallest of its `n` zone counts starting at `at`.
function spreadOf(counts: Int32Array, at: number, n: number): number {
  let hi = -Infinity;
  let lo = Infinity;
  for (let z = 0; z < n; z++) {
    const v = counts[at + z] as number;
    if (v > hi) hi = v;
    if (v < lo) lo = v;
  }
  return hi - lo;
}
