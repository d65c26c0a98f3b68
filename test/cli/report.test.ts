import { existsSync, readdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'auctionlab-cli-report-'));

describe('auctionlab run --report and auctionlab report', () => {
  it('run --report writes results.json and report.html side by side and says where', () => {
    const dir = tmp();
    const r = runCli(['run', 'zone-outage', '--duration', '4m', '--out', dir, '--report']);
    // Four minutes end before the heal: said once, on stderr.
    expect(r.stderr).toBe('--duration 4m: the run ends before 1 scenario event (the first, heal, at 8.0 min), which does not happen\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Report: ${join(dir, 'report.html')}`);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results).toMatchObject({ kind: 'auctionlab-run', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(results.placement.cells.length).toBeGreaterThan(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain(results.digest);
  });

  it('report remakes the report from saved results, with --csv and --png into --out', () => {
    const dir = tmp();
    expect(runCli(['run', 'default', '--duration', '3m', '--out', dir]).code).toBe(0);
    const out = join(dir, 'again');
    const r = runCli(['report', join(dir, 'results.json'), '--out', out, '--csv', '--png']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // A file per chart with something to draw (3 minutes of default: no task, nothing stranded, no
    // failure, no fault recovered: those are a line in the page), and the map.
    const n = Number(/PNG: (\d+) files in .*png/.exec(r.stdout)?.[1]);
    expect(n).toBe(readdirSync(join(out, 'png')).length);
    expect(n).toBeGreaterThanOrEqual(6);
    for (const f of ['report.html', 'cells.csv', 'apps.csv', 'series.csv', 'strategies.csv', 'png/placement.png', 'png/instances.png']) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('compare --report makes a comparison report with a map per strategy', () => {
    const dir = tmp();
    const r = runCli(['compare', 'default', '--strategies', 'diego,worst-fit', '--seeds', '2', '--duration', '2m', '--jobs', '1', '--out', dir, '--report']);
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Placement maps (first seed of each point)');
    const data = JSON.parse(/<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.maps.map((m: { title: string }) => m.title)).toEqual(['diego', 'worst-fit']);
  });

  it('bad input: one precise line and exit 2, never a stack trace', () => {
    const dir = tmp();
    const cases: [string, string, RegExp][] = [
      ['missing.json', '', /missing\.json: cannot read/],
      ['bad.json', '{"summary": 1', /bad\.json: invalid JSON at line 1/],
      ['list.json', '[1, 2]', /list\.json: \(top level\): expected an object written by `auctionlab run --out`/],
      ['old.json', JSON.stringify({ scenario: 'x', summary: {}, series: [] }), /old\.json: placement: expected the placement at the end .*run the scenario again/],
      ['cmp.json', JSON.stringify({ kind: 'auctionlab-compare', points: [], seeds: [], runs: {}, summary: [] }), /cmp\.json: runs: expected an array/],
    ];
    for (const [name, text, message] of cases) {
      if (text !== '') writeFileSync(join(dir, name), text);
      const r = runCli(['report', join(dir, name)]);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(r.stderr, name).not.toMatch(/\n\s+at /);
    }
  });
});

describe('auctionlab report on a damaged timeline or explanations', () => {
  it('one line naming the field, exit 2, for each damage (prototype names included)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'auctionlab-damaged-'));
    expect(runCli(['run', 'zone-outage', '--duration', '1m', '--out', dir]).code).toBe(0);
    const good = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Record<string, unknown>;
    const cases: [Record<string, unknown>, string][] = [
      [{ timeline: [] }, 'timeline: expected an object (or no timeline)'],
      [{ timeline: { ...(good['timeline'] as object), frames: null } }, 'timeline.frames: expected an array'],
      [{ timeline: { ...(good['timeline'] as object), apps: { __proto__: [] } } }, 'timeline.apps: expected the app table ({shared, rest, memoryRuns})'],
      [{ placementReasons: 'x' }, 'placementReasons: expected an object (or no placementReasons)'],
      [{ placementReasons: { ...(good['placementReasons'] as object), instances: [] } }, 'placementReasons.instances: expected an object by id'],
    ];
    cases.forEach(([damage, line], i) => {
      const file = join(dir, `damaged-${i}.json`);
      writeFileSync(file, JSON.stringify({ ...good, ...damage }));
      const r = runCli(['report', file, '--out', join(dir, `out-${i}`)]);
      expect([r.code, r.stderr], line).toEqual([2, `${file}: ${line}\n`]);
    });
  });
});
