import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshotNumbered, snapshotPlacement } from '../../src/metrics/placement-snapshot.js';
import { APP_NUMBER, AppNumbers } from '../../src/core/rep/app-numbers.js';
import { cellWith, running } from '../support/fixtures.js';

describe('snapshotPlacement', () => {
  const a = cellWith('a', [running('web', 0, 100), running('api', 0, 50), running('web', 1, 100)], { memory: 1000, Zone: 'z1' });
  const b = cellWith('b', [running('zeta', 0, 10)], { memory: 500, Zone: 'z2' });
  const dead = cellWith('d', [running('ghost', 0, 10)], { memory: 800, Zone: 'z1' });

  it('lists apps sorted by guid, instances as app indices in ascending order, and what each cell uses', () => {
    const s = snapshotPlacement([{ state: a, status: 'live' }, { state: b, status: 'evacuating' }, { state: dead, status: 'dead' }]);
    expect(s.apps).toEqual([{ guid: 'api', memoryMB: 50 }, { guid: 'web', memoryMB: 100 }, { guid: 'zeta', memoryMB: 10 }]);
    expect(s.cells.map((c) => [c.id, c.zone, c.status, c.lrps])).toEqual([
      ['a', 'z1', 'live', [0, 1, 1]],
      ['b', 'z2', 'evacuating', [2]],
      ['d', 'z1', 'dead', []],
    ]);
    expect(s.cells[0]).toMatchObject({ memoryMB: 1000, usedMemoryMB: 250, usedContainers: 3, containers: 10, tasks: 0, taskMemoryMB: 0 });
  });

  it('a dead cell keeps its capacity but holds nothing, and its instances name no app', () => {
    const s = snapshotPlacement([{ state: dead, status: 'dead' }]);
    expect(s.apps).toEqual([]);
    expect(s.cells[0]).toMatchObject({ memoryMB: 800, usedMemoryMB: 0, usedDiskMB: 0, usedContainers: 0, lrps: [] });
  });

  it('sorts each cell by (app, instance index, state) whatever the order listed, even with indices too large to pack', () => {
    const entry = fc.record({ app: fc.constantFrom('a', 'b', 'c', '__proto__', 'é'), index: fc.oneof(fc.nat(40), fc.constantFrom(2 ** 25, 2 ** 31 - 1)), up: fc.boolean() });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), (entries) => {
        const lrps = entries.map((e) => ({ ...running(e.app, e.index, 10), state: e.up ? 'RUNNING' : 'RESERVED' }));
        const snap = snapshotPlacement([{ state: cellWith('x', lrps, { memory: 100_000 }), status: 'live' }]);
        const cell = snap.cells[0];
        const got = (cell?.lrps ?? []).map((app, k) => `${snap.apps[app]?.guid}/${cell?.indices[k]}/${cell?.states[k]}`);
        const want = entries
          .map((e) => [e.app, e.index, e.up ? 'r' : 's'] as const)
          .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0)))
          .map(([app, index, st]) => `${app}/${index}/${st}`);
        expect(got).toEqual(want);
      }),
    );
  });

  it('numbers apps as a map by guid would, over many cells (the radix path), dead cells holding nothing', () => {
    // The reference: each app's memory as first seen in live cells' order, apps sorted by guid.
    const reference = (cells: { state: ReturnType<typeof cellWith>; status: 'live' | 'dead' }[]) => {
      const seen = new Map<string, number>();
      for (const c of cells) if (c.status !== 'dead') for (const l of c.state.LRPs) if (!seen.has(l.process_guid)) seen.set(l.process_guid, l.MemoryMB);
      const apps = [...seen.keys()].sort().map((guid) => ({ guid, memoryMB: seen.get(guid) as number }));
      const no = new Map(apps.map((a, i) => [a.guid, i] as const));
      const lrps = cells.map((c) => (c.status === 'dead' ? [] : c.state.LRPs.map((l) => [no.get(l.process_guid) as number, l.index] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]).map((x) => x[0])));
      return { apps, lrps };
    };
    // A guid past U+00FF sends the sort down its other path: only some runs have one. At most two
    // dead cells of at least ten, each with 260 instances or more: over 2,048 live instances, so the
    // runs without such a guid take the radix path.
    const guid = (wide: boolean) => fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'é-app', '', wide ? 'Ā-app' : 'app'), fc.nat(3000).map((n) => `app-${n}`));
    const spec = fc.boolean().chain((wide) =>
      fc.record({
        cells: fc.array(fc.array(fc.record({ guid: guid(wide), memory: fc.constantFrom(32, 128, 1024) }), { minLength: 260, maxLength: 400 }), { minLength: 10, maxLength: 14 }),
        dead: fc.uniqueArray(fc.nat(13), { maxLength: 2 }),
      }),
    );
    fc.assert(
      fc.property(spec, (spec) => {
        const cells = spec.cells.map((instances, k) => ({
          state: cellWith(`c${k}`, instances.map((x, i) => running(x.guid, i, x.memory)), { memory: 10_000_000 }),
          status: spec.dead.includes(k) ? ('dead' as const) : ('live' as const),
        }));
        expect(cells.reduce((n, c) => n + (c.status === 'live' ? c.state.LRPs.length : 0), 0)).toBeGreaterThan(2048);
        const snap = snapshotPlacement(cells);
        const want = reference(cells);
        expect(snap.apps).toEqual(want.apps);
        expect(snap.cells.map((c) => c.lrps)).toEqual(want.lrps);
      }),
      { numRuns: 30, endOnFailure: true },
    );
  });

  it('snapshotNumbered gives the same snapshot from the apps\' numbers, whatever numbers the instances carry', () => {
    // Each instance carries its app's number, a wrong one, a number from no table, or none; the table
    // numbers the apps in an order of its own (not by guid), and may lack some (then the guids are sorted).
    const hint = fc.constantFrom('right', 'wrong', 'unknown', 'none');
    const entry = fc.record({ guid: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'é-app', '', 'Ā-app'), fc.nat(300).map((n) => `app-${n}`)), memory: fc.constantFrom(32, 128, 1024), hint });
    const spec = fc.record({
      cells: fc.array(fc.array(entry, { maxLength: 60 }), { minLength: 1, maxLength: 8 }),
      dead: fc.uniqueArray(fc.nat(7), { maxLength: 2 }),
      numbered: fc.constantFrom('all', 'all but one'),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(spec, (spec) => {
        const numbers = new AppNumbers();
        // Numbers handed out in a scrambled order of the guids, with a released one among them.
        const guids = [...new Set(spec.cells.flat().map((e) => e.guid))].sort((a, b) => ((hash(a) ^ spec.seed) >>> 0) - ((hash(b) ^ spec.seed) >>> 0) || (a < b ? -1 : 1));
        numbers.release(numbers.no('released-app'));
        for (const g of spec.numbered === 'all' ? guids : guids.slice(1)) numbers.no(g);
        const cells = spec.cells.map((entries, k) => ({
          state: cellWith(
            `c${k}`,
            entries.map((e, i) => {
              const l = running(e.guid, i, e.memory);
              const right = numbers.find(e.guid) ?? -1;
              const n = e.hint === 'right' ? right : e.hint === 'wrong' ? (right + 1) % Math.max(1, numbers.limit) : e.hint === 'unknown' ? numbers.limit + 5 : undefined;
              if (n !== undefined) (l as { [APP_NUMBER]?: number })[APP_NUMBER] = n;
              return l;
            }),
            { memory: 10_000_000 },
          ),
          status: spec.dead.includes(k) ? ('dead' as const) : ('live' as const),
        }));
        expect(snapshotNumbered(cells, numbers)).toEqual(snapshotPlacement(cells));
      }),
      { numRuns: 200 },
    );
  });
});

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}
