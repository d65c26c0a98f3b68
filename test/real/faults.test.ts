// Faults with real processes on loopback (the built CLI), bounded in time: a cell SIGKILLed while it
// runs tasks and instances and restarted within its presence TTL; the auctioneer SIGKILLed again and
// again under concurrent changes; and the shared token kept from workloads. Each asks: lost? twice?
// orphaned?
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BBSStore } from '../../src/real/bbs-store.js';
import { reapLeftovers } from '../../src/real/work-dir.js';
import { json, liveMembers, sigkill, startCli as startShared, until } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'auctionlab-faults-'));
const marks = join(dir, 'marks.txt');
const children: ChildProcess[] = [];
const workDirs: string[] = [];

afterAll(() => {
  for (const c of children) kill(c);
  // What killed cells left running is stopped the way a restarted cell stops it.
  for (const w of workDirs) reapLeftovers(w);
});

/** SIGKILLs a CLI process, alone (it was started in the test runner's process group, not one of its own). */
const kill = (p: ChildProcess) => sigkill(p);

/** Starts the built CLI, with `env` added to its environment; resolves with the URL it listens on. */
const startCli = (args: string[], env: Record<string, string> = {}) => startShared(args, { children, env });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Actual {
  apps: { processGuid: string; instances: number; actual: { index: number; state: string; copies: { cell: string; instance_guid: string }[] }[] }[];
  tasks: { guid: string; state: string; cell: string | null; failed: boolean; failureReason: string }[];
  cells: { id: string | null; present: boolean; boot_id: string | null }[];
}
interface CellState {
  cell_id: string;
  LRPs: { process_guid: string; index: number; instance_guid: string }[];
  Tasks: { TaskGuid: string; state: string }[];
}

// Where a workload running as another user may write (the test dir itself is private to root).
const open = mkdtempSync(join(tmpdir(), 'auctionlab-snoop-'));
chmodSync(open, 0o777);
const tokenFile = join(dir, 'token');

const templates = {
  templates: {
    // Tries to read the cell's environment and the token file, as a hostile workload would.
    snoop: { command: '/bin/sh', args: ['-c', 'id -u > "$OUT/uid"; cat /proc/$PPID/environ > "$OUT/environ" 2>&1; cat "$TOKEN_FILE" > "$OUT/token" 2>&1; echo done > "$OUT/done"'], env: { OUT: open, TOKEN_FILE: tokenFile } },
    // An instance: notes its start with its pid, then stays up (with a child of its own, which must go too).
    sleeper: { command: 'sh', args: ['-c', `echo "lrp $AUCTIONLAB_PROCESS_GUID $AUCTIONLAB_INDEX $AUCTIONLAB_CELL_ID $$" >> "$MARKS"; sleep 600 & wait`], env: { MARKS: marks } },
    // A task that runs long enough to be killed: notes each start.
    long: { command: 'sh', args: ['-c', `echo "task $AUCTIONLAB_TASK_GUID $AUCTIONLAB_CELL_ID $$" >> "$MARKS"; sleep 600`], env: { MARKS: marks } },
    // Dumps its environment where told.
    envdump: { command: process.execPath, args: ['-e', "require('fs').writeFileSync(process.env.DUMP, JSON.stringify(process.env))"], env: { DUMP: join(dir, 'env.json') } },
  },
};
writeFileSync(join(dir, 'templates.json'), JSON.stringify(templates));
const lines = () => (existsSync(marks) ? readFileSync(marks, 'utf8').trim().split('\n').filter((l) => l !== '') : []);

