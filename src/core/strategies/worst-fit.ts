import { extreme, leftAfter, makeFilteredStrategy } from './filtered-strategy.js';

/** Worst fit: the cell left with the most free memory. A spreading baseline. */
export const worstFitStrategy = makeFilteredStrategy('worst-fit', 'baseline: the cell left with the most free memory (spreads load)', [], ({ snap, fits, need }) =>
  extreme(snap, fits, (c) => leftAfter(snap, c, need), (a, b) => a > b),
);
