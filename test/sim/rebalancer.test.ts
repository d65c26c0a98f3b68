// The auto-rebalancer (`rebalance:`): `none` is Diego event for event; a policy's moves follow
// evacuation's safe dance (no instance ever less routable, no index twice but its EVACUATING copy),
// within the budget (moves per interval, per app in flight, the floor); it is the leader's work.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenarioText, resolveScenarioPath, simulate, startSimulation } from '../../src/sim.js';
import { scenarioProblems as bad } from './scenario-problems.js';

// A quarter of the cells die at 3 min and come back empty at 8 min (as the bundled scenario, smaller).
const BASE = `
name: rb
duration: 25m
cells: [{ count: 12, zones: [z1, z2, z3], memoryMB: 16384, diskMB: 65536, containers: 100 }]
apps:
  - { name: web, count: 20, instances: 4, memoryMB: 1024, diskMB: 1024 }
  - { name: worker, count: 30, instances: 2, memoryMB: 512, diskMB: 512 }
events:
  - { at: 3m, kill: { fraction: 0.25 } }
  - { at: 8m, recover: { fraction: 1 } }
`;
const run = (rebalance: string) => simulate(parseScenarioText(`${BASE}rebalance: ${rebalance}\n`, 'rb.yaml'), { safety: true });

describe('the auto-rebalancer', () => {
  it('with policy none, the run is Diego\'s event for event (same digest as no rebalance: entry), and it says so', () => {
    const plain = simulate(parseScenarioText(BASE, 'rb.yaml'));
    const none = run('{ policy: none }');
    expect(none.digest).toBe(plain.digest);
    expect(none.summary.rebalance).toMatchObject({ policy: 'none', looks: 0, started: 0 });
    // The balance figures are there to compare with: the cells that came back stay empty.
    expect(none.summary.rebalance!.emptyCellsAtEnd).toBe(3);
    expect(none.series.at(-1)!.loadSpread).toBeGreaterThan(0.2);
    expect(plain.series.at(-1)!.loadSpread).toBeUndefined();
  });

  it('greedy evens the load out after the cells come back, by moves that all complete, with safety held', () => {
    const none = run('{ policy: none }');
    const g = run('{ policy: greedy }');
    const b = g.summary.rebalance!;
    expect(b.started).toBeGreaterThan(10);
    expect(b.completed).toBe(b.started - b.inFlightAtEnd);
    expect(b.onTarget).toBe(b.completed);
    expect(b).toMatchObject({ lost: 0, calledOff: 0, floorBroken: 0, problems: [], emptyCellsAtEnd: 0 });
    expect(g.summary.balance.jainIndex).toBeGreaterThan(0.99);
    expect(none.summary.balance.jainIndex).toBeLessThan(0.8);
    expect(g.summary.balance.zoneSkewMax).toBeLessThanOrEqual(1);
    expect(b.loadSpreadMean).toBeLessThan(none.summary.rebalance!.loadSpreadMean);
    expect(g.safety?.violations).toEqual([]);
    expect(g.summary.missingAtEnd + g.summary.extraAtEnd).toBe(0);
    // Its messages: a state fetch of every present cell per look, and one Perform per move.
    expect(b.messages).toBeGreaterThanOrEqual(b.looks * 9 + b.started);
  });

  it('moves by the safe dance: at every instant after the cells are back, every app has all its instances routable', () => {
    const sim = startSimulation(parseScenarioText(`${BASE}rebalance: { policy: greedy, movesPerInterval: 5, inFlightPerApp: 2 }\n`, 'rb.yaml'));
    const w = sim.world;
    let seenMoving = 0;
    // From a minute after the cells came back (the killed instances all ran again by then) to the end.
    for (let t = 9 * 60_000; t <= 25 * 60_000; t += 500) {
      sim.runUntil(t);
      for (const [guid, d] of w.bbs.desired) expect(w.routableOf(guid), `${guid} at ${t} ms`).toBeGreaterThanOrEqual(d.instances);
      // Within the budget: no app has more than two instances moving (EVACUATING copies) at once.
      const moving = new Map<string, number>();
      for (const [guid, byIndex] of w.bbs.actual) for (const g of byIndex.values()) if (g.evacuating) moving.set(guid, (moving.get(guid) ?? 0) + 1);
      for (const [guid, n] of moving) expect(n, `${guid} at ${t} ms`).toBeLessThanOrEqual(2);
      seenMoving += moving.size;
    }
    expect(seenMoving).toBeGreaterThan(0);
    const r = sim.finish();
    expect(r.summary.rebalance!.problems).toEqual([]);
  });

  it('starts no more moves per interval than its budget, and none that would take an app below its floor', () => {
    const one = run('{ policy: greedy, movesPerInterval: 1 }').summary.rebalance!;
    expect(one.started).toBeLessThanOrEqual(one.looks);
    expect(one.started).toBeGreaterThan(0);
    // A floor of every instance: a move counts its instance as gone, so nothing may move.
    const all = run('{ policy: greedy, floor: 1 }').summary.rebalance!;
    expect(all).toMatchObject({ started: 0, proposed: 0 });
    expect(all.looks).toBeGreaterThan(0);
  });

  it('low-node-utilization evicts and lets the auction place the replacements (no cell chosen)', () => {
    const r = run('{ policy: low-node-utilization }');
    const b = r.summary.rebalance!;
    expect(b.started).toBeGreaterThan(0);
    expect(b.onTarget).toBe(0);
    expect(b.fellBack).toBe(0);
    expect(b.problems).toEqual([]);
    expect(r.summary.balance.jainIndex).toBeGreaterThan(run('{ policy: none }').summary.balance.jainIndex);
  });

  it('is the leader\'s work: with no auctioneer holding the lock it does not look', () => {
    const text = `${BASE.replace('events:', 'auctioneers: 1\nevents:\n  - { at: 9m, killAuctioneer: true }')}rebalance: { policy: greedy }\n`;
    const b = simulate(parseScenarioText(text, 'rb.yaml')).summary.rebalance!;
    expect(b.unled).toBeGreaterThan(0);
  });

  it('a cell drained while a move off it is under way keeps serving the moving instance until its replacement runs', () => {
    const text = `
duration: 6m
sampleInterval: 1s
startup: { uniform: [8s, 8s] }
cells: [{ count: 2, zones: [z1], memoryMB: 4096 }]
apps:
  - { name: a-solo, instances: 1, memoryMB: 1024 }
  - { name: fill, instances: 2, memoryMB: 1024 }
events:
  - { at: 30s, kill: { ids: [cell-01] } }
  - { at: 90s, recover: { ids: [cell-01] } }
  - { at: 121s, evacuate: { ids: [cell-00] } }
rebalance: { policy: greedy, every: 30s, from: 90s, floor: 0 }
`;
    const r = simulate(parseScenarioText(text, 'evac.yaml'), { safety: true });
    expect(r.summary.rebalance!.started).toBeGreaterThan(0);
    const drain = r.summary.routesDuringEvents.find((e) => e.event.startsWith('evacuate'))!;
    expect(drain.lows['a-solo']?.minFraction ?? 1).toBe(1);
    expect(r.safety?.violations).toEqual([]);
  });

  it('low-node-utilization settles on cells of different sizes (a cell whose containers are half taken is not underused)', () => {
    const text = `
duration: 30m
cells:
  - { count: 2, zones: [z1], memoryMB: 16384, containers: 10, prefix: big }
  - { count: 6, zones: [z1], memoryMB: 2048, containers: 100, prefix: small }
apps:
  - { name: web, count: 6, instances: 6, memoryMB: 256 }
rebalance: { policy: low-node-utilization }
`;
    expect(simulate(parseScenarioText(text, 'lnu.yaml')).summary.rebalance!.started).toBeLessThan(10);
  });

  it('a run that ends with moves under way counts the moving instances as served, not missing', () => {
    const sc = parseScenarioText(readFileSync(resolveScenarioPath('rebalance-after-recovery'), 'utf8'), 'rebalance-after-recovery.yaml');
    const r = simulate(sc, { durationMs: 511_000 });
    expect(r.summary.rebalance!.inFlightAtEnd).toBeGreaterThan(0);
    expect(r.summary.missingAtEnd).toBe(0);
    expect(r.expectations.find((e) => e.name === 'converged')?.ok).toBe(true);
  });

  it('a move whose replacement crashes is called off: the old copy is the instance again, never an EVACUATING copy beside a CRASHED record', () => {
    const text = `
duration: 30m
seed: 4
cells: [{ count: 4, zones: [z1, z2], memoryMB: 8192 }]
apps:
  - { name: shaky, count: 4, instances: 3, memoryMB: 512, healthCheck: { failureProbability: 0.7, startTimeout: 20s, delay: 2s } }
events:
  - { at: 8m, kill: { ids: [cell-00, cell-01] } }
  - { at: 10m, recover: { fraction: 1 } }
rebalance: { policy: greedy, every: 30s, floor: 0, inFlightPerApp: 3 }
`;
    const sim = startSimulation(parseScenarioText(text, 'shaky.yaml'), { safety: true });
    const w = sim.world;
    // A replacement's crash is seen at the rebalancer's next poll of its moves (every 10 s): a pair
    // may be seen once, never at two looks 15 s apart.
    let before = new Set<string>();
    for (let t = 11 * 60_000; t <= 30 * 60_000; t += 15_000) {
      sim.runUntil(t);
      const now = new Set<string>();
      for (const byIndex of w.bbs.actual.values()) for (const g of byIndex.values()) if (g.evacuating !== null && g.ordinary?.state === 'CRASHED') now.add(`${g.processGuid}.${g.index} ${g.evacuating.instanceGuid}`);
      for (const k of now) expect(before.has(k), `${k} at ${t} ms`).toBe(false);
      before = now;
    }
    const r = sim.finish();
    expect(r.summary.rebalance!.calledOff).toBeGreaterThan(0);
    expect(r.safety?.violations).toEqual([]);
  });

  it('an old copy on a cell cut off from the control plane is not stopped by the rebalancer (its rep squares up once the zone heals)', () => {
    const sc = parseScenarioText(readFileSync(resolveScenarioPath('rebalance-after-recovery'), 'utf8').replace('events:', 'events:\n  - { at: 481s, partition: z1 }\n  - { at: 600s, heal: z1 }'), 'part.yaml');
    const lines: string[] = [];
    const r = simulate(sc, { safety: true, log: (l) => lines.push(l) });
    const z1 = new Set(r.placement.cells.filter((c) => c.zone === 'z1').map((c) => c.id));
    const done = lines.map((l) => JSON.parse(l) as { t: number; note?: string; from?: string }).filter((e) => e.note === 'rebalance-done' && z1.has(e.from ?? ''));
    expect(done.every((e) => e.t < 481_000 || e.t >= 600_000)).toBe(true);
    expect(r.safety?.violations).toEqual([]);
    expect(r.summary.missingAtEnd + r.summary.extraAtEnd).toBe(0);
  });

  it('refuses a bad rebalance: entry in one line each', () => {
    expect(bad(`${BASE}rebalance: { policy: best }\n`)).toEqual(['bad.yaml: rebalance.policy: expected none, greedy or low-node-utilization, got "best"']);
    expect(bad(`${BASE}rebalance: {}\n`)).toEqual(['bad.yaml: rebalance.policy: missing (expected none, greedy or low-node-utilization)']);
    expect(bad(`${BASE}rebalance: { policy: greedy, every: 10ms, low: 0.6 }\n`)).toEqual(['bad.yaml: rebalance: expected low at most high, got low 0.6 and high 0.5 (defaults 0.2 and 0.5)', 'bad.yaml: rebalance.every: expected a duration of at least 1s, got 10ms']);
    expect(bad(`${BASE}rebalance: { policy: greedy, floor: 2, __proto__: 1 }\n`)[0]).toMatch(/^bad\.yaml: rebalance/);
  });
});
