import { type Algorithm, makeBidding, reserveSome } from './bidding.js';

const allReserve: Algorithm = (env) => reserveSome(env, (bids) => bids);

/** Diego 2014 `all_reserve`: the whole pool reserves; the lowest re-bid wins; the others release. */
export const allReserveStrategy = makeBidding('all_reserve', 'Diego 2014: the whole pool reserves, the lowest re-bid wins, the others release', allReserve);
