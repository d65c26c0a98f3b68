import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBatch } from '../../../src/core/batch.js';
import { APP_NUMBER, AppNumbers, appNumberOf } from '../../../src/core/rep/app-numbers.js';
import { MemoryRep } from '../../../src/core/rep/memory-rep.js';
import { PlacementIndex } from '../../../src/core/rep/placement-index.js';
import type { LRP } from '../../../src/core/model/cell-state.js';
import { cell, lrps } from '../../support/fixtures.js';

describe('AppNumbers', () => {
  it('numbers guids in the order first seen, finds without numbering, and takes prototype names as any other', () => {
    const apps = new AppNumbers();
    const names = ['web', '__proto__', 'constructor', 'toString', '', 'é', 'web'];
    expect(names.map((n) => apps.no(n))).toEqual([0, 1, 2, 3, 4, 5, 0]);
    expect(apps.count).toBe(6);
    expect(apps.find('hasOwnProperty')).toBeUndefined();
    expect(apps.count).toBe(6);
    expect(names.map((n) => apps.guid(apps.find(n) as number))).toEqual(names);
  });

  it('takes a hint only when it is its own number for that guid', () => {
    const apps = new AppNumbers();
    const other = new AppNumbers();
    apps.no('a');
    apps.no('b');
    other.no('b'); // 'b' is 0 there, 1 here
    expect(apps.no('b', other.no('b'))).toBe(1);
    expect(apps.find('b', 0)).toBe(1);
    expect(apps.find('b', 1)).toBe(1);
    expect(apps.find('b', 99)).toBe(1);
    expect(apps.find('c', 0)).toBeUndefined();
    expect(apps.no('c', 1)).toBe(2);
  });
});

describe('instances carrying their app number', () => {
  it('buildBatch gives each instance the number from the table it is given, -1 without one; never serialised', () => {
    const apps = new AppNumbers();
    apps.no('other');
    const withTable = buildBatch([lrps('web', 2, 10), lrps('api', 1, 10)], [], { appNumbers: { no: (g) => apps.no(g) } }).batch.lrps.map((a) => a.lrp);
    expect(withTable.map(appNumberOf)).toEqual([1, 1, 2]);
    const without = buildBatch([lrps('web', 1, 10)], []).batch.lrps.map((a) => a.lrp);
    expect(without.map(appNumberOf)).toEqual([-1]);
    expect(JSON.stringify(withTable[0])).toBe(JSON.stringify(without[0]));
  });

  it('buildBatch asks for a number once per request, with its context', () => {
    const asked: [string, unknown][] = [];
    const batch = buildBatch([lrps('web', 3, 10), lrps('api', 1, 10)], [], {
      contexts: ['ctx-web'],
      appNumbers: { no: (g, context) => (asked.push([g, context]), g === 'web' ? 7 : 8) },
    }).batch.lrps.map((a) => a.lrp);
    expect(asked).toEqual([
      ['web', 'ctx-web'],
      ['api', undefined],
    ]);
    expect(batch.map(appNumberOf)).toEqual([7, 7, 7, 8]);
  });

  it('a rep given instances with right, wrong, foreign or no numbers keeps the same lists and index as one given none', () => {
    const op = fc.record({ app: fc.constantFrom('a', 'b', '__proto__', 'toString'), index: fc.nat(3), hint: fc.integer({ min: -2, max: 6 }), remove: fc.boolean() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const hinted = new PlacementIndex();
        const plain = new PlacementIndex();
        // Numbers given in another order in the hinted table, so a right guess is not the plain one's.
        for (const g of ['x', 'toString', 'b']) hinted.apps.no(g);
        const repH = new MemoryRep(cell('c1'), hinted);
        const repP = new MemoryRep(cell('c1'), plain);
        let k = 0;
        for (const { app, index, hint, remove } of ops) {
          const [lrp] = buildBatch([lrps(app, index + 1, 1)], [], { instanceGuid: () => `g${k++}` }).batch.lrps.slice(index).map((a) => a.lrp) as [LRP];
          if (remove) {
            const victim = repP.state.LRPs.find((l) => l.process_guid === app && l.index === index);
            if (victim) expect(repH.removeLRP(victim.instance_guid)?.instance_guid).toBe(repP.removeLRP(victim.instance_guid)?.instance_guid);
            continue;
          }
          // The hint: the table's own number (right), another number, or none.
          (lrp as LRP & { [APP_NUMBER]: number })[APP_NUMBER] = hint === 6 ? hinted.apps.no(app) : hint;
          const rH = repH.perform({ LRPs: [lrp], Tasks: [], cell_id: 'c1' });
          const rP = repP.perform({ LRPs: [{ ...lrp, [APP_NUMBER]: -1 } as LRP], Tasks: [], cell_id: 'c1' });
          expect(JSON.stringify(rH)).toBe(JSON.stringify(rP));
        }
        expect(JSON.stringify(repH.state)).toBe(JSON.stringify(repP.state));
        for (const app of ['a', 'b', '__proto__', 'toString']) {
          for (let i = 0; i <= 4; i++) expect(repH.countFrom(app, i)).toBe(repP.countFrom(app, i));
          expect(hinted.count(app, 'c1')).toBe(plain.count(app, 'c1'));
          expect(hinted.has(app)).toBe(plain.has(app));
        }
      }),
      { numRuns: 200 },
    );
  });
});
