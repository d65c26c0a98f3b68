import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schedule } from '../../src/index.js';
import { loadStrategy } from '../../src/io/load-strategy.js';
import { runCli } from '../cli/run-cli.js';
import { clusterArb, lrpRequestsArb, taskRequestsArb } from '../../src/testing/arbitraries.js';
import { cell, lrps } from '../support/fixtures.js';

describe('a user strategy loaded from a module', () => {
  it('examples/my-strategy.js prefers the cell with the most free containers', async () => {
    const s = await loadStrategy('./examples/my-strategy.js');
    expect(s.name).toBe('least-containers');
    const r = schedule({ cells: [cell('few', { containers: 3 }), cell('many', { containers: 30 })], lrps: [lrps('app', 2)] }, { strategy: s });
    expect(r.cells.find((c) => c.cell_id === 'many')?.lrps).toHaveLength(2);
  });

  it('never over-commits and resolves every auction (the same properties as the built-ins)', async () => {
    const s = await loadStrategy('./examples/my-strategy.js');
    fc.assert(
      fc.property(clusterArb(), lrpRequestsArb, taskRequestsArb, (cells, l, t) => {
        const r = schedule({ cells, lrps: l, tasks: t }, { strategy: s });
        for (const st of r.statesAfter) expect(st.AvailableResources.Containers).toBeGreaterThanOrEqual(0);
        expect(r.counters.placed + r.counters.failed).toBe(r.counters.auctions);
      }),
      { numRuns: 100 },
    );
  });

  it('runs from the command line in schedule, run and compare (worker threads load it too)', () => {
    expect(runCli(['schedule', 'scenarios/batches/default.json', '--strategy', './examples/my-strategy.js']).code).toBe(0);
    const run = runCli(['run', 'zone-outage', '--strategy', './examples/my-strategy.js', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).strategy).toBe('least-containers');
    const cmp = runCli(['compare', 'zone-outage', '--strategies', 'diego,./examples/my-strategy.js', '--seeds', '2', '--duration', '4m', '--jobs', '2']);
    expect(cmp.code).toBe(0);
    // Labelled by the module's strategy name.
    expect(cmp.stdout).toMatch(/\nleast-containers +[0-9]/);
  });

  it('a bad module path is one clear line', () => {
    const r = runCli(['schedule', 'scenarios/batches/default.json', '--strategy', './nope.js']);
    expect([r.code, r.stderr]).toEqual([2, '--strategy: cannot load ./nope.js: no such module\n']);
    const notStrategy = runCli(['schedule', 'scenarios/batches/default.json', '--strategy', './eslint.config.js']);
    expect(notStrategy.stderr).toContain('--strategy: ./eslint.config.js exports no strategy');
  });
});
