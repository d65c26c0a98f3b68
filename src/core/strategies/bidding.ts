import type { Auction } from '../model/auctions.js';
import { placementOrder } from '../placement-order.js';
import type { Reply, Request } from '../protocol/messages.js';
import { shuffleInPlace, type Rng } from '../random.js';
import type { AuctionProtocol, Failure, Placement, SettingSpec, Strategy, StrategyContext, StrategySettings } from '../strategy.js';
import { ERR_NO_RESERVATION } from './random.js';

/** What one auction's sub-protocol yields and receives: its own requests and their replies. */
export type Sub = Generator<Request[], SubResult, Reply[]>;

/** How one auction ended. */
export type SubResult = { placed: true; cell: string; confirmed: boolean } | { placed: false; reason: string };

/** What an algorithm needs for one auction. */
export interface AuctionEnv {
  /** The auction. */
  auction: Auction;
  /** The strategy's context. */
  ctx: StrategyContext;
  /** Resolved settings. */
  settings: StrategySettings;
  /** Counts bids asked for (the strategy's cells scored). */
  asked: { n: number };
}

/** A 2014 bidding algorithm: one auction's protocol. */
export type Algorithm = (env: AuctionEnv) => Sub;

/** The settings every bidding algorithm shares, with Diego's 2014 defaults. */
export const BIDDING_SETTINGS: readonly SettingSpec[] = [
  { name: 'poolFraction', default: 0.2, description: 'fraction of the reps asked to bid each round', min: 0, max: 1, integer: false },
  { name: 'minPool', default: 10, description: 'at least this many reps in a bidding pool', min: 1, max: 100_000, integer: true },
  { name: 'maxRounds', default: 100, description: 'rounds an auction may take before it fails', min: 1, max: 100_000, integer: true },
  { name: 'concurrentAuctions', default: 20, description: 'auctions in flight at once (their bids go stale as others win)', min: 1, max: 100_000, integer: true },
];
/** The `nBest` setting. */
export const N_BEST: SettingSpec = { name: 'nBest', default: 5, description: 'how many of the best bids take part', min: 1, max: 100_000, integer: true };
/** The `percentile` setting. */
export const PERCENTILE: SettingSpec = { name: 'percentile', default: 0.2, description: "percentile of the round's bids the winner's re-bid must not exceed", min: 0, max: 1, integer: false };

/** A random bidding pool for one round (see {@link biddingPool}). */
export function pool(env: AuctionEnv): string[] {
  return biddingPool(env.ctx.cells, env.ctx.rng, env.settings['poolFraction'] ?? 0.2, env.settings['minPool'] ?? 10);
}

/** One rep's bid. */
export interface Bid {
  /** The rep. */
  cell: string;
  /** Its bid (lower is better). */
  bid: number;
}

/** Asks `cells` to bid; returns the bids, lowest first (equal bids in a seeded random order), and the last refusal. */
export function* askBids(env: AuctionEnv, cells: readonly string[]): Generator<Request[], { bids: Bid[]; refusal: string | null }, Reply[]> {
  if (cells.length === 0) return { bids: [], refusal: null };
  env.asked.n += cells.length;
  const replies = yield cells.map((cell): Request => ({ kind: 'bid', cell, auction: env.auction }));
  return sortedBids(env, cells, replies);
}

/**
 * The bids among `replies` (to requests sent to `cells`, in order), lowest first, and the last
 * refusal. Equal bids come in a seeded random order: Diego 2014 shuffled its bids before sorting
 * them (onsi/auction `Shuffle().Sort()`), so concurrent auctions that see the same bids do not all
 * pick the same rep, as a fixed tie order (by cell id) made them.
 */
export function sortedBids(env: AuctionEnv, cells: readonly string[], replies: readonly Reply[]): { bids: Bid[]; refusal: string | null } {
  const bids: Bid[] = [];
  let refusal: string | null = null;
  replies.forEach((r, i) => {
    if (r.kind === 'bid' && r.ok) bids.push({ cell: cells[i] as string, bid: r.bid });
    else if (!r.ok) refusal = r.error;
  });
  return { bids: lowestFirst(env, bids), refusal };
}

