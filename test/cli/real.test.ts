import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from '../real/support.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'auctionlab-cli-real-'));

describe('auctionlab cell and auctioneer: bad flags and files', () => {
  const cases: [string, string[], RegExp][] = [
    ['off loopback without a token', ['cell', '--id', 'c1', '--listen', '0.0.0.0:0'], /--listen 0\.0\.0\.0:0: off loopback every route needs a shared token: pass --token-file, --token or set AUCTIONLAB_TOKEN/],
    ['a short token', ['cell', '--id', 'c1', '--token', 'abc'], /--token: use at least 16 characters/],
    ['a bad listen address', ['cell', '--id', 'c1', '--listen', 'here'], /--listen: expected host:port/],
    ['a missing templates file', ['cell', '--id', 'c1', '--templates', join(dir, 'none.yaml')], /none\.yaml: cannot read/],
    ['a bad templates file', ['cell', '--id', 'c1', '--templates', join(dir, 'bad.yaml')], /bad\.yaml: templates\.web\.command: expected a non-empty string/],
    ['a cell that is not a URL', ['auctioneer', '--cells', 'cell-1:1801'], /--cells: expected http:\/\/ URLs separated by commas, got "cell-1:1801"/],
    ['a state file that is not a journal', ['auctioneer', '--cells', 'http://127.0.0.1:1', '--state', join(dir, 'junk.json')], /--state .*junk\.json:1: \(header\): expected an auctionlab state journal/],
    ['a bad interval', ['auctioneer', '--cells', 'http://127.0.0.1:1', '--converge-every', 'often'], /--converge-every: expected a duration/],
    ['an unknown strategy', ['auctioneer', '--cells', 'http://127.0.0.1:1', '--strategy', 'nope'], /nope/],
  ];
  writeFileSync(join(dir, 'bad.yaml'), 'templates:\n  web: { command: "" }\n');
  writeFileSync(join(dir, 'junk.json'), '{"not": "a journal"}');
  for (const [what, args, message] of cases) {
    it(`${what}: one line, exit 2`, () => {
      const r = runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('an auctioneer whose --listen fails exits 2 at once, starting nothing; a second one on the same --state is refused', async () => {
    const state = join(dir, 'held.jsonl');
    const children: ChildProcess[] = [];
    const { proc: first, url } = await startCli(['auctioneer', '--cells', 'http://127.0.0.1:9', '--listen', '127.0.0.1:0', '--state', state], { children });
    try {
      const port = new URL(url).port;
      const t0 = Date.now();
      const busy = runCli(['auctioneer', '--cells', 'http://127.0.0.1:9', '--listen', `127.0.0.1:${port}`, '--state', join(dir, 'other.jsonl')]);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toMatch(new RegExp(`--listen 127\\.0\\.0\\.1:${port}: listen EADDRINUSE`));
      expect(Date.now() - t0).toBeLessThan(10_000);
      const twice = runCli(['auctioneer', '--cells', 'http://127.0.0.1:9', '--listen', '127.0.0.1:0', '--state', state]);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toMatch(/--state .*held\.jsonl: another auctioneer runs with this state \(pid \d+\); stop it or pass another --state/);
      expect(twice.stderr).not.toMatch(/\n\s+at /);
    } finally {
      first.kill('SIGTERM');
    }
  });

  it('with a token, a request without it is refused (401) and one with it answered', async () => {
    const token = 'sixteen-chars-token-ok';
    const children: ChildProcess[] = [];
    const { proc, url } = await startCli(['cell', '--id', 'c1', '--listen', '127.0.0.1:0', '--token', token, '--work-dir', join(dir, 'work-c1')], { children });
    try {
      expect((await fetch(`${url}/state`)).status).toBe(401);
      expect((await fetch(`${url}/state`, { headers: { authorization: 'Bearer wrong-token-sixteen!' } })).status).toBe(401);
      const ok = await fetch(`${url}/state`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { cell_id: string }).cell_id).toBe('c1');
    } finally {
      proc.kill('SIGTERM');
    }
  });
});
