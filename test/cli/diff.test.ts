import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('auctionlab diff', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auctionlab-diff-'));
  const out = (name: string) => join(dir, name, 'results.json');

  it('pairs two comparisons by point and seed: identical runs differ by nothing, a different strategy by its figures with verdicts', () => {
    expect(runCli(['compare', 'default', '--strategies', 'diego,first-fit', '--seeds', '3', '--duration', '2m', '--out', join(dir, 'a')]).code).toBe(0);
    expect(runCli(['compare', 'default', '--strategies', 'diego,first-fit', '--seeds', '3', '--duration', '2m', '--out', join(dir, 'b')]).code).toBe(0);
    const same = runCli(['diff', out('a'), out('b'), '--json']);
    expect(same.code).toBe(0);
    const d = JSON.parse(same.stdout);
    expect(d.pairs.map((p: { a: string; b: string }) => [p.a, p.b])).toEqual([['diego', 'diego'], ['first-fit', 'first-fit']]);
    // In two minutes no fault has happened: the recovery time has no run (n/a); the rest differ by nothing.
    for (const p of d.pairs) for (const f of p.figures) expect([f.diff.mean, f.verdict]).toEqual(f.diff.n === 0 ? [null, 'undecided'] : [0, 'same']);
    // One point on each side, with different labels: those two are paired.
    expect(runCli(['compare', 'default', '--strategies', 'worst-fit', '--seeds', '3', '--duration', '2m', '--out', join(dir, 'c')]).code).toBe(0);
    expect(runCli(['compare', 'default', '--strategies', 'diego', '--seeds', '3', '--duration', '2m', '--out', join(dir, 'd')]).code).toBe(0);
    const text = runCli(['diff', out('d'), out('c')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('worst-fit (b) against diego (a):');
    expect(text.stdout).toMatch(/Distribution score +\S+ \[.*\] +\S+ \[.*\] +-\S+ \[-\S+, -\S+\] +better \(3 seeds\)/);
  });

  it('two runs on one seed give differences but no verdict', () => {
    expect(runCli(['run', 'default', '--duration', '2m', '--out', join(dir, 'r1')]).code).toBe(0);
    expect(runCli(['run', 'default', '--duration', '2m', '--strategy', 'first-fit', '--out', join(dir, 'r2')]).code).toBe(0);
    const r = runCli(['diff', out('r1'), out('r2')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('first-fit (b) against diego (a):');
    expect(r.stdout).toContain('undecided (1 seed)');
  });

  it('refuses, in one line and exit 2, what cannot be compared or read', () => {
    expect(runCli(['run', 'zone-outage', '--duration', '2m', '--out', join(dir, 'z')]).code).toBe(0);
    const other = runCli(['diff', out('r1'), out('z')]);
    expect([other.code, other.stderr]).toEqual([2, `diff ${out('r1')} ${out('z')}: cannot compare: different scenarios ("default" and "zone-outage")\n`]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'something' }));
    const k = runCli(['diff', out('r1'), bad]);
    expect([k.code, k.stderr]).toEqual([2, `${bad}: kind: expected "auctionlab-run" or "auctionlab-compare", got "something"\n`]);
    const proto = join(dir, 'proto.json');
    writeFileSync(proto, '{"kind":"auctionlab-compare","scenario":"default","durationMs":120000,"points":[{"label":"__proto__"}],"runs":[{"point":3,"seed":1,"metrics":{}}]}');
    const p = runCli(['diff', out('r1'), proto]);
    expect([p.code, p.stderr]).toEqual([2, `${proto}: runs[0].point: expected a point of points[] (0 to 0)\n`]);
    // A results.json from before recovery per fault (no summary.faults): one line, not a crash.
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ kind: 'auctionlab-run', scenario: 'default', strategy: 'diego', seed: 1, durationMs: 120000, metrics: {}, summary: { waitMs: {} } }));
    const o = runCli(['diff', out('r1'), old]);
    expect([o.code, o.stderr]).toEqual([2, `${old}: summary.faults: expected the recovery of each fault (a results.json of this auctionlab version; re-run to make one)\n`]);
    const longer = runCli(['diff', out('r1'), out('a')]);
    expect(longer.code).toBe(0);
  });
});

describe('auctionlab diff --report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auctionlab-diff-report-'));

  it('two runs: the figures and both maps with their timelines; a comparison: the figures only', () => {
    expect(runCli(['run', 'zone-outage', '--out', join(dir, 'a')]).code).toBe(0);
    expect(runCli(['run', 'zone-outage', '--strategy', 'first-fit', '--out', join(dir, 'b')]).code).toBe(0);
    const r = runCli(['diff', join(dir, 'a', 'results.json'), join(dir, 'b', 'results.json'), '--report', '--out', join(dir, 'd')]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`Report: ${join(dir, 'd', 'report.html')}`);
    const html = readFileSync(join(dir, 'd', 'report.html'), 'utf8');
    expect(html).toContain('Figures, b against a');
    expect(html).toContain('id="maps-timeline"');
    expect(html).toContain('id="placement-a"');
    expect(html).toContain('id="placement-b"');
    expect(runCli(['compare', 'zone-outage', '--strategies', 'diego', '--seeds', '1', '--out', join(dir, 'c')]).code).toBe(0);
    const c = runCli(['diff', join(dir, 'c', 'results.json'), join(dir, 'a', 'results.json'), '--report', '--out', join(dir, 'e')]);
    expect(c.code).toBe(0);
    const page = readFileSync(join(dir, 'e', 'report.html'), 'utf8');
    expect(page).toContain('Figures, b against a');
    expect(page).not.toContain('id="placement-a"');
  });

  it('an --out that cannot be written: one line, exit 2', () => {
    writeFileSync(join(dir, 'file'), 'x');
    const r = runCli(['diff', join(dir, 'a', 'results.json'), join(dir, 'b', 'results.json'), '--out', join(dir, 'file', 'sub')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--out: cannot write .*report\.html: .*\n$/);
  });
});

describe('auctionlab diff --report, hostile inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auctionlab-diff-hostile-'));
  it('results without settings: one line naming the field, exit 2; a file name with a space is quoted in the reproduce line', () => {
    expect(runCli(['run', 'zone-outage', '--duration', '1m', '--no-timeline', '--out', join(dir, 'my run')]).code).toBe(0);
    const file = join(dir, 'my run', 'results.json');
    const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete r['settings'];
    writeFileSync(join(dir, 'nosettings.json'), JSON.stringify(r));
    const bad = runCli(['diff', file, join(dir, 'nosettings.json'), '--report', '--out', join(dir, 'x')]);
    expect([bad.code, bad.stderr]).toEqual([2, `${join(dir, 'nosettings.json')}: settings: expected the strategy's settings by name (an object)\n`]);
    const ok = runCli(['diff', file, file, '--report', '--out', join(dir, 'y')]);
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, 'y', 'report.html'), 'utf8')).toContain(`auctionlab diff &#39;${file}&#39;`);
  });
});
