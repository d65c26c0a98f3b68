import { type Algorithm, askBids, type Bid, makeBidding, N_BEST, pool, reserveAndClaim, rounds } from './bidding.js';

const pickAmongBest: Algorithm = (env) =>
  rounds(env, function* (last) {
    const { bids, refusal } = yield* askBids(env, pool(env));
    if (refusal) last.reason = refusal;
    const top = bids.slice(0, env.settings['nBest'] ?? 5);
    if (top.length === 0) return null;
    return yield* reserveAndClaim(env, (top[env.ctx.rng.int(top.length)] as Bid).cell);
  });

/** Diego 2014 `pick_among_best`: one of the best `nBest` bids, at random. */
export const pickAmongBestStrategy = makeBidding('pick_among_best', 'Diego 2014: one of the best 5 bids of a random pool, at random', pickAmongBest, [N_BEST]);
