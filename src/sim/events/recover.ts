// `recover`: dead or drained cells come back, empty (after a failure or an upgrade).
import { anyOneCell, type CellSelector, describeSelector, readSelector, selectCells } from './cells.js';
import { eventKind } from './kind.js';

/** `recover: <cells>`. */
export const recover = eventKind<'recover', { cells: CellSelector }>({
  kind: 'recover',
  fault: false,
  docs: { what: 'cells', effect: 'dead or drained cells come back empty (after a failure or an upgrade)' },
  parse: (r, value, path) => ({ cells: readSelector(r, value, path) }),
  describe: (e) => `recover ${describeSelector(e.cells)}`,
  apply(e, { w, rng }) {
    for (const c of selectCells(w, e.cells, (c) => !c.alive || c.evacuatingSince >= 0, rng)) w.faultInjector.recoverCell(c);
  },
  plan: { weight: 2, with: 'kill', arbitrary: anyOneCell },
});