// Bids lowest first, equal ones in a seeded random order: a shuffle, then a stable sort by bid alone.
function lowestFirst(env: AuctionEnv, bids: Bid[]): Bid[] {
  shuffleInPlace(env.ctx.rng, bids);
  return bids.sort((a, b) => a.bid - b.bid);
}

/**
 * Reserves on each of `cells` at once (Diego 2014's `ReserveAndRecastVote`): returns the cells that
 * took the reservation with their recast bids (what they bid just before holding the work), lowest
 * first. A rep that does not say its recast bid is asked for one after.
 */
export function* reserveAndRecast(env: AuctionEnv, cells: readonly string[]): Generator<Request[], Bid[], Reply[]> {
  const replies = yield* send('reserve', env, cells);
  const held: Bid[] = [];
  const silent: string[] = [];
  replies.forEach((r, i) => {
    if (r.kind !== 'reserve' || !r.ok) return;
    if (r.bid !== undefined) held.push({ cell: cells[i] as string, bid: r.bid });
    else silent.push(cells[i] as string);
  });
  // A recast bid is a cell scored (askBids counts the ones it asks itself).
  env.asked.n += held.length;
  if (silent.length > 0) {
    // Every cell that took the reservation stays in the list, so it is claimed or released; one that
    // no longer bids comes last.
    const asked = (yield* askBids(env, silent)).bids;
    for (const cell of silent) held.push({ cell, bid: asked.find((b) => b.cell === cell)?.bid ?? Number.POSITIVE_INFINITY });
  }
  return lowestFirst(env, held);
}

/** Sends one kind of message for the auction to each cell, in parallel. */
export function* send(kind: 'reserve' | 'release' | 'claim', env: AuctionEnv, cells: readonly string[]): Generator<Request[], Reply[], Reply[]> {
  if (cells.length === 0) return [];
  return yield cells.map((cell): Request => ({ kind, cell, auction: env.auction }));
}

/** Reserves on `cell` and claims it; returns the result, or null if the reservation was refused. */
export function* reserveAndClaim(env: AuctionEnv, cell: string): Generator<Request[], SubResult | null, Reply[]> {
  const [r] = yield* send('reserve', env, [cell]);
  if (!r?.ok) return null;
  return yield* claim(env, cell);
}


/** Claims a held reservation: the auction is placed (unconfirmed if the claim got no yes). */
export function* claim(env: AuctionEnv, cell: string): Generator<Request[], SubResult, Reply[]> {
  const [c] = yield* send('claim', env, [cell]);
  return { placed: true, cell, confirmed: c?.ok === true };
}

/** Runs rounds of `round` until one places the auction or the rounds run out. */
export function* rounds(env: AuctionEnv, round: (lastRefusal: { reason: string }) => Generator<Request[], SubResult | null, Reply[]>): Sub {
  const last = { reason: ERR_NO_RESERVATION };
  const max = env.settings['maxRounds'] ?? 100;
  for (let i = 0; i < max; i++) {
    const r = yield* round(last);
    if (r) return r;
  }
  return { placed: false, reason: last.reason };
}

/**
 * The opening of a round shared by `all_rebid` and `compare_to_percentile`: the pool bids and the
 * lowest bidder reserves, answering with its recast bid; meanwhile (in the same step, as Diego 2014
 * sent them together) the cells in `alsoAsk(bids)` bid again. Returns the round's bids, the winner,
 * its recast bid and the new bids, or null when nobody bid or the winner would not reserve.
 */
export function* winnerReservesWhileOthersRebid(
  env: AuctionEnv,
  last: { reason: string },
  alsoAsk: (bids: Bid[]) => string[],
): Generator<Request[], { bids: Bid[]; best: Bid; recast: number; rebids: Bid[] } | null, Reply[]> {
  const { bids, refusal } = yield* askBids(env, pool(env));
  if (refusal) last.reason = refusal;
  const best = bids[0];
  if (!best) return null;
  const others = alsoAsk(bids);
  env.asked.n += others.length + 1;
  const replies = yield [{ kind: 'reserve', cell: best.cell, auction: env.auction }, ...others.map((cell): Request => ({ kind: 'bid', cell, auction: env.auction }))];
  const [reserved, ...rest] = replies;
  if (reserved?.kind !== 'reserve' || !reserved.ok) return null;
  // A rep that does not say its recast bid keeps its first one.
  const recast = reserved.bid ?? best.bid;
  return { bids, best, recast, rebids: sortedBids(env, others, rest).bids };
}

