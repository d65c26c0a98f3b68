import { makeFilteredStrategy } from './filtered-strategy.js';

/** First fit: the lowest-index cell that can take the work. A packing baseline. */
export const firstFitStrategy = makeFilteredStrategy('first-fit', 'baseline: the lowest-index cell that fits (packs cells in order)', [], () => 0);
