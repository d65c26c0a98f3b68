import { EVERY_PROBLEM, ERR_INFLIGHT_LIMIT, insufficientResources } from '../errors.js';
import type { Auction, AuctionBatch, LRPAuction, TaskAuction } from '../model/auctions.js';
import { placementOrder } from '../placement-order.js';
import { LOCALITY_OFFSET } from '../scoring.js';
import { appNumberOf } from '../rep/app-numbers.js';
import type { ClusterSnapshot } from './cluster-snapshot.js';
import type { MinTree } from './min-tree.js';
import { treesOf, type LRPTrees, type ScoreTrees } from './score-trees.js';
import { zoneTieOrder, zoneTieSeed } from './zone-ties.js';

/** The settings of Diego's batch auction, named as in the auctioneer's config. */
export interface DiegoSettings {
  /** Weight of StartingContainerCount in the score (`starting_container_weight`, default 0.25). */
  startingContainerWeight: number;
  /** Weight of the cell index, for bin-pack first fit (`bin_pack_first_fit_weight`, default 0). */
  binPackFirstFitWeight: number;
  /** Cap on containers starting at once across cells (`starting_container_count_maximum`, 0 = none). */
  startingContainerCountMaximum: number;
  /**
   * 1 adds the CPU in use to the resource score's mean, on cells that account CPU (auctionlab's;
   * Diego's cells account no CPU). Absent or 0: Diego's score.
   */
  scoreCpu?: number;
}

