import { describe, expect, it } from 'vitest';
import { buildGrid, runSpecs, shardOf } from '../../src/compare/grid.js';
import { meanCI } from '../../src/compare/stats.js';

describe('mean and 95% confidence interval', () => {
  it('uses the sample standard deviation and Student t', () => {
    // values 2, 4, 6: mean 4, s = 2, t(0.975, 2) = 4.303: half-width 4.303 * 2 / sqrt(3)
    const r = meanCI([2, 4, 6]);
    expect(r.mean).toBe(4);
    expect(r.ci).toBeCloseTo((4.303 * 2) / Math.sqrt(3), 10);
  });

  it('one value has no interval; none has a zero mean', () => {
    expect(meanCI([7])).toEqual({ mean: 7, ci: 0, n: 1 });
    // Equal values: no spread and their own value, not a rounding crumb of their sum.
    expect(meanCI([13.3, 13.3, 13.3, 13.3, 13.3])).toEqual({ mean: 13.3, ci: 0, n: 5 });
    expect(meanCI([])).toEqual({ mean: 0, ci: 0, n: 0 });
  });
});

describe('grids and shards', () => {
  it('each strategy gets the product of its settings values', () => {
    const g = buildGrid(['diego', 'random'], ['diego.startingContainerWeight=0,1', 'diego.binPackFirstFitWeight=0,0.5']);
    expect(g.map((p) => p.label)).toEqual([
      'diego startingContainerWeight=0 binPackFirstFitWeight=0',
      'diego startingContainerWeight=0 binPackFirstFitWeight=0.5',
      'diego startingContainerWeight=1 binPackFirstFitWeight=0',
      'diego startingContainerWeight=1 binPackFirstFitWeight=0.5',
      'random',
    ]);
  });

  it('shards partition the runs', () => {
    const runs = runSpecs(3, [1, 2, 3]);
    const parts = [1, 2, 3, 4].map((i) => shardOf(runs, i, 4));
    expect(parts.flat().map((r) => r.index).sort((a, b) => a - b)).toEqual(runs.map((r) => r.index));
  });
});
