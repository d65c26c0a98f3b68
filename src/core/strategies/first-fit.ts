import { makeFilteredStrategy } from './filtered-strategy.js';

/** First fit: the lowest-index cell that can take the work. A packing baseline. */
export const firstFitStrategy = makeFilteredStrategy(
  'first-fit',
  'baseline: the lowest-index cell that fits (packs cells in order)',
  [],
  ({ snap, fits, ranking }) => {
    // The fitting cells come in cell-index order: the first is the one.
    if (ranking) for (const c of fits) ranking.push({ cell: c, score: snap.cellIndex[c] as number, terms: { cellIndex: snap.cellIndex[c] as number } });
    return 0;
  },
  { rule: 'the first fitting cell by cell index wins (lowest score)' },
);
