import { describe, expect, it } from 'vitest';
import { parseScenarioText, simulate, startSimulation } from '../../src/sim.js';

const base = `
seed: 3
startup: 5s
cells:
  - { count: 6, zones: [z1, z2, z3], memoryMB: 8192, diskMB: 16384, containers: 50 }
`;

describe('simulator behaviour (Diego semantics)', () => {
  it("a killed cell's instances run elsewhere within the presence TTL, one convergence interval and start-up time", () => {
    const s = parseScenarioText(`${base}duration: 3m\napps: [{ name: web, count: 10, instances: 3, memoryMB: 256 }]\nevents: [{ at: 1m, kill: { ids: [cell-03] } }]\n`, 't.yaml');
    const r = simulate(s);
    expect(r.summary.missingAtEnd).toBe(0);
    const fault = r.summary.faults[0]!;
    expect(fault.recoveredAfterMs).not.toBeNull();
    // Presence lapses within its TTL; the next periodic pass acts within one interval; the state fetch
    // may wait out one timeout; then start-up (5 s here).
    expect(fault.recoveredAfterMs!).toBeLessThanOrEqual(s.presenceTtlMs + s.convergence.intervalMs + s.network.timeoutMs + 5_000);
    expect(fault.recoveredAfterMs!).toBeGreaterThan(0);
    expect(fault.back).toBe(fault.displaced);
  });

  it('an instance that fits nowhere is auctioned again a stale period after each failure (FailActualLRP sets since)', () => {
    const s = parseScenarioText(
      `seed: 3\nduration: 5m\ncells: [{ count: 1, zones: [z1], memoryMB: 8192, diskMB: 16384, containers: 1 }]\napps: [{ name: web, instances: 2, memoryMB: 64 }]\n`,
      't.yaml',
    );
    const sim = startSimulation(s);
    const failedAt: number[] = [];
    let seen = 0;
    for (let t = 1_000; t <= 300_000; t += 1_000) {
      sim.runUntil(t);
      const n = sim.world.counters.lrpAuctionsFailed;
      if (n > seen) failedAt.push(t);
      seen = n;
    }
    // Passes run every 30 s; one failed at T+ is UNCLAIMED for just under 30 s at the next pass
    // (Diego: stale means since < now - 30 s), so it is auctioned every other pass: 0, 60, 120 ... s.
    expect(failedAt.length).toBe(5);
    for (let i = 1; i < failedAt.length; i++) expect((failedAt[i] as number) - (failedAt[i - 1] as number)).toBe(60_000);
    const rec = [...(sim.world.bbs.actual.get('web')?.values() ?? [])].map((g) => g.ordinary).find((o) => o?.state === 'UNCLAIMED');
    expect(rec?.placementError).toBe('insufficient resources: containers');
    expect(rec?.since).toBeGreaterThan(240_000);
  });

  it("the crash backoff follows Diego's table", () => {
    const s = parseScenarioText(`${base}duration: 15m\napps: [{ name: crashy, instances: 1, memoryMB: 64, crash: { probability: 1, after: 10s } }]\n`, 't.yaml');
    const log: { t: number; note?: string }[] = [];
    simulate(s, { log: (l) => log.push(JSON.parse(l)) });
    const crashes = log.filter((e) => e.note === 'crash').map((e) => e.t);
    const claims = log.filter((e) => e.note === 'claimed').map((e) => e.t);
    // Each run: start-up 5 s, then 10 s to the crash. After crash n the next start is requested at once
    // (n = 1, 2), or when a convergence pass (every 30 s) finds the backoff over (30 s, 60 s, 120 s, ...).
    const gaps = crashes.slice(1).map((t, i) => t - (crashes[i] as number) - 15_000);
    expect(gaps[0]).toBeLessThan(100); // after crash 1: immediate
    expect(gaps[1]).toBeLessThan(100); // after crash 2: immediate
    expect(gaps[2]).toBeGreaterThanOrEqual(30_000); // after crash 3: 30 s
    expect(gaps[2]).toBeLessThan(30_000 + 30_000);
    expect(gaps[3]).toBeGreaterThanOrEqual(60_000); // after crash 4: 1 min
    expect(gaps[4]).toBeGreaterThanOrEqual(120_000); // after crash 5: 2 min
    expect(claims.length).toBeGreaterThanOrEqual(crashes.length);
  });

  it('no task runs twice, even when cells die under running tasks', () => {
    const s = parseScenarioText(
      `${base}duration: 4m\ntasks: [{ name: job, perSecond: 5, until: 2m, memoryMB: 128, duration: { uniform: [5s, 40s] } }]\nevents: [{ at: 40s, kill: "30%" }, { at: 90s, recover: "30%" }]\n`,
      't.yaml',
    );
    const r = simulate(s);
    expect(r.summary.tasksRunTwice).toBe(0);
    expect(r.summary.tasksCompleted).toBeGreaterThan(300);
    expect(r.summary.taskFailures['cell disappeared before completion']).toBeGreaterThan(0);
  });

  it('an auctioneer failover loses and duplicates nothing', () => {
    const s = parseScenarioText(
      `${base}duration: 3m\napps: [{ name: web, count: 20, instances: 2, memoryMB: 256, at: 31s }]\nevents: [{ at: 30s, killAuctioneer: true }]\n`,
      't.yaml',
    );
    const sim = startSimulation(s);
    sim.runUntil(40_000);
    // The dead auctioneer's lease has not lapsed yet: the requests sent to it are lost.
    expect(sim.world.bbs.runningDesired).toBe(0);
    const r = sim.finish();
    expect(sim.world.activeAuctioneer()?.id).toBe('auctioneer-1');
    expect(r.summary.missingAtEnd).toBe(0);
    expect(r.summary.extraAtEnd).toBe(0);
    const onCells = sim.world.cells.flatMap((c) => c.rep.state.LRPs.map((l) => `${l.process_guid}.${l.index}`));
    expect(onCells.length).toBe(40);
    expect(new Set(onCells).size).toBe(40);
  });

  it('evacuation keeps the old instance until its replacement runs', () => {
    const s = parseScenarioText(`${base.replace('startup: 5s', 'startup: 20s')}duration: 2m\napps: [{ name: web, count: 6, instances: 2, memoryMB: 256 }]\nevents: [{ at: 1m, evacuate: { ids: [cell-00] } }]\n`, 't.yaml');
    const sim = startSimulation(s);
    sim.runUntil(60_000);
    const cell = sim.world.cellById.get('cell-00')!;
    const before = cell.rep.state.LRPs.length;
    expect(before).toBeGreaterThan(0);
    sim.runUntil(70_000); // replacements are still starting (20 s start-up)
    expect(cell.rep.state.LRPs.length).toBe(before);
    expect(sim.world.bbs.missing).toBe(before); // the ordinary records are the unstarted replacements
    sim.runUntil(95_000); // replacements running, the cell's 10 s poll has stopped the old ones
    expect(cell.rep.state.LRPs.length).toBe(0);
    const r = sim.finish();
    expect(r.summary.missingAtEnd).toBe(0);
    expect(r.summary.evictions).toBe(before);
  });

  it('every desired instance is running, starting or pending with a reason when capacity runs out', () => {
    const s = parseScenarioText(`${base}duration: 2m\napps: [{ name: big, count: 30, instances: 1, memoryMB: 4096 }]\n`, 't.yaml');
    const sim = startSimulation(s);
    const r = sim.finish();
    expect(r.summary.missingAtEnd).toBe(30 - 12);
    for (const byIndex of sim.world.bbs.actual.values()) {
      for (const g of byIndex.values()) {
        if (g.ordinary?.state === 'UNCLAIMED') expect(g.ordinary.placementError).toBe('insufficient resources: memory');
      }
    }
  });

  it('a rolling deploy replaces an app step by step with its next version', () => {
    const s = parseScenarioText(`${base}duration: 4m\napps: [{ name: web, instances: 6, memoryMB: 256 }]\nevents: [{ at: 1m, deploy: { app: web, step: 2, every: 30s } }]\nsampleInterval: 1s\n`, 't.yaml');
    const sim = startSimulation(s);
    const r = sim.finish();
    expect([...sim.world.bbs.desired.keys()]).toEqual(['web@v2']);
    const onCells = sim.world.cells.flatMap((c) => c.rep.state.LRPs.map((l) => l.process_guid));
    expect(onCells).toEqual(Array(6).fill('web@v2'));
    expect(r.summary.missingAtEnd).toBe(0);
    // Each step retires `step` old instances while the new ones start: never fewer than 6 - 2 running.
    const during = r.series.filter((x) => x.t >= 60_000);
    expect(Math.min(...during.map((x) => x.running))).toBeGreaterThanOrEqual(4);
  });
});
