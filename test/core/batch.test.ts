import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBatch } from '../../src/index.js';
import { AUCTION_MARK, INSTANCE_CONTEXT } from '../../src/core/batch.js';
import { lrps, task } from '../support/fixtures.js';

describe('batching', () => {
  it('an LRP start request becomes one auction per index', () => {
    const { batch } = buildBatch([lrps('web', 3)], []);
    expect(batch.lrps.map((a) => a.id)).toEqual(['web.0', 'web.1', 'web.2']);
  });

  it('duplicates in a batch are dropped by identity; the first wins', () => {
    const { batch, duplicatesDropped } = buildBatch(
      [lrps('web', 2, 10), { ...lrps('web', 1, 99), indices: [1] }],
      [task('t', 5), task('t', 7)],
    );
    expect(batch.lrps.map((a) => [a.id, a.lrp.MemoryMB])).toEqual([['web.0', 10], ['web.1', 10]]);
    expect(batch.tasks.map((a) => a.task.MemoryMB)).toEqual([5]);
    expect(duplicatesDropped).toBe(2);
  });

  it('instance guids are deterministic for a seed and differ across seeds', () => {
    const a = buildBatch([lrps('web', 1)], [], { seed: 1 }).batch.lrps[0]!.lrp.instance_guid;
    const b = buildBatch([lrps('web', 1)], [], { seed: 1 }).batch.lrps[0]!.lrp.instance_guid;
    const c = buildBatch([lrps('web', 1)], [], { seed: 2 }).batch.lrps[0]!.lrp.instance_guid;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('with `unique`, builds the same batch for requests that repeat no identity, skipping the check', () => {
    const requests = [lrps('web', 3, 10), lrps('api', 2, 20), { ...lrps('worker', 1), indices: [4, 7] }];
    const tasks = [task('t1'), task('t2')];
    const checked = buildBatch(requests, tasks, { seed: 3 });
    const trusted = buildBatch(requests, tasks, { seed: 3, unique: true });
    expect(trusted).toEqual(checked);
    // The caller's word is taken: a repeat it vouched against is not looked for.
    expect(buildBatch([lrps('web', 1), lrps('web', 1)], [], { unique: true }).batch.lrps).toHaveLength(2);
  });

  it("carries each request's context on every instance made from it, and a mark slot on every auction", () => {
    const web = { app: 'web' };
    const api = { app: 'api' };
    const { batch } = buildBatch([lrps('web', 2), lrps('api', 1), lrps('worker', 1)], [task('t')], { contexts: [web, api] });
    expect(batch.lrps.map((a) => a.lrp[INSTANCE_CONTEXT as never])).toEqual([web, web, api, null]);
    expect([...batch.lrps, ...batch.tasks].map((a) => a[AUCTION_MARK as never])).toEqual([0, 0, 0, 0, 0]);
    // A duplicate dropped does not shift the contexts of the requests after it.
    const dup = buildBatch([lrps('web', 1), lrps('web', 1), lrps('api', 1)], [], { contexts: [web, web, api] }).batch;
    expect(dup.lrps.map((a) => [a.id, a.lrp[INSTANCE_CONTEXT as never]])).toEqual([['web.0', web], ['api.0', api]]);
    // Symbol-keyed: Diego's JSON shape is unchanged.
    const json = JSON.parse(JSON.stringify(batch.lrps[0])) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['kind', 'id', 'lrp']);
    expect(Object.keys(json.lrp as object)).not.toContain('context');
  });

  it('drops repeats among many indices of one app, and keeps guids whose ids share a prefix apart', () => {
    const { batch, duplicatesDropped } = buildBatch(
      [
        { ...lrps('web', 1), indices: [0, 1, 2, 3, 4, 5] },
        { ...lrps('web', 1), indices: [3, 7, 0] },
        { ...lrps('web.1', 1), indices: [2] },
        { ...lrps('web', 1), indices: [12] },
      ],
      [],
    );
    expect(batch.lrps.map((a) => a.id)).toEqual(['web.0', 'web.1', 'web.2', 'web.3', 'web.4', 'web.5', 'web.7', 'web.1.2', 'web.12']);
    expect(duplicatesDropped).toBe(2);
  });

  it('with `uniqueRuns`, builds the same batch as the full check for runs that repeat nothing within themselves', () => {
    // A run: requests of distinct guids from a small pool, each with distinct indices, so runs
    // overlap often and never repeat within themselves.
    const run = fc
      .uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 4 })
      .chain((guids) => fc.tuple(...guids.map((g) => fc.tuple(fc.constant(g), fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 })))));
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 5 }), (runs) => {
        const requests = runs.flat().map(([g, indices]) => ({ ...lrps(g, 1, 10 + indices.length), indices }));
        const starts: number[] = [];
        let at = 0;
        for (const r of runs) {
          starts.push(at);
          at += r.length;
        }
        const contexts = requests.map((_, i) => i);
        const full = buildBatch(requests, [], { seed: 1, contexts });
        const byRuns = buildBatch(requests, [], { seed: 1, contexts, uniqueRuns: starts });
        expect(byRuns.batch.lrps.map((a) => [a.id, a.lrp.MemoryMB, a.lrp[INSTANCE_CONTEXT as never]])).toEqual(
          full.batch.lrps.map((a) => [a.id, a.lrp.MemoryMB, a.lrp[INSTANCE_CONTEXT as never]]),
        );
        expect(byRuns.duplicatesDropped).toBe(full.duplicatesDropped);
      }),
      { numRuns: 400 },
    );
    // Tasks are still checked.
    expect(buildBatch([lrps('web', 1)], [task('t'), task('t')], { uniqueRuns: [0] }).batch.tasks).toHaveLength(1);
  });
});
