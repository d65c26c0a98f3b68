// Contract tests: the real cell and auctioneer against Diego's wire as Diego's Go code writes and reads
// it. Shapes come from cloudfoundry/rep (routes.go, resources.go, handlers/*.go), cloudfoundry/bbs
// (models/task.go: Task_State marshals as its name) and cloudfoundry/auctioneer (routes.go,
// handlers/*.go: invalid start requests are dropped, the answer is 202 {}). Fixtures are written as
// Go's encoding/json would write them: untagged fields under their Go names.
import type { Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { findStrategy } from '../../src/core/strategies/index.js';
import { resolveSettings } from '../../src/core/settings.js';
import type { Strategy } from '../../src/core/strategy.js';
import { BBSStore } from '../../src/real/bbs-store.js';
import { RealAuctioneer } from '../../src/real/auctioneer.js';
import { RealCell } from '../../src/real/cell.js';
import { listen } from '../../src/real/http.js';
import { call, waitFor } from './support.js';

const sleeper = { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1 << 30)'], env: {} };
const templates = new Map([
  ['sleeper', sleeper],
  // An operator's template named like Diego's stack, so `preloaded:cflinuxfs4` work runs unchanged.
  ['cflinuxfs4', sleeper],
]);
const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

async function startCell(id: string, index = 0): Promise<{ cell: RealCell; url: string }> {
  const cell = new RealCell({ id, zone: 'z1', memoryMB: 1000, diskMB: 1000, containers: 10, repUrl: 'http://rep.example:1800', templates, logDir: null, limits: null, log: () => undefined, index });
  const server: Server = cell.server(null);
  const url = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
  cleanup.push(() => server.close(), () => cell.shutdown());
  return { cell, url };
}

/**
 * An in-process auctioneer (Diego strategy, in-memory store) over the one cell at `cellUrl`, with its
 * server on loopback; resolves once it sees the cell present. Stopped and closed after all tests.
 */
async function startAuctioneer(cellUrl: string): Promise<{ a: RealAuctioneer; base: string; logs: string[] }> {
  const strategy = findStrategy('diego') as Strategy;
  const logs: string[] = [];
  const a = new RealAuctioneer({ cells: [cellUrl], strategy, settings: resolveSettings(strategy, {}), store: BBSStore.open(null), token: null, convergeEveryMs: 200, pollEveryMs: 100, presenceTtlMs: 2000, log: (l) => logs.push(l) });
  a.start();
  cleanup.push(() => a.stop());
  const server = a.server();
  cleanup.push(() => server.close());
  const base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
  await waitFor(() => (a.actual()['cells'] as { present: boolean }[])[0]!.present);
  return { a, base, logs };
}

// rep.LRP and rep.Task as Go marshals them (rep resources.go): ActualLRPKey's tags, Resource and
// PlacementConstraint untagged.
const goLRP = (processGuid: string, index: number, rootfs = 'template:sleeper') => ({
  instance_guid: `${processGuid}-ig-${index}`, process_guid: processGuid, index, domain: 'cf-apps',
  MemoryMB: 100, DiskMB: 10, MaxPids: 1024, RootFs: rootfs, PlacementTags: null, VolumeDrivers: null, state: '',
});
const goTask = (guid: string, rootfs = 'preloaded:cflinuxfs4') => ({
  TaskGuid: guid, Domain: 'cf-tasks', MemoryMB: 50, DiskMB: 10, MaxPids: 1024, RootFs: rootfs, PlacementTags: null, VolumeDrivers: null, state: 'Pending', failed: false,
});

const CELL_STATE_KEYS = ['rep_url', 'cell_id', 'cell_index', 'RootFSProviders', 'AvailableResources', 'TotalResources', 'LRPs', 'Tasks', 'StartingContainerCount', 'Zone', 'Evacuating', 'VolumeDrivers', 'PlacementTags', 'OptionalPlacementTags', 'ProxyMemoryAllocationMB'];

describe("the cell speaks Diego's rep wire", () => {
  it('GET /state: the CellState keys, cell_index, both rootfs schemes, and task states by Diego\'s Task_State names', async () => {
    const { url } = await startCell('contract-1', 7);
    const perform = await call(`${url}/work`, 'POST', { LRPs: [goLRP('web', 0)], Tasks: [goTask('t-1')], cell_id: 'contract-1' });
    expect(perform).toEqual({ status: 200, body: { LRPs: [], Tasks: [] } });
    // The instance runs once it has a port of its own (a moment).
    await waitFor(async () => ((await call(`${url}/state`, 'GET')).body['LRPs'] as { state: string }[])[0]?.state === 'RUNNING');
    const s = (await call(`${url}/state`, 'GET')).body;
    // Diego's keys, and this project's additions (which Go clients ignore).
    expect(Object.keys(s).sort()).toEqual([...CELL_STATE_KEYS, 'boot_id', 'CrashedLRPs', 'HealthChecks', 'CompletedTasks', 'CancelledTasks'].sort());
    expect(s['cell_index']).toBe(7);
    expect(s['rep_url']).toBe('http://rep.example:1800');
    expect(s['RootFSProviders']).toEqual({ template: { type: 'fixed_set', set: { sleeper: {}, cflinuxfs4: {} } }, preloaded: { type: 'fixed_set', set: { sleeper: {}, cflinuxfs4: {} } } });
    expect(Object.keys(s['AvailableResources'] as object)).toEqual(['MemoryMB', 'DiskMB', 'Containers']);
    const task = (s['Tasks'] as Record<string, unknown>[])[0]!;
    // JSON objects are unordered for Go's decoder: the key sets are the contract.
    expect(Object.keys(task).sort()).toEqual(['TaskGuid', 'Domain', 'MemoryMB', 'DiskMB', 'MaxPids', 'RootFs', 'PlacementTags', 'VolumeDrivers', 'state', 'failed'].sort());
    expect(task['state']).toBe('Running');
    const lrp = (s['LRPs'] as Record<string, unknown>[])[0]!;
    expect(Object.keys(lrp).sort()).toEqual(['instance_guid', 'process_guid', 'index', 'domain', 'MemoryMB', 'DiskMB', 'MaxPids', 'RootFs', 'PlacementTags', 'VolumeDrivers', 'state'].sort());
    expect(lrp['state']).toBe('RUNNING');
    expect(typeof s['boot_id']).toBe('string');
  });

  it('UpdateLRPInstance on the v2 route and the v1 fallback: 202 for an LRPUpdate, 404 for an unknown instance, 400 for a bad body', async () => {
    const { url } = await startCell('contract-2');
    await call(`${url}/work`, 'POST', { LRPs: [goLRP('web', 0)], Tasks: [] });
    const update = { instance_guid: 'web-ig-0', process_guid: 'web', index: 0, domain: 'cf-apps', internal_routes: [{ hostname: 'web.apps.internal' }], metric_tags: { app_name: 'web' } };
    expect((await call(`${url}/v2/lrps/web/instances/web-ig-0`, 'PUT', update)).status).toBe(202);
    expect((await call(`${url}/v1/lrps/web/instances/web-ig-0`, 'PUT', { ...update, metric_tags: null })).status).toBe(202);
    expect((await call(`${url}/v2/lrps/web/instances/nope`, 'PUT', update)).status).toBe(404);
    expect((await call(`${url}/v2/lrps/other/instances/web-ig-0`, 'PUT', update)).status).toBe(404);
    const bad = await call(`${url}/v2/lrps/web/instances/web-ig-0`, 'PUT', { internal_routes: [{ host: 1 }] });
    expect(bad).toEqual({ status: 400, body: { error: 'internal_routes: expected a list of {"hostname": string}' } });
    expect((await call(`${url}/v2/lrps/web/instances/web-ig-0`, 'PUT', { metric_tags: { a: 1 } })).status).toBe(400);
  });

  it('GET /container_metrics: a ContainerMetricsCollection with CachedContainerMetrics per instance and task', async () => {
    const { url } = await startCell('contract-3');
    await call(`${url}/work`, 'POST', { LRPs: [goLRP('web', 0)], Tasks: [goTask('t-1')] });
    const m = (await call(`${url}/container_metrics`, 'GET')).body;
    expect(Object.keys(m)).toEqual(['cell_id', 'lrps', 'tasks']);
    const metricKeys = ['metric_guid', 'cpu_usage_fraction', 'disk_usage_bytes', 'disk_quota_bytes', 'memory_usage_bytes', 'memory_quota_bytes'];
    const l = (m['lrps'] as Record<string, unknown>[])[0]!;
    expect(Object.keys(l)).toEqual(['instance_guid', 'process_guid', 'index', ...metricKeys]);
    expect(l['memory_quota_bytes']).toBe(100 * 1024 * 1024);
    expect(l['disk_quota_bytes']).toBe(10 * 1024 * 1024);
    await waitFor(async () => (((await call(`${url}/container_metrics`, 'GET')).body['lrps'] as { memory_usage_bytes: number }[])[0]!.memory_usage_bytes > 0));
    const t = (m['tasks'] as Record<string, unknown>[])[0]!;
    expect(Object.keys(t)).toEqual(['task_guid', ...metricKeys]);
  });

  it('POST /sim/reset empties the cell and starts a new life (boot id); POST /evacuate answers the ping path', async () => {
    const { url } = await startCell('contract-4');
    await call(`${url}/work`, 'POST', { LRPs: [goLRP('web', 0), goLRP('web', 1)], Tasks: [goTask('t-1')] });
    const boot = (await call(`${url}/state`, 'GET')).body['boot_id'];
    expect((await call(`${url}/sim/reset`, 'POST')).status).toBe(200);
    const s = (await call(`${url}/state`, 'GET')).body;
    // A reset is a new life: the auctioneer fails what it had sent instead of sending it again.
    expect(s['boot_id']).not.toBe(boot);
    expect([(s['LRPs'] as unknown[]).length, (s['Tasks'] as unknown[]).length, (s['AvailableResources'] as { MemoryMB: number }).MemoryMB]).toEqual([0, 0, 1000]);
    expect(await call(`${url}/evacuate`, 'POST')).toEqual({ status: 202, body: { ping_path: '/ping' } });
  });

  it('work with guids the BBS would reject is returned as not placed, and holds nothing', async () => {
    const { url } = await startCell('contract-5');
    const r = await call(`${url}/work`, 'POST', { LRPs: [goLRP('..', 0), goLRP('ok', 0)], Tasks: [goTask('é')] });
    expect((r.body['LRPs'] as { process_guid: string }[]).map((l) => l.process_guid)).toEqual(['..']);
    expect((r.body['Tasks'] as { TaskGuid: string }[]).map((t) => t.TaskGuid)).toEqual(['é']);
    expect(((await call(`${url}/state`, 'GET')).body['AvailableResources'] as { MemoryMB: number }).MemoryMB).toBe(900);
  });
});

describe("the auctioneer speaks Diego's auctioneer wire", () => {
  it('POST /v1/tasks with preloaded:cflinuxfs4 runs on the template of that name; invalid requests are dropped with 202', async () => {
    const { cell, url } = await startCell('contract-6');
    const { base, logs } = await startAuctioneer(url);
    const r = await call(`${base}/v1/tasks`, 'POST', [goTask('diego-task'), { ...goTask('no-domain'), Domain: '' }, { ...goTask('bad guid'), TaskGuid: 'bad guid' }]);
    expect(r).toEqual({ status: 202, body: {} });
    await waitFor(() => cell.state.Tasks.some((t) => t.TaskGuid === 'diego-task'));
    expect(cell.state.Tasks.map((t) => t.TaskGuid)).toEqual(['diego-task']);
    expect(logs.filter((l) => l.includes('dropped'))).toHaveLength(2);
    const docker = await call(`${base}/v1/tasks`, 'POST', [goTask('img', 'docker:///busybox')]);
    expect(docker.status).toBe(400);
    expect(docker.body['error']).toBe('img: RootFs: expected template:<name>, or Diego\'s preloaded:<stack> (runs the template named <stack>), got "docker:///busybox"');
  });

  it('POST /v1/lrps: the indices are kept as desired (not stopped as extra); an empty domain is dropped', async () => {
    const { cell, url } = await startCell('contract-7');
    // Placed once the auctioneer sees the cell (before that Diego's auctioneer, too, fails the
    // placement and convergence retries it when 30 s stale): startAuctioneer waits for that.
    const { a, base } = await startAuctioneer(url);
    const start = { process_guid: 'diego-lrp', domain: 'cf-apps', indices: [0, 1], MemoryMB: 100, DiskMB: 10, MaxPids: 0, RootFs: 'preloaded:cflinuxfs4', PlacementTags: null, VolumeDrivers: null };
    // Each invalid request is dropped on its own, as Diego's handler drops it; the valid one goes on.
    const invalid = [{ ...start, process_guid: 'nodomain', domain: '' }, { ...start, process_guid: '' }, { ...start, process_guid: 'noindices', indices: [] }, { ...start, process_guid: 'norootfs', RootFs: '' }];
    expect(await call(`${base}/v1/lrps`, 'POST', [...invalid.slice(0, 2), start, ...invalid.slice(2)])).toEqual({ status: 202, body: {} });
    // A wrong type is a 400 for the body (Go's decoder fails), naming the element by its index.
    expect(await call(`${base}/v1/lrps`, 'POST', [start, { ...start, process_guid: 'typed', MemoryMB: 'lots' }])).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^\[1\]\.MemoryMB/) } });
    await waitFor(() => cell.state.LRPs.filter((l) => l.state === 'RUNNING').length === 2);
    // Several convergence passes later both still run, once each, and nothing else was placed.
    await new Promise((r) => setTimeout(r, 1000));
    expect(cell.state.LRPs.map((l) => `${l.process_guid}.${l.index}`).sort()).toEqual(['diego-lrp.0', 'diego-lrp.1']);
    expect((a.actual()['apps'] as { processGuid: string; instances: number }[]).map((d) => [d.processGuid, d.instances])).toEqual([['diego-lrp', 2]]);
  });
});
