import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlacementIndex } from '../../../src/core/rep/placement-index.js';

// The index's view of one app: [cell id, count] in the order the cells first got an instance.
function view(index: PlacementIndex, app: string): [string, number][] {
  const out: [string, number][] = [];
  index.forEachCell(app, (cell, n) => out.push([cell, n]));
  return out;
}

describe('PlacementIndex', () => {
  it('keeps an app on one cell, then on several, in the order the cells got an instance', () => {
    const index = new PlacementIndex();
    index.add('web', 'c2', 1);
    expect(view(index, 'web')).toEqual([['c2', 1]]);
    expect(index.cellsOf('web')).toEqual({ cells: [index.cellNo('c2')], counts: [1] });
    index.add('web', 'c1', 2);
    index.add('web', 'c2', 1);
    expect(view(index, 'web')).toEqual([
      ['c2', 2],
      ['c1', 2],
    ]);
    index.add('web', 'c2', -2);
    expect(view(index, 'web')).toEqual([['c1', 2]]);
    expect(index.count('web', 'c1')).toBe(2);
    expect(index.count('web', 'c2')).toBe(0);
    index.add('web', 'c1', -2);
    expect(index.has('web')).toBe(false);
    expect(index.cellsOf('web')).toBeUndefined();
    // Removing what is not there changes nothing.
    index.add('web', 'c1', -1);
    expect(index.has('web')).toBe(false);
  });

  it('counts past what one packed integer holds, and names such as __proto__ and toString are apps like any other', () => {
    const index = new PlacementIndex();
    index.add('__proto__', 'c1', 300);
    index.add('toString', 'c1', 1);
    index.add('__proto__', 'c1', 1);
    expect(index.count('__proto__', 'c1')).toBe(301);
    expect(index.count('toString', 'c1')).toBe(1);
    index.add('__proto__', 'c1', -300);
    expect(view(index, '__proto__')).toEqual([['c1', 1]]);
    expect(index.has('constructor')).toBe(false);
  });

  it('says what a plain model of (app, cell) counts says, whatever the order of changes', () => {
    const op = fc.record({ app: fc.constantFrom('a', 'b', 'c'), cell: fc.constantFrom('c0', 'c1', 'c2', 'c3'), delta: fc.constantFrom(-300, -2, -1, 1, 1, 2, 255, 300) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const index = new PlacementIndex();
        // Every cell numbered up front, so the check by numbers below numbers nothing itself.
        const cellNos = new Map(['c0', 'c1', 'c2', 'c3'].map((c) => [c, index.cellNo(c)] as const));
        const model = new Map<string, Map<string, number>>();
        for (const { app, cell, delta } of ops) {
          index.add(app, cell, delta);
          // The model: an entry below one is gone; a removal where there is none does nothing.
          const cells = model.get(app) ?? new Map<string, number>();
          const n = (cells.get(cell) ?? 0) + delta;
          if (!cells.has(cell) && delta <= 0) continue;
          if (n > 0) cells.set(cell, n);
          else cells.delete(cell);
          if (cells.size > 0) model.set(app, cells);
          else model.delete(app);
        }
        for (const app of ['a', 'b', 'c']) {
          expect(view(index, app)).toEqual([...(model.get(app) ?? new Map<string, number>())]);
          expect(index.has(app)).toBe(model.has(app));
          for (const cell of ['c0', 'c1', 'c2', 'c3']) {
            expect(index.count(app, cell)).toBe(model.get(app)?.get(cell) ?? 0);
            // By numbers: an app or cell never numbered counts none.
            const no = index.apps.find(app);
            expect(no === undefined ? 0 : index.countByNumbers(no, cellNos.get(cell) as number)).toBe(model.get(app)?.get(cell) ?? 0);
          }
        }
        // An app number never given, and a cell number never given to a cell.
        for (const cellNo of cellNos.values()) for (const appNo of [index.apps.limit, -1]) expect(index.countByNumbers(appNo, cellNo)).toBe(0);
        for (let appNo = 0; appNo < index.apps.limit; appNo++) expect(index.countByNumbers(appNo, index.cellCount)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
