import { type Algorithm, type Bid, claim, makeBidding, PERCENTILE, rounds, send, winnerRebidsAndReserves } from './bidding.js';

const compareToPercentile: Algorithm = (env) =>
  rounds(env, function* (last) {
    const opening = yield* winnerRebidsAndReserves(env, last);
    if (!opening) return null;
    const { bids, best, recast } = opening;
    if (bids.length > 1) {
      // The round's bids at the percentile (among the runners-up): beaten means release and repeat.
      const at = Math.floor((bids.length - 2) * (env.settings['percentile'] ?? 0.2)) + 1;
      if ((bids[at] as Bid).bid < recast) {
        yield* send('release', env, [best.cell]);
        return null;
      }
    }
    return yield* claim(env, best.cell);
  });

/** Diego 2014 `compare_to_percentile`: the winner re-bids and reserves; a re-bid above the round's percentile of bids means release and repeat. */
export const compareToPercentileStrategy = makeBidding(
  'compare_to_percentile',
  "Diego 2014: the winner's re-bid must not exceed the round's 20th-percentile bid, or release and repeat",
  compareToPercentile,
  [PERCENTILE],
);
