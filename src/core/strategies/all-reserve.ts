import { type Algorithm, makeBidding, pool, reserveAndPick, rounds } from './bidding.js';

// Diego 2014 (onsi/auction auctioneer allReserveAuction): no bidding round; every rep of the pool
// reserves at once and answers with its recast bid; the lowest is claimed, the others release.
const allReserve: Algorithm = (env) => rounds(env, () => reserveAndPick(env, pool(env)));

/** Diego 2014 `all_reserve`: the whole pool reserves with its recast bids; the lowest wins; the others release. */
export const allReserveStrategy = makeBidding('all_reserve', 'Diego 2014: the whole pool reserves with its bids, the lowest wins, the others release', allReserve);
