import { describe, expect, it } from 'vitest';
import { parseScenarioText, simulate, startSimulation } from '../../src/sim.js';
import { DIGEST_THREAD_MIN_INSTANCES } from '../../src/sim/simulate.js';

// Two groups pushed over a minute each (a push storm), on cells with room for all of them.
const pushes = `
seed: 5
duration: 3m
startup: 2s
cells:
  - { count: 10, zones: [z1, z2], memoryMB: 65536, diskMB: 65536, containers: 400 }
apps:
  - { name: tiny, count: 1500, over: 1m, instances: 1, memoryMB: 32, diskMB: 32 }
  - { name: small, count: 1000, over: 1m, at: 10s, instances: 1, memoryMB: 64, diskMB: 64 }
`;

describe('startSimulation: a push spread over a window', () => {
  it('keeps one event waiting per group pushing, not one per member, and desires every member once', () => {
    const sim = startSimulation(parseScenarioText(pushes, 't.yaml'));
    // Mid-push: about a thousand members desired and 1,400 still to come, which would all be
    // waiting in the queue had every member's event been scheduled when its group was desired.
    sim.runUntil(30_000);
    const desiredThen = sim.world.bbs.desired.size;
    expect(desiredThen).toBeGreaterThan(900);
    expect(desiredThen).toBeLessThan(1_200);
    expect(sim.world.kernel.pending).toBeLessThan(900);
    const r = sim.finish();
    expect(sim.world.bbs.desired.size).toBe(2_500);
    expect(r.summary.missingAtEnd).toBe(0);
  });

  it('desires as many members by each time when ties are shuffled (every member scheduled at once then)', () => {
    const desiredAt = (shuffleTies: boolean) => {
      const sim = startSimulation(parseScenarioText(pushes, 't.yaml'), { shuffleTies });
      const counts: number[] = [];
      for (let t = 5_000; t <= 80_000; t += 5_000) {
        sim.runUntil(t);
        counts.push(sim.world.bbs.desired.size);
      }
      return counts;
    };
    const chained = desiredAt(false);
    expect(desiredAt(true)).toEqual(chained);
    expect(chained.at(-1)).toBe(2_500);
  });
});

describe('startSimulation: runUntil', () => {
  it('refuses a time that is not a number, and runs nothing for it', () => {
    const sim = startSimulation(parseScenarioText(pushes, 't.yaml'));
    const untyped = sim.runUntil as (t?: unknown) => void;
    for (const t of [undefined, Number.NaN, '10s', null]) {
      expect(() => untyped(t)).toThrow(`runUntil: expected a time in ms, got ${String(t)}`);
    }
    expect(sim.world.kernel.now).toBe(0);
    expect(sim.world.bbs.desired.size).toBe(0);
    // Infinity is a time: the run goes to its end.
    sim.runUntil(Infinity);
    expect(sim.world.kernel.now).toBe(180_000);
  });
});

describe('simulate: the digest of a large run', () => {
  it('from DIGEST_THREAD_MIN_INSTANCES on (hashed in a worker thread) is the digest of the same run hashed in its own thread', () => {
    const text = `
name: digest-thread
seed: 5
duration: 20s
cells: [{ count: 40, zones: [z1], memoryMB: 262144, diskMB: 262144, containers: 2000 }]
apps: [{ name: web, count: ${DIGEST_THREAD_MIN_INSTANCES / 4}, instances: 4, memoryMB: 64, diskMB: 64 }]
`;
    const scenario = parseScenarioText(text, 'digest-thread.yaml', { allowLarge: true });
    const threaded = simulate(scenario);
    // Set up step by step, a run hashes in its own thread (see simulate.ts).
    const own = startSimulation(scenario).finish();
    expect(threaded.summary.placed).toBeGreaterThan(DIGEST_THREAD_MIN_INSTANCES / 2);
    expect(threaded.digest).toBe(own.digest);
  });
});
