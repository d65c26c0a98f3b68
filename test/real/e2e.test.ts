// End to end on loopback: three real cells and a real auctioneer as separate processes (the built
// CLI), real OS processes placed by the diego strategy; a cell killed, the auctioneer restarted.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BBSStore } from '../../src/real/bbs-store.js';
import { reapLeftovers } from '../../src/real/work-dir.js';
import { json, sigkill, startCli as startShared, until, type StartedCli } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'auctionlab-real-'));
const marks = join(dir, 'marks.txt');
const children: ChildProcess[] = [];

/** Starts the built CLI in its own process group; resolves with the URL it listens on. */
const startCli = (args: string[]) => startShared(args, { children, detached: true });

/** Kills a CLI process and everything it started (its process group), as a machine dying would. */
const killGroup = (p: ChildProcess) => sigkill(p, true);

interface Copy {
  cell: string;
  state: string;
}
interface Actual {
  cells: { id: string | null; present: boolean }[];
  apps: { processGuid: string; actual: { index: number; state: string; crash_count: number; copies: Copy[] }[] }[];
  tasks: { guid: string; state: string; failed: boolean; failureReason: string }[];
}
interface CellStateBody {
  cell_id: string;
  LRPs: { index: number }[];
}

const templates = {
  templates: {
    // An LRP instance: notes where it runs, then stays up.
    sleeper: { command: process.execPath, args: ['-e', `require('fs').appendFileSync(process.env.MARKS, ['lrp', process.env.AUCTIONLAB_PROCESS_GUID, process.env.AUCTIONLAB_INDEX, process.env.AUCTIONLAB_CELL_ID, process.pid].join(' ') + '\\n'); setInterval(() => {}, 1 << 30)`], env: { MARKS: marks } },
    // A task: notes that it ran, once per run, then exits 0.
    marker: { command: process.execPath, args: ['-e', `require('fs').appendFileSync(process.env.MARKS, ['task', process.env.AUCTIONLAB_TASK_GUID, process.env.AUCTIONLAB_CELL_ID].join(' ') + '\\n')`], env: { MARKS: marks } },
    // An LRP instance that crashes soon after it starts.
    crasher: { command: process.execPath, args: ['-e', 'setTimeout(() => process.exit(1), 150)'], env: {} },
    // A task that fails.
    failing: { command: process.execPath, args: ['-e', 'process.exit(3)'], env: {} },
  },
};

let cellUrls: string[] = [];
let cellProcs: ChildProcess[] = [];
let auctioneer: StartedCli;
const stateFile = join(dir, 'bbs.jsonl');
const auctioneerArgs = () => ['auctioneer', '--cells', cellUrls.join(','), '--listen', '127.0.0.1:0', '--state', stateFile, '--converge-every', '1s', '--poll-every', '250ms', '--presence-ttl', '2s'];

beforeAll(async () => {
  writeFileSync(join(dir, 'templates.json'), JSON.stringify(templates));
  const cells = await Promise.all(
    [1, 2, 3].map((i) => startCli(['cell', '--id', `cell-${i}`, '--zone', `z${i}`, '--memory', '1024', '--containers', '8', '--listen', '127.0.0.1:0', '--templates', join(dir, 'templates.json'), '--work-dir', join(dir, `work-${i}`)])),
  );
  cellUrls = cells.map((c) => c.url);
  cellProcs = cells.map((c) => c.proc);
  auctioneer = await startCli(auctioneerArgs());
}, 30_000);

afterAll(() => {
  for (const c of children) killGroup(c);
  // Workloads run in process groups of their own: what the killed cells left is stopped as a
  // restarted cell would stop it.
  for (const i of [1, 2, 3]) reapLeftovers(join(dir, `work-${i}`));
});

const lines = () => (existsSync(marks) ? readFileSync(marks, 'utf8').trim().split('\n').filter((l) => l !== '') : []);
const running = (actual: Actual, app: string) => actual.apps.find((a) => a.processGuid === app)?.actual.filter((x) => x.state === 'RUNNING').length ?? 0;

