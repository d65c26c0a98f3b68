import { describe, expect, it } from 'vitest';
import { diegoStrategy } from '../../src/index.js';
import { arbitraries, checkStrategy, plans, properties } from '../../src/testing/index.js';

describe('auctionlab/testing', () => {
  it('checkStrategy reports every property with its runs and seed', () => {
    const report = checkStrategy(diegoStrategy, { runs: 10, seed: 11 });
    expect(report.ok).toBe(true);
    expect(report.properties.map((p) => [p.name, p.ok, p.runs, p.seed])).toEqual(properties.map((p) => [p.name, true, 10, 11]));
  });

  it('exports the arbitraries and plan builders for properties of your own', () => {
    expect(typeof arbitraries.clusterArb).toBe('function');
    expect(typeof plans.planToScenario).toBe('function');
  });
});
