import { describe, expect, it } from 'vitest';
import { buildGrid, runSpecs, shardOf } from '../../src/compare/grid.js';
import { summarisePoints, type CompareRun } from '../../src/compare/run-compare.js';
import { bootstrapMean, pairedDifference, sideOfZero } from '../../src/compare/stats.js';
import { RUN_METRICS } from '../../src/results/run-metrics.js';

describe('bootstrap intervals', () => {
  it('of two values: resample means are 0, 0.5 or 1 (a quarter each at the ends), so the 95% interval is [0, 1]', () => {
    expect(bootstrapMean([0, 1], 't')).toEqual({ mean: 0.5, lo: 0, hi: 1, n: 2 });
  });

  it('of 2, 4, 6: each end comes up once in 27 resamples (3.7% > 2.5%), so the interval is [2, 6]', () => {
    expect(bootstrapMean([2, 4, 6], 't')).toEqual({ mean: 4, lo: 2, hi: 6, n: 3 });
  });

  it('never leaves the range of the values: counts never go below zero', () => {
    const r = bootstrapMean([0, 0, 0, 1, 0], 'counts');
    expect(r.mean).toBeCloseTo(0.2, 12);
    expect(r.lo).toBe(0);
    expect(r.hi).toBeGreaterThanOrEqual(0.2);
    expect(r.hi).toBeLessThanOrEqual(1);
    for (const label of ['a', 'b', 'c']) {
      const x = bootstrapMean([3, 9, 4, 1, 7, 8], label);
      expect(x.lo).toBeGreaterThanOrEqual(1);
      expect(x.hi).toBeLessThanOrEqual(9);
      expect(x.lo).toBeLessThan(x.mean);
      expect(x.hi).toBeGreaterThan(x.mean);
    }
  });

  it('is the same for the same values and label, one value or equal values have no spread, none is NaN', () => {
    expect(bootstrapMean([3, 9, 4], 'x')).toEqual(bootstrapMean([3, 9, 4], 'x'));
    expect(bootstrapMean([7], 'x')).toEqual({ mean: 7, lo: 7, hi: 7, n: 1 });
    expect(bootstrapMean([13.3, 13.3, 13.3, 13.3, 13.3], 'x')).toEqual({ mean: 13.3, lo: 13.3, hi: 13.3, n: 5 });
    expect(bootstrapMean([], 'x').n).toBe(0);
    expect(Number.isNaN(bootstrapMean([], 'x').mean)).toBe(true);
  });

  it('pairs by seed: a constant difference is clear on three seeds, not on two', () => {
    const a = new Map([[1, 10], [2, 20], [3, 30]]);
    const b = new Map([[1, 9], [2, 19], [3, 29], [4, 100]]);
    const d = pairedDifference(a, b, 'p');
    expect(d).toEqual({ mean: 1, lo: 1, hi: 1, n: 3 });
    expect(sideOfZero(d)).toBe(1);
    expect(sideOfZero(pairedDifference(new Map([[1, 10], [2, 20]]), b, 'p'))).toBe(0);
  });
});

describe('the summary of a comparison', () => {
  const runs = (point: number, failed: number[]): CompareRun[] =>
    failed.map((f, k) => ({ index: point * 10 + k, point, seed: k + 1, digest: '', metrics: Object.fromEntries(RUN_METRICS.map((m) => [m.key, m.key === 'failed' ? f : 1])), samples: { waitP99Ms: 500, recoveryMs: 1 } }));
  const points = [{ label: 'a', strategy: 'a', settings: {} }, { label: 'b', strategy: 'b', settings: {} }];

  it('marks a best only when it beats every other point by a paired difference clear of zero', () => {
    const clear = summarisePoints(points, [...runs(0, [0, 0, 0]), ...runs(1, [1, 2, 3])]);
    expect([clear[0]!.metrics['failed']!.best, clear[1]!.metrics['failed']!.best]).toEqual([true, false]);
    expect(clear[1]!.metrics['failed']!.diff).toEqual({ mean: 2, lo: 1, hi: 3, n: 3 });
    expect(clear[1]!.metrics['failed']!.verdict).toBe('worse');
    // b is better on average, but on one seed much worse: no verdict, no best.
    const mixed = summarisePoints(points, [...runs(0, [1, 1, 1]), ...runs(1, [0, 0, 2])]);
    expect(mixed.map((p) => p.metrics['failed']!.best)).toEqual([false, false]);
    expect(mixed[1]!.metrics['failed']!.verdict).toBe('same');
    // Equal figures: nobody is best.
    expect(clear.map((p) => p.metrics['jainIndex']!.best)).toEqual([false, false]);
  });

  it('leaves out of a figure the runs that have none (no fault displaced anything), and flags percentiles over few placements', () => {
    const r = [...runs(0, [0, 0, 0]), ...runs(1, [0, 0, 0])];
    r[3]!.samples = { waitP99Ms: 40, recoveryMs: 0 };
    const s = summarisePoints(points, r);
    expect(s[1]!.metrics['recoveryMs']!.n).toBe(2);
    expect(s[1]!.metrics['waitP99Ms']!).toMatchObject({ fewestSamples: 40, few: true });
    expect(s[0]!.metrics['waitP99Ms']!).toMatchObject({ fewestSamples: 500, few: false });
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

  it("a module's settings are swept by its path (which has dots of its own) or its strategy's name, and its points carry that name", () => {
    const names = new Map([['./lib/two-choices.js', 'two-choices']]);
    const byPath = buildGrid(['./lib/two-choices.js', 'diego'], ['./lib/two-choices.js.choices=1,2'], { names });
    const byName = buildGrid(['./lib/two-choices.js', 'diego'], ['two-choices.choices=1,2'], { names });
    expect(byPath.map((p) => [p.label, p.strategy, p.settings])).toEqual([
      ['two-choices choices=1', './lib/two-choices.js', { choices: 1 }],
      ['two-choices choices=2', './lib/two-choices.js', { choices: 2 }],
      ['diego', 'diego', {}],
    ]);
    expect(byName).toEqual(byPath);
    // Two modules of one name are labelled by their paths.
    const twins = buildGrid(['./a.js', './b.js'], [], { names: new Map([['./a.js', 'x'], ['./b.js', 'x']]) });
    expect(twins.map((p) => p.label)).toEqual(['./a.js', './b.js']);
    expect(() => buildGrid(['diego'], ['two-choices.choices=1'], { names })).toThrow('two-choices is not among --strategies (diego)');
    expect(() => buildGrid(['diego'], ['diego.startingContainerWeight=1,'])).toThrow('expected numbers after diego.startingContainerWeight=, got "1,"');
  });

  it("points start from the base settings (the scenario's own), and the grid overrides them", () => {
    const g = buildGrid(['random'], ['random.maxRounds=1,5'], { base: new Map([['random', { maxRounds: 20, other: 3 }]]) });
    expect(g.map((p) => p.label)).toEqual(['random maxRounds=1 other=3', 'random maxRounds=5 other=3']);
  });

  it('shards partition the runs', () => {
    const runs = runSpecs(3, [1, 2, 3]);
    const parts = [1, 2, 3, 4].map((i) => shardOf(runs, i, 4));
    expect(parts.flat().map((r) => r.index).sort((a, b) => a - b)).toEqual(runs.map((r) => r.index));
  });
});
