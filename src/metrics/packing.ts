import type { CellState } from '../core/model/cell-state.js';

/** Fractions of the cells' capacity in use. */
export interface Utilisation {
  /** Memory used / memory total. */
  memory: number;
  /** Disk used / disk total. */
  disk: number;
  /** Containers used / containers total. */
  containers: number;
}

function ratio(used: number, total: number): number {
  return total > 0 ? used / total : 0;
}

/** Used over total, summed over cells, for memory, disk and containers (0 with no capacity). */
export function utilisation(states: readonly CellState[]): Utilisation {
  let mu = 0;
  let mt = 0;
  let du = 0;
  let dt = 0;
  let cu = 0;
  let ct = 0;
  for (const s of states) {
    mt += s.TotalResources.MemoryMB;
    mu += s.TotalResources.MemoryMB - s.AvailableResources.MemoryMB;
    dt += s.TotalResources.DiskMB;
    du += s.TotalResources.DiskMB - s.AvailableResources.DiskMB;
    ct += s.TotalResources.Containers;
    cu += s.TotalResources.Containers - s.AvailableResources.Containers;
  }
  return { memory: ratio(mu, mt), disk: ratio(du, dt), containers: ratio(cu, ct) };
}

/**
 * Stranded capacity: free memory (MB) on cells that cannot take one more instance of `sizeMB`
 * (too little memory left, or no free container). It is capacity paid for that this workload
 * cannot use. By default `sizeMB` is the most common LRP size on the cells.
 */
export function strandedMemoryMB(states: readonly CellState[], sizeMB: number = commonLRPSize(states)): number {
  let stranded = 0;
  for (const s of states) {
    const a = s.AvailableResources;
    if (a.MemoryMB < sizeMB || a.Containers < 1) stranded += a.MemoryMB;
  }
  return stranded;
}

/** The most common LRP memory size on the cells (the larger on ties; 0 with none). */
export function commonLRPSize(states: readonly CellState[]): number {
  const counts = new Map<number, number>();
  for (const s of states) for (const l of s.LRPs) counts.set(l.MemoryMB, (counts.get(l.MemoryMB) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [size, n] of counts) {
    if (n > bestCount || (n === bestCount && size > best)) [best, bestCount] = [size, n];
  }
  return best;
}

/**
 * Cells needed (compaction): how many cells of the largest cell's capacity would hold every LRP and
 * task now on the cells, respecting memory, disk and containers: the fewer of first-fit decreasing
 * by memory and the cells in use now (when each of those holds no more than such a cell, the
 * placement as it stands is itself such a packing). First-fit decreasing by memory packs badly when
 * containers or disk bind, as on a cluster filled to its last container, which is why the count is
 * capped by the cells in use. A lower number than the cells in use means room to compact; an upper
 * bound, not the minimum (bin packing is NP-hard).
 */
export function cellsNeeded(states: readonly CellState[]): number {
  if (states.length === 0) return 0;
  const cap = states.reduce(
    (m, s) => (s.TotalResources.MemoryMB > m.MemoryMB ? s.TotalResources : m),
    states[0]!.TotalResources,
  );
  // Work of one size is interchangeable, so it is counted per (memory, disk) and packed size by size:
  // a quarter of a million instances come in a handful of sizes.
  const bySize = new Map<number, Map<number, number>>();
  const count = (mem: number, disk: number) => {
    let byDisk = bySize.get(mem);
    if (!byDisk) {
      byDisk = new Map();
      bySize.set(mem, byDisk);
    }
    byDisk.set(disk, (byDisk.get(disk) ?? 0) + 1);
  };
  for (const s of states) {
    for (const w of s.LRPs) count(w.MemoryMB, w.DiskMB);
    for (const w of s.Tasks) count(w.MemoryMB, w.DiskMB);
  }
  const sizes: { mem: number; disk: number; n: number }[] = [];
  for (const [mem, byDisk] of bySize) for (const [disk, n] of byDisk) sizes.push({ mem, disk, n });
  sizes.sort((a, b) => b.mem - a.mem || b.disk - a.disk);
  const bins: { mem: number; disk: number; n: number }[] = [];
  // Bins before `open` have no container left and can take nothing more: the search starts after them.
  let open = 0;
  for (const size of sizes) {
    while (open < bins.length && (bins[open] as { n: number }).n < 1) open++;
    // Item by item, first fit: a bin that could not take one item of this size cannot take the next
    // (bins only fill up), so the search for the next item resumes where the last one went.
    let i = open;
    for (let k = 0; k < size.n; k++) {
      while (i < bins.length) {
        const b = bins[i] as { mem: number; disk: number; n: number };
        if (b.mem >= size.mem && b.disk >= size.disk && b.n >= 1) break;
        i++;
      }
      const bin = bins[i];
      if (bin) {
        bin.mem -= size.mem;
        bin.disk -= size.disk;
        bin.n -= 1;
      } else bins.push({ mem: cap.MemoryMB - size.mem, disk: cap.DiskMB - size.disk, n: cap.Containers - 1 });
    }
  }
  return Math.min(bins.length, cellsInUseIfEachFits(states, cap));
}

// The cells holding work, if each one's work would fit one cell of `cap`; else Infinity.
function cellsInUseIfEachFits(states: readonly CellState[], cap: CellState['TotalResources']): number {
  let inUse = 0;
  for (const s of states) {
    const n = s.LRPs.length + s.Tasks.length;
    if (n === 0) continue;
    let mem = 0;
    let disk = 0;
    for (const w of s.LRPs) {
      mem += w.MemoryMB;
      disk += w.DiskMB;
    }
    for (const w of s.Tasks) {
      mem += w.MemoryMB;
      disk += w.DiskMB;
    }
    if (mem > cap.MemoryMB || disk > cap.DiskMB || n > cap.Containers) return Infinity;
    inUse++;
  }
  return inUse;
}

/** Counts reasons: how many failures had each reason, most frequent first (ties by text). */
export function failuresByReason(reasons: Iterable<string>): Record<string, number> {
  const m = new Map<string, number>();
  for (const r of reasons) m.set(r, (m.get(r) ?? 0) + 1);
  return sortedCounts(m);
}

/** Counts as a plain object, most frequent first (ties by text). */
export function sortedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}
