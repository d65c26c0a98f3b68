// docs/writing-a-strategy.md: its complete example is examples/guide-strategy.js, character for
// character, and that example places work, keeps Diego's filters, reads its setting, breaks ties
// with ctx.rng and passes `auctionlab check`. Its skeleton runs too. Needs the built dist/ (the
// example imports 'auctionlab', and the CLI runs from dist/): `npm test` builds it first.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilterStage, filterStage, parseScheduleInput, schedule, type ScheduleInput, type Strategy } from '../../src/index.js';
import { loadStrategy } from '../../src/io/load-strategy.js';
import { loadScenarioFile, parseScenarioText, resolveScenarioPath, simulate, type RunResult } from '../../src/sim.js';
import { checkStrategy } from '../../src/testing/index.js';
import { runCli } from '../cli/run-cli.js';
import { cell, lrps } from '../support/fixtures.js';

const GUIDE = 'docs/writing-a-strategy.md';
const EXAMPLE = './examples/guide-strategy.js';

/** The fenced code block that follows the one line of `markdown` starting with `marker`. */
function blockAfter(markdown: string, marker: string): string {
  const lines = markdown.split('\n');
  const at = lines.flatMap((l, i) => (l.startsWith(marker) ? [i] : []));
  expect(at, `exactly one line starting ${marker} in ${GUIDE}`).toHaveLength(1);
  const open = (at[0] as number) + 1;
  expect(lines[open], `a fenced block right after ${marker}`).toMatch(/^```js$/);
  const close = lines.findIndex((l, i) => i > open && l === '```');
  expect(close, `the block after ${marker} is closed`).toBeGreaterThan(open);
  return `${lines.slice(open + 1, close).join('\n')}\n`;
}

/** Where each LRP (`process_guid.index`) ended up in a run: the id of its cell. */
function cellsOfApps(run: RunResult): Map<string, string[]> {
  const where = new Map<string, string[]>();
  for (const c of run.placement.cells) {
    for (const a of c.lrps) {
      const guid = run.placement.apps[a]?.guid as string;
      where.set(guid, [...(where.get(guid) ?? []), c.id]);
    }
  }
  return where;
}

describe('docs/writing-a-strategy.md', () => {
  const guide = readFileSync(GUIDE, 'utf8');
  const batch = (): ScheduleInput => parseScheduleInput(JSON.parse(readFileSync('scenarios/batches/default.json', 'utf8')));
  let snug: Strategy;
  let tmp: string;

  beforeAll(async () => {
    snug = await loadStrategy(EXAMPLE);
    tmp = mkdtempSync(join(tmpdir(), 'auctionlab-guide-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('shows the whole of examples/guide-strategy.js, unchanged', () => {
    expect(blockAfter(guide, '<!-- example:')).toBe(readFileSync(EXAMPLE, 'utf8'));
    expect(guide).toContain('](../examples/guide-strategy.js)'); // and links it
  });

  it('has a skeleton that loads and accounts for every auction', async () => {
    const file = join(tmp, 'skeleton.mjs');
    writeFileSync(file, blockAfter(guide, '<!-- skeleton:'));
    const skeleton = await loadStrategy(file);
    const r = schedule(batch(), { strategy: skeleton });
    expect(r.counters.placed).toBe(0);
    expect(r.counters.failed).toBe(r.counters.auctions);
    expect(new Set(r.failures.map((f) => f.reason))).toEqual(new Set(['not written yet']));
  });

  it('places the bundled batch in memory, within Diego\'s filters and the cells\' resources', () => {
    const input = batch();
    const r = schedule(input, { strategy: snug, seed: 1 });
    expect(r.strategy).toBe('snug');
    expect(r.settings).toEqual({ appSpread: 1 });
    expect(r.counters.placed).toBe(53);
    expect(r.failures.map((f) => [f.kind === 'lrp' ? f.process_guid : f.TaskGuid, f.reason]).sort()).toEqual([
      ['huge', 'insufficient resources: memory'],
      ['no-such-stack', 'found no compatible cell for required rootfs'],
    ]);
    for (const s of r.statesAfter) {
      expect(s.AvailableResources.MemoryMB, s.cell_id).toBeGreaterThanOrEqual(0);
      expect(s.AvailableResources.DiskMB, s.cell_id).toBeGreaterThanOrEqual(0);
      expect(s.AvailableResources.Containers, s.cell_id).toBeGreaterThanOrEqual(0);
    }
    // Every placement passes rootfs, volume drivers and placement tags on its cell.
    const states = new Map(input.cells.map((c) => [c.cell_id, c]));
    const requests = new Map((input.lrps ?? []).map((l) => [l.process_guid, l]));
    const tasks = new Map((input.tasks ?? []).map((t) => [t.TaskGuid, t]));
    let checked = 0;
    for (const c of r.cells) {
      const state = states.get(c.cell_id);
      if (!state) throw new Error(`no input cell ${c.cell_id}`);
      for (const l of c.lrps) {
        expect(filterStage(state, requests.get(l.process_guid) as NonNullable<ReturnType<typeof requests.get>>), `${l.process_guid}.${l.index} on ${c.cell_id}`).toBe(FilterStage.Passed);
        checked++;
      }
      for (const t of c.tasks) {
        expect(filterStage(state, tasks.get(t.TaskGuid) as NonNullable<ReturnType<typeof tasks.get>>), `task ${t.TaskGuid} on ${c.cell_id}`).toBe(FilterStage.Passed);
        checked++;
      }
      if (c.cell_id === 'cell-9') expect(c.lrps.map((l) => l.process_guid)).toEqual(['isolated-app', 'isolated-app']); // the one tagged cell
      if (c.cell_id === 'cell-10') expect(c.lrps.map((l) => l.process_guid)).toEqual(['windows-app', 'windows-app']); // the one windows cell
    }
    expect(checked).toBe(53);
    expect(r.cells.find((c) => c.lrps.some((l) => l.process_guid === 'nfs-app'))?.cell_id).toBe('cell-11'); // the one with nfsv3driver
  });

  it('reads its setting and breaks ties with ctx.rng', () => {
    const two = { cells: [cell('a'), cell('b')], lrps: [lrps('app', 2, 100)] };
    const perCell = (settings: Record<string, number>) => schedule(two, { strategy: snug, settings, seed: 3 }).cells.map((c) => c.lrps.length).sort();
    expect(perCell({ appSpread: 0 })).toEqual([0, 2]); // plain best fit stacks the app
    expect(perCell({ appSpread: 1 })).toEqual([1, 1]); // the default spreads it
    // One instance, two equal cells: the seed decides, the same way every time.
    const winner = (seed: number) => schedule({ cells: [cell('a'), cell('b')], lrps: [lrps('one', 1)] }, { strategy: snug, seed }).cells.find((c) => c.lrps.length === 1)?.cell_id;
    const seeds = Array.from({ length: 20 }, (_, i) => i);
    expect(new Set(seeds.map(winner))).toEqual(new Set(['a', 'b']));
    expect(seeds.map(winner)).toEqual(seeds.map(winner));
  });

  it('runs in the simulator: isolation segments and stacks are kept, safety holds throughout', () => {
    const run = simulate(loadScenarioFile(resolveScenarioPath('isolation-segments')), { strategy: snug, seed: 1, safety: true });
    expect(run.safety).toEqual({ checks: run.safety?.checks, brokenAtMs: null, violations: [] });
    expect(run.summary.placed).toBeGreaterThan(100);
    // The only failures are the gold apps' after both gold cells die, as the scenario intends.
    expect(Object.keys(run.summary.failuresByReason)).toEqual(['found no compatible cell with placement tag "gold"']);
    const where = cellsOfApps(run);
    for (const [app, cells] of where) {
      const segment = app.startsWith('win-app') ? 'win-' : app.startsWith('silver-app') ? 'silver-' : app.startsWith('gold-app') ? 'gold-' : 'cell-';
      for (const c of cells) expect(c.startsWith(segment), `${app} on ${c}`).toBe(true);
    }
    expect([...where.keys()].some((a) => a.startsWith('win-app'))).toBe(true);
    expect(run.expectations.every((e) => e.ok)).toBe(true);
  });

  it('runs in the simulator: work that needs a volume driver goes where the driver is', () => {
    const scenario = parseScenarioText(
      [
        'duration: 2m',
        'seed: 1',
        'cells:',
        '  - { count: 4, zones: [z1, z2], memoryMB: 8192, diskMB: 16384, containers: 50 }',
        '  - { count: 1, zones: [z1], memoryMB: 8192, diskMB: 16384, containers: 50, volumeDrivers: [nfsv3driver], prefix: nfs }',
        'apps:',
        '  - { name: plain, instances: 6, memoryMB: 256, diskMB: 256 }',
        '  - { name: shared-files, instances: 3, memoryMB: 256, diskMB: 256, volumeDrivers: [nfsv3driver] }',
        'expect: { safe: true, converged: true }',
      ].join('\n'),
      'volume-drivers.yaml',
    );
    const run = simulate(scenario, { strategy: snug });
    expect(run.expectations.map((e) => [e.name, e.ok])).toEqual([
      ['safe', true],
      ['converged', true],
    ]);
    expect(cellsOfApps(run).get('shared-files')).toEqual(['nfs-00', 'nfs-00', 'nfs-00']);
  });

  it('passes `auctionlab check --runs 20 --seed 1`, as the CLI and as checkStrategy', () => {
    const cli = runCli(['check', EXAMPLE, '--runs', '20', '--seed', '1', '--out', join(tmp, 'counterexamples')]);
    expect(cli.stderr).toBe('');
    expect(cli.stdout.match(/^ok {5}/gm)).toHaveLength(3);
    expect(cli.code).toBe(0);
    const report = checkStrategy(snug, { runs: 20, seed: 1 });
    expect(report.properties.filter((p) => !p.ok)).toEqual([]);
  });

  it('quotes the bad-setting message the CLI gives', () => {
    const r = runCli(['schedule', 'scenarios/batches/default.json', '--strategy', EXAMPLE, '--set', 'appSpread=-1']);
    expect(r.code).toBe(2);
    expect(guide).toContain(r.stderr.trim());
  });
});
