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

describe('AppNumbers: numbers given back', () => {
  it('forgets a released app, gives its number to the next new one, and takes no hint to a freed number', () => {
    const apps = new AppNumbers();
    expect(['a', 'b', 'c'].map((g) => apps.no(g))).toEqual([0, 1, 2]);
    apps.release(1);
    apps.release(1); // twice: ignored
    apps.release(7); // never given: ignored
    expect(apps.find('b')).toBeUndefined();
    expect(apps.find('b', 1)).toBeUndefined();
    expect(apps.count).toBe(2);
    expect(apps.limit).toBe(3);
    expect(apps.no('d')).toBe(1);
    expect(apps.no('b', 1)).toBe(3);
    expect(apps.guid(1)).toBe('d');
    expect(apps.count).toBe(4);
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

  it('reps given instances with right, wrong, foreign or no numbers keep the same lists and index as one given none, by perform or by claim', () => {
    const op = fc.record({
      app: fc.constantFrom('a', 'b', '__proto__', 'toString'),
      index: fc.nat(3),
      hint: fc.integer({ min: -2, max: 6 }),
      how: fc.constantFrom('perform', 'perform', 'claim', 'remove'),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const hinted = new PlacementIndex();
        const plain = new PlacementIndex();
        // Numbers given in another order in the hinted table, so a right guess is not the plain one's.
        for (const g of ['x', 'toString', 'b']) hinted.apps.no(g);
        const repH = new MemoryRep(cell('c1'), hinted);
        const repP = new MemoryRep(cell('c1'), plain);
        // A rep with no index numbers apps in a table of its own, and gives numbers back.
        const repO = new MemoryRep(cell('c1'));
        const reps = [repH, repP, repO];
        let k = 0;
        for (const { app, index, hint, how } of ops) {
          const [lrp] = buildBatch([lrps(app, index + 1, 1)], [], { instanceGuid: () => `g${k++}` }).batch.lrps.slice(index).map((a) => a.lrp) as [LRP];
          if (how === 'remove') {
            const victim = repP.state.LRPs.find((l) => l.process_guid === app && l.index === index);
            if (victim) for (const rep of reps) expect(rep.removeLRP(victim.instance_guid)?.instance_guid).toBe(victim.instance_guid);
            continue;
          }
          // The hint: the table's own number (right), another number, or none.
          const given = hint === 6 ? (hinted.apps.find(app) ?? -1) : hint;
          const withHint = (rep: MemoryRep) => ({ ...lrp, [APP_NUMBER]: rep === repP ? -1 : given }) as LRP;
          if (how === 'perform') {
            const replies = reps.map((rep) => JSON.stringify(rep.perform({ LRPs: [withHint(rep)], Tasks: [], cell_id: 'c1' })));
            expect(new Set(replies).size).toBe(1);
          } else {
            const replies = reps.map((rep) => {
              const auction = { kind: 'lrp' as const, id: `${app}.${index}`, lrp: withHint(rep) };
              const reserved = rep.reserve(auction);
              return JSON.stringify([reserved, reserved.ok ? rep.claim(auction) : null]);
            });
            expect(new Set(replies).size).toBe(1);
          }
        }
        const states = reps.map((rep) => JSON.stringify(rep.state));
        expect(new Set(states).size).toBe(1);
        for (const app of ['a', 'b', '__proto__', 'toString']) {
          for (let i = 0; i <= 4; i++) expect(new Set(reps.map((rep) => rep.countFrom(app, i))).size).toBe(1);
          expect(hinted.count(app, 'c1')).toBe(plain.count(app, 'c1'));
          expect(hinted.has(app)).toBe(plain.has(app));
        }
        // The rep's own table holds the apps it lists, no more.
        const own = (repO as unknown as { apps: AppNumbers }).apps;
        expect(own.count).toBe(new Set(repO.state.LRPs.map((l) => l.process_guid)).size);
      }),
      { numRuns: 200 },
    );
  });

  it('a placement index refuses an app number it never gave', () => {
    const index = new PlacementIndex();
    index.apps.no('web');
    expect(() => index.addByNumbers(5, 0, 1)).toThrow(RangeError);
    expect(() => index.addByNumbers(-1, 0, 1)).toThrow(RangeError);
    index.addByNumbers(0, index.cellNo('c1'), 1);
    expect(index.count('web', 'c1')).toBe(1);
  });
});
