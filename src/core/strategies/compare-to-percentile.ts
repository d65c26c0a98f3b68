import { type Bid, type Algorithm, claim, makeBidding, PERCENTILE, rounds, send, winnerReservesWhileOthersRebid } from './bidding.js';

// Diego 2014's later auctioneer: the pool bids; the lowest bidder reserves with its recast bid; if
// that is above the round's bids at the percentile (among the runners-up), the winner releases and
// the auction goes again.
const compareToPercentile: Algorithm = (env) =>
  rounds(env, function* (last) {
    const opening = yield* winnerReservesWhileOthersRebid(env, last, () => []);
    if (!opening) return null;
    const { bids, best, recast } = opening;
    if (bids.length > 1) {
      const at = Math.floor((bids.length - 2) * (env.settings['percentile'] ?? 0.2)) + 1;
      if ((bids[at] as Bid).bid < recast) {
        yield* send('release', env, [best.cell]);
        return null;
      }
    }
    return yield* claim(env, best.cell);
  });

/** Diego 2014 `compare_to_percentile`: the winner reserves with its recast bid; above the round's percentile of bids means release and repeat. */
export const compareToPercentileStrategy = makeBidding(
  'compare_to_percentile',
  "Diego 2014: the winner's recast bid must not exceed the round's 20th-percentile bid, or release and repeat",
  compareToPercentile,
  [PERCENTILE],
);
