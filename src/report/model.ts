// The report's data model: what each chart shows, computed from saved results. Pure functions, so
// the numbers in a report can be tested without a browser.
import type { PlacementSnapshot } from '../metrics/placement-snapshot.js';
import type { RunSummary, Sample } from '../results/run-result.js';

/** A cell's memory in a report: used and free (MB). */
export interface CellMemory {
  /** Cell id. */
  id: string;
  /** Zone. */
  zone: string;
  /** Memory used (MB). */
  usedMB: number;
  /** Memory free (MB). */
  freeMB: number;
}

/** Indices of the cells in map order: grouped by zone (zones sorted), the given order within a zone. */
export function cellOrder(p: PlacementSnapshot): number[] {
  const zones = [...new Set(p.cells.map((c) => c.zone))].sort();
  return zones.flatMap((z) => p.cells.flatMap((c, i) => (c.zone === z ? [i] : [])));
}

/** Memory used and free on each cell that is not dead, in map order. */
export function memoryByCell(p: PlacementSnapshot): CellMemory[] {
  return cellOrder(p)
    .map((i) => p.cells[i]!)
    .filter((c) => c.status !== 'dead')
    .map((c) => ({ id: c.id, zone: c.zone, usedMB: c.usedMemoryMB, freeMB: c.memoryMB - c.usedMemoryMB }));
}

/** Per-app zone skew, and how many apps have each skew. */
export interface ZoneSkewHistogram {
  /** Zones counted (those with a cell that is not dead). */
  zones: string[];
  /** Skew per app guid: instances in its fullest zone minus in its emptiest. */
  byApp: Record<string, number>;
  /** `counts[k]`: apps whose skew is k. */
  counts: number[];
}

/**
 * Per-app zone skew over the cells that are not dead, as the metrics pack defines it (a zone with
 * cells but none of the app's instances counts as 0), and its histogram.
 */
export function zoneSkewHistogram(p: PlacementSnapshot): ZoneSkewHistogram {
  const live = p.cells.filter((c) => c.status !== 'dead');
  const zones = [...new Set(live.map((c) => c.zone))].sort();
  const zi = new Map(zones.map((z, i) => [z, i]));
  const perApp = p.apps.map(() => new Array<number>(zones.length).fill(0));
  for (const c of live) {
    const z = zi.get(c.zone) as number;
    for (const a of c.lrps) (perApp[a] as number[])[z]! += 1;
  }
  const byApp: Record<string, number> = {};
  const counts: number[] = [];
  perApp.forEach((byZone, a) => {
    if (byZone.every((n) => n === 0)) return;
    const skew = Math.max(...byZone) - Math.min(...byZone);
    byApp[(p.apps[a] as { guid: string }).guid] = skew;
    while (counts.length <= skew) counts.push(0);
    counts[skew]! += 1;
  });
  return { zones, byApp, counts };
}

/** Stranded memory per cell. */
export interface StrandedCapacity {
  /** The instance size (MB) a cell must still fit: the most common LRP size. */
  sizeMB: number;
  /** Per cell that is not dead, in map order: free memory that cannot take one more such instance. */
  cells: { id: string; zone: string; strandedMB: number }[];
  /** Sum over cells (MB). */
  totalMB: number;
}

/**
 * Stranded capacity per cell, as the metrics pack defines it: free memory on a cell that cannot
 * take one more instance of the most common LRP size (too little memory or no free container).
 */
export function strandedByCell(p: PlacementSnapshot): StrandedCapacity {
  const live = cellOrder(p).map((i) => p.cells[i]!).filter((c) => c.status !== 'dead');
  const bySize = new Map<number, number>();
  for (const c of live) for (const a of c.lrps) {
    const mb = (p.apps[a] as { memoryMB: number }).memoryMB;
    bySize.set(mb, (bySize.get(mb) ?? 0) + 1);
  }
  let sizeMB = 0;
  let most = 0;
  for (const [size, n] of bySize) if (n > most || (n === most && size > sizeMB)) [sizeMB, most] = [size, n];
  let totalMB = 0;
  const cells = live.map((c) => {
    const free = c.memoryMB - c.usedMemoryMB;
    const strandedMB = free < sizeMB || c.containers - c.usedContainers < 1 ? free : 0;
    totalMB += strandedMB;
    return { id: c.id, zone: c.zone, strandedMB };
  });
  return { sizeMB, cells, totalMB };
}

/** A fault drawn on the time axis. */
export interface FaultMark {
  /** When (minutes of simulated time). */
  atMin: number;
  /** Short label, e.g. `kill (10 cells)`. */
  label: string;
  /** Seconds until every instance it displaced ran again; null if not within the run. */
  recoveredAfterS: number | null;
}

/** The faults of a run as marks on the time axis. */
export function faultMarks(faults: RunSummary['faults']): FaultMark[] {
  return faults.map((f) => ({
    atMin: f.at / 60_000,
    label: `${f.kind} (${f.detail})`,
    recoveredAfterS: f.recoveredAfterMs === null ? null : f.recoveredAfterMs / 1000,
  }));
}

/** A time series as chart points: x in minutes of simulated time. */
export interface SeriesPoints {
  /** Series name. */
  label: string;
  /** Points; y null where there is nothing to show (a gap). */
  points: { x: number; y: number | null }[];
}

/** The numeric fields of a sample. */
export type SampleField = Exclude<keyof Sample, 'diego' | 'routes'>;

/** Picks fields of the samples as series over minutes, scaled by `scale`. */
export function seriesOf(samples: readonly Sample[], fields: readonly SampleField[], scale = 1): SeriesPoints[] {
  return fields.map((f) => ({
    label: f,
    points: samples.map((s) => {
      const v = s[f];
      return { x: s.t / 60_000, y: v === null || v === undefined ? null : v * scale };
    }),
  }));
}
