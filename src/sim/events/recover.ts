// `recover`: dead or drained cells come back, empty (after a failure or an upgrade).
import { selectorValue } from '../field-writers.js';
import { anyOneCell, selectCells } from './cells.js';
import { type CellSelector, describeSelector } from './selector.js';
import { selectorOf, selectorSchema } from '../field-schemas.js';
import { eventKind } from './kind.js';

/** `recover: <cells>`. */
export const recover = eventKind<'recover', { cells: CellSelector }, false>({
  kind: 'recover',
  fault: false,
  docs: { what: 'cells', effect: 'dead or drained cells come back empty (after a failure or an upgrade)' },
  schema: selectorSchema(),
  read: (r, value, path) => ({ cells: selectorOf(r, value, path) }),
  write: (e) => selectorValue(e.cells),
  cellsOf: (e) => e.cells,
  describe: (e) => `recover ${describeSelector(e.cells)}`,
  apply(e, { w, rng }) {
    for (const c of selectCells(w, e.cells, (c) => !c.alive || c.evacuatingSince >= 0, rng)) w.faultInjector.recoverCell(c);
  },
  plan: { weight: 2, with: 'kill', arbitrary: anyOneCell },
});
