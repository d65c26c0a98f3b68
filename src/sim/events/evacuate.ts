// `evacuate`: cells drain (an upgrade): each instance gets a replacement elsewhere and stops once
// the replacement runs, or at the evacuation timeout.
import { selectorValue } from '../field-writers.js';
import { anyOneCell, cellCount, selectCells } from './cells.js';
import { type CellSelector, describeSelector } from './selector.js';
import { selectorOf, selectorSchema } from '../field-schemas.js';
import { eventKind } from './kind.js';

/** `evacuate: <cells>`. */
export const evacuate = eventKind<'evacuate', { cells: CellSelector }, true>({
  kind: 'evacuate',
  fault: true,
  docs: { what: 'cells', effect: 'the cells drain: each instance gets a replacement and stops once it runs (or at the timeout)' },
  schema: selectorSchema(),
  read: (r, value, path) => ({ cells: selectorOf(r, value, path) }),
  write: (e) => selectorValue(e.cells),
  cellsOf: (e) => e.cells,
  describe: (e) => `evacuate ${describeSelector(e.cells)}`,
  apply(e, { w, rng }) {
    const cells = selectCells(w, e.cells, (c) => c.alive && c.evacuatingSince < 0, rng);
    for (const c of cells) w.faultInjector.evacuate(c);
    return cellCount(cells.length);
  },
  plan: { weight: 2, arbitrary: anyOneCell },
});
