import { ALL_PROBLEMS, ERR_CELL_COMMUNICATION, insufficientResources, PROBLEM_CONTAINERS, PROBLEM_DISK, PROBLEM_MEMORY } from '../errors.js';
import type { Auction, AuctionBatch } from '../model/auctions.js';
import { placementOrder } from '../placement-order.js';
import type { ClusterSnapshot } from '../scheduler/cluster-snapshot.js';
import type { ScheduledPlacement } from '../scheduler/diego-scheduler.js';
import type { Rng } from '../random.js';
import type { AuctionProtocol, Failure, SettingSpec, Strategy, StrategyContext, StrategySettings } from '../strategy.js';
import { commitWork, failAll, fetchStates, snapshotOf } from './protocol-steps.js';

/** What a chooser sees for one auction. */
export interface ChoiceContext {
  /** The snapshot, with this batch's reservations so far. */
  snap: ClusterSnapshot;
  /** Cells that pass the filters and fit, in cell-index order. */
  fits: readonly number[];
  /** The auction. */
  auction: Auction;
  /** Memory the work asks for (MB, without proxy). */
  need: number;
  /** The strategy's resolved settings. */
  settings: StrategySettings;
  /** The auctioneer's seeded stream. */
  rng: Rng;
  /** State kept across the auctions of one batch (e.g. a round-robin cursor). */
  state: { cursor: number };
}

/**
 * Picks a cell among those that pass the filters and fit. Returns a position in `fits`, or -1 to
 * fail the auction (with Diego's insufficient-resources text).
 */
export type Chooser = (c: ChoiceContext) => number;

/**
 * A strategy that fetches states and commits exactly like `diego`, in Diego's placement order and
 * with Diego's filters and error texts, and differs only in how it chooses among fitting cells.
 */
export function makeFilteredStrategy(name: string, summary: string, settings: readonly SettingSpec[], choose: Chooser): Strategy {
  return {
    name,
    summary,
    settings,
    fetchesStateFirst: true,
    *auction(batch: AuctionBatch, ctx: StrategyContext, resolved: StrategySettings): AuctionProtocol {
      if (batch.lrps.length + batch.tasks.length === 0) return { placed: [], failed: [], cellsScored: 0 };
      const fetched = yield* fetchStates(ctx);
      if (fetched.states.length === 0) return failAll(batch, ERR_CELL_COMMUNICATION);
      const snap = snapshotOf(fetched, ctx, false);
      // Cells by their own index (then id), the order first-fit and round-robin walk.
      const byIndex = [...Array(snap.n).keys()].sort(
        (a, b) => (snap.cellIndex[a] as number) - (snap.cellIndex[b] as number) || (snap.rank[a] as number) - (snap.rank[b] as number),
      );
      const decided: ScheduledPlacement[] = [];
      const failed: Failure[] = [];
      const state = { cursor: 0 };
      let scored = 0;
      for (const auction of placementOrder(batch)) {
        const work = auction.kind === 'lrp' ? auction.lrp : auction.task;
        const cls = snap.constraint(work);
        if (cls.error !== null) {
          failed.push({ auction, reason: cls.error });
          continue;
        }
        const fits: number[] = [];
        let problems = ALL_PROBLEMS;
        for (const c of byIndex) {
          if (cls.ok[c] === 0) continue;
          scored++;
          const need = work.MemoryMB + (auction.kind === 'lrp' ? (snap.proxyMem[c] as number) : 0);
          let p = 0;
          if ((snap.availDisk[c] as number) < work.DiskMB) p |= PROBLEM_DISK;
          if ((snap.availMem[c] as number) < need) p |= PROBLEM_MEMORY;
          if ((snap.availCont[c] as number) < 1) p |= PROBLEM_CONTAINERS;
          if (p === 0) fits.push(c);
          else problems &= p;
        }
        if (fits.length === 0) {
          failed.push({ auction, reason: insufficientResources(problems) });
          continue;
        }
        const at = choose({ snap, fits, auction, need: work.MemoryMB, settings: resolved, rng: ctx.rng, state });
        if (at < 0) {
          failed.push({ auction, reason: insufficientResources(problems) });
          continue;
        }
        const c = fits[at] as number;
        reserve(snap, c, auction);
        decided.push({ auction, cell: c });
      }
      const placed = yield* commitWork(snap, decided, failed);
      return { placed, failed, cellsScored: scored };
    },
  };
}

function reserve(snap: ClusterSnapshot, c: number, auction: Auction): void {
  if (auction.kind === 'lrp') snap.reserveLRP(c, auction.lrp);
  else snap.reserveTask(c, auction.task);
}

/** Memory a cell would have left after taking `need` (its proxy allocation aside). */
export function leftAfter(snap: ClusterSnapshot, c: number, need: number): number {
  return (snap.availMem[c] as number) - need;
}

/** Picks the position in `fits` with the extreme `key` (lowest rank on ties). */
export function extreme(snap: ClusterSnapshot, fits: readonly number[], key: (c: number) => number, better: (a: number, b: number) => boolean): number {
  let best = 0;
  for (let i = 1; i < fits.length; i++) {
    const c = fits[i] as number;
    const b = fits[best] as number;
    const kc = key(c);
    const kb = key(b);
    if (better(kc, kb) || (kc === kb && (snap.rank[c] as number) < (snap.rank[b] as number))) best = i;
  }
  return best;
}
