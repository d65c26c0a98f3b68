import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const GOLDEN = JSON.parse(readFileSync('test/sim/golden-digests.json', 'utf8')) as Record<string, { digest: string }>;

describe('auctionlab run', () => {
  it('runs a bundled scenario by name and prints the summary and the digest', () => {
    const r = runCli(['run', 'zone-outage']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Fault at 3.0 min: partition \(z1\): 32 instances displaced, noticed after 30.01 s; .*; all back after 37.88 s/);
    expect(r.stdout).toContain('Expectation converged: ok');
    expect(r.stdout).toContain(`Digest: ${GOLDEN['zone-outage']!.digest}`);
  });

  it('the same seed gives the same digest in two separate processes', () => {
    const a = JSON.parse(runCli(['run', 'scenarios/default.yaml', '--json']).stdout);
    const b = JSON.parse(runCli(['run', 'scenarios/default.yaml', '--json']).stdout);
    expect(a.digest).toBe(b.digest);
    expect(a.digest).toBe(GOLDEN['default']!.digest);
    const other = JSON.parse(runCli(['run', 'scenarios/default.yaml', '--json', '--seed', '2']).stdout);
    expect(other.digest).not.toBe(a.digest);
  });

  it('--out writes results.json with the time series; --log writes the event log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'auctionlab-'));
    const r = runCli(['run', 'zone-outage', '--out', dir, '--log', join(dir, 'events.jsonl'), '--duration', '4m']);
    expect(r.code).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.durationMs).toBe(240_000);
    expect(results.series.length).toBeGreaterThan(10);
    expect(results.series[0]).toHaveProperty('missing');
    const log = readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // One line per event, per fact the digest records (note), and per line of the story (log only).
    expect(log.length).toBe(results.summary.events + log.filter((e: { note?: string; story?: string }) => e.note || e.story).length);
    expect(log.filter((e: { story?: string }) => e.story === 'placed').length).toBe(results.summary.placed);
  });

  it('a broken expectation exits 1 and says which', () => {
    const r = runCli(['run', 'test/cli/fixtures/broken-expectation.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Expectation maxFailedAuctions: BROKEN \(\d+ failed auctions \(at most 0\)\)/);
  });

  it('a bad scenario file: exit 2, one line per problem with the file and the field path', () => {
    const r = runCli(['run', 'test/cli/fixtures/bad-scenario.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'test/cli/fixtures/bad-scenario.yaml: duration: expected a duration such as 500ms, 30s, 10m, 1h30m (or milliseconds), got "10 minutes"',
      'test/cli/fixtures/bad-scenario.yaml: cells[0].memory: unknown field (expected one of: count, zones, memoryMB, diskMB, containers, stacks, docker, placementTags, optionalPlacementTags, volumeDrivers, proxyMemoryMB, prefix, ids, cpuMilli, gpus, gpuModel)',
      'test/cli/fixtures/bad-scenario.yaml: apps[0].instances: expected a whole number from 0 to 100000, got -1',
    ]);
  });

  it('bad flags and missing files: exit 2, no stack trace', () => {
    const a = runCli(['run', 'default', '--duration', 'forever']);
    expect([a.code, a.stderr]).toEqual([2, '--duration: expected a duration such as 90s, 10m or 1h30m, got "forever"\n']);
    const b = runCli(['run', 'no-such-scenario']);
    expect([b.code, b.stderr]).toEqual([2, 'no-such-scenario: cannot read: no such file\n']);
    const c = runCli(['run', 'default', '--strategy', 'nope']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--strategy: unknown strategy "nope"');
    const d = runCli(['run', 'default', '--set', 'typo=1', '--duration', '1s']);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('--set typo: unknown setting');
    for (const x of [a, b, c, d]) expect(x.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(existsSync('no-such-scenario')).toBe(false);
  });
});

describe('auctionlab run --status', () => {
  it('prints each asked app as cf app would, and keeps it in results.json', () => {
    const r = runCli(['run', 'zone-outage', '--duration', '4m', '--status', 'web@2m', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { status: { app: string; atMs: number; instances: unknown[] }[] };
    expect(out.status.map((s) => [s.app, s.atMs, s.instances.length])).toEqual([['web', 120_000, 60]]);
    const text = runCli(['run', 'zone-outage', '--duration', '4m', '--status', 'single@3m30s']).stdout;
    expect(text).toMatch(/Status of single at 3\.5 min: \d+\/30 instances running/);
    expect(text).toMatch(/process guid +index +state +cell +since +crashes +placement error/);
  });

  it('a bad --status: one line, exit 2', () => {
    for (const [arg, message] of [
      ['web', /--status: expected app@time such as web@5m, got "web"/],
      ['web@soon', /--status: expected app@time/],
      ['nope@1m', /--status nope@1m: the scenario has no app "nope" \(apps: web, single\)/],
    ] as const) {
      const r = runCli(['run', 'zone-outage', '--status', arg]);
      expect(r.code, arg).toBe(2);
      expect(r.stderr, arg).toMatch(message);
    }
  });
});

describe('auctionlab run: errors blame where they come from', () => {
  it('a bad --set names the flag, not the scenario file', () => {
    const a = runCli(['run', 'zone-outage', '--set', 'foo=1']);
    expect([a.code, a.stderr]).toEqual([2, '--set foo: unknown setting (expected one of: startingContainerWeight, binPackFirstFitWeight, startingContainerCountMaximum, scoreCpu)\n']);
    const b = runCli(['run', 'zone-outage', '--set', 'startingContainerWeight=-5']);
    expect([b.code, b.stderr]).toEqual([2, '--set startingContainerWeight: expected a number from 0 to 1000, got -5\n']);
  });

  it("check's strategy is its argument, not a --strategy flag", () => {
    const r = runCli(['check', 'deigo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^check <strategy>: unknown strategy "deigo" \(expected one of: diego, /);
  });
});

describe('auctionlab run: what a short run leaves out is said', () => {
  it('--status after the end is an error; --duration that cuts events says which; duration 0 is refused', () => {
    const a = runCli(['run', 'zone-outage', '--status', 'web@99m']);
    expect([a.code, a.stderr]).toEqual([2, '--status web@99m: after the end of the run (12.0 min)\n']);
    const b = runCli(['run', 'zone-outage', '--duration', '1m']);
    expect(b.code).toBe(0);
    expect(b.stderr).toBe('--duration 1m: the run ends before 2 scenario events (the first, partition, at 3.0 min), which do not happen\n');
  });
});

describe('auctionlab run --print-scenario', () => {
  it('prints the scenario as the run uses it (flags applied, defaults filled in), and the printed file runs the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'print-'));
    const flags = ['--seed', '3', '--set', 'startingContainerWeight=0.5', '--duration', '10m'];
    const printed = runCli(['run', 'zone-outage', '--print-scenario', ...flags]);
    expect([printed.code, printed.stderr]).toEqual([0, '']);
    expect(printed.stdout).toMatch(/^# zone-outage \(bundled\) as `auctionlab run` would run it/);
    // Defaults the file leaves out are written, the flags applied, the strategy's other settings filled in.
    expect(printed.stdout).toContain('seed: 3\nduration: 10m\n');
    expect(printed.stdout).toContain('settings: { startingContainerWeight: 0.5, binPackFirstFitWeight: 0, startingContainerCountMaximum: 0, scoreCpu: 0 }');
    expect(printed.stdout).toContain('lock: { ttl: 15s, retry: 1s }');
    const file = join(dir, 'printed.yaml');
    writeFileSync(file, printed.stdout);
    const digest = (out: string) => /Digest: ([0-9a-f]{64})/.exec(out)?.[1];
    const again = runCli(['run', file, '--no-safety']);
    const direct = runCli(['run', 'zone-outage', '--no-safety', ...flags]);
    expect(again.code).toBe(0);
    expect(digest(again.stdout)).toBe(digest(direct.stdout));
    // The file's own bad settings are the file's, not a --set's; a printed large scenario says it needs --allow-large.
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'settings: { bogus: 1 }\ncells: [{ count: 2 }]\n');
    const blamed = runCli(['run', bad, '--print-scenario']);
    expect([blamed.code, blamed.stderr]).toEqual([2, `${bad}: settings.bogus: unknown setting (expected one of: startingContainerWeight, binPackFirstFitWeight, startingContainerCountMaximum, scoreCpu)\n`]);
    const large = runCli(['run', 'default', '--print-scenario', '--duration', '30h', '--allow-large']);
    expect(large.stdout).toContain('# `auctionlab run <this file> --allow-large` runs the same.');
    // --json prints the same document as JSON.
    const json = runCli(['run', 'zone-outage', '--print-scenario', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'zone-outage', duration: '12m', events: [{ at: '3m', partition: 'z1' }, { at: '8m', heal: 'z1' }] });
  });
});

describe('auctionlab run: size limits', () => {
  it('a scenario past the limits is one line per total, exit 2, at once; --allow-large lifts them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'large-'));
    const file = join(dir, 'big.yaml');
    writeFileSync(
      file,
      'duration: 10m\ncells: [{ count: 100000 }, { count: 100000 }]\napps: [{ name: web, count: 10000000, instances: 100000 }]\n' +
        'tasks: [{ name: t, perSecond: 2000, duration: 1s }]\n',
    );
    const t0 = Date.now();
    const r = runCli(['run', file]);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `${file}: cells: expected at most 20,000 cells in all, got 200,000 (--allow-large lifts this limit)`,
      `${file}: apps: expected at most 1,000,000 instances in all (count x instances of every app), got 1,000,000,000,000 (--allow-large lifts this limit)`,
      `${file}: tasks: expected at most 1,000,000 tasks over the run, got about 1,200,000; tasks[0] alone submits about 1,200,000 (--allow-large lifts this limit)`,
    ]);
    const lifted = runCli(['run', file, '--allow-large', '--print-scenario']);
    expect([lifted.code, lifted.stderr]).toEqual([0, '']);
    // --duration keeps the same limits as the file's duration.
    const day = runCli(['run', 'default', '--duration', '25h']);
    expect([day.code, day.stderr]).toEqual([2, '--duration: expected at most 24h, got "25h" (--allow-large lifts this limit)\n']);
    const month = runCli(['run', 'default', '--duration', '2000h', '--allow-large']);
    expect([month.code, month.stderr]).toEqual([2, '--duration: expected at most 720h (30 days), got "2000h"\n']);
    // ... and the file's sample interval: 720h of 10 s samples is 259,200 samples.
    const samples = runCli(['run', 'default', '--duration', '720h', '--allow-large']);
    expect([samples.code, samples.stderr]).toEqual([2, `--duration: expected at most 277h46m40s (100,000 samples at the scenario's sampleInterval of 10s), got "720h"\n`]);
    const spaced = runCli(['run', 'default', '--duration', '25h\n ']);
    expect([spaced.code, spaced.stderr]).toEqual([2, '--duration: expected at most 24h, got "25h\\n " (--allow-large lifts this limit)\n']);
  });
});

describe('auctionlab run --explain', () => {
  it('explains every auction of an instance, in the output and in results.json, without changing the digest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'explain-run-'));
    const r = runCli(['run', 'zone-outage', '--explain', 'web-0.0', '--out', dir]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('Explanations (2):');
    expect(r.stdout).toMatch(/\nat 2\.0 ms: web-0\.0 -> cell-\d+ \(lrp; asks 512 MB memory/);
    expect(r.stdout).toMatch(/\nat 3\.5 min: web-0\.0 -> cell-\d+ /);
    const plain = runCli(['run', 'zone-outage']);
    expect(/Digest: (\w+)/.exec(r.stdout)?.[1]).toBe(/Digest: (\w+)/.exec(plain.stdout)?.[1]);
    const saved = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { explanations: { atMs: number; explanation: { id: string } }[] };
    expect(saved.explanations.map((x) => x.explanation.id)).toEqual(['web-0.0', 'web-0.0']);
  });

  it('--explain-failures gives one example per reason', () => {
    const r = runCli(['run', 'isolation-segments', '--explain-failures']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/FAILED: found no compatible cell with placement tag "gold"/);
    expect(r.stdout).toContain('turned away by the placement-tags filter: 18 cells');
  });

  it('bad --explain: one line, exit 2', () => {
    expect(runCli(['run', 'zone-outage', '--explain', 'web-0']).stderr).toBe('--explain: expected process_guid.index[@time] such as web-3.0 or web-3.0@5m, got "web-0"\n');
    expect(runCli(['run', 'zone-outage', '--explain', 'nosuch.0']).stderr).toBe('--explain nosuch.0: the scenario has no app "nosuch" (process guids: web-0 to web-19, single-0 to single-29)\n');
    // web is a group: its process guids are web-0, web-1, ...
    expect(runCli(['run', 'zone-outage', '--explain', 'web.0']).stderr).toBe('--explain web.0: the scenario has no app "web" (process guids: web-0 to web-19, single-0 to single-29)\n');
    expect(runCli(['run', 'zone-outage', '--log', '-', '--json']).stderr).toMatch(/^--log -: the story goes to stdout, which --json needs for its document; /);
  });

  it('--explain with a strategy that does not explain itself: by the messages it exchanged in the run', () => {
    const r = runCli(['run', 'zone-outage', '--explain', 'web-0.0', '--strategy', 'sparrow', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { explanations: { explanation: { id: string; rule: string; placedOn: string | null; cells: { verdict: string }[] } }[] };
    expect(out.explanations.length).toBeGreaterThan(0);
    for (const { explanation: e } of out.explanations) {
      expect(e.id).toBe('web-0.0');
      expect(e.rule).toMatch(/^by its messages/);
      // Sparrow probes a few cells; the rest were never asked.
      expect(e.cells.some((c) => c.verdict === 'not-reached')).toBe(true);
    }
    const text = runCli(['run', 'zone-outage', '--explain', 'web-0.0', '--strategy', 'all_rebid']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/web-0\.0 -> cell-\d+/);
    expect(text.stdout).toContain('by its messages');
  });
});