describe('real cells and a real auctioneer on loopback', () => {
  it('runs an app of 6 instances and 3 tasks where the auction put them; each task once', async () => {
    const put = await json(`${auctioneer.url}/v1/apps/web`, { method: 'PUT', body: JSON.stringify({ instances: 6, memoryMB: 128, template: 'sleeper' }) });
    expect(put.status).toBe(202);
    for (const guid of ['t1', 't2', 't3']) {
      const r = await json(`${auctioneer.url}/v1/task_submissions`, { method: 'POST', body: JSON.stringify({ guid, template: 'marker', memoryMB: 64 }) });
      expect(r.status).toBe(202);
    }
    const { value: actual } = await until('6 instances running and 3 tasks completed', 20_000, async () => {
      const a = (await json<Actual>(`${auctioneer.url}/v1/actual`)).body;
      return running(a, 'web') === 6 && a.tasks.filter((t) => t.state === 'COMPLETED').length === 3 ? a : undefined;
    });
    // Diego's zone balance: 6 instances over 3 zones, 2 each.
    const perCell = new Map<string, number>();
    for (const x of actual.apps[0]!.actual) perCell.set(x.copies[0]!.cell, (perCell.get(x.copies[0]!.cell) ?? 0) + 1);
    expect([...perCell.values()]).toEqual([2, 2, 2]);
    // The processes run where the cells say, and are alive.
    for (const url of cellUrls) {
      const s = (await json<CellStateBody>(`${url}/state`)).body;
      for (const l of s.LRPs) {
        const line = lines().find((x) => x.startsWith(`lrp web ${l.index} ${s.cell_id} `));
        expect(line, `web/${l.index} on ${s.cell_id}`).toBeDefined();
        expect(() => process.kill(Number(line!.split(' ')[4]), 0)).not.toThrow();
      }
    }
    for (const t of actual.tasks) expect(t).toMatchObject({ state: 'COMPLETED', failed: false });
    const taskRuns = lines().filter((l) => l.startsWith('task '));
    expect(taskRuns.map((l) => l.split(' ')[1]).sort()).toEqual(['t1', 't2', 't3']);
  }, 40_000);

  it('a failing task completes failed with its exit status; a task guid is taken once', async () => {
    expect((await json(`${auctioneer.url}/v1/task_submissions`, { method: 'POST', body: JSON.stringify({ guid: 'bad', template: 'failing', memoryMB: 64 }) })).status).toBe(202);
    expect((await json(`${auctioneer.url}/v1/task_submissions`, { method: 'POST', body: JSON.stringify({ guid: 't1', template: 'marker', memoryMB: 64 }) })).status).toBe(409);
    const { value } = await until('the failing task to complete', 15_000, async () => {
      const t = (await json<Actual>(`${auctioneer.url}/v1/actual`)).body.tasks.find((x) => x.guid === 'bad');
      return t?.state === 'COMPLETED' ? t : undefined;
    });
    expect(value).toMatchObject({ failed: true, failureReason: 'exit status 3' });
  }, 20_000);

  it('a killed cell: its instances run again on the others within the convergence bound', async () => {
    const victim = 0;
    const before = (await json<CellStateBody>(`${cellUrls[victim]}/state`)).body.LRPs.length;
    expect(before).toBe(2);
    killGroup(cellProcs[victim]!);
    const t0 = Date.now();
    // Bound: presence TTL 2 s + a poll + a convergence pass 1 s + start-up; 15 s is generous.
    const { value: actual, ms } = await until('6 instances running on the two other cells', 15_000, async () => {
      const a = (await json<Actual>(`${auctioneer.url}/v1/actual`)).body;
      const on = a.apps[0]!.actual.flatMap((x) => x.copies.map((c) => c.cell));
      return running(a, 'web') === 6 && !on.includes('cell-1') ? a : undefined;
    });
    expect(actual.cells.find((c) => c.id === 'cell-1')?.present).toBe(false);
    console.log(`replacement of a killed cell's instances took ${((Date.now() - t0) / 1000).toFixed(1)} s (${ms} ms after the kill)`);
    // Each task still ran exactly once.
    const taskRuns = lines().filter((l) => l.startsWith('task ')).map((l) => l.split(' ')[1]);
    expect(taskRuns.filter((g) => g !== 'bad').sort()).toEqual(['t1', 't2', 't3']);
  }, 25_000);

  it('a restarted auctioneer loses nothing: apps, tasks and results come back from its journal', async () => {
    killGroup(auctioneer.proc);
    expect([...BBSStore.open(stateFile).desired.keys()]).toEqual(['web']);
    auctioneer = await startCli(auctioneerArgs());
    const { value: a } = await until('the restarted auctioneer to see 6 running', 10_000, async () => {
      const x = (await json<Actual>(`${auctioneer.url}/v1/actual`)).body;
      return running(x, 'web') === 6 ? x : undefined;
    });
    expect(a.tasks.map((t) => [t.guid, t.state, t.failed])).toEqual([['t1', 'COMPLETED', false], ['t2', 'COMPLETED', false], ['t3', 'COMPLETED', false], ['bad', 'COMPLETED', true]]);
    // It still acts: scale down to 4, and no instance was started twice by the restart.
    expect((await json(`${auctioneer.url}/v1/apps/web/scale`, { method: 'POST', body: JSON.stringify({ instances: 4 }) })).status).toBe(202);
    await until('4 instances', 10_000, async () => {
      let n = 0;
      for (const url of cellUrls.slice(1)) n += (await json<CellStateBody>(`${url}/state`)).body.LRPs.length;
      return n === 4 ? n : undefined;
    });
    const taskRuns = lines().filter((l) => l.startsWith('task ')).map((l) => l.split(' ')[1]);
    expect(taskRuns.sort()).toEqual(['t1', 't2', 't3']);
  }, 30_000);

  it('evacuating a cell moves its instances away without ever running fewer than desired', async () => {
    const evac = cellUrls[1]!;
    expect((await json(`${evac}/evacuate`, { method: 'POST' })).status).toBe(202);
    let fewest = Infinity;
    await until('cell-2 empty and 4 instances running on cell-3', 15_000, async () => {
      const a = (await json<Actual>(`${auctioneer.url}/v1/actual`)).body;
      fewest = Math.min(fewest, running(a, 'web'));
      const left = (await json<CellStateBody>(`${evac}/state`)).body.LRPs.length;
      return left === 0 && running(a, 'web') === 4 ? true : undefined;
    });
    expect(fewest).toBe(4);
  }, 20_000);

  it("a crashing app follows Diego's backoff: restarted at once twice, then held 30 s at the third crash", async () => {
    expect((await json(`${auctioneer.url}/v1/apps/crashy`, { method: 'PUT', body: JSON.stringify({ instances: 1, memoryMB: 64, template: 'crasher' }) })).status).toBe(202);
    const crashy = async () => (await json<Actual>(`${auctioneer.url}/v1/actual`)).body.apps.find((a) => a.processGuid === 'crashy')!.actual[0]!;
    await until('three crashes', 15_000, async () => ((await crashy()).crash_count >= 3 ? true : undefined));
    await new Promise((r) => setTimeout(r, 3000));
    expect(await crashy()).toMatchObject({ state: 'CRASHED', crash_count: 3 });
    expect((await json(`${auctioneer.url}/v1/apps/crashy`, { method: 'DELETE' })).status).toBe(202);
  }, 25_000);

  it('bad requests get a 4xx with a message, and the servers stay up', async () => {
    const a = auctioneer.url;
    const c = cellUrls[1]!;
    expect((await json(`${a}/v1/nothing`)).status).toBe(404);
    expect((await json(`${a}/v1/actual`, { method: 'POST', body: '{}' })).status).toBe(405);
    const bad = await json(`${a}/v1/apps/x`, { method: 'PUT', body: JSON.stringify({ instances: -1, memoryMB: 1, template: 'sleeper' }) });
    expect(bad).toEqual({ status: 400, body: { error: 'instances: expected a whole number from 0 to 10000, got -1' } });
    expect((await json(`${a}/v1/apps/x`, { method: 'PUT', body: '{"instances":' })).status).toBe(400);
    const work = await json(`${c}/work`, { method: 'POST', body: JSON.stringify({ LRPs: [{ process_guid: 1 }] }) });
    expect(work.status).toBe(400);
    expect(work.body.error).toMatch(/LRPs\[0\]/);
    const big = await fetch(`${c}/work`, { method: 'POST', body: 'x'.repeat(2 << 20) }).then((r) => r.status).catch(() => 413);
    expect(big).toBe(413);
    const tasks = await json(`${a}/v1/tasks`, { method: 'POST', body: JSON.stringify([{ TaskGuid: 'x', Domain: 'd', RootFs: 'docker:///busybox', MemoryMB: 1, DiskMB: 1 }]) });
    expect(tasks.status).toBe(400);
    expect(tasks.body.error).toMatch(/RootFs: expected template:<name>, or Diego's preloaded:<stack>/);
    expect((await json(`${a}/ping`)).status).toBe(200);
    expect((await json(`${c}/ping`)).status).toBe(200);
  });
});
