import { EVERY_PROBLEM, ERR_CELL_COMMUNICATION, insufficientResources, PROBLEM_CONTAINERS, PROBLEM_DISK, PROBLEM_MEMORY } from '../errors.js';
import type { AuctionExplanation, CellVerdict } from '../explain/explanation.js';
import { evacuatingVerdicts, filteredVerdict, insufficientVerdict, needsOf, unreachableBatch } from '../explain/verdicts.js';
import { filterStage, FilterStage } from '../filters.js';
import type { CellState } from '../model/cell-state.js';
import type { Resources } from '../model/resources.js';
import { ClusterSnapshot } from '../scheduler/cluster-snapshot.js';
import { streamFor } from '../random.js';
import type { Auction, AuctionBatch } from '../model/auctions.js';
import { placementOrder } from '../placement-order.js';
import type { ScheduledPlacement } from '../scheduler/diego-scheduler.js';
import type { Rng } from '../random.js';
import type { AuctionProtocol, Failure, SettingSpec, Strategy, StrategyContext, StrategySettings } from '../strategy.js';
import { commitWork, failAll, fetchStates, snapshotOf } from './protocol-steps.js';

/** A cell as a chooser ranked it, for explanations: its score under the strategy's rule and the score's terms. */
export interface RankedCell {
  /** The cell (a snapshot index). */
  cell: number;
  /** Its score (see the strategy's rule for which way wins). */
  score: number;
  /** The score's terms, by name. */
  terms: Record<string, number>;
}

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
  /**
   * Present only when the auction is being explained: the chooser adds the cells it considered,
   * best first, as it ranks them. It must choose exactly as it would without it.
   */
  ranking?: RankedCell[];
}

/**
 * Picks a cell among those that pass the filters and fit. Returns a position in `fits`, or -1 to
 * fail the auction (with Diego's insufficient-resources text).
 */
export type Chooser = (c: ChoiceContext) => number;

/** What the filtered loop saw in one auction, when traced (snapshot indices). */
interface FilteredTrace {
  auction: Auction;
  /** The auction's filter error when no cell passes the filters. */
  filterError: string | null;
  /** Cells that passed the filters, by whether they fit. */
  insufficient: { cell: number; problems: number; available: Resources }[];
  fits: number[];
  ranking: RankedCell[];
  /** The chosen cell, or -1. */
  chosen: number;
  reason: string | null;
}

/** The decisions of one batch on a snapshot: Diego's placement order, filters and error texts, the chooser's pick. */
function decide(snap: ClusterSnapshot, batch: AuctionBatch, choose: Chooser, resolved: StrategySettings, rng: Rng, trace?: (t: FilteredTrace) => void, traced?: (id: string) => boolean, enough?: () => boolean): { decided: ScheduledPlacement[]; failed: Failure[]; scored: number } {
  // Cells by their own index (then id), the order first-fit and round-robin walk.
  const byIndex = [...Array(snap.n).keys()].sort(
    (a, b) => (snap.cellIndex[a] as number) - (snap.cellIndex[b] as number) || (snap.rank[a] as number) - (snap.rank[b] as number),
  );
  const decided: ScheduledPlacement[] = [];
  const failed: Failure[] = [];
  const state = { cursor: 0 };
  let scored = 0;
  for (const auction of placementOrder(batch)) {
    // An explanation of some auctions needs none after them (later ones change nothing before).
    if (enough?.()) break;
    const work = auction.kind === 'lrp' ? auction.lrp : auction.task;
    const cls = snap.constraint(work);
    const t: FilteredTrace | null = trace && (!traced || traced(auction.id)) ? { auction, filterError: cls.error, insufficient: [], fits: [], ranking: [], chosen: -1, reason: null } : null;
    if (cls.error !== null) {
      failed.push({ auction, reason: cls.error });
      if (t && trace) trace({ ...t, reason: cls.error });
      continue;
    }
    const fits: number[] = [];
    let problems = EVERY_PROBLEM;
    // CPU and GPUs are checked only for work asking for them (Diego's work never does).
    const extra = work.CpuMilli !== undefined || work.GpuCount !== undefined;
    for (const c of byIndex) {
      if (cls.ok[c] === 0) continue;
      scored++;
      const need = work.MemoryMB + (auction.kind === 'lrp' ? (snap.proxyMem[c] as number) : 0);
      let p = 0;
      if ((snap.availDisk[c] as number) < work.DiskMB) p |= PROBLEM_DISK;
      if ((snap.availMem[c] as number) < need) p |= PROBLEM_MEMORY;
      if ((snap.availCont[c] as number) < 1) p |= PROBLEM_CONTAINERS;
      if (extra) p |= snap.extraProblems(c, work);
      if (p === 0) fits.push(c);
      else {
        problems &= p;
        t?.insufficient.push({ cell: c, problems: p, available: snap.available(c) });
      }
    }
    if (t) t.fits = fits;
    if (fits.length === 0) {
      const reason = insufficientResources(problems);
      failed.push({ auction, reason });
      if (t && trace) trace({ ...t, reason });
      continue;
    }
    const at = choose({ snap, fits, auction, need: work.MemoryMB, settings: resolved, rng, state, ...(t ? { ranking: t.ranking } : {}) });
    if (at < 0) {
      const reason = insufficientResources(problems);
      failed.push({ auction, reason });
      if (t && trace) trace({ ...t, reason });
      continue;
    }
    const c = fits[at] as number;
    reserve(snap, c, auction);
    decided.push({ auction, cell: c });
    if (t && trace) trace({ ...t, chosen: c });
  }
  return { decided, failed, scored };
}

