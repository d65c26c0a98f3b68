import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('auctionlab log: the event log as a story', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auctionlab-log-'));
  const file = join(dir, 'events.jsonl');
  const run = runCli(['run', 'zone-outage', '--log', file]);

  it('follows one instance: sent, placed, claimed, running, its cell cut off, replaced, the leftover stopped', () => {
    expect(run.code).toBe(0);
    const r = runCli(['log', file, '--app', 'web-0.0']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.trimEnd().split('\n').map((l) => l.replace(/^ *\S+ \S+ {2}/, ''));
    expect(lines[0]).toMatch(/^work sent to cell-00: (\S+ )*web-0\.0\b/);
    // The winner's score and the runner-up's, from the explanation of its batch.
    expect(lines).toContain('auction: web-0.0 placed on cell-00 (score 0.0242; runner-up cell-09 0.0242, a tie the seeded order broke)');
    expect(lines).toContain('web-0.0 claimed by cell-00 (starting)');
    expect(lines).toContain('web-0.0 running on cell-00');
    expect(lines).toContain('converger: web-0.0 (on cell-00): its cell vanished: kept as SUSPECT, a replacement auctioned');
    expect(lines.at(-1)).toBe("web-0.0: a leftover copy stopped on cell-00 by its rep's sync");
    // Every line is about web-0.0.
    for (const l of lines) expect(l).toMatch(/web-0\.0\b/);
  });

  it('filters by cell and kind; --all adds the bookkeeping', () => {
    const faults = runCli(['log', file, '--kind', 'partition,heal,cell-gone']);
    const lines = faults.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ +3\.0 min {2}FAULT: zone z1 cut off$/);
    expect(lines.filter((l) => l.includes('vanished from the BBS'))).toHaveLength(10);
    const cell = runCli(['log', file, '--cell', 'cell-05', '--kind', 'placed']).stdout.trimEnd().split('\n');
    for (const l of cell) expect(l).toMatch(/placed on cell-05 \(score /);
    const all = runCli(['log', file, '--all', '--kind', 'auctioneer-0.lock']).stdout;
    expect(all).toMatch(/auctioneer-0\.lock a=0 b=0/);
    expect(runCli(['log', file, '--kind', 'auctioneer-0.lock']).stdout).toBe('');
  });

  it('run --log - tells the story on stdout before the summary, with the same digest', () => {
    const r = runCli(['run', 'zone-outage', '--log', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ +0\.0 ms {2}desired: web-0, 3 instance\(s\)\n/);
    expect(r.stdout.indexOf('auction: web-0.0 placed on cell-00 (score')).toBeLessThan(r.stdout.indexOf('auctionlab run zone-outage:'));
    expect(/Digest: (\w+)/.exec(r.stdout)?.[1]).toBe(/Digest: (\w+)/.exec(run.stdout)?.[1]);
  });

  it('a file that is no event log: one line with the line number, exit 2', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"t":0,"note":"desire","app":"a","instances":1}\n\nnot json\n');
    expect(runCli(['log', bad])).toMatchObject({ code: 2, stderr: `${bad}:3: not a JSON line of an auctionlab event log\n` });
    writeFileSync(bad, '[1,2]\n');
    expect(runCli(['log', bad])).toMatchObject({ code: 2, stderr: `${bad}:1: expected an event log line {"t": ..., "event"|"note"|"story": ...}\n` });
    expect(runCli(['log', join(dir, 'none.jsonl')])).toMatchObject({ code: 2, stderr: `${join(dir, 'none.jsonl')}: cannot read: no such file\n` });
    expect(runCli(['log', dir])).toMatchObject({ code: 2, stderr: `${dir}: cannot read: a directory, not a log file\n` });
  });
});