describe('faults with real processes', () => {
  it('a cell SIGKILLed while running tasks and instances, restarted within its TTL: no task twice, no orphan, all instances back', async () => {
    const cellArgs = (i: number, port: number) => ['cell', '--id', `cell-${i}`, '--zone', `z${i}`, '--memory', '2048', '--containers', '10', '--listen', `127.0.0.1:${port}`, '--templates', join(dir, 'templates.json'), '--work-dir', join(dir, `work-${i}`)];
    workDirs.push(join(dir, 'work-1'), join(dir, 'work-2'));
    const cells = [await startCli(cellArgs(1, 0)), await startCli(cellArgs(2, 0))];
    const urls = cells.map((c) => c.url);
    const a = await startCli(['auctioneer', '--cells', urls.join(','), '--listen', '127.0.0.1:0', '--state', join(dir, 'bbs.jsonl'), '--converge-every', '1s', '--poll-every', '250ms', '--presence-ttl', '5s']);
    expect((await json(`${a.url}/v1/apps/web`, { method: 'PUT', body: JSON.stringify({ instances: 4, memoryMB: 64, template: 'sleeper' }) })).status).toBe(202);
    for (const guid of ['t1', 't2', 't3', 't4']) expect((await json(`${a.url}/v1/task_submissions`, { method: 'POST', body: JSON.stringify({ guid, template: 'long', memoryMB: 64 }) })).status).toBe(202);
    await until('4 instances and 4 tasks started', 20_000, async () => (lines().filter((l) => l.startsWith('lrp ')).length === 4 && lines().filter((l) => l.startsWith('task ')).length === 4 ? true : undefined), 150);
    const before = (await json<Actual>(`${a.url}/v1/actual`)).body;
    // The victim: the cell running the most tasks.
    const onCell = (id: string) => before.tasks.filter((t) => t.cell === id).length;
    const victim = onCell('cell-1') >= onCell('cell-2') ? 0 : 1;
    const victimId = `cell-${victim + 1}`;
    const victimTasks = before.tasks.filter((t) => t.cell === victimId).map((t) => t.guid);
    expect(victimTasks.length).toBeGreaterThan(0);
    const oldPids = lines().filter((l) => l.split(' ')[2 + (l.startsWith('lrp ') ? 1 : 0)] === victimId).map((l) => Number(l.split(' ').at(-1)));
    expect(oldPids.every(alive)).toBe(true);

    kill(cells[victim]!.proc);
    const port = Number(new URL(urls[victim]!).port);
    await new Promise((r) => setTimeout(r, 300));
    // Its workloads outlive it (a SIGKILL cannot be caught)...
    expect(oldPids.every(alive)).toBe(true);
    const t0 = Date.now();
    cells[victim] = await startCli(cellArgs(victim + 1, port));
    // ...until it starts again and stops what its previous life left.
    // Each workload leads its own process group: the whole group goes, its `sleep 600` child too.
    await until('the previous life\'s process groups gone', 5_000, async () => (oldPids.every((p) => liveMembers(p).length === 0) ? true : undefined), 150);
    expect(cells[victim]!.log()).toMatch(/stopped \d+ of \d+ processes its previous life left/);

    // Every task of the killed cell failed with Diego's text, never requeued; the others run on.
    const { value: after } = await until('the victim\'s tasks failed and 4 instances running', 20_000, async () => {
      const x = (await json<Actual>(`${a.url}/v1/actual`)).body;
      const failed = x.tasks.filter((t) => victimTasks.includes(t.guid) && t.state === 'COMPLETED' && t.failureReason === 'task container does not exist');
      const running = x.apps[0]!.actual.filter((i) => i.state === 'RUNNING').length;
      return failed.length === victimTasks.length && running === 4 ? x : undefined;
    }, 150);
    const recovery = Date.now() - t0;
    console.log(`restarted cell: tasks failed and 4 instances running ${(recovery / 1000).toFixed(1)} s after the restart`);
    expect(recovery).toBeLessThan(15_000);
    for (const t of after.tasks.filter((x) => !victimTasks.includes(x.guid))) expect(t.state, t.guid).toBe('RUNNING');
    // A while longer (several passes): still no task started a second time.
    await new Promise((r) => setTimeout(r, 3000));
    const starts = lines().filter((l) => l.startsWith('task ')).map((l) => l.split(' ')[1]);
    expect(starts.sort()).toEqual(['t1', 't2', 't3', 't4']);

    // No process without a record: the live instance processes are exactly the ones the cells report.
    const reported = new Set<string>();
    for (const url of urls) {
      const s = (await json<CellState>(`${url}/state`)).body;
      for (const l of s.LRPs) reported.add(`${l.process_guid} ${l.index} ${s.cell_id}`);
    }
    const live = lines().filter((l) => l.startsWith('lrp ') && alive(Number(l.split(' ')[4]))).map((l) => l.split(' ').slice(1, 4).join(' '));
    expect(live.sort()).toEqual([...reported].sort());
    expect(live).toHaveLength(4);
    kill(a.proc);
  }, 60_000);

  it('the auctioneer SIGKILLed again and again under concurrent changes loses no acknowledged change', async () => {
    const state = join(dir, 'churn.jsonl');
    const apps = ['a', 'b', 'c', 'd', '__proto__', 'constructor'];
    // Per app: the last acknowledged state, and the state of a change in flight when the kill came.
    const acked = new Map<string, number | null>();
    const inFlight = new Map<string, number | null>();
    let ops = 0;
    for (let round = 0; round < 6; round++) {
      // No reachable cell: this is about the journal, not placement.
      const a = await startCli(['auctioneer', '--cells', 'http://127.0.0.1:9', '--listen', '127.0.0.1:0', '--state', state, '--converge-every', '1s', '--poll-every', '500ms']);
      let stop = false;
      const workers = apps.map(async (app, k) => {
        let n = round * 1000 + k;
        while (!stop) {
          n++;
          const del = n % 5 === 0;
          const next = del ? null : n % 97;
          inFlight.set(app, next);
          try {
            const r = del
              ? await fetch(`${a.url}/v1/apps/${app}`, { method: 'DELETE' })
              : await fetch(`${a.url}/v1/apps/${app}`, { method: 'PUT', body: JSON.stringify({ instances: next, memoryMB: 1, template: 'sleeper' }) });
            if (r.status === 202 || (del && r.status === 404)) {
              acked.set(app, next);
              ops++;
            }
            inFlight.delete(app);
          } catch {
            return; // the connection died with the process: that change is in flight
          }
        }
      });
      await new Promise((r) => setTimeout(r, 150 + round * 60));
      kill(a.proc);
      await new Promise<void>((r) => (a.proc.exitCode !== null || a.proc.signalCode !== null ? r() : a.proc.once('exit', () => r())));
      stop = true;
      await Promise.all(workers);
      // Reopened as the restarted auctioneer will: every acknowledged change is there.
      const store = BBSStore.open(state);
      for (const app of apps) {
        const got = store.desired.get(app)?.instances ?? null;
        const allowed = [acked.get(app) ?? null, ...(inFlight.has(app) ? [inFlight.get(app) ?? null] : [])];
        expect(allowed, `round ${round}, app ${app}`).toContain(got);
        // What is on disk is now the acknowledged state for the next round.
        acked.set(app, got);
        inFlight.delete(app);
      }
    }
    expect(ops).toBeGreaterThan(50);
  }, 60_000);

  it('a workload\'s environment holds no token (an allow-list), and --token-file keeps it out of ps', async () => {
    const token = 'a-secret-token-0123456789';
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const viaEnv = await startCli(['cell', '--id', 'env-cell', '--listen', '127.0.0.1:0', '--templates', join(dir, 'templates.json'), '--work-dir', join(dir, 'work-env')], { AUCTIONLAB_TOKEN: token, SOME_SECRET: 'x' });
    workDirs.push(join(dir, 'work-env'));
    const task = { TaskGuid: 'dump', Domain: 'd', RootFs: 'template:envdump', MemoryMB: 10, DiskMB: 0, PlacementTags: [], VolumeDrivers: [], MaxPids: 0, state: '', failed: false };
    expect((await json(`${viaEnv.url}/work`, { method: 'POST', body: JSON.stringify({ LRPs: [], Tasks: [task] }) })).status).toBe(401);
    const r = await json(`${viaEnv.url}/work`, { method: 'POST', body: JSON.stringify({ LRPs: [], Tasks: [task] }), headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    const { value: env } = await until('the dump', 10_000, async () => (existsSync(join(dir, 'env.json')) ? (JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8')) as Record<string, string>) : undefined), 150);
    expect(env['AUCTIONLAB_TOKEN']).toBeUndefined();
    expect(env['SOME_SECRET']).toBeUndefined();
    expect(JSON.stringify(env)).not.toContain(token);
    expect(env['AUCTIONLAB_TASK_GUID']).toBe('dump');
    expect(env['PATH']).toBe(process.env['PATH']);

    const viaFile = await startCli(['cell', '--id', 'file-cell', '--listen', '127.0.0.1:0', '--token-file', tokenFile, '--work-dir', join(dir, 'work-file')]);
    workDirs.push(join(dir, 'work-file'));
    expect(readFileSync(`/proc/${viaFile.proc.pid}/cmdline`, 'utf8')).not.toContain(token);
    expect((await json(`${viaFile.url}/state`)).status).toBe(401);
    expect((await json(`${viaFile.url}/state`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  }, 30_000);

  // Needs root (as CI runs): only root can start workloads as another user.
  it.runIf(process.getuid?.() === 0)('with --run-as, a workload cannot read the token through /proc or the token file either', async () => {
    const token = 'another-secret-token-0123';
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const cell = await startCli(['cell', '--id', 'runas-cell', '--listen', '127.0.0.1:0', '--token-file', tokenFile, '--run-as', '65534:65534', '--templates', join(dir, 'templates.json'), '--work-dir', join(dir, 'work-runas')], { AUCTIONLAB_TOKEN: token });
    workDirs.push(join(dir, 'work-runas'));
    const task = { TaskGuid: 'snoop', Domain: 'd', RootFs: 'template:snoop', MemoryMB: 10, DiskMB: 0, PlacementTags: [], VolumeDrivers: [], MaxPids: 0, state: '', failed: false };
    expect((await json(`${cell.url}/work`, { method: 'POST', body: JSON.stringify({ LRPs: [], Tasks: [task] }), headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await until('the snoop', 10_000, async () => (existsSync(join(open, 'done')) ? true : undefined), 150);
    expect(readFileSync(join(open, 'uid'), 'utf8').trim()).toBe('65534');
    expect(readFileSync(join(open, 'environ'), 'utf8')).not.toContain(token);
    expect(readFileSync(join(open, 'environ'), 'utf8')).toMatch(/Permission denied/);
    expect(readFileSync(join(open, 'token'), 'utf8')).not.toContain(token);
  }, 30_000);
});
