import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBatch, schedule, STRATEGIES } from '../../../src/index.js';
import { resolveSettings } from '../../../src/core/settings.js';
import { explainByMessages } from '../../../src/core/explain/explain-by-messages.js';
import { summarizeExplanation } from '../../../src/core/explain/summary.js';
import { clusterArb, lrpRequestsArb, taskRequestsArb } from '../../../src/testing/arbitraries.js';
import { decisionsOf } from '../../support/decisions.js';
import { batchOf, cell, cellWith, lrps, running } from '../../support/fixtures.js';

const explaining = [...STRATEGIES.values()].filter((s) => s.explain !== undefined);

describe('strategies that explain themselves', () => {
  it('are diego and the filtered family', () => {
    expect(explaining.map((s) => s.name).sort()).toEqual(['best-fit', 'diego', 'first-fit', 'kubernetes', 'nomad', 'round-robin', 'worst-fit']);
  });

  it.each(explaining.map((s) => s.name))('%s: the explained winner is where schedule() puts it, ranked first; every cell has one verdict', (name) => {
    const strategy = STRATEGIES.get(name)!;
    fc.assert(
      fc.property(clusterArb(), lrpRequestsArb, taskRequestsArb, fc.nat(1000), fc.array(fc.boolean(), { maxLength: 12 }), (cluster, l, t, seed, draining) => {
        const cells = cluster.map((c, i) => ({ ...c, Evacuating: draining[i] === true }));
        const { decided, failed: reasons } = decisionsOf(schedule({ cells, lrps: l, tasks: t }, { strategy: name, seed }));
        const explained = strategy.explain!(cells, buildBatch(l, t, { seed }).batch, resolveSettings(strategy, {}), seed);
        expect(explained.length).toBe(new Set([...l.flatMap((x) => x.indices.map((i) => `${x.process_guid}.${i}`)), ...t.map((x) => x.TaskGuid)]).size);
        for (const e of explained) {
          expect(e.placedOn ?? undefined).toBe(decided.get(e.id));
          // A failure says Diego's reason, the one schedule() gave.
          expect(e.reason).toBe(reasons.get(e.id));
          const scored = e.cells.filter((c) => c.verdict === 'scored');
          if (e.placedOn !== null) expect(scored[0]?.cell).toBe(e.placedOn);
          expect(new Set(e.cells.map((c) => c.cell)).size).toBe(e.cells.length);
          expect(e.cells.length).toBe(cells.length);
        }
      }),
      { numRuns: 100 },
    );
  });

  it.each(explaining.map((s) => s.name))('%s: with a limit, the cells listed are the best of the full explanation, and its summary is the same', (name) => {
    const strategy = STRATEGIES.get(name)!;
    fc.assert(
      fc.property(clusterArb(), lrpRequestsArb, taskRequestsArb, fc.nat(1000), fc.integer({ min: 0, max: 5 }), (cells, l, t, seed, limit) => {
        const batch = buildBatch(l, t, { seed }).batch;
        const settings = resolveSettings(strategy, {});
        const full = strategy.explain!(cells, batch, settings, seed);
        const limited = strategy.explain!(cells, batch, settings, seed, undefined, undefined, limit);
        const keep = Math.max(2, limit);
        expect(limited.length).toBe(full.length);
        full.forEach((f, i) => {
          const x = limited[i]!;
          const scored = f.cells.filter((c) => c.verdict === 'scored');
          const away = f.cells.filter((c) => c.verdict === 'not-reached');
          expect(x.cells.filter((c) => c.verdict === 'scored')).toEqual(scored.slice(0, keep));
          expect(x.cells.filter((c) => c.verdict === 'not-reached')).toEqual(away.slice(0, keep));
          expect((x.unlisted?.scored ?? 0) + Math.min(scored.length, keep)).toBe(scored.length);
          expect((x.unlisted?.notReached ?? 0) + Math.min(away.length, keep)).toBe(away.length);
          expect(summarizeExplanation(x, keep, 2)).toEqual(summarizeExplanation(f, keep, 2));
          const { cells: _a, unlisted: _b, ...restOfLimited } = x;
          const { cells: _c, ...restOfFull } = f;
          expect(restOfLimited).toEqual(restOfFull);
        });
      }),
      { numRuns: 100 },
    );
  });

  it.each(explaining.map((s) => s.name))('%s: with a limit and every cell tied, the cells listed are the full ranking\'s first, tie order and all', (name) => {
    // Six identical cells: every score ties, and only the seeded tie order ranks them.
    const strategy = STRATEGIES.get(name)!;
    const cells = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => cell(id, { cell_index: i, Zone: `z${i % 2}` }));
    for (let seed = 0; seed < 20; seed++) {
      const batch = buildBatch([lrps('web', 3)], [], { seed }).batch;
      const settings = resolveSettings(strategy, {});
      const full = strategy.explain!(cells, batch, settings, seed);
      const limited = strategy.explain!(cells, batch, settings, seed, undefined, undefined, 2);
      full.forEach((f, i) => {
        const best = (e: typeof f) => e.cells.filter((c) => c.verdict === 'scored').slice(0, 2).map((c) => c.cell);
        expect(best(limited[i]!), `seed ${seed}`).toEqual(best(f));
        expect(limited[i]!.runnerUp).toEqual(f.runnerUp);
        expect(limited[i]!.placedOn).toBe(f.placedOn);
      });
    }
  });

  it.each(explaining.map((s) => s.name))('%s: with no usable state, every auction fails as the auction does: unable to communicate', (name) => {
    const strategy = STRATEGIES.get(name)!;
    const cells = [cell('a', { Evacuating: true })];
    const r = schedule({ cells, lrps: [lrps('web', 1)] }, { strategy: name, seed: 1 });
    const [e] = strategy.explain!(cells, batchOf([lrps('web', 1)]), resolveSettings(strategy, {}), 1);
    expect(e!.reason).toBe(r.failures[0]!.reason);
    expect(e!.reason).toBe('unable to communicate to compatible cells');
    expect(e!.cells).toEqual([{ cell: 'a', zone: 'z1', verdict: 'evacuating' }]);
  });

  it.each(explaining.map((s) => s.name))('%s: with only some auctions asked for, those alone, decided as in the whole batch', (name) => {
    const strategy = STRATEGIES.get(name)!;
    const cells = [cell('a'), cell('b', { memory: 500 }), cell('c', { Zone: 'z2' })];
    const batch = batchOf([lrps('web', 3, 100), lrps('api', 2, 50)]);
    const all = strategy.explain!(cells, batch, resolveSettings(strategy, {}), 4);
    const some = strategy.explain!(cells, batch, resolveSettings(strategy, {}), 4, undefined, new Set(['web.2', 'api.1']));
    expect(some).toEqual(all.filter((e) => e.id === 'web.2' || e.id === 'api.1'));
  });

  it('best-fit, hand-computed: the least memory left wins, and the ranking says how much each would keep', () => {
    const cells = [cell('a', { memory: 1000 }), cell('b', { memory: 600 }), cell('c', { memory: 300, containers: 0, AvailableResources: { MemoryMB: 300, DiskMB: 1024, Containers: 0 } })];
    const [e] = STRATEGIES.get('best-fit')!.explain!(cells, batchOf([lrps('web', 1, 100)]), {}, 1);
    expect(e!.placedOn).toBe('b');
    expect(e!.cells.slice(0, 2)).toEqual([
      { cell: 'b', zone: 'z1', verdict: 'scored', score: 500, terms: { memoryLeftMB: 500 } },
      { cell: 'a', zone: 'z1', verdict: 'scored', score: 900, terms: { memoryLeftMB: 900 } },
    ]);
    expect(e!.cells[2]).toMatchObject({ cell: 'c', verdict: 'insufficient', problems: ['containers'] });
    expect(e!.margin).toBe(400);
  });
});

