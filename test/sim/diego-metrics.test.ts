import { describe, expect, it } from 'vitest';
import { loadScenarioFile, simulate } from '../../src/sim.js';
import { DIEGO_METRICS } from '../../src/sim/simulate.js';

describe("Diego's metric names in the time series", () => {
  const r = simulate(loadScenarioFile('scenarios/default.yaml'));
  const last = r.series[r.series.length - 1]!.diego;

  it('every sample carries every metric', () => {
    for (const s of r.series) expect(Object.keys(s.diego)).toEqual([...DIEGO_METRICS]);
  });

  it('auction counters add up to the run summary, split by LRP and task', () => {
    expect(last.AuctioneerLRPAuctionsStarted + last.AuctioneerTaskAuctionsStarted).toBe(r.summary.placed);
    expect(last.AuctioneerLRPAuctionsFailed + last.AuctioneerTaskAuctionsFailed).toBe(r.summary.failed);
    expect(last.AuctioneerLRPAuctionsStarted).toBeGreaterThanOrEqual(190);
    expect(last.AuctioneerTaskAuctionsStarted).toBeGreaterThan(0);
  });

  it('gauges match the sampled series; counters never go down', () => {
    for (const s of r.series) {
      expect([s.diego.LRPsRunning, s.diego.LRPsMissing, s.diego.LRPsExtra, s.diego.CrashedActualLRPs, s.diego.TasksPending, s.diego.TasksRunning]).toEqual([s.running, s.missing, s.extra, s.crashed, s.pendingTasks, s.runningTasks]);
    }
    for (let i = 1; i < r.series.length; i++) {
      for (const m of ['AuctioneerLRPAuctionsStarted', 'AuctioneerTaskAuctionsStarted', 'ConvergenceLRPRuns'] as const) {
        expect(r.series[i]!.diego[m]).toBeGreaterThanOrEqual(r.series[i - 1]!.diego[m]);
      }
    }
  });

  it('a convergence pass every 30 s (the one due at the very end may fall after the last sample; scales add passes); state fetches take a network round trip', () => {
    expect(last.ConvergenceLRPRuns).toBeGreaterThanOrEqual(Math.floor(r.durationMs / 30_000) - 1);
    expect(last.ConvergenceLRPRuns).toBeLessThanOrEqual(Math.floor(r.durationMs / 30_000) + 3);
    expect(last.AuctioneerFetchStatesDuration).toBeGreaterThan(0);
    expect(last.AuctioneerFetchStatesDuration).toBeLessThanOrEqual(10_000);
    expect(last.TasksCompleted).toBeGreaterThan(0);
  });
});
