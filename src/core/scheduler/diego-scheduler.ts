import { ALL_PROBLEMS, ERR_INFLIGHT_LIMIT, insufficientResources, PROBLEM_CONTAINERS, PROBLEM_DISK, PROBLEM_MEMORY } from '../errors.js';
import type { Auction, AuctionBatch, LRPAuction, TaskAuction } from '../model/auctions.js';
import { placementOrder } from '../placement-order.js';
import { LOCALITY_OFFSET } from '../scoring.js';
import type { ClusterSnapshot } from './cluster-snapshot.js';

/** The settings of Diego's batch auction, named as in the auctioneer's config. */
export interface DiegoSettings {
  /** Weight of StartingContainerCount in the score (`starting_container_weight`, default 0.25). */
  startingContainerWeight: number;
  /** Weight of the cell index, for bin-pack first fit (`bin_pack_first_fit_weight`, default 0). */
  binPackFirstFitWeight: number;
  /** Cap on containers starting at once across cells (`starting_container_count_maximum`, 0 = none). */
  startingContainerCountMaximum: number;
}

/** Diego's shipped defaults. */
export const DIEGO_DEFAULTS: Readonly<DiegoSettings> = Object.freeze({
  startingContainerWeight: 0.25,
  binPackFirstFitWeight: 0,
  startingContainerCountMaximum: 0,
});

/** An auction the scheduler placed on a cell (a position in the snapshot). */
export interface ScheduledPlacement {
  /** The auction. */
  auction: Auction;
  /** The winning cell's position in the snapshot. */
  cell: number;
}

/** An auction the scheduler could not place, with Diego's reason. */
export interface ScheduledFailure {
  /** The auction. */
  auction: Auction;
  /** Diego's placement error text. */
  reason: string;
}

/** What one scheduling pass decided, before the work is sent to the cells. */
export interface ScheduledBatch {
  /** Placements in the order they were made. */
  placed: ScheduledPlacement[];
  /** Failures in the order they happened. */
  failed: ScheduledFailure[];
  /** Cells whose score (or resource check) was computed, summed over auctions. */
  cellsScored: number;
}

/**
 * Diego's batch scheduler: places every auction of the batch, one at a time in Diego's order,
 * on the snapshot, reserving as it goes. Single-threaded and pure: it changes only the snapshot.
 */
export function scheduleBatch(snap: ClusterSnapshot, batch: AuctionBatch, settings: DiegoSettings): ScheduledBatch {
  const out: ScheduledBatch = { placed: [], failed: [], cellsScored: 0 };
  const cap = settings.startingContainerCountMaximum;
  let inflight = snap.totalStarting();
  const scratch = new ZoneScratch(snap.zoneNames.length);
  for (const auction of placementOrder(batch)) {
    if (cap > 0 && inflight >= cap) {
      out.failed.push({ auction, reason: ERR_INFLIGHT_LIMIT });
      continue;
    }
    const r =
      auction.kind === 'lrp'
        ? scheduleLRP(snap, auction, settings, scratch)
        : scheduleTask(snap, auction, settings.startingContainerWeight);
    out.cellsScored += r.scored;
    if (r.cell >= 0) {
      out.placed.push({ auction, cell: r.cell });
      inflight++;
    } else {
      out.failed.push({ auction, reason: r.reason });
    }
  }
  return out;
}

/** Reusable per-batch buffers for zone ordering, so an auction allocates nothing. */
class ZoneScratch {
  readonly count: Float64Array;
  readonly order: Int32Array;
  constructor(zones: number) {
    this.count = new Float64Array(zones);
    this.order = new Int32Array(zones);
  }
}

interface Pick {
  cell: number;
  reason: string;
  scored: number;
}

/**
 * One LRP auction (Diego's `scheduleLRPAuction`): filter zones, order them by this app's instance
 * count, score every fitting cell of the lowest-count zone and of zones tied with it, take the best;
 * only if nothing there fits move on to the next group of zones.
 */
