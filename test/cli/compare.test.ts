import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
