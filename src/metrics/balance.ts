import type { CellState } from '../core/model/cell-state.js';

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
export function zoneSkew(states: readonly CellState[]): ZoneSkew {
  const zones = [...new Set(states.map((s) => s.Zone))].sort();
  const counts = new Map<string, Map<string, number>>();
  for (const s of states) {
    for (const l of s.LRPs) {
      let byZone = counts.get(l.process_guid);
      if (!byZone) {
        byZone = new Map();
        counts.set(l.process_guid, byZone);
      }
      byZone.set(s.Zone, (byZone.get(s.Zone) ?? 0) + 1);
    }
  }
  const byApp: Record<string, number> = {};
  let max = 0;
  let total = 0;
  for (const app of [...counts.keys()].sort()) {
    const byZone = counts.get(app) as Map<string, number>;
    const skew = maxMinusMin(zones.map((z) => byZone.get(z) ?? 0));
    byApp[app] = skew;
    max = Math.max(max, skew);
    total += skew;
  }
  const apps = Object.keys(byApp).length;
  return { byApp, max, mean: apps === 0 ? 0 : total / apps };
}
