import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppActuals, appNumberFor, LRPGroup, newGroup, recordNamed } from '../../../src/sim/actors/bbs-records.js';
import { GroupTimes } from '../../../src/sim/actors/group-times.js';
import { AppNumbers } from '../../../src/core/rep/app-numbers.js';

// A group as the BBS makes it: a new object each time (a removed group is never put back), named by
// how many groups its map was given before it, so two maps given the same steps name theirs alike.
function group(app: AppActuals, index: number, seq: number): LRPGroup {
  return newGroup('web', index, seq, app, new GroupTimes());
}

/** One step: put a new group at an index (where there is none, as BBS.group does), or remove one. */
type Op = { put: boolean; index: number };
const op = fc.record({ put: fc.boolean(), index: fc.integer({ min: 0, max: 3 }) });

/** An AppActuals or a plain Map, given steps; `walk` visits in order, applying steps at each visit. */
class Side {
  private made = 0;
  private readonly owner = new AppActuals(0, undefined);
  constructor(readonly map: AppActuals | Map<number, LRPGroup>) {}

  step(o: Op): boolean {
    if (!o.put) return this.map.delete(o.index);
    if (this.map.has(o.index)) return false;
    this.map.set(o.index, group(this.owner, o.index, this.made++));
    return true;
  }

  walk(during: Op[][], how: 'forEach' | 'iterator'): string[] {
    const seen: string[] = [];
    let k = 0;
    const visit = (g: LRPGroup, index: number) => {
      seen.push(`${index}:${g.seq}`);
      for (const o of during[k++] ?? []) this.step(o);
    };
    if (how === 'forEach') this.map.forEach((g, index) => visit(g, index));
    else for (const [index, g] of this.map) visit(g, index);
    return seen;
  }

  state(): string[] {
    return [...this.map].map(([i, g]) => `${i}:${g.seq}`);
  }
}

describe('AppActuals', () => {
  it('answers as a Map of its groups does, one group or many, also when groups come and go during a walk', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.array(fc.array(op, { maxLength: 3 }), { maxLength: 5 }), fc.constantFrom('forEach' as const, 'iterator' as const), (before, during, how) => {
        const app = new Side(new AppActuals(0, undefined));
        const model = new Side(new Map<number, LRPGroup>());
        for (const o of before) expect(app.step(o)).toBe(model.step(o));
        expect(app.state()).toEqual(model.state());
        expect(app.walk(during, how)).toEqual(model.walk(during, how));
        expect(app.state()).toEqual(model.state());
        expect(app.map.size).toBe(model.map.size);
        for (let i = 0; i < 5; i++) expect(app.map.get(i)?.seq).toBe(model.map.get(i)?.seq);
        expect([...app.map.keys()]).toEqual([...model.map.keys()]);
        expect([...app.map.values()].map((g) => g.seq)).toEqual([...model.map.values()].map((g) => g.seq));
      }),
      { numRuns: 3000 },
    );
  });

  it('reaches a group put back at an index whose group it removed during the walk, as a Map does', () => {
    const app = new AppActuals(0, undefined);
    const a = group(app, 0, 0);
    const b = group(app, 0, 1);
    app.set(0, a);
    const seen: LRPGroup[] = [];
    app.forEach((g) => {
      seen.push(g);
      if (g === a) {
        app.delete(0);
        app.set(0, b);
      }
    });
    expect(seen).toEqual([a, b]);
    expect(app.get(0)).toBe(b);
    expect(app.size).toBe(1);
  });
});

describe('appNumberFor', () => {
  it("keeps an app's number on its map, and corrects a kept number that is not the table's", () => {
    const apps = new AppNumbers();
    apps.no('other');
    const app = new AppActuals(0, undefined);
    expect(appNumberFor(apps, 'web', app)).toBe(1);
    expect(app.appNo).toBe(1);
    // A number from elsewhere (or stale) is looked up again, and the right one kept.
    app.appNo = 0;
    expect(appNumberFor(apps, 'web', app)).toBe(1);
    expect(app.appNo).toBe(1);
    app.appNo = 99;
    expect(appNumberFor(apps, 'web', app)).toBe(1);
    // Without a map (a request whose context is something else), looked up every time.
    expect(appNumberFor(apps, 'api', undefined)).toBe(2);
    expect(appNumberFor(apps, 'api', { appNo: 0 })).toBe(2);
  });
});


