import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('auctionlab strategies', () => {
  it('lists every strategy with its settings and defaults', () => {
    const r = runCli(['strategies']);
    expect(r.code).toBe(0);
    for (const name of ['diego', 'random', 'pick_best', 'pick_among_best', 'reserve_n_best', 'all_reserve', 'all_rebid', 'compare_to_percentile', 'sparrow', 'kubernetes', 'nomad', 'first-fit', 'best-fit', 'worst-fit', 'round-robin']) expect(r.stdout).toMatch(new RegExp(`^${name}: `, 'm'));
    expect(r.stdout).toContain('  startingContainerWeight = 0.25');
    expect(r.stdout).toContain('  maxRounds = 100');
  });

  it('--json is machine-readable', () => {
    const list = JSON.parse(runCli(['strategies', '--json']).stdout) as { name: string; settings: { name: string; default: number }[] }[];
    expect(list.find((s) => s.name === 'diego')?.settings.map((x) => [x.name, x.default])).toEqual([
      ['startingContainerWeight', 0.25],
      ['binPackFirstFitWeight', 0],
      ['startingContainerCountMaximum', 0],
      ['scoreCpu', 0],
    ]);
  });
});
