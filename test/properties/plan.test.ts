import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/sim.js';
import { runCli } from '../cli/run-cli.js';
import { planArb, planToScenario, scenarioYAML } from '../../src/testing/plan.js';

describe('counterexamples replay', () => {
  it('a plan written as a scenario file replays with auctionlab run to the same digest', () => {
    const [steps] = fc.sample(planArb(undefined, 10), { numRuns: 1, seed: 7 });
    const { doc } = planToScenario(steps!, 3);
    const file = join(mkdtempSync(join(tmpdir(), 'auctionlab-')), 'counterexample.yaml');
    writeFileSync(file, scenarioYAML(doc));
    const r = runCli(['run', file, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).digest).toBe(simulate(parseScenario(doc, 'counterexample')).digest);
  });
});

describe('plans with recurring tasks', () => {
  it('draw cron entries, which tick from their step to the end of the plan, safe and converged, no tick run twice', () => {
    const plans = fc.sample(planArb(undefined, 12), { numRuns: 200, seed: 11 });
    const withCron = plans.filter((steps) => steps.some((s) => s.action.kind === 'cron'));
    expect(withCron.length).toBeGreaterThan(20);
    for (const steps of withCron.slice(0, 5)) {
      const { doc, endOfPlanMs } = planToScenario(steps, 5);
      const cron = doc['cron'] as { until: string }[];
      expect(cron.every((c) => c.until === `${endOfPlanMs}ms`)).toBe(true);
      const r = simulate(parseScenario({ ...doc, expect: { safe: true, converged: true, noTaskRanTwice: true } }, 'plan'), { safety: true });
      expect(r.expectations.filter((e) => !e.ok)).toEqual([]);
      expect(r.summary.cron?.length).toBe(cron.length);
    }
  });
});

describe('plans with the rebalancer', () => {
  it('draw a rebalancer whose moves meet the faults: safe (no instance twice), converged, the floor kept, its dance never broken', () => {
    const plans = fc.sample(planArb(undefined, 12), { numRuns: 300, seed: 12 });
    const withRebalancer = plans.filter((steps) => steps.some((s) => s.action.kind === 'rebalance'));
    expect(withRebalancer.length).toBeGreaterThan(20);
    let moved = 0;
    for (const steps of withRebalancer.slice(0, 12)) {
      const { doc, endOfPlanMs } = planToScenario(steps, 5);
      expect((doc['rebalance'] as { until: string }).until).toBe(`${endOfPlanMs}ms`);
      const r = simulate(parseScenario({ ...doc, expect: { safe: true, converged: true } }, 'plan'), { safety: true });
      expect(r.expectations.filter((e) => !e.ok)).toEqual([]);
      const b = r.summary.rebalance!;
      expect(b.problems).toEqual([]);
      expect(b.inFlightAtEnd).toBe(0);
      moved += b.started;
    }
    // The plans do make the rebalancer move instances (else the property says nothing of moves).
    expect(moved).toBeGreaterThan(10);
  });
});