/** How a filtered strategy explains itself: its rule in words. */
export interface FilteredExplain {
  /** How it ranks the cells that fit (`the first fitting cell by cell index`, `highest score wins; ...`). */
  rule: string;
}

/**
 * A strategy that fetches states and commits exactly like `diego`, in Diego's placement order and
 * with Diego's filters and error texts, and differs only in how it chooses among fitting cells.
 * With `explain`, it also explains its decisions ({@link Strategy.explain}); its chooser should then
 * fill {@link ChoiceContext.ranking} when asked.
 */
export function makeFilteredStrategy(name: string, summary: string, settings: readonly SettingSpec[], choose: Chooser, explain?: FilteredExplain): Strategy {
  const strategy: Strategy = {
    name,
    summary,
    settings,
    fetchesStateFirst: true,
    *auction(batch: AuctionBatch, ctx: StrategyContext, resolved: StrategySettings): AuctionProtocol {
      if (batch.lrps.length + batch.tasks.length === 0) return { placed: [], failed: [], cellsScored: 0 };
      const fetched = yield* fetchStates(ctx);
      if (fetched.states.length === 0) return failAll(batch, ERR_CELL_COMMUNICATION);
      const snap = snapshotOf(fetched, ctx, false);
      const { decided, failed, scored } = decide(snap, batch, choose, resolved, ctx.rng);
      const placed = yield* commitWork(snap, decided, failed);
      return { placed, failed, cellsScored: scored };
    },
  };
  if (!explain) return strategy;
  return {
    ...strategy,
    explain(states, batch, resolved, seed, rng, only, limit) {
      // The states the auctioneer keeps (evacuating ones left out), the snapshot and the stream the
      // auction itself would have.
      const live = states.filter((s) => !s.Evacuating);
      if (live.length === 0) return unreachableBatch(batch, states, name, explain.rule).filter((e) => !only || only.has(e.id));
      const snap = new ClusterSnapshot(live, { seed, normaliseIndices: false });
      const out: AuctionExplanation[] = [];
      decide(snap, batch, choose, resolved, rng ?? streamFor(seed, 'auctioneer'), (t) => out.push(explainFiltered(t, live, states, name, explain.rule, limit)), only ? (id) => only.has(id) : undefined, only ? () => out.length >= only.size : undefined);
      return out;
    },
  };
}

// One traced auction in words (cells by id; evacuating ones listed as left out).
function explainFiltered(t: FilteredTrace, live: readonly CellState[], all: readonly CellState[], strategy: string, rule: string, limit?: number): AuctionExplanation {
  const work = t.auction.kind === 'lrp' ? t.auction.lrp : t.auction.task;
  const at = (c: number) => ({ cell: live[c]!.cell_id, zone: live[c]!.Zone });
  const ranked = new Set(t.ranking.map((r) => r.cell));
  const away = t.fits.filter((c) => !ranked.has(c));
  const keep = limit === undefined ? undefined : Math.max(2, limit);
  const cells: CellVerdict[] = [
    ...(keep === undefined ? t.ranking : t.ranking.slice(0, keep)).map((r): CellVerdict => ({ ...at(r.cell), verdict: 'scored', score: r.score, terms: r.terms })),
    ...(keep === undefined ? away : away.slice(0, keep)).map((c): CellVerdict => ({ ...at(c), verdict: 'not-reached' })),
    ...t.insufficient.map((x) => insufficientVerdict(live[x.cell]!, x.problems, x.available, t.auction)),
    ...live.flatMap((s): CellVerdict[] => {
      const stage = filterStage(s, work);
      return stage === FilterStage.Passed ? [] : [filteredVerdict(s, stage, t.auction)];
    }),
    ...evacuatingVerdicts(all),
  ];
  const placed = t.chosen >= 0;
  const winner = t.ranking[0];
  const runner = t.ranking[1];
  return {
    id: t.auction.id,
    kind: t.auction.kind,
    strategy,
    rule,
    needs: needsOf(work),
    placedOn: placed ? live[t.chosen]!.cell_id : null,
    ...(t.reason !== null ? { reason: t.reason } : {}),
    ...(placed && winner && runner ? { runnerUp: { cell: live[runner.cell]!.cell_id, score: runner.score }, margin: Math.abs(runner.score - winner.score) } : {}),
    decidedByTie: placed && winner !== undefined && runner !== undefined && runner.score === winner.score,
    ...(keep !== undefined && (t.ranking.length > keep || away.length > keep) ? { unlisted: { scored: Math.max(0, t.ranking.length - keep), notReached: Math.max(0, away.length - keep) } } : {}),
    zones: [],
    cells,
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

/**
 * Fills an explanation's ranking with every fitting cell in the order {@link extreme} would prefer
 * them (its pick first): by `key`, then the seeded rank.
 */
export function rankAll(snap: ClusterSnapshot, fits: readonly number[], key: (c: number) => number, better: (a: number, b: number) => boolean, ranking: RankedCell[], terms: (c: number) => Record<string, number>): void {
  const order = [...fits].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (better(ka, kb)) return -1;
    if (better(kb, ka)) return 1;
    return (snap.rank[a] as number) - (snap.rank[b] as number);
  });
  for (const c of order) ranking.push({ cell: c, score: key(c), terms: terms(c) });
}
