import { type Algorithm, makeBidding, N_BEST, reserveSome } from './bidding.js';

const reserveNBest: Algorithm = (env) => reserveSome(env, (bids) => bids.slice(0, env.settings['nBest'] ?? 5));

/** Diego 2014 `reserve_n_best`: the best `nBest` reserve; the lowest re-bid wins; the others release. */
export const reserveNBestStrategy = makeBidding('reserve_n_best', 'Diego 2014: the best 5 reserve, the lowest re-bid wins, the others release', reserveNBest, [N_BEST]);