/** Diego's shipped defaults. */
export const DIEGO_DEFAULTS: Readonly<DiegoSettings> = Object.freeze({
  startingContainerWeight: 0.25,
  binPackFirstFitWeight: 0,
  startingContainerCountMaximum: 0,
  scoreCpu: 0,
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
 *
 * It decides exactly as Diego's scheduler does (the same winner, the same error, the same count of
 * cells scored) but finds the best cell through {@link ScoreTrees} in O(log n) rather than by
 * scoring every cell; `referenceScheduleBatch` is the literal version it is tested against.
 */
export function scheduleBatch(snap: ClusterSnapshot, batch: AuctionBatch, settings: DiegoSettings): ScheduledBatch {
  const out: ScheduledBatch = { placed: [], failed: [], cellsScored: 0 };
  const cap = settings.startingContainerCountMaximum;
  let inflight = snap.totalStarting();
  const pass = new Pass(snap.zoneNames.length, snap.seed);
  // The snapshot's trees: a snapshot kept between batches has them built, up to date but for the
  // cells whose figures changed since (see ClusterSnapshot.forBatch).
  const trees = treesOf(snap, settings.startingContainerWeight, settings.binPackFirstFitWeight);
  const order = placementOrder(batch, snap.seed);
  // Indexed: for-of made an iterator result for each of tens of thousands of auctions.
  for (let k = 0; k < order.length; k++) {
    const auction = order[k] as Auction;
    if (cap > 0 && inflight >= cap) {
      out.failed.push({ auction, reason: ERR_INFLIGHT_LIMIT });
      continue;
    }
    const cell = auction.kind === 'lrp' ? scheduleLRP(snap, trees, auction, settings, pass) : scheduleTask(snap, trees, auction, settings, pass);
    out.cellsScored += pass.scored;
    if (cell >= 0) {
      out.placed.push({ auction, cell });
      inflight++;
    } else {
      out.failed.push({ auction, reason: pass.reason ?? insufficientResources(pass.problems) });
    }
  }
  return out;
}

/** Reusable per-batch buffers and the last auction's by-products, so an auction allocates little. */
class Pass {
  readonly count: Float64Array;
  readonly order: Int32Array;
  /** Each zone's place in this auction's zone order (ties between zones). */
  readonly zoneTie: Int32Array;
  /** The batch's seed for zone orders (see zoneTieSeed). */
  readonly tieSeed: number;
  /** Why the last auction failed: a filter error, or `null` for Diego's resource error from `problems`. */
  reason: string | null = null;
  /** Resource problems shared by every cell scored. */
  problems = 0;
  /** Cells scored (what Diego would have scored). */
  scored = 0;
  /** Best cell so far, or -1. */
  best = -1;
  /** Its score. */
  bestScore = Infinity;
  /** Its rank. */
  bestRank = 0;
  constructor(zones: number, seed: number) {
    this.tieSeed = zoneTieSeed(seed);
    this.count = new Float64Array(zones);
    this.order = new Int32Array(zones);
    this.zoneTie = new Int32Array(zones);
  }
  start(): void {
    this.reason = null;
    this.problems = EVERY_PROBLEM;
    this.scored = 0;
    this.best = -1;
    this.bestScore = Infinity;
    this.bestRank = 0;
  }
  /** Offers a candidate; lower score wins, equal scores go to the lower rank. */
  offer(c: number, score: number, rank: number): void {
    if (score < this.bestScore || (score === this.bestScore && rank < this.bestRank)) {
      this.best = c;
      this.bestScore = score;
      this.bestRank = rank;
    }
  }
}

/**
 * One LRP auction (Diego's `scheduleLRPAuction`): filter zones, order them by this app's instance
 * count, take the best cell of the lowest-count zone and of zones tied with it; only if nothing there
 * fits move on to the next group of zones. Returns the cell or -1.
 */
function scheduleLRP(snap: ClusterSnapshot, trees: ScoreTrees, auction: LRPAuction, s: DiegoSettings, pass: Pass): number {
  const lrp = auction.lrp;
  const cls = snap.constraint(lrp);
  const { count, order } = pass;
  pass.start();
  const sc = snap.sizeClass(lrp.MemoryMB, lrp.DiskMB, true, lrp, s.scoreCpu === 1);
  if (cls.error === null) {
    const t = trees.lrpTrees(cls, sc);
    // Nowhere to fit (a full cluster fails auctions by the thousand): Diego would score every
    // eligible cell of every zone and fail with the problems they share; so do that at once.
    if (fitsNowhere(t)) {
      for (let z = 0; z < t.zones.length; z++) {
        const tree = t.zones[z];
        if (!tree) continue;
        pass.scored += t.eligible[z] as number;
        pass.problems &= tree.andMask();
      }
      return -1;
    }
  }
  count.fill(0);
  const zoneOf = snap.zoneOf;
  const placed = snap.instancesOf(lrp.process_guid, appNumberOf(lrp));
  if (placed !== undefined) {
    for (let k = 0; k < placed.cells.length; k++) {
      const c = placed.cells[k] as number;
      count[zoneOf[c] as number] = (count[zoneOf[c] as number] as number) + (placed.counts[k] as number);
    }
  }
  let m = 0;
  for (let z = 0; z < cls.zoneOk.length; z++) if (cls.zoneOk[z] === 1) order[m++] = z;
  if (m === 0) {
    pass.reason = cls.error ?? '';
    return -1;
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

  const t = trees.lrpTrees(cls, sc);
  // Cells holding the app leave the trees for this auction; they are scored with their locality.
  if (placed !== undefined) for (const c of placed.cells) if (t.ok[c] === 1) t.zones[zoneOf[c] as number]!.exclude(snap.zonePos[c] as number);
  const { zonePos, cellIndex } = snap;
  // Ties: this auction's zone order first, then the cells' order within their zone (see zone-ties.ts).
  const zoneTie = pass.zoneTie;
  zoneTieOrder(pass.tieSeed, auction.id, snap.zoneNames.length, zoneTie);
  const n = snap.n;
  for (let g = 0; g < m; g++) {
    const z = order[g] as number;
    const tree = t.zones[z] as MinTree;
    pass.scored += t.eligible[z] as number;
    pass.problems &= tree.andMask();
    const leaf = tree.minLeaf();
    if (leaf >= 0) {
      const c = (snap.zoneCells[z] as Int32Array)[leaf] as number;
      pass.offer(c, tree.minKey(), (zoneTie[z] as number) * n + (zonePos[c] as number));
    }
    if (placed !== undefined) {
      for (let k = 0; k < placed.cells.length; k++) {
        const c = placed.cells[k] as number;
        if (zoneOf[c] !== z || t.ok[c] === 0) continue;
        const res = trees.resource(sc, c);
        if (res === Infinity) continue;
        // Diego's sum, in Diego's order: resource + locality + index x weight.
        const score = res + LOCALITY_OFFSET * (placed.counts[k] as number) + (cellIndex[c] as number) * s.binPackFirstFitWeight;
        pass.offer(c, score, (zoneTie[z] as number) * n + (zonePos[c] as number));
      }
    }
    // Zones tied on count are scored together before a winner is taken.
    if (g + 1 < m && count[order[g + 1] as number] === count[z]) continue;
    if (pass.best >= 0) break;
  }
  if (placed !== undefined) for (const c of placed.cells) if (t.ok[c] === 1) t.zones[zoneOf[c] as number]!.restore(snap.zonePos[c] as number);
  // On failure the caller builds Diego's message from pass.problems.
  if (pass.best >= 0) {
    // The reservation logs the cell as changed: each tree brings its leaves up to date when next used.
    snap.reserveLRP(pass.best, lrp);
  }
  return pass.best;
}

/** Whether no eligible cell in any zone fits the size (every tree's best key is +Infinity). */
function fitsNowhere(t: LRPTrees): boolean {
  // Indexed: it runs once per auction, and a full cluster fails auctions by the million.
  const zones = t.zones;
  for (let z = 0; z < zones.length; z++) {
    const tree = zones[z];
    if (tree && tree.minKey() !== Infinity) return false;
  }
  return true;
}

/** One task auction (Diego's `scheduleTaskAuction`): tasks ignore zones; the best fitting cell wins. */
function scheduleTask(snap: ClusterSnapshot, trees: ScoreTrees, auction: TaskAuction, s: DiegoSettings, pass: Pass): number {
  const task = auction.task;
  const cls = snap.constraint(task);
  pass.start();
  if (cls.error !== null) {
    pass.reason = cls.error;
    return -1;
  }
  const t = trees.taskTree(cls, snap.sizeClass(task.MemoryMB, task.DiskMB, false, task, s.scoreCpu === 1));
  pass.scored = t.eligible;
  pass.problems = t.tree.andMask();
  const leaf = t.tree.minLeaf();
  if (leaf < 0) return -1;
  const c = snap.byRank[leaf] as number;
  pass.best = c;
  snap.reserveTask(c, task);
  return c;
}
