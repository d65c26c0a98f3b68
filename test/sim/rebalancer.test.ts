// The auto-rebalancer (`rebalance:`): `none` is Diego event for event; a policy's moves follow
// evacuation's safe dance (no instance ever less routable, no index twice but its EVACUATING copy),
// within the budget (moves per interval, per app in flight, the floor); it is the leader's work.
import { describe, expect, it } from 'vitest';
import { parseScenarioText, simulate, startSimulation } from '../../src/sim.js';
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
    expect(b).toMatchObject({ lost: 0, timedOut: 0, floorBroken: 0, problems: [], emptyCellsAtEnd: 0 });
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

  it('refuses a bad rebalance: entry in one line each', () => {
    expect(bad(`${BASE}rebalance: { policy: best }\n`)).toEqual(['bad.yaml: rebalance.policy: expected none, greedy or low-node-utilization, got "best"']);
    expect(bad(`${BASE}rebalance: {}\n`)).toEqual(['bad.yaml: rebalance.policy: missing (expected none, greedy or low-node-utilization)']);
    expect(bad(`${BASE}rebalance: { policy: greedy, every: 10ms, low: 0.6 }\n`)).toEqual(['bad.yaml: rebalance.every: expected a duration of at least 1s, got 10ms', 'bad.yaml: rebalance.low: expected at most high (0.5), got 0.6']);
    expect(bad(`${BASE}rebalance: { policy: greedy, floor: 2, __proto__: 1 }\n`)[0]).toMatch(/^bad\.yaml: rebalance/);
  });
});
