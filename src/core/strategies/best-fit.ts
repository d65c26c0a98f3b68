import { extreme, leftAfter, makeFilteredStrategy } from './filtered-strategy.js';

/** Best fit: the cell left with the least free memory. A tight-packing baseline. */
export const bestFitStrategy = makeFilteredStrategy('best-fit', 'baseline: the cell left with the least free memory (tight packing)', [], ({ snap, fits, need }) =>
  extreme(snap, fits, (c) => leftAfter(snap, c, need), (a, b) => a < b),
);