describe('hand-computed explanations of the plugin-scored strategies', () => {
  // a: empty; b: 600 of 1000 MB in use. One 100 MB, 10 MB-disk instance of web.
  const a = cell('a', { memory: 1000, disk: 1000, containers: 10 });
  const b = cell('b', { memory: 1000, disk: 1000, containers: 10, AvailableResources: { MemoryMB: 400, DiskMB: 1000, Containers: 10 } });

  it('kubernetes: each plugin weighted, the emptier cell wins by LeastAllocated', () => {
    const k = STRATEGIES.get('kubernetes')!;
    const [e] = k.explain!([a, b], batchOf([lrps('web', 1, 100)]), resolveSettings(k, {}), 1);
    // a after: memory 0.1, disk 0.01, containers 0.1; mean 0.07; spread: one zone, no instance yet: 2 x 100.
    const [m, d, c] = [1 - 900 / 1000, 1 - 990 / 1000, 1 - 9 / 10];
    const mean = (m + d + c) / 3;
    const sd = Math.sqrt(((m - mean) ** 2 + (d - mean) ** 2 + (c - mean) ** 2) / 3);
    expect(e!.placedOn).toBe('a');
    expect(e!.cells[0]).toEqual({ cell: 'a', zone: 'z1', verdict: 'scored', score: (1 - mean) * 100 + 0 + (1 - sd) * 100 + 200, terms: { leastAllocated: (1 - mean) * 100, mostAllocated: 0, balancedAllocation: (1 - sd) * 100, topologySpread: 200 } });
    expect(e!.runnerUp?.cell).toBe('b');
  });

  it('nomad: bin-pack prefers the fuller cell, until anti-affinity takes half a point per instance of the app', () => {
    const n = STRATEGIES.get('nomad')!;
    const [packed] = n.explain!([a, b], batchOf([lrps('web', 1, 100)]), resolveSettings(n, {}), 1);
    // b after: memory 1 - 300/1000 = 0.7, disk 0.01: fitness 0.355; a: (0.1 + 0.01) / 2 = 0.055.
    expect(packed!.placedOn).toBe('b');
    expect(packed!.cells.slice(0, 2).map((x) => x.verdict === 'scored' && [x.cell, x.score, x.terms])).toEqual([
      ['b', (1 - 300 / 1000 + (1 - 990 / 1000)) / 2, { binPack: (1 - 300 / 1000 + (1 - 990 / 1000)) / 2, antiAffinity: -0 }],
      ['a', (1 - 900 / 1000 + (1 - 990 / 1000)) / 2, { binPack: (1 - 900 / 1000 + (1 - 990 / 1000)) / 2, antiAffinity: -0 }],
    ]);
    const busy = cellWith('b', [running('web', 7, 100)], { memory: 1000, disk: 1000, containers: 10 });
    busy.AvailableResources.MemoryMB = 400;
    const [spread] = n.explain!([a, busy], batchOf([lrps('web', 1, 100)]), resolveSettings(n, {}), 1);
    expect(spread!.placedOn).toBe('a');
    expect(spread!.cells.find((x) => x.cell === 'b')).toMatchObject({ verdict: 'scored', terms: { antiAffinity: -0.5 } });
  });
});

