// `slowCell`: cells whose replies are slow for a while (a saturated NIC, a struggling rep). Every
// message between an auctioneer and them takes `factor` times its usual latency, so state fetches
// and work requests to them may run into the network timeout (Diego: 10 s) and count as lost. The
// slowdown belongs to the machine: a cell recovered meanwhile (a new machine) is not slow.
import { durationText, selectorValue } from '../field-writers.js';
import { childPath } from '../../core/json/reader.js';
import type { SimCell } from '../actors/cell.js';
import { Type } from '@sinclair/typebox';
import { number, object, withDefaults } from '../../core/json/schema-says.js';
import { durationMs, durationSchema, selectorOf, selectorSchema } from '../field-schemas.js';
import { cellCount, oneCell, selectCells } from './cells.js';
import { type CellSelector, describeSelector } from './selector.js';
import { eventKind, type EventRun } from './kind.js';

/** The body of a `slowCell` event. */
export interface SlowCellBody {
  /** The cells slowed. */
  cells: CellSelector;
  /** How many times slower their messages are. */
  factor: number;
  /** How long the slowdown lasts (ms). */
  forMs: number;
}

/** The slowdowns of one run, by the index the end event carries, and the handler that ends one. */
interface Slowdowns {
  ends: { cells: SimCell[]; factor: number }[];
  handler: number;
}

function slowdownsOf(run: EventRun): Slowdowns {
  return run.state('slowCell', () => {
    const s: Slowdowns = { ends: [], handler: -1 };
    s.handler = run.w.kernel.register('event.slow-cell-end', (i) => {
      const end = s.ends[i];
      if (end) for (const c of end.cells) run.w.faultInjector.endSlowdown(c, end.factor);
    });
    return s;
  });
}

const SLOWDOWN = object(
  {
    cells: selectorSchema(),
    factor: Type.Optional(number({ min: 1, max: 1_000_000, default: 10, description: 'How many times the usual latency their messages take.' })),
    for: Type.Optional(durationSchema({ default: '1m', description: 'How long the slowdown lasts.' })),
  },
  { expected: 'a slowdown {cells, factor, for}', order: ['$unknown', '$self', 'for', 'cells', 'factor'] },
);

/** `slowCell: {cells, factor: 10, for: 1m}`. */
export const slowCell = eventKind({
  kind: 'slowCell',
  fault: true,
  docs: {
    what: '`{ cells, factor: 10, for: 1m }`',
    effect:
      "for `for`, every message between an auctioneer and the cells takes `factor` times the network's latency (no effect with `latency: 0`); replies that then miss the network timeout are lost. A cell recovered meanwhile is a new machine and not slow",
  },
  schema: SLOWDOWN,
  read(r, value, path): SlowCellBody | undefined {
    if (value === undefined) return undefined;
    const o = withDefaults(SLOWDOWN, value);
    const forMs = durationMs(o.for, 0);
    if (forMs <= 0) r.report(childPath(path, 'for'), `expected a duration above 0, got ${forMs}ms`);
    return { cells: selectorOf(r, o.cells, childPath(path, 'cells')), factor: o.factor!, forMs };
  },
  write: (e) => ({ cells: selectorValue(e.cells), factor: e.factor, for: durationText(e.forMs) }),
  cellsOf: (e) => e.cells,
  describe: (e) => `slow ${describeSelector(e.cells)} ${e.factor}x`,
  apply(e, run) {
    const { w } = run;
    const s = slowdownsOf(run);
    const cells = selectCells(w, e.cells, (c) => c.alive, run.rng);
    for (const c of cells) w.faultInjector.slowDown(c, e.factor);
    s.ends.push({ cells, factor: e.factor });
    w.kernel.after(e.forMs, s.handler, s.ends.length - 1);
    return `${cellCount(cells.length)} ${e.factor}x`;
  },
  plan: {
    weight: 2,
    arbitrary: (fc, ctx) =>
      fc
        .record({ id: fc.constantFrom(...ctx.cells), factor: fc.constantFrom(10, 1000, 20_000), forS: fc.integer({ min: 1, max: 120 }) })
        .map((s) => ({ body: { cells: oneCell(s.id), factor: s.factor, for: `${s.forS}s` } })),
    // A slowdown may outlast the plan's last step: the bound waits for it to end.
    boundMs: (events) => Math.max(0, ...events.map((e) => e.forMs)),
  },
});