/**
 * `cells` reserve at once with their recast bids (see {@link reserveAndRecast}); the lowest wins and
 * is claimed, the others that took the reservation release it (Diego 2014 `reserve_n_best` and
 * `all_reserve`: onsi/auction auctioneer). Returns null when none took it.
 */
export function* reserveAndPick(env: AuctionEnv, cells: readonly string[]): Generator<Request[], SubResult | null, Reply[]> {
  const held = yield* reserveAndRecast(env, cells);
  const winner = held[0];
  if (!winner) return null;
  yield* send('release', env, held.slice(1).map((b) => b.cell));
  return yield* claim(env, winner.cell);
}

/** A unit of work run as its own sub-protocol: one auction (bidding) or one job of several (Sparrow). */
export interface Unit {
  /** The unit's auctions, in the order its results come back. */
  auctions: Auction[];
  /** Starts its protocol; the result has one entry per auction. */
  start: () => Generator<Request[], SubResult[], Reply[]>;
}

/**
 * Runs many units' sub-protocols at once, `limit` in flight: each step every unit in flight sends
 * its next requests, all in one outbox, and gets its own replies back. This is what made Diego's
 * 2014 bids go stale: while one auction reserves, others have bid.
 */
export function* multiplex(units: Unit[], limit: number, cellsScored: () => number): AuctionProtocol {
  const placed: Placement[] = [];
  const failed: Failure[] = [];
  type Live = { unit: Unit; sub: Generator<Request[], SubResult[], Reply[]>; out: Request[] };
  const queue = [...units];
  let live: Live[] = [];
  const settle = (unit: Unit, sub: Live['sub'], step: IteratorResult<Request[], SubResult[]>, into: Live[]): void => {
    if (!step.done) {
      into.push({ unit, sub, out: step.value });
      return;
    }
    step.value.forEach((r, i) => {
      const auction = unit.auctions[i] as Auction;
      if (r.placed) placed.push({ auction, cell: r.cell, confirmed: r.confirmed });
      else failed.push({ auction, reason: r.reason });
    });
  };
  const start = (): void => {
    while (live.length < limit && queue.length > 0) {
      const unit = queue.shift() as Unit;
      const sub = unit.start();
      settle(unit, sub, sub.next([]), live);
    }
  };
  start();
  while (live.length > 0) {
    const outbox = live.flatMap((l) => l.out);
    const inbox = outbox.length > 0 ? yield outbox : [];
    let at = 0;
    const next: Live[] = [];
    for (const l of live) {
      const replies = inbox.slice(at, at + l.out.length) as Reply[];
      at += l.out.length;
      settle(l.unit, l.sub, l.sub.next(replies), next);
    }
    live = next;
    start();
  }
  return { placed, failed, cellsScored: cellsScored() };
}

function* single(sub: Sub): Generator<Request[], SubResult[], Reply[]> {
  return [yield* sub];
}

/** Makes a 2014 bidding strategy from one auction's algorithm, run concurrently by {@link multiplex}. */
export function makeBidding(name: string, summary: string, algorithm: Algorithm, extra: readonly SettingSpec[] = []): Strategy {
  return {
    name,
    summary,
    settings: [...BIDDING_SETTINGS, ...extra],
    *auction(batch, ctx, settings) {
      const asked = { n: 0 };
      const auctions = placementOrder(batch);
      if (ctx.cells.length === 0) {
        return { placed: [], failed: auctions.map((auction) => ({ auction, reason: ERR_NO_RESERVATION })), cellsScored: 0 };
      }
      const units = auctions.map((auction): Unit => ({ auctions: [auction], start: () => single(algorithm({ auction, ctx, settings, asked })) }));
      return yield* multiplex(units, settings['concurrentAuctions'] ?? 20, () => asked.n);
    },
  };
}

/** A random bidding pool: `max(minPool, ceil(fraction x reps))` reps, at most all of them. */
export function biddingPool(cells: readonly string[], rng: Rng, fraction: number, minPool: number): string[] {
  const size = Math.min(cells.length, Math.max(minPool, Math.ceil(fraction * cells.length)));
  return shuffleInPlace(rng, [...cells]).slice(0, size);
}
