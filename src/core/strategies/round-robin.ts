import { makeFilteredStrategy } from './filtered-strategy.js';

/** Round robin: the next fitting cell in index order after the one used last (within a batch). */
export const roundRobinStrategy = makeFilteredStrategy(
  'round-robin',
  'baseline: the next fitting cell after the last one used, in index order',
  [],
  ({ snap, fits, state, ranking }) => {
    let at = fits.findIndex((c) => (snap.cellIndex[c] as number) >= state.cursor);
    if (at < 0) at = 0;
    // The rotation from the cursor: the position in it is the score.
    if (ranking) for (let k = 0; k < fits.length; k++) ranking.push({ cell: fits[(at + k) % fits.length] as number, score: k, terms: { cellIndex: snap.cellIndex[fits[(at + k) % fits.length] as number] as number, cursor: state.cursor } });
    state.cursor = (snap.cellIndex[fits[at] as number] as number) + 1;
    return at;
  },
  { rule: 'the next fitting cell in index order at or after the cursor (the last cell used + 1) wins (lowest score: the place in that rotation)' },
);