describe('LRPGroup: the group is its ordinary record', () => {
  it('is made by newGroup exactly as by its constructor: the same fields in the same order, the same prototype', () => {
    const app = new AppActuals(0, undefined);
    const made = new LRPGroup('web', 2, 5, app, new GroupTimes());
    const literal = newGroup('web', 2, 5, app, new GroupTimes());
    // A field added to LRPGroup and not to the literal (or in another order) fails here.
    expect(Object.keys(literal)).toEqual(Object.keys(made));
    expect({ ...literal }).toEqual({ ...made });
    expect(Object.getPrototypeOf(literal)).toBe(LRPGroup.prototype);
    literal.makeOrdinary(1, 0, 3);
    expect([literal.ordinary, literal.presence, literal.group, literal.recordNo]).toEqual([literal, 'ORDINARY', literal, 3]);
  });

  it('has no ordinary record until one is made; a new one is UNCLAIMED with the crash count given', () => {
    const g = newGroup('web', 2, 0, new AppActuals(0, undefined), new GroupTimes());
    expect(g.ordinary).toBeNull();
    expect(g.recordNo).toBe(-1);
    g.makeOrdinary(1_500.5, 3, 7);
    expect(g.ordinary).toBe(g);
    expect(g.ordinary).toMatchObject({ processGuid: 'web', index: 2, presence: 'ORDINARY', state: 'UNCLAIMED', instanceGuid: '', cell: '' });
    expect([g.since, g.crashCount, g.runningSince, g.placementError, g.requestedAt, g.recordNo]).toEqual([1_500.5, 3, 0, '', null, 7]);
    expect(g.ordinary!.group).toBe(g);
  });

  it('keeps each group its own two times in the shared store, none yet at first, across the store\'s chunks', () => {
    const times = new GroupTimes();
    const app = new AppActuals(0, undefined);
    // More groups than one chunk holds (4,096), so some share a chunk and some do not.
    const groups = Array.from({ length: 9_000 }, (_, i) => newGroup('web', i, i, app, times));
    expect([groups[0]!.since, groups[0]!.runningSince, groups[8_999]!.since]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    groups.forEach((g, i) => {
      g.since = i + 0.5;
      g.runningSince = -i;
    });
    // Each reads back what was set on it, and only that: no slot is shared.
    expect(groups.every((g, i) => g.since === i + 0.5 && Object.is(g.runningSince, -i))).toBe(true);
    expect(new Set(groups.map((g) => g.times)).size).toBe(3);
    groups[4_096]!.makeOrdinary(7.25, 0, 0);
    expect([groups[4_095]!.since, groups[4_096]!.since, groups[4_096]!.runningSince, groups[4_097]!.since]).toEqual([4_095.5, 7.25, 0, 4_097.5]);
  });

  it('a copy keeps every field of the record as it was, as EVACUATING or SUSPECT; the next record starts afresh', () => {
    const g = new LRPGroup('web', 0, 0, new AppActuals(0, undefined), new GroupTimes());
    g.makeOrdinary(10, 0, 0);
    Object.assign(g, { state: 'RUNNING', instanceGuid: 'i-1', cell: 'cell-a', since: 20.25, crashCount: 2, runningSince: 20.25, placementError: 'x', requestedAt: 15 });
    const copy = g.copyOrdinary('EVACUATING');
    g.evacuating = copy;
    const fields = { processGuid: 'web', index: 0, state: 'RUNNING', instanceGuid: 'i-1', cell: 'cell-a', since: 20.25, crashCount: 2, runningSince: 20.25, placementError: 'x', requestedAt: 15 };
    expect(copy).toEqual({ ...fields, presence: 'EVACUATING', recordNo: 0, group: g });
    expect(copy).not.toBe(g);
    g.makeOrdinary(30, copy.crashCount, 1);
    // The copy is untouched by the new record, which is the group again.
    expect(copy).toMatchObject(fields);
    expect(g.ordinary).toMatchObject({ state: 'UNCLAIMED', instanceGuid: '', cell: '', since: 30, crashCount: 2, requestedAt: null, presence: 'ORDINARY' });
    // Each is found by its number: the old record is the copy now.
    expect([recordNamed(g, 0), recordNamed(g, 1), recordNamed(g, 2)]).toEqual([copy, g, null]);
  });

  it('a promoted copy is the ordinary record again, field for field; a removed record leaves none', () => {
    const g = new LRPGroup('web', 0, 0, new AppActuals(0, undefined), new GroupTimes());
    g.makeOrdinary(10, 0, 4);
    Object.assign(g, { state: 'RUNNING', instanceGuid: 'i-1', cell: 'cell-a', since: 20, crashCount: 1, runningSince: 20 });
    const suspect = g.copyOrdinary('SUSPECT');
    g.suspect = suspect;
    g.makeOrdinary(25, 0, 5);
    g.requestedAt = 25;
    g.dropOrdinary();
    expect(g.ordinary).toBeNull();
    // The removed record is gone; the suspect one is the copy.
    expect([recordNamed(g, 5), recordNamed(g, 4)]).toEqual([null, suspect]);
    g.suspect = null;
    g.promote(suspect);
    expect(g.ordinary).toBe(g);
    expect(g).toMatchObject({ state: 'RUNNING', instanceGuid: 'i-1', cell: 'cell-a', since: 20, crashCount: 1, runningSince: 20, placementError: '', requestedAt: null, presence: 'ORDINARY' });
    // The promoted record is the one it was: found by its number as the ordinary record again.
    expect([g.recordNo, recordNamed(g, 4)]).toEqual([4, g]);
  });

  it("its own record's presence and group cannot be written", () => {
    const g = new LRPGroup('web', 0, 0, new AppActuals(0, undefined), new GroupTimes());
    expect(() => Object.assign(g, { presence: 'SUSPECT' })).toThrow(TypeError);
    expect(() => Object.assign(g, { group: null })).toThrow(TypeError);
  });
});
