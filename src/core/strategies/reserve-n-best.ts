import { type Algorithm, askBids, makeBidding, N_BEST, pool, reserveAndPick, rounds } from './bidding.js';

// Diego 2014 (onsi/auction auctioneer reserveNBestAuction): the pool bids; the best n reserve at once
// with their recast bids; the lowest recast is claimed, the others release.
const reserveNBest: Algorithm = (env) =>
  rounds(env, function* (last) {
    const { bids, refusal } = yield* askBids(env, pool(env));
    if (refusal) last.reason = refusal;
    return yield* reserveAndPick(env, bids.slice(0, env.settings['nBest'] ?? 5).map((b) => b.cell));
  });

/** Diego 2014 `reserve_n_best`: the best `nBest` bids reserve with their recast bids; the lowest wins; the others release. */
export const reserveNBestStrategy = makeBidding('reserve_n_best', 'Diego 2014: the best 5 reserve with their recast bids, the lowest wins, the others release', reserveNBest, [N_BEST]);
