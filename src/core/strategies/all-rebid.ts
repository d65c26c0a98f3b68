import { type Algorithm, askBids, claim, makeBidding, rounds, send, winnerRebidsAndReserves } from './bidding.js';

const allRebid: Algorithm = (env) => {
  let round = 0;
  const max = env.settings['maxRounds'] ?? 100;
  return rounds(env, function* (last) {
    round++;
    const opening = yield* winnerRebidsAndReserves(env, last);
    if (!opening) return null;
    const { bids, best, recast } = opening;
    // The runners-up bid again; if one now beats the winner's recast bid, give it up and go again
    // (except in the last round, as Diego's did).
    const second = (yield* askBids(env, bids.slice(1).map((b) => b.cell))).bids[0];
    if (second !== undefined && second.bid < recast && round < max) {
      yield* send('release', env, [best.cell]);
      return null;
    }
    return yield* claim(env, best.cell);
  });
};

/** Diego 2014 `all_rebid`: the winner re-bids and reserves, the runners-up re-bid; if one now beats the winner's re-bid, release and repeat. */
export const allRebidStrategy = makeBidding('all_rebid', 'Diego 2014: the winner reserves and all others re-bid; beaten means release and repeat', allRebid);
