import { extreme, leftAfter, makeFilteredStrategy, rankAll } from './filtered-strategy.js';

/** Best fit: the cell left with the least free memory. A tight-packing baseline. */
export const bestFitStrategy = makeFilteredStrategy(
  'best-fit',
  'baseline: the cell left with the least free memory (tight packing)',
  [],
  ({ snap, fits, need, ranking }) => {
    const key = (c: number) => leftAfter(snap, c, need);
    if (ranking) rankAll(snap, fits, key, (a, b) => a < b, ranking, (c) => ({ memoryLeftMB: key(c) }));
    return extreme(snap, fits, key, (a, b) => a < b);
  },
  { rule: 'least memory left after it wins (lowest score; ties: the seeded cell order)' },
);
