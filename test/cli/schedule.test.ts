import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('auctionlab schedule', () => {
  it('schedules the sample batch and prints placements, failures and the distribution score', () => {
    const r = runCli(['schedule', 'scenarios/batches/default.json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Placements on 12 cells');
    expect(r.stdout).toContain('found no compatible cell for required rootfs (1): no-such-stack.0');
    expect(r.stdout).toContain('insufficient resources: memory (1): huge.0');
    expect(r.stdout).toMatch(/Distribution score \(CV of memory used per cell\): \d+\.\d{4} before, \d+\.\d{4} after/);
  });

  it('--json prints a machine-readable result', () => {
    const r = runCli(['schedule', 'scenarios/batches/boulders-and-pebbles.json', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.counters).toMatchObject({ placed: 51, failed: 31 });
    expect(j.strategy).toBe('diego');
    expect(j.distributionScore.before).toBe(0);
    expect(j.cells[0].memoryUsedAfterMB).toBe(100);
  });

  it("Diego's flags reach the strategy and the same seed gives the same output", () => {
    const args = ['schedule', 'scenarios/batches/default.json', '--json', '--starting-container-count-maximum', '10', '--seed', '7'];
    const a = runCli(args);
    expect(a.code).toBe(0);
    const j = JSON.parse(a.stdout);
    expect(j.settings.startingContainerCountMaximum).toBe(10);
    expect(j.failures.filter((f: { reason: string }) => f.reason === 'waiting to start instance: reached in-flight start limit').length).toBeGreaterThan(0);
    expect(runCli(args).stdout).toBe(a.stdout);
  });

  it('--strategy random runs the 2014 algorithm', () => {
    const r = runCli(['schedule', 'scenarios/batches/default.json', '--strategy', 'random', '--set', 'maxRounds=5', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).settings).toEqual({ maxRounds: 5 });
  });

  it('bad JSON: exit 2 and one line with the file, line and column', () => {
    const r = runCli(['schedule', 'test/cli/fixtures/bad-syntax.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^test\/cli\/fixtures\/bad-syntax\.json: invalid JSON at line \d+, column \d+: .+\n$/);
    noStack(r.stderr);
    // Node quotes the text around some problems, newlines and all (found by the fuzz test): still one line.
    const dir = mkdtempSync(join(tmpdir(), 'bad-json-'));
    writeFileSync(join(dir, 'b.json'), '{"cells": [\n   !!js/function x ]}');
    const quoted = runCli(['schedule', join(dir, 'b.json')]);
    expect(quoted.code).toBe(2);
    expect(quoted.stderr).toMatch(new RegExp(`^${join(dir, 'b.json')}: invalid JSON: [^\\n]+\\n$`));
  });

  it('a missing field: exit 2 naming the file and the field path', () => {
    const r = runCli(['schedule', 'test/cli/fixtures/missing-field.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('test/cli/fixtures/missing-field.json: cells[0].cell_id: missing (expected a non-empty string)\n');
  });

  it('a wrong type: exit 2 naming the file, the field path and what was expected', () => {
    const r = runCli(['schedule', 'test/cli/fixtures/wrong-type.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'test/cli/fixtures/wrong-type.json: cells[0].AvailableResources.MemoryMB: expected a whole number from 0 to 2147483647, got "lots"\n',
    );
  });

  it('a missing file: exit 2', () => {
    const r = runCli(['schedule', 'nope.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('nope.json: cannot read: no such file\n');
  });

  it('bad flags: exit 2 with the flag named', () => {
    const a = runCli(['schedule', 'scenarios/batches/default.json', '--starting-container-weight', 'heavy']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("option '--starting-container-weight <w>' argument 'heavy' is invalid");
    const b = runCli(['schedule', 'scenarios/batches/default.json', '--strategy', 'nope']);
    expect(b.code).toBe(2);
    expect(b.stderr).toBe('--strategy: unknown strategy "nope" (expected one of: diego, random, pick_best, pick_among_best, reserve_n_best, all_reserve, all_rebid, compare_to_percentile, sparrow, kubernetes, nomad, first-fit, best-fit, worst-fit, round-robin, or a path to a strategy module)\n');
    const c = runCli(['schedule', 'scenarios/batches/default.json', '--strategy', 'random', '--bin-pack-first-fit-weight', '1']);
    expect(c.code).toBe(2);
    expect(c.stderr).toBe('--bin-pack-first-fit-weight: only the diego strategy has this setting (strategy is random)\n');
    const d = runCli(['schedule', 'scenarios/batches/default.json', '--set', 'maxRounds=0', '--strategy', 'random']);
    expect(d.code).toBe(2);
    expect(d.stderr).toBe('--set maxRounds: expected a whole number from 1 to 100000, got 0\n');
    const e = runCli(['schedule', 'scenarios/batches/default.json', '--bogus']);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain("unknown option '--bogus'");
    for (const x of [a, b, c, d, e]) noStack(x.stderr);
  });

  it('--help and --version exit 0', () => {
    const h = runCli(['schedule', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage: auctionlab schedule [options] <batch.json>');
    expect(h.stdout).toContain('--starting-container-count-maximum');
    const top = runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('schedule');
    // `help <command>` is asked-for help too; no command at all is a usage error.
    const help = runCli(['help', 'run']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: auctionlab run');
    expect(runCli(['help']).code).toBe(0);
    expect(runCli([]).code).toBe(2);
    const v = runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('auctionlab schedule at volume', () => {
  it('50,000 failed indices: one line per reason, the list cut short, output built in linear time (it took seconds when each failure copied the list)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { emptyCellState } = await import('../../src/index.js');
    const file = join(mkdtempSync(join(tmpdir(), 'auctionlab-50k-')), 'batch.json');
    const lrp = { process_guid: 'big', domain: 'd', indices: Array.from({ length: 50_000 }, (_, i) => i), MemoryMB: 64, DiskMB: 1, MaxPids: 0, RootFs: 'preloaded:cflinuxfs4', PlacementTags: [], VolumeDrivers: [] };
    writeFileSync(file, JSON.stringify({ cells: [emptyCellState({ cell_id: 'c0', zone: 'z1', memoryMB: 10, diskMB: 10, containers: 10 })], lrps: [lrp], tasks: [] }));
    const r = runCli(['schedule', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Failures (50000):\n  insufficient resources: memory (50000): big.0 big.1 big.2 big.3 big.4 big.5 (+49994 more)\n');
  });
});

describe('auctionlab schedule --explain', () => {
  // Diego's most asked question: "insufficient resources" while the cells show free memory.
  const state = (id: string, free: { MemoryMB: number; DiskMB: number; Containers: number }, zone = 'z1') => ({
    cell_id: id,
    rep_url: `http://${id}:1800`,
    cell_index: 0,
    Zone: zone,
    RootFSProviders: { preloaded: { type: 'fixed_set', set: { cflinuxfs4: {} } } },
    AvailableResources: free,
    TotalResources: { MemoryMB: 32768, DiskMB: 65536, Containers: 250 },
    LRPs: [],
    Tasks: [],
    StartingContainerCount: 0,
    Evacuating: false,
    VolumeDrivers: [],
    PlacementTags: [],
    OptionalPlacementTags: [],
  });
  const lrp = { process_guid: 'web', domain: 'cf-apps', indices: [0], MemoryMB: 1024, DiskMB: 2048, MaxPids: 0, RootFs: 'preloaded:cflinuxfs4', PlacementTags: [], VolumeDrivers: [] };
  const dir = mkdtempSync(join(tmpdir(), 'explain-'));
  const file = join(dir, 'free-memory.json');
  writeFileSync(
    file,
    JSON.stringify({ cells: [state('cell-a', { MemoryMB: 20000, DiskMB: 60000, Containers: 0 }), state('cell-b', { MemoryMB: 20000, DiskMB: 1000, Containers: 100 }, 'z2')], lrps: [lrp] }),
  );

  it('answers "insufficient resources while cells show free memory" in one screen: each cell says what it lacks, with the numbers', () => {
    const r = runCli(['schedule', file, '--explain', 'web.0']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(25);
    expect(lines[0]).toBe("web.0 FAILED: insufficient resources (lrp; asks 1024 MB memory (+ the cell's proxy memory), 2048 MB disk, one container)");
    expect(r.stdout).toContain('no room (containers): 1 cell: cell-a (0 containers free)');
    expect(r.stdout).toContain('no room (disk): 1 cell: cell-b (1000 of 2048 MB disk)');
  });

  it('a placed auction: the score table, the winner and the runner-up; --json carries the explanations', () => {
    const r = runCli(['schedule', 'scenarios/batches/default.json', '--explain', 'cache.0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cache\.0 -> cell-\d+ \(lrp; asks 4096 MB memory/);
    expect(r.stdout).toContain('best cells (lower score wins; score = (memory + disk + containers) / 3 + starting + locality + binPack):');
    expect(r.stdout).toMatch(/turned away by the rootfs filter: 1 cell: cell-10 \(found no compatible cell for required rootfs\)/);
    const j = runCli(['schedule', 'scenarios/batches/default.json', '--explain', '--json']);
    const report = JSON.parse(j.stdout) as { explanations: { id: string; placedOn: string | null }[]; cells: { cell_id: string; lrps: { process_guid: string; index: number }[] }[] };
    // Every auction explained, and each explanation's cell is where the report placed it.
    const placed = new Map<string, string>(report.cells.flatMap((c) => c.lrps.map((l) => [`${l.process_guid}.${l.index}`, c.cell_id] as [string, string])));
    for (const e of report.explanations) if (e.placedOn !== null && placed.has(e.id)) expect(e.placedOn).toBe(placed.get(e.id));
    expect(report.explanations.length).toBeGreaterThan(10);
  });

  it('a decision the cell turned down when the work was sent says so: it failed after all', () => {
    const busy = { ...state('cell-a', { MemoryMB: 1000, DiskMB: 1000, Containers: 10 }), LRPs: [{ process_guid: 'web', index: 0, instance_guid: 'x', MemoryMB: 24, DiskMB: 24, state: 'RUNNING' }] };
    const f = join(dir, 'rejected.json');
    writeFileSync(f, JSON.stringify({ cells: [busy], lrps: [{ ...lrp, MemoryMB: 10, DiskMB: 10 }] }));
    const r = runCli(['schedule', f, '--explain']);
    expect(r.stdout).toMatch(/^web\.0 -> cell-a, then REJECTED/);
    expect(r.stdout).toContain('but cell-a turned the work down when it was sent, so it failed after all: rejected by cell cell-a at commit');
    const j = JSON.parse(runCli(['schedule', f, '--explain', '--json']).stdout) as { explanations: { rejected?: string }[] };
    expect(j.explanations[0]!.rejected).toBe('rejected by cell cell-a at commit');
  });

  it('an unknown auction: one line, exit 2; the filtered strategies explain with their own terms, the others by their messages', () => {
    const a = runCli(['schedule', file, '--explain', 'nope']);
    expect([a.code, a.stderr]).toEqual([2, '--explain: no auction "nope" in the batch (auctions are process_guid.index or task guids: web.0)\n']);
    // A strategy without an explanation of its own is explained by its messages: bids, refusals, rounds.
    const b = runCli(['schedule', 'scenarios/batches/default.json', '--strategy', 'pick_best', '--explain', 'huge.0']);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/^huge\.0 FAILED: insufficient resources: memory/);
    expect(b.stdout).toMatch(/refused \(insufficient resources: memory\): \d+ cells: cell-\d+ \(round 1\)/);
    // A filtered strategy explains with its own rule and terms.
    const k = runCli(['schedule', 'scenarios/batches/default.json', '--strategy', 'kubernetes', '--explain', 'cache.0']);
    expect(k.code).toBe(0);
    expect(k.stdout).toContain('best cells (highest score wins; score = leastAllocated + mostAllocated + balancedAllocation + topologySpread');
    expect(k.stdout).toMatch(/cell +zone +score +least-allocated +most-allocated +balanced-allocation +topology-spread/);
  });
});
