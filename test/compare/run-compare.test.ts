// A comparison's detail run (the first seed of each point) carries its timeline for the report's
// maps scrubbed together, up to COMPARE_TIMELINE_INSTANCES instances.
import { describe, expect, it } from 'vitest';
import { buildGrid } from '../../src/compare/grid.js';
import { COMPARE_TIMELINE_INSTANCES, runOne } from '../../src/compare/run-compare.js';
import type { Strategy } from '../../src/core/strategy.js';
import { findStrategy } from '../../src/index.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { loadScenarioFile, simulate } from '../../src/sim.js';

const diego = () => {
  const [point] = buildGrid(['diego'], []);
  return { point: point!, strategy: findStrategy('diego') as Strategy };
};

describe('a comparison\'s detail run', () => {
  it('carries the timeline and the events, the same as the run\'s own; other runs carry none', () => {
    const scenario = loadScenarioFile('scenarios/default.yaml');
    const { point, strategy } = diego();
    const detailed = runOne(scenario, point, strategy, { index: 0, point: 0, seed: 1, detail: true }, 300_000);
    const plain = runOne(scenario, point, strategy, { index: 1, point: 0, seed: 2, detail: false }, 300_000);
    const own = simulate(scenario, { seed: 1, durationMs: 300_000, timeline: true });
    expect(detailed.detail?.timeline).toEqual(own.timeline);
    expect(detailed.detail?.events).toEqual(own.summary.routesDuringEvents.map((e) => ({ atMs: e.atMs, label: e.event })));
    expect(detailed.digest).toBe(own.digest);
    expect(plain.detail).toBeUndefined();
  });

  it(`past ${COMPARE_TIMELINE_INSTANCES.toLocaleString('en-US')} instances, none (a report per point would be too big)`, () => {
    const big = parseScenarioText(`duration: 2s
cells:
  - { count: 40, memoryMB: 65536, diskMB: 131072, containers: 2000 }
apps:
  - { name: many, count: 2, instances: ${COMPARE_TIMELINE_INSTANCES / 2 + 1}, memoryMB: 32, diskMB: 32 }
`, 'big.yaml');
    const { point, strategy } = diego();
    const r = runOne(big, point, strategy, { index: 0, point: 0, seed: 1, detail: true });
    expect(r.detail).toBeDefined();
    expect(r.detail?.timeline).toBeUndefined();
  });
});
