import { type Algorithm, askBids, makeBidding, pool, reserveAndClaim, rounds } from './bidding.js';

const pickBest: Algorithm = (env) =>
  rounds(env, function* (last) {
    const { bids, refusal } = yield* askBids(env, pool(env));
    if (refusal) last.reason = refusal;
    const best = bids[0];
    return best ? yield* reserveAndClaim(env, best.cell) : null;
  });

/** Diego 2014 `pick_best`: the pool bids; the lowest bid reserves and wins; next round if the reservation fails. */
export const pickBestStrategy = makeBidding('pick_best', "Diego 2014: the lowest bid of a random pool reserves and wins", pickBest);
