// `kill`: cells die (machine loss). Their containers are gone; their presence lapses after the TTL.
import { selectorValue } from '../field-writers.js';
import { anyOneCell, cellCount, selectCells } from './cells.js';
import { type CellSelector, describeSelector } from './selector.js';
import { selectorOf, selectorSchema } from '../field-schemas.js';
import { eventKind } from './kind.js';

/** `kill: <cells>`. */
export const kill = eventKind<'kill', { cells: CellSelector }, true>({
  kind: 'kill',
  fault: true,
  docs: { what: 'cells', effect: 'the machines die: containers gone; presence lapses after `presenceTtl`' },
  schema: selectorSchema(),
  read: (r, value, path) => ({ cells: selectorOf(r, value, path) }),
  write: (e) => selectorValue(e.cells),
  cellsOf: (e) => e.cells,
  describe: (e) => `kill ${describeSelector(e.cells)}`,
  apply(e, { w, rng }) {
    const cells = selectCells(w, e.cells, (c) => c.alive, rng);
    for (const c of cells) w.faultInjector.killCell(c);
    return cellCount(cells.length);
  },
  plan: { weight: 2, arbitrary: anyOneCell },
});
