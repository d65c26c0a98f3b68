import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const args = ['compare', 'zone-outage', '--strategies', 'diego,worst-fit,random', '--seeds', '3', '--duration', '5m'];
const tmp = () => mkdtempSync(join(tmpdir(), 'auctionlab-compare-'));

describe('auctionlab compare', () => {
  it('prints every point with mean ± CI and marks the best', () => {
    const r = runCli([...args, '--jobs', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 points x 3 seeds (1..3)');
    for (const s of ['diego', 'worst-fit', 'random']) expect(r.stdout).toMatch(new RegExp(`^${s} `, 'm'));
    expect(r.stdout).toMatch(/\*\d/);
  });

  it('--jobs 1 and --jobs 2 give byte-identical results', () => {
    const [a, b] = [tmp(), tmp()];
    expect(runCli([...args, '--jobs', '1', '--out', a]).code).toBe(0);
    expect(runCli([...args, '--jobs', '2', '--out', b]).code).toBe(0);
    for (const f of ['results.json', 'runs.csv', 'summary.csv']) expect(readFileSync(join(b, f), 'utf8')).toBe(readFileSync(join(a, f), 'utf8'));
  });

  it('shards merged equal the unsharded run', () => {
    const [whole, s1, s2, merged] = [tmp(), tmp(), tmp(), tmp()];
    runCli([...args, '--out', whole]);
    runCli([...args, '--shard', '1/2', '--out', s1]);
    runCli([...args, '--shard', '2/2', '--out', s2]);
    const m = runCli(['merge', join(s1, 'results.json'), join(s2, 'results.json'), '--out', merged]);
    expect(m.code).toBe(0);
    expect(readFileSync(join(merged, 'results.json'), 'utf8')).toBe(readFileSync(join(whole, 'results.json'), 'utf8'));
    const missing = runCli(['merge', join(s1, 'results.json')]);
    expect([missing.code, missing.stderr]).toEqual([2, 'merge: 5 of 9 runs present; a shard is missing\n']);
  });

  it('a --set grid makes one point per value, and the CSV parses back to the same numbers', () => {
    const out = tmp();
    const r = runCli(['compare', 'zone-outage', '--strategies', 'diego', '--set', 'diego.startingContainerWeight=0,0.25,1', '--seeds', '2', '--duration', '4m', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.points.map((p: { label: string }) => p.label)).toEqual(['diego startingContainerWeight=0', 'diego startingContainerWeight=0.25', 'diego startingContainerWeight=1']);
    const csv = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n');
    expect(csv.length).toBe(1 + 6);
    const header = csv[0]!.split(',');
    const row = csv[1]!.split(',');
    expect(Number(row[header.indexOf('distributionScore')])).toBe(j.runs[0].metrics.distributionScore);
  });

  it('bad grids and shards: exit 2 with the flag named', () => {
    expect(runCli(['compare', 'default', '--strategies', 'diego,nope']).stderr).toContain('--strategies: unknown strategy "nope"');
    expect(runCli(['compare', 'default', '--set', 'random.maxRounds=x']).stderr).toContain('--set: random is not among --strategies');
    const bad = runCli(['compare', 'default', '--shard', '3/2']);
    expect([bad.code, bad.stderr]).toEqual([2, '--shard: expected i/n with 1 <= i <= n, got "3/2"\n']);
  });
});

describe('auctionlab compare: strategy modules and the scenario\'s own strategy', () => {
  it("sweeps a module's own setting, named by its path or its name", () => {
    const mod = './test/cli/fixtures/spread-weight.js';
    const a = runCli(['compare', 'zone-outage', '--strategies', `${mod},diego`, '--set', `${mod}.spread=0,10`, '--seeds', '2', '--duration', '5m', '--json']);
    expect([a.code, a.stderr]).toEqual([0, '']);
    const ra = JSON.parse(a.stdout) as { points: { label: string; strategy: string; settings: Record<string, number> }[]; summary: { metrics: Record<string, { mean: number }> }[] };
    expect(ra.points.map((p) => p.label)).toEqual(['spread-weight spread=0', 'spread-weight spread=10', 'diego']);
    // The setting reaches the module: the two points place differently.
    expect(ra.summary[0]!.metrics['distributionScore']!.mean).not.toBe(ra.summary[1]!.metrics['distributionScore']!.mean);
    const b = runCli(['compare', 'zone-outage', '--strategies', `${mod},diego`, '--set', 'spread-weight.spread=0,10', '--seeds', '2', '--duration', '5m', '--json']);
    expect(JSON.parse(b.stdout).summary).toEqual(ra.summary);
    const bad = runCli(['compare', 'zone-outage', '--strategies', mod, '--set', `${mod}.sprad=1`, '--seeds', '1']);
    expect([bad.code, bad.stderr]).toEqual([2, '--set spread-weight.sprad: unknown setting (expected one of: spread)\n']);
  });

  it("without --strategies, runs the scenario's strategy with its settings; a bad one of those names the file", () => {
    const dir = tmp();
    const file = join(dir, 'own.yaml');
    writeFileSync(file, 'strategy: random\nsettings: { maxRounds: 5 }\nduration: 2m\ncells: [{ count: 4 }]\napps: [{ name: web, instances: 10 }]\n');
    const r = runCli(['compare', file, '--seeds', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^auctionlab compare own: 1 point x 2 seeds/);
    expect(r.stdout).toMatch(/\nrandom maxRounds=5 /);
    writeFileSync(file, 'strategy: random\nsettings: { maxRound: 5 }\nduration: 2m\ncells: [{ count: 4 }]\napps: [{ name: web, instances: 10 }]\n');
    const bad = runCli(['compare', file, '--seeds', '2']);
    expect([bad.code, bad.stderr]).toEqual([2, `${file}: settings.maxRound: unknown setting (expected one of: maxRounds)\n`]);
    // An unknown strategy in the file is the file's, when no --strategies was given.
    writeFileSync(file, 'strategy: nosuch\ncells: [{ count: 4 }]\n');
    const unknown = runCli(['compare', file, '--seeds', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(new RegExp(`^${file}: strategy: unknown strategy "nosuch" \\(expected one of: diego, `));
  });

  it("the file's settings go with the strategy of their name, a module's too (as the simulator gives them)", () => {
    const dir = tmp();
    const file = join(dir, 'set.yaml');
    writeFileSync(file, 'settings: { startingContainerWeight: 0.5 }\nduration: 2m\ncells: [{ count: 4 }]\napps: [{ name: web, instances: 4 }]\n');
    // A module whose strategy is named diego but has no settings: the file's settings are its problem, said as the file's (it was exit 70).
    const mod = join(dir, 'fake-diego.mjs');
    const core = pathToFileURL(join(process.cwd(), 'dist/src/index.js')).href;
    writeFileSync(mod, `import { diegoStrategy } from '${core}';\nexport default { ...diegoStrategy, settings: [], auction: (b, c) => diegoStrategy.auction(b, c, {}) };\n`);
    const r = runCli(['compare', file, '--strategies', mod, '--seeds', '1']);
    expect([r.code, r.stderr]).toEqual([2, `${file}: settings.startingContainerWeight: unknown setting (strategy diego has no settings)\n`]);
  });
});
