import { describe, expect, it } from 'vitest';
import type { Measured } from '../../bench/sim-child.js';
import { pairedGrowth } from '../../bench/sim-sweep.js';

// A run's figures as the sweep reads them for the growth: its wall time and its desired instances.
function run(wallMs: number, desired: number): Measured {
  return { wallMs, desired } as Measured;
}

describe('pairedGrowth', () => {
  it('compares each run of the larger size with the mean of the smaller size runs either side of it', () => {
    // x1 runs of 10 s and 14 s around an x10 run of 240 s: per instance 240/10 against (10 + 14)/2.
    const first = [run(10_000, 250_000), run(14_000, 250_000), run(12_000, 250_000)];
    const other = [run(240_000, 2_500_000), run(130_000, 2_500_000)];
    const g = pairedGrowth(first, other);
    expect(g[0]).toBeCloseTo(24 / 12, 10);
    expect(g[1]).toBeCloseTo(13 / 13, 10);
  });

  it('is empty unless the smaller size ran exactly once more than the larger', () => {
    const a = run(10_000, 250_000);
    const b = run(100_000, 2_500_000);
    expect(pairedGrowth([a, a], [b, b])).toEqual([]);
    expect(pairedGrowth([a], [])).toEqual([]);
    expect(pairedGrowth([a, a, a, a], [b, b])).toEqual([]);
  });

  it('does not divide by zero for a run that desired nothing', () => {
    expect(pairedGrowth([run(1_000, 0), run(1_000, 0)], [run(5_000, 0)])).toEqual([5]);
  });
});
