import { extreme, leftAfter, makeFilteredStrategy, rankAll } from './filtered-strategy.js';

/** Worst fit: the cell left with the most free memory. A spreading baseline. */
export const worstFitStrategy = makeFilteredStrategy(
  'worst-fit',
  'baseline: the cell left with the most free memory (spreads load)',
  [],
  ({ snap, fits, need, ranking }) => {
    const key = (c: number) => leftAfter(snap, c, need);
    if (ranking) rankAll(snap, fits, key, (a, b) => a > b, ranking, (c) => ({ memoryLeftMB: key(c) }));
    return extreme(snap, fits, key, (a, b) => a > b);
  },
  { rule: 'most memory left after it wins (highest score; ties: the seeded cell order)' },
);
