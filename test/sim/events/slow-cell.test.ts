import { describe, expect, it } from 'vitest';
import type { ScenarioFileError } from '../../../src/sim.js';
import { parseScenarioText, simulate, startSimulation } from '../../../src/sim.js';

const scenario = (events: string) =>
  parseScenarioText(
    `seed: 4
duration: 5m
startup: 2s
auctioneers: 1
cells: [{ count: 3, zones: [z1], memoryMB: 8192, diskMB: 16384, containers: 50 }]
apps: [{ name: web, instances: 3, memoryMB: 256 }]
events:
${events}`,
    'slow.yaml',
  );

const on = (sim: ReturnType<typeof startSimulation>, cell: string) => sim.world.cellById.get(cell)!.rep.state.LRPs.length;

describe('slowCell', () => {
  it("makes a cell's state fetches miss the network timeout for a while, so new work avoids it, then it is normal again", () => {
    const sim = startSimulation(
      scenario(`  - { at: 10s, slowCell: { cells: { ids: [cell-00] }, factor: 20000, for: 2m } }
  - { at: 20s, scale: { app: web, instances: 9 } }
  - { at: 3m, scale: { app: web, instances: 15 } }`),
    );
    sim.runUntil(10_001);
    expect(sim.world.cellById.get('cell-00')!.latencyFactor).toBe(20_000);
    expect(sim.world.cellById.get('cell-01')!.latencyFactor).toBe(1);
    const before = on(sim, 'cell-00');
    sim.runUntil(2 * 60_000);
    // 1 ms each way, 20,000 times slower: 40 s round trips, far past the 10 s timeout.
    expect(on(sim, 'cell-00')).toBe(before);
    sim.runUntil(130_001);
    expect(sim.world.cellById.get('cell-00')!.latencyFactor).toBe(1);
    const r = sim.finish();
    expect(r.summary.missingAtEnd).toBe(0);
    expect(on(sim, 'cell-00')).toBeGreaterThan(before);
    expect(r.summary.faults.map((f) => [f.kind, f.detail])).toEqual([['slowCell', '1 cell 20000x']]);
    // Each state fetch to the slow cell outlasted the timeout: counted as lost.
    expect(r.summary.messagesLost).toBeGreaterThan(0);
    // The auction that asked the slow cell waited out the timeout.
    expect(r.summary.waitMs.max).toBeGreaterThanOrEqual(10_000);
  });

  it('overlapping slowdowns: the largest factor applies until it ends', () => {
    const sim = startSimulation(
      scenario(`  - { at: 10s, slowCell: { cells: { ids: [cell-01] }, factor: 5, for: 1m } }
  - { at: 20s, slowCell: { cells: { ids: [cell-01] }, factor: 50, for: 10s } }`),
    );
    const f = () => sim.world.cellById.get('cell-01')!.latencyFactor;
    sim.runUntil(15_000);
    expect(f()).toBe(5);
    sim.runUntil(25_000);
    expect(f()).toBe(50);
    sim.runUntil(35_000);
    expect(f()).toBe(5);
    sim.runUntil(75_000);
    expect(f()).toBe(1);
  });

  it('at factor 1 a run is the run without it, but for the fault it records', () => {
    const a = simulate(scenario(`  - { at: 20s, scale: { app: web, instances: 9 } }`));
    const b = simulate(scenario(`  - { at: 10s, slowCell: { cells: "100%", factor: 1, for: 1m } }\n  - { at: 20s, scale: { app: web, instances: 9 } }`));
    expect(b.summary.placed).toBe(a.summary.placed);
    expect(b.summary.waitMs).toEqual(a.summary.waitMs);
    expect(b.placement).toEqual(a.placement);
  });

  it('rejects bad bodies with their field paths', () => {
    const problems = (body: string) => {
      try {
        scenario(`  - { at: 10s, slowCell: ${body} }`);
        return [];
      } catch (e) {
        return (e as ScenarioFileError).lines.map((l) => l.replace(/^slow\.yaml: /, ''));
      }
    };
    expect(problems('{ factor: 10 }')).toEqual(['events[0].slowCell.cells: missing (expected cells to act on: {ids: [...]}, {zone: z1}, {fraction: 0.1} or "10%")']);
    expect(problems('{ cells: "10%", factor: 0.5 }')[0]).toMatch(/^events\[0\]\.slowCell\.factor: expected .*1/);
    expect(problems('{ cells: "10%", for: -1 }')[0]).toMatch(/^events\[0\]\.slowCell\.for: expected a duration/);
    expect(problems('{ cells: "10%", fro: 1m }')[0]).toBe('events[0].slowCell.fro: unknown field (expected one of: cells, factor, for)');
    expect(problems('"10%"')[0]).toMatch(/^events\[0\]\.slowCell: expected a slowdown \{cells, factor, for\}/);
  });
});

describe('slowCell and the rest of the machine', () => {
  it('a cell recovered while slow is a new machine: not slow, and the slowdown ending later changes nothing', () => {
    const sim = startSimulation(
      scenario(`  - { at: 10s, slowCell: { cells: { ids: [cell-02] }, factor: 50, for: 1m } }
  - { at: 20s, kill: { ids: [cell-02] } }
  - { at: 30s, recover: { ids: [cell-02] } }`),
    );
    const f = () => sim.world.cellById.get('cell-02')!.latencyFactor;
    sim.runUntil(15_000);
    expect(f()).toBe(50);
    sim.runUntil(31_000);
    expect(f()).toBe(1);
    sim.runUntil(80_000);
    expect(f()).toBe(1);
  });
});
