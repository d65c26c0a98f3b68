import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { scenarioDocument } from '../../src/scenario/write.js';
import { BUNDLED_SCENARIOS, loadScenarioFile, parseScenario, parseScenarioText, resolveScenarioPath } from '../../src/sim.js';
import { planArb, planToScenario } from '../../src/testing/plan.js';

// Every kind of event and field the parser reads, with values away from their defaults.
const EVERYTHING = `
name: everything
description: every field and event kind
seed: 42
duration: 1h
sampleInterval: 15s
strategy: random
settings: { maxRounds: 20 }
startup: { exponential: 3s }
fileServer: { bandwidthMBps: 12.5 }
network: { latency: { uniform: [1ms, 2.5ms] }, loss: 0.01, timeout: 5s }
auctioneers: 3
lock: { ttl: 20s, retry: 2s }
convergence: { interval: 20s, staleUnclaimed: 40s, pendingTaskTimeout: 10m, resolvingTimeout: 31s, completedTaskTtl: 3m, maxTaskRetries: 5, onCellLoss: true }
evacuation: { timeout: 5m, poll: 7s }
presenceTtl: 20s
presenceRefresh: 4s
repPolling: 45s
serviceTime: { scheduling: { perAuction: 0.5, perCell: 0.002 }, bbs: { write: 7 }, convergence: { fixed: 3 } }
cells:
  - { count: 4, zones: [z1, z2], memoryMB: 8192, diskMB: 9000, containers: 40, stacks: [cflinuxfs3, cflinuxfs4], docker: false, volumeDrivers: [nfs] }
  - { count: 2, zones: [z3], placementTags: [gold], optionalPlacementTags: [fast], proxyMemoryMB: 32, prefix: gold }
apps:
  - { name: web, count: 3, over: 2m, instances: 2, memoryMB: 512, diskMB: 1024, crash: { probability: 0.5, after: { uniform: [30s, 90s] } }, healthCheck: { delay: 3s, failureProbability: 0.1 }, dropletMB: 40.5, push: { memoryMB: 2048, duration: 1m30s } }
  - { name: db, instances: 1, placementTags: [gold], volumeDrivers: [nfs], at: 90s, push: true }
tasks:
  - { name: batch, perSecond: 0.5, from: 1m, until: 30m, memoryMB: 64, placementTags: [gold], duration: { exponential: 20s } }
events:
  - { at: 5m, kill: { ids: [cell-01] } }
  - { at: 6m, recover: "25%" }
  - { at: 7m, evacuate: { zone: z2 } }
  - { at: 8m, partition: z1 }
  - { at: 9m, heal: { zone: z1 } }
  - { at: 10m, scale: { app: web-1, instances: 4 } }
  - { at: 11m, delete: { app: web-2 } }
  - { at: 12m, killAuctioneer: true }
  - { at: 13m, task: { name: one, memoryMB: 10, duration: 5s500ms } }
  - { at: 14m, cancelTask: one }
  - { at: 15m, crash: { app: web-0, index: 1 } }
  - { at: 16m, deploy: { app: db, maxInFlight: 2, every: 10s, style: blue-green, stage: true } }
  - { at: 17m, slowCell: { cells: { fraction: 0.3 }, factor: 4, for: 2m } }
expect: { converged: true, maxMissingAtEnd: 3, routableFloor: 0.5 }
`;

/** The scenario printed and read again. */
function roundTrip(doc: Record<string, unknown>) {
  return parseScenarioText(stringify(doc), 'printed.yaml');
}

describe('scenario documents (run --print-scenario)', () => {
  it('every field and every event kind reads back to the same scenario', () => {
    const s = parseScenarioText(EVERYTHING, 'everything.yaml');
    const doc = scenarioDocument(s);
    expect(roundTrip(doc)).toEqual(s);
    // Every event kind is in the file, so each kind's writer is exercised.
    expect(new Set(s.events.map((e) => e.kind)).size).toBe(13);
    // Defaults are written out: a field the file left out is in the document.
    expect((doc['cells'] as Record<string, unknown>[])[0]?.['prefix']).toBe('cell');
    expect(doc['serviceTime']).toMatchObject({ scheduling: { perInstance: 0.0000122 }, rep: { allocation: 0.1 } });
  });

  it.each(BUNDLED_SCENARIOS)('bundled %s reads back to the same scenario', (name) => {
    const s = loadScenarioFile(resolveScenarioPath(name));
    expect(roundTrip(scenarioDocument(s))).toEqual(s);
  });

  it('random plans (the property tests\' scenarios) read back to the same scenario', () => {
    fc.assert(
      fc.property(planArb(), fc.integer({ min: 1, max: 1000 }), (steps, seed) => {
        const s = parseScenario(planToScenario(steps, seed).doc, 'plan');
        expect(roundTrip(scenarioDocument(s))).toEqual(s);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
