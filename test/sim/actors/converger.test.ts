import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LARGE_BUNDLED_SCENARIOS, loadScenarioFile, parseScenario, simulate } from '../../../src/sim.js';
import { convergencePass, inVisitOrder, type ConvergerWorld } from '../../../src/sim/actors/converger.js';
import { BBS, type DesiredLRP, type LRPGroup } from '../../../src/sim/actors/bbs.js';
import { Kernel } from '../../../src/sim/kernel/kernel.js';
import { CONVERGENCE_DEFAULTS } from '../../../src/core/convergence/states.js';
import { planArb, planToScenario } from '../../../src/testing/plan.js';

// The converger visits only the records that can need it (the BBS's watch list), in the order a
// full read of every record would meet them. A full read every pass must give the very same run.
const GOLDEN = JSON.parse(readFileSync('test/sim/golden-digests.json', 'utf8')) as Record<string, { durationMs: number }>;

describe('incremental convergence', () => {
  it('runs random plans (faults, scales, deletes, crashes) exactly as a full read every pass does', () => {
    fc.assert(
      fc.property(planArb(undefined, 16), fc.nat(1000), fc.boolean(), (steps, seed, shuffleTies) => {
        const scenario = parseScenario(planToScenario(steps, seed).doc, 'plan');
        const opts = shuffleTies ? { shuffleTies } : {};
        const watched = simulate(scenario, opts);
        const full = simulate(scenario, { ...opts, fullConvergence: true });
        expect(watched.digest).toBe(full.digest);
        expect(watched.series).toEqual(full.series);
      }),
      { numRuns: 150 },
    );
  });

  // The scale targets are left to the mini stress mix below (their pinned spans are cold starts).
  const large: readonly string[] = LARGE_BUNDLED_SCENARIOS;
  it.each(Object.entries(GOLDEN).filter(([name]) => name !== 'diego-stress-250k' && !large.includes(name)))('runs %s exactly as a full read every pass does', (name, { durationMs }) => {
    const s = loadScenarioFile(`scenarios/${name}.yaml`);
    expect(simulate(s, { durationMs }).digest).toBe(simulate(s, { durationMs, fullConvergence: true }).digest);
  });

  it('runs a small stress mix with crashing apps and two cell kills exactly as a full read does', () => {
    const s = parseScenario(
      {
        duration: '25m',
        network: { latency: { uniform: ['5ms', '50ms'] } },
        cells: [{ count: 20, zones: ['z1', 'z2', 'z3'], memoryMB: 8192, diskMB: 16384, containers: 60 }],
        apps: [
          { name: 'tiny', count: 300, instances: 1, memoryMB: 32 },
          { name: 'multi', count: 40, instances: 4, memoryMB: 64 },
          { name: 'crashy', count: 150, instances: 1, memoryMB: 64, crash: { probability: 1, after: { uniform: ['30s', '360s'] } } },
        ],
        events: [
          { at: '8m', kill: '10%' },
          { at: '16m', kill: '10%' },
          { at: '18m', scale: { app: 'multi', instances: 2 } },
        ],
      },
      'mini-stress',
    );
    const watched = simulate(s);
    const full = simulate(s, { fullConvergence: true });
    expect(watched.summary.crashes).toBeGreaterThan(100);
    expect(watched.digest).toBe(full.digest);
    expect(watched.summary).toEqual(full.summary);
  });

  // Groups waiting on time alone rest until their stale period or backoff ends: whatever the stale
  // period (none, shorter than a pass, longer than the run), they come back exactly when a full read
  // would act on them. 59 s ends just before the second pass after a failed placement: a rest that
  // ran even a few seconds long would miss that pass.
  it.each(['0s', '1ms', '7s', '59s', '2h'])('runs a full cluster with crashing apps and stale period %s exactly as a full read does', (staleUnclaimed) => {
    const s = parseScenario(
      {
        duration: '20m',
        convergence: { staleUnclaimed },
        network: { latency: { uniform: ['5ms', '50ms'] } },
        cells: [{ count: 6, zones: ['z1', 'z2'], memoryMB: 2048, diskMB: 8192, containers: 20 }],
        apps: [
          { name: 'web', count: 40, instances: 3, memoryMB: 64 },
          { name: 'crashy', count: 30, instances: 1, memoryMB: 64, crash: { probability: 1, after: { uniform: ['5s', '90s'] } } },
        ],
        events: [
          { at: '6m', kill: '20%' },
          { at: '12m', scale: { app: 'web', instances: 1 } },
        ],
      },
      `stale-${staleUnclaimed}`,
    );
    const watched = simulate(s);
    const full = simulate(s, { fullConvergence: true });
    expect(watched.summary.failed).toBeGreaterThan(0);
    expect(watched.summary.crashes).toBeGreaterThan(30);
    expect(watched.digest).toBe(full.digest);
    expect(watched.summary).toEqual(full.summary);
  });

  it('promotes suspects whose zone comes back at the next pass, as a full read does, with no room for their replacements', () => {
    // The cluster is full, so the replacements made when z2 drops out (62 s) fail and wait to go
    // stale (92 s); the pass at 90 s has already looked at them. When z2 comes back at 91 s, only a
    // full read finds the suspects to promote.
    const s = parseScenario(
      {
        duration: '4m',
        presenceTtl: '15s',
        cells: [{ count: 4, zones: ['z1', 'z2'], memoryMB: 1024, diskMB: 4096, containers: 8 }],
        apps: [{ name: 'web', count: 16, instances: 2, memoryMB: 64 }],
        events: [
          { at: '47s', partition: 'z2' },
          { at: '91s', heal: 'z2' },
        ],
      },
      'partition-full',
    );
    const watched = simulate(s);
    const full = simulate(s, { fullConvergence: true });
    expect(watched.summary.failed).toBeGreaterThan(0);
    expect(watched.digest).toBe(full.digest);
  });
});

