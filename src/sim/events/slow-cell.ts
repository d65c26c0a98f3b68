// `slowCell`: cells whose replies are slow for a while (a saturated NIC, a struggling rep). Every
// message to and from them takes `factor` times its usual latency, so state fetches and work
// requests to them may run into the network timeout (Diego: 10 s) and count as lost.
import { childPath } from '../../core/json/reader.js';
import type { SimCell } from '../actors/cell.js';
import { durationField } from '../field-readers.js';
import { cellCount, type CellSelector, describeSelector, oneCell, readSelector, selectCells } from './cells.js';
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

/** The slowdowns of one run: what each cell is slowed by now, and the handler that ends one. */
interface Slowdowns {
  active: Map<SimCell, number[]>;
  ends: { cells: SimCell[]; factor: number }[];
  handler: number;
}

// Overlapping slowdowns of one cell: the largest factor in force applies.
function settle(cell: SimCell, factors: readonly number[]): void {
  cell.latencyFactor = factors.length === 0 ? 1 : Math.max(...factors);
}

function slowdownsOf(run: EventRun): Slowdowns {
  return run.state('slowCell', () => {
    const s: Slowdowns = { active: new Map(), ends: [], handler: -1 };
    s.handler = run.w.kernel.register('event.slow-cell-end', (i) => {
      const end = s.ends[i];
      if (!end) return;
      for (const c of end.cells) {
        const factors = s.active.get(c) ?? [];
        factors.splice(factors.indexOf(end.factor), 1);
        settle(c, factors);
      }
    });
    return s;
  });
}

/** `slowCell: {cells, factor: 10, for: 1m}`. */
export const slowCell = eventKind<'slowCell', SlowCellBody>({
  kind: 'slowCell',
  fault: true,
  docs: {
    what: '`{ cells, factor: 10, for: 1m }`',
    effect: 'for `for`, every message to and from the cells takes `factor` times its latency; replies that then miss the network timeout are lost',
  },
  parse(r, value, path) {
    const o = r.object(value, path, 'a slowdown {cells, factor, for}');
    if (!o) return undefined;
    r.rejectUnknown(o, path, ['cells', 'factor', 'for']);
    return {
      cells: readSelector(r, o['cells'], childPath(path, 'cells')),
      factor: r.number(o, 'factor', path, { min: 1, max: 1_000_000, default: 10 }),
      forMs: durationField(r, o, 'for', path, 60_000),
    };
  },
  describe: (e) => `slow ${describeSelector(e.cells)} ${e.factor}x`,
  apply(e, run) {
    const { w } = run;
    const s = slowdownsOf(run);
    const cells = selectCells(w, e.cells, (c) => c.alive, run.rng);
    for (const c of cells) {
      const factors = s.active.get(c) ?? [];
      factors.push(e.factor);
      s.active.set(c, factors);
      settle(c, factors);
    }
    s.ends.push({ cells, factor: e.factor });
    w.kernel.after(e.forMs, s.handler, s.ends.length - 1);
    w.faultInjector.mark('slowCell', cellCount(cells.length));
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
