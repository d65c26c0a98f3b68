import { type Algorithm, claim, makeBidding, rounds, send, winnerReservesWhileOthersRebid } from './bidding.js';

// Diego 2014 (onsi/auction auctioneer allRevoteAuction): the pool bids; the lowest bidder reserves
// and recasts its bid while, in the same step, the rest of the pool bids again. If one of them now
// bids lower than the winner's recast bid (concurrent auctions changed the reps meanwhile), the
// winner releases and the auction goes again with a new pool (except in the last round).
const allRebid: Algorithm = (env) => {
  let round = 0;
  const max = env.settings['maxRounds'] ?? 100;
  return rounds(env, function* (last) {
    round++;
    const opening = yield* winnerReservesWhileOthersRebid(env, last, (bids) => bids.slice(1).map((b) => b.cell));
    if (!opening) return null;
    const { best, recast, rebids } = opening;
    const second = rebids[0];
    if (second !== undefined && second.bid < recast && round < max) {
      yield* send('release', env, [best.cell]);
      return null;
    }
    return yield* claim(env, best.cell);
  });
};

/** Diego 2014 `all_rebid` ("all_revote"): the winner reserves with its recast bid while the others re-bid; beaten means release and repeat. */
export const allRebidStrategy = makeBidding('all_rebid', 'Diego 2014: the winner reserves while all others re-bid; beaten means release and repeat', allRebid);