describe('a pass over apps short of records', () => {
  // A BBS whose apps lack records for some desired indices (a desire whose missing indices were not
  // made; the converger makes them), in every kind: no records at all, some, desired before and after
  // others. A pass over the watched groups asks for the same instances, in the same order, as a full
  // read of every record.
  const world = (full: boolean) => {
    const kernel = new Kernel({ seed: 1 });
    const bbs = new BBS(() => kernel.now);
    const desire = (guid: string, instances: number, made: number) => {
      const d: DesiredLRP = { processGuid: guid, instances, memoryMB: 64, diskMB: 64, rootfs: 'preloaded:cflinuxfs4', placementTags: [], volumeDrivers: [], crash: null };
      bbs.desire(d);
      for (let i = 0; i < made; i++) bbs.createUnclaimed(guid, i);
    };
    desire('made-first', 3, 1);
    desire('none-b', 2, 0);
    desire('all-made', 2, 2);
    desire('made-second', 2, 1);
    desire('none-a', 1, 0);
    // Re-desired with more instances: recounted, its records kept.
    desire('made-first', 4, 0);
    const asked: string[] = [];
    const w: ConvergerWorld = {
      bbs,
      kernel,
      cells: [],
      cellById: new Map(),
      scenario: { convergence: { ...CONVERGENCE_DEFAULTS } },
      counters: { convergenceRuns: 1 },
      requestLRP: (guid, index) => asked.push(`${guid}.${index}`),
      requestTask: () => undefined,
      stopInstance: () => undefined,
      copyDropped: () => undefined,
    };
    convergencePass(w, full);
    return asked;
  };

  it('asks for the missing indices as a full read does: apps without records first, in the order desired, then the others in the BBS order', () => {
    const watched = world(false);
    expect(watched).toEqual(world(true));
    expect(watched).toEqual(['none-b.0', 'none-b.1', 'none-a.0', 'made-first.1', 'made-first.2', 'made-first.3', 'made-second.1']);
  });
});

describe('inVisitOrder', () => {
  // Groups as the BBS numbers them: one counter for apps and groups, a group after its app.
  const groupsArb = (base: number) =>
    fc
      .array(fc.tuple(fc.nat(40), fc.nat(40)), { maxLength: 300 })
      .map((pairs) => {
        const apps: { seq: number }[] = [];
        const groups: LRPGroup[] = [];
        let seq = base;
        for (const [app, extra] of pairs) {
          if (app >= apps.length || extra % 3 === 0) apps.push({ seq: (seq += 1 + extra) });
          const a = apps[app % apps.length] as { seq: number };
          groups.push({ app: a, seq: (seq += 1 + extra) } as unknown as LRPGroup);
        }
        return groups;
      })
      .chain((groups) => fc.shuffledSubarray(groups, { minLength: groups.length }));
  const byComparator = (gs: readonly LRPGroup[]) => [...gs].sort((a, b) => a.app.seq - b.app.seq || a.seq - b.seq);

  it('puts groups by app, then by group, as a comparator would', () => {
    fc.assert(
      fc.property(groupsArb(0), (gs) => {
        const want = byComparator(gs);
        inVisitOrder(gs);
        expect(gs).toEqual(want);
        // The very objects, not copies.
        for (let i = 0; i < gs.length; i++) expect(gs[i]).toBe(want[i]);
      }),
    );
  });

  it('sorts as the comparator does with seqs at and past 2^26.5, where the keys stop being exact', () => {
    fc.assert(
      fc.property(fc.constantFrom(2 ** 26.3, 2 ** 26.45, 2 ** 26.5 - 600, 2 ** 26.5, 2 ** 27).chain((base) => groupsArb(Math.floor(base))), (gs) => {
        const want = byComparator(gs);
        inVisitOrder(gs);
        expect(gs).toEqual(want);
      }),
    );
  });

  it('keeps groups one seq apart in order at seqs near 2^27, where keys of app seq times span would collide', () => {
    const base = 2 ** 27;
    const a = { seq: base };
    const b = { seq: base + 1 };
    const gs = Array.from({ length: 40 }, (_, i) => ({ app: i % 2 === 0 ? a : b, seq: base + 2 + i }) as unknown as LRPGroup).reverse();
    const want = byComparator(gs);
    inVisitOrder(gs);
    expect(gs).toEqual(want);
  });
});