function scheduleLRP(snap: ClusterSnapshot, auction: LRPAuction, s: DiegoSettings, zs: ZoneScratch): Pick {
  const lrp = auction.lrp;
  const cls = snap.constraint(lrp);
  const { count, order } = zs;
  count.fill(0);
  const same = snap.sameApp;
  const zoneOf = snap.zoneOf;
  const placed = snap.instancesOf(lrp.process_guid);
  if (placed) {
    for (let k = 0; k < placed.cells.length; k++) {
      const c = placed.cells[k] as number;
      const n = placed.counts[k] as number;
      same[c] = n;
      count[zoneOf[c] as number] = (count[zoneOf[c] as number] as number) + n;
    }
  }
  let m = 0;
  for (let z = 0; z < cls.zoneOk.length; z++) if (cls.zoneOk[z] === 1) order[m++] = z;
  if (m === 0) {
    clearSame(same, placed?.cells);
    return { cell: -1, reason: cls.error ?? '', scored: 0 };
  }
  // Insertion sort: a handful of zones, stable, allocation-free.
  for (let i = 1; i < m; i++) {
    const z = order[i] as number;
    const key = count[z] as number;
    let j = i - 1;
    while (j >= 0 && (count[order[j] as number] as number) > key) {
      order[j + 1] = order[j] as number;
      j--;
    }
    order[j + 1] = z;
  }

  const ok = cls.ok;
  const { availMem, availDisk, availCont, totMem, totDisk, totCont, proxyMem, starting, cellIndex, rank } = snap;
  const mem = lrp.MemoryMB;
  const disk = lrp.DiskMB;
  const scw = s.startingContainerWeight;
  const bpw = s.binPackFirstFitWeight;
  let best = -1;
  let bestScore = Infinity;
  let bestRank = 0;
  let problems = ALL_PROBLEMS;
  let scored = 0;
  for (let g = 0; g < m; g++) {
    const z = order[g] as number;
    const cells = snap.zoneCells[z] as Int32Array;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i] as number;
      if (ok[c] === 0) continue;
      scored++;
      const am = availMem[c] as number;
      const ad = availDisk[c] as number;
      const ac = availCont[c] as number;
      const need = mem + (proxyMem[c] as number);
      if (ad < disk || am < need || ac < 1) {
        let p = 0;
        if (ad < disk) p |= PROBLEM_DISK;
        if (am < need) p |= PROBLEM_MEMORY;
        if (ac < 1) p |= PROBLEM_CONTAINERS;
        problems &= p;
        continue;
      }
      // Same operations in the same order as scoreLRP (scoring.ts), so the floats are identical.
      const score =
        (1.0 - (am - need) / (totMem[c] as number) + (1.0 - (ad - disk) / (totDisk[c] as number)) + (1.0 - (ac - 1) / (totCont[c] as number))) / 3.0 +
        (starting[c] as number) * scw +
        LOCALITY_OFFSET * (same[c] as number) +
        (cellIndex[c] as number) * bpw;
      if (score < bestScore || (score === bestScore && (rank[c] as number) < bestRank)) {
        best = c;
        bestScore = score;
        bestRank = rank[c] as number;
      }
    }
    // Zones tied on count are scored together before a winner is taken.
    if (g + 1 < m && count[order[g + 1] as number] === count[z]) continue;
    if (best >= 0) break;
  }
  clearSame(same, placed?.cells);
  if (best < 0) return { cell: -1, reason: insufficientResources(problems), scored };
  snap.reserveLRP(best, lrp);
  return { cell: best, reason: '', scored };
}

function clearSame(same: Float64Array, cells: readonly number[] | undefined): void {
  if (!cells) return;
  for (let k = 0; k < cells.length; k++) same[cells[k] as number] = 0;
}

/** One task auction (Diego's `scheduleTaskAuction`): tasks ignore zones; score every fitting cell. */
function scheduleTask(snap: ClusterSnapshot, auction: TaskAuction, scw: number): Pick {
  const task = auction.task;
  const cls = snap.constraint(task);
  if (cls.error !== null) return { cell: -1, reason: cls.error, scored: 0 };
  const ok = cls.ok;
  const { availMem, availDisk, availCont, totMem, totDisk, totCont, starting, taskCount, rank } = snap;
  const mem = task.MemoryMB;
  const disk = task.DiskMB;
  let best = -1;
  let bestScore = Infinity;
  let bestRank = 0;
  let problems = ALL_PROBLEMS;
  let scored = 0;
  for (const cells of snap.zoneCells) {
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i] as number;
      if (ok[c] === 0) continue;
      scored++;
      const am = availMem[c] as number;
      const ad = availDisk[c] as number;
      const ac = availCont[c] as number;
      if (ad < disk || am < mem || ac < 1) {
        let p = 0;
        if (ad < disk) p |= PROBLEM_DISK;
        if (am < mem) p |= PROBLEM_MEMORY;
        if (ac < 1) p |= PROBLEM_CONTAINERS;
        problems &= p;
        continue;
      }
      const score =
        (1.0 - (am - mem) / (totMem[c] as number) + (1.0 - (ad - disk) / (totDisk[c] as number)) + (1.0 - (ac - 1) / (totCont[c] as number))) / 3.0 +
        (starting[c] as number) * scw +
        LOCALITY_OFFSET * (taskCount[c] as number);
      if (score < bestScore || (score === bestScore && (rank[c] as number) < bestRank)) {
        best = c;
        bestScore = score;
        bestRank = rank[c] as number;
      }
    }
  }
  if (best < 0) return { cell: -1, reason: insufficientResources(problems), scored };
  snap.reserveTask(best, task);
  return { cell: best, reason: '', scored };
}
