import { makeFilteredStrategy } from './filtered-strategy.js';

/** Round robin: the next fitting cell in index order after the one used last (within a batch). */
export const roundRobinStrategy = makeFilteredStrategy('round-robin', 'baseline: the next fitting cell after the last one used, in index order', [], ({ snap, fits, state }) => {
  let at = fits.findIndex((c) => (snap.cellIndex[c] as number) >= state.cursor);
  if (at < 0) at = 0;
  state.cursor = (snap.cellIndex[fits[at] as number] as number) + 1;
  return at;
});
