// A real cell in this process: Perform's rules over HTTP, processes started, crashes reported and
// never restarted by the cell, stop and cancel acknowledged.
import { afterAll, describe, expect, it } from 'vitest';
import { RealCell } from '../../src/real/cell.js';
import { listen } from '../../src/real/http.js';

const templates = new Map([
  ['sleeper', { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1 << 30)'], env: {} }],
  ['crasher', { command: process.execPath, args: ['-e', 'setTimeout(() => process.exit(7), 100)'], env: {} }],
  ['ok', { command: process.execPath, args: ['-e', ''], env: {} }],
]);
const cell = new RealCell({ id: 'c1', zone: 'z1', memoryMB: 1000, diskMB: 1000, containers: 10, repUrl: 'http://x', templates, logDir: null, limits: null, log: () => undefined });
const server = cell.server(null);
let base = '';
afterAll(async () => {
  server.close();
  await cell.shutdown();
});

const lrp = (guid: string, index: number, template: string, memory = 100) => ({
  instance_guid: `${guid}-${index}`, process_guid: guid, index, domain: 'd', PlacementTags: [], VolumeDrivers: [], RootFs: `template:${template}`, MemoryMB: memory, DiskMB: 10, MaxPids: 0, state: '',
});
const post = async (path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, { method: 'POST', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const state = async () => (await (await fetch(`${base}/state`)).json()) as { LRPs: { instance_guid: string; state: string }[]; AvailableResources: { MemoryMB: number }; RootFSProviders: unknown; CrashedLRPs: { instance_guid: string; exit_code: number }[]; CompletedTasks: { TaskGuid: string; failed: boolean }[]; Evacuating: boolean };
const wait = async (ok: () => Promise<boolean>) => {
  for (let i = 0; i < 100 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 50));
};

describe('a real cell', () => {
  it("offers its templates as a rootfs provider and runs what fits, returning what does not (Diego's Perform)", async () => {
    base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
    expect((await state()).RootFSProviders).toEqual({ template: { type: 'fixed_set', set: { sleeper: {}, crasher: {}, ok: {} } }, preloaded: { type: 'fixed_set', set: { sleeper: {}, crasher: {}, ok: {} } } });
    const r = await post('/work', { LRPs: [lrp('web', 0, 'sleeper', 600), lrp('big', 0, 'sleeper', 600)], Tasks: [], cell_id: 'c1' });
    expect(r.status).toBe(200);
    // Memory descending, the second 600 MB no longer fits.
    expect((r.body['LRPs'] as { process_guid: string }[]).map((l) => l.process_guid)).toHaveLength(1);
    // Running once started (it first gets a port of its own: a moment).
    await wait(async () => (await state()).LRPs[0]?.state === 'RUNNING');
    const s = await state();
    expect(s.LRPs).toHaveLength(1);
    expect(s.LRPs[0]!.state).toBe('RUNNING');
    expect(s.AvailableResources.MemoryMB).toBe(400);
    expect((await post('/work', { LRPs: [], Tasks: [], cell_id: 'other' })).status).toBe(409);
  });

  it('reports a crash until the auctioneer stops the instance, and does not restart it', async () => {
    await post('/work', { LRPs: [lrp('boom', 0, 'crasher')], Tasks: [], cell_id: 'c1' });
    await wait(async () => (await state()).CrashedLRPs.length === 1);
    const s = await state();
    expect(s.CrashedLRPs).toMatchObject([{ instance_guid: 'boom-0', exit_code: 7 }]);
    expect(s.LRPs.map((l) => l.instance_guid)).toEqual(['web-0']);
    expect((await post('/v1/lrps/boom/instances/boom-0/stop')).status).toBe(202);
    expect((await state()).CrashedLRPs).toEqual([]);
  });

  it('runs a task once and keeps its result until cancelled; stop frees an instance', async () => {
    const task = { TaskGuid: 't1', Domain: 'd', PlacementTags: [], VolumeDrivers: [], RootFs: 'template:ok', MemoryMB: 10, DiskMB: 1, MaxPids: 0, state: '', failed: false };
    await post('/work', { LRPs: [], Tasks: [task], cell_id: 'c1' });
    const again = await post('/work', { LRPs: [], Tasks: [task], cell_id: 'c1' });
    await wait(async () => (await state()).CompletedTasks.length === 1);
    expect((await state()).CompletedTasks).toEqual([{ TaskGuid: 't1', failed: false, failure_reason: '' }]);
    expect(again.body['Tasks']).toHaveLength(1);
    // Even once its container is gone, the cell turns the same task down.
    expect((await post('/work', { LRPs: [], Tasks: [task], cell_id: 'c1' })).body['Tasks']).toHaveLength(1);
    await post('/v1/tasks/t1/cancel');
    expect((await state()).CompletedTasks).toEqual([]);
    await post('/v1/lrps/web/instances/web-0/stop');
    expect((await state()).AvailableResources.MemoryMB).toBe(1000);
  });

  it('evacuating: reports it and turns all new work down', async () => {
    expect((await post('/evacuate')).status).toBe(202);
    const r = await post('/work', { LRPs: [lrp('late', 0, 'sleeper')], Tasks: [], cell_id: 'c1' });
    expect((r.body['LRPs'] as unknown[]).length).toBe(1);
    expect((await state()).Evacuating).toBe(true);
  });

  it('a start that fails (its log file cannot be opened) frees what the work held: reported as a crash or a failed task, never held forever', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const blocker = join(mkdtempSync(join(tmpdir(), 'auctionlab-cell-logs-')), 'a-file');
    writeFileSync(blocker, '');
    // A log dir under a regular file can never be created.
    const broken = new RealCell({ id: 'c2', zone: 'z1', memoryMB: 1000, diskMB: 1000, containers: 10, repUrl: 'http://x', templates, logDir: join(blocker, 'logs'), limits: null, log: () => undefined });
    const srv = broken.server(null);
    const url = `http://127.0.0.1:${await listen(srv, '127.0.0.1', 0)}`;
    try {
      const task = { TaskGuid: 'tx', Domain: 'd', PlacementTags: [], VolumeDrivers: [], RootFs: 'template:ok', MemoryMB: 10, DiskMB: 1, MaxPids: 0, state: '', failed: false };
      const r = await fetch(`${url}/work`, { method: 'POST', body: JSON.stringify({ LRPs: [lrp('web', 0, 'sleeper', 300)], Tasks: [task] }) });
      expect(r.status).toBe(200);
      const s = (await (await fetch(`${url}/state`)).json()) as { LRPs: unknown[]; Tasks: unknown[]; AvailableResources: { MemoryMB: number }; CrashedLRPs: { exit_code: number }[]; CompletedTasks: { TaskGuid: string; failed: boolean; failure_reason: string }[] };
      expect(s.LRPs).toEqual([]);
      expect(s.Tasks).toEqual([]);
      expect(s.AvailableResources.MemoryMB).toBe(1000);
      expect(s.CrashedLRPs).toMatchObject([{ exit_code: 127 }]);
      expect(s.CompletedTasks[0]).toMatchObject({ TaskGuid: 'tx', failed: true });
      expect(s.CompletedTasks[0]!.failure_reason).toMatch(/log/);
    } finally {
      srv.close();
      await broken.shutdown();
    }
  });
});