describe('strategies explained by their messages', () => {
  const byMessages = [...STRATEGIES.values()].filter((s) => s.explain === undefined);

  it.each(byMessages.map((s) => s.name))('%s: the explanation places as schedule() does, the winner first, every cell once', (name) => {
    const strategy = STRATEGIES.get(name)!;
    fc.assert(
      fc.property(clusterArb(), lrpRequestsArb, taskRequestsArb, fc.nat(1000), (cells, l, t, seed) => {
        const r = schedule({ cells, lrps: l, tasks: t }, { strategy: name, seed });
        const placed = new Map<string, string>();
        for (const c of r.cells) {
          for (const x of c.lrps) placed.set(`${x.process_guid}.${x.index}`, c.cell_id);
          for (const x of c.tasks) placed.set(x.TaskGuid, c.cell_id);
        }
        const reasons = new Map(r.failures.map((f) => [f.kind === 'lrp' ? `${f.process_guid}.${f.index}` : f.TaskGuid, f.reason] as [string, string]));
        for (const e of explainByMessages(strategy, cells, buildBatch(l, t, { seed }).batch, resolveSettings(strategy, {}), seed)) {
          expect(e.placedOn ?? undefined).toBe(placed.get(e.id));
          expect(e.reason).toBe(reasons.get(e.id));
          if (e.placedOn !== null) expect(e.cells[0]?.cell).toBe(e.placedOn);
          expect(new Set(e.cells.map((c) => c.cell)).size).toBe(e.cells.length);
        }
      }),
      { numRuns: 40 },
    );
  });
});
