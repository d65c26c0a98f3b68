// The real auctioneer in this process over real cells on loopback, with strategies other than
// Diego's: the 2014 bidding messages (bid, reserve, claim, release) and the baselines go over HTTP too.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { findStrategy } from '../../src/core/strategies/index.js';
import { resolveSettings } from '../../src/core/settings.js';
import type { Strategy } from '../../src/core/strategy.js';
import { BBSStore } from '../../src/real/bbs-store.js';
import { RealAuctioneer } from '../../src/real/auctioneer.js';
import { RealCell } from '../../src/real/cell.js';
import { listen } from '../../src/real/http.js';
import { waitFor } from './support.js';

const templates = new Map([
  ['sleeper', { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1 << 30)'], env: {} }],
  ['quick', { command: process.execPath, args: ['-e', 'process.exit(4)'], env: {} }],
]);
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

async function cluster(n: number): Promise<{ cells: RealCell[]; urls: string[] }> {
  const cells: RealCell[] = [];
  const urls: string[] = [];
  for (let i = 1; i <= n; i++) {
    const cell = new RealCell({ id: `c${i}`, zone: `z${i}`, memoryMB: 1000, diskMB: 1000, containers: 10, repUrl: '', templates, logDir: null, limits: null, log: () => undefined });
    const server: Server = cell.server(null);
    urls.push(`http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`);
    cells.push(cell);
    cleanup.push(() => void server.close(), () => cell.shutdown());
  }
  return { cells, urls };
}


describe('the real auctioneer drives any strategy over HTTP', () => {
  for (const name of ['pick_best', 'all_rebid', 'worst-fit']) {
    it(`${name}: an app of 5 instances runs on the cells`, async () => {
      const { cells, urls } = await cluster(3);
      const strategy = findStrategy(name) as Strategy;
      const a = new RealAuctioneer({ cells: urls, strategy, settings: resolveSettings(strategy, {}), store: BBSStore.open(null), token: null, convergeEveryMs: 300, pollEveryMs: 100, presenceTtlMs: 2000, log: () => undefined });
      a.start();
      cleanup.push(() => a.stop());
      a.desire({ processGuid: `web-${name}`, instances: 5, memoryMB: 100, diskMB: 10, template: 'sleeper', placementTags: [] });
      await waitFor(() => cells.reduce((n, c) => n + c.state.LRPs.filter((l) => l.state === 'RUNNING').length, 0) === 5);
      const indices = cells.flatMap((c) => c.state.LRPs.map((l) => l.index)).sort();
      expect(indices).toEqual([0, 1, 2, 3, 4]);
      await waitFor(() => a.counters.placed === 5);
      expect(a.counters.messages).toBeGreaterThan(0);
      await a.stop();
    });
  }

  it("fetches the cells' state before it drains the queue, as Diego's loop does: work that arrives during the fetch joins that batch", async () => {
    const { urls } = await cluster(1);
    // A proxy in front of the cell that holds GET /state while the gate is shut.
    let gate: Promise<void> | null = null;
    let open = () => {};
    let held = 0;
    const target = new URL(urls[0]!);
    const proxy = createServer((req, res) => {
      void (async () => {
        if (gate !== null && req.url === '/state') {
          held++;
          await gate;
        }
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks);
        const up = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.end(body);
      })();
    });
    const port = await listen(proxy, '127.0.0.1', 0);
    cleanup.push(() => void proxy.close());
    const lines: string[] = [];
    const strategy = findStrategy('diego') as Strategy;
    const a = new RealAuctioneer({ cells: [`http://127.0.0.1:${port}`], strategy, settings: resolveSettings(strategy, {}), store: BBSStore.open(null), token: null, convergeEveryMs: 60_000, pollEveryMs: 100, presenceTtlMs: 60_000, log: (l) => lines.push(l) });
    a.start();
    cleanup.push(() => a.stop());
    a.desire({ processGuid: 'first', instances: 1, memoryMB: 10, diskMB: 10, template: 'sleeper', placementTags: [] });
    await waitFor(() => a.counters.placed === 1);
    gate = new Promise<void>((r) => (open = r));
    const before = held;
    a.desire({ processGuid: 'second', instances: 1, memoryMB: 10, diskMB: 10, template: 'sleeper', placementTags: [] });
    // The auction's fetch (or a poll) is held; the third app arrives meanwhile.
    await waitFor(() => held > before);
    await new Promise((r) => setTimeout(r, 300));
    a.desire({ processGuid: 'third', instances: 1, memoryMB: 10, diskMB: 10, template: 'sleeper', placementTags: [] });
    await new Promise((r) => setTimeout(r, 300));
    gate = null;
    open();
    await waitFor(() => a.counters.placed === 3);
    expect(lines.filter((l) => l.startsWith('batch:'))).toEqual(['batch: 1 instances, 0 tasks; 1 placed, 0 failed, 2 messages', 'batch: 2 instances, 0 tasks; 2 placed, 0 failed, 2 messages']);
    await a.stop();
  });

  it("a template no cell has fails with Diego's rootfs error, recorded as the index's placement error", async () => {
    const { urls } = await cluster(1);
    const strategy = findStrategy('diego') as Strategy;
    const a = new RealAuctioneer({ cells: urls, strategy, settings: resolveSettings(strategy, {}), store: BBSStore.open(null), token: null, convergeEveryMs: 300, pollEveryMs: 100, presenceTtlMs: 2000, log: () => undefined });
    a.start();
    cleanup.push(() => a.stop());
    a.desire({ processGuid: 'odd', instances: 1, memoryMB: 100, diskMB: 10, template: 'nowhere', placementTags: [] });
    await waitFor(() => ((a.actual().apps as { actual: { placement_error: string }[] }[])[0]?.actual[0]?.placement_error ?? '') !== '');
    expect((a.actual().apps as { actual: { placement_error: string }[] }[])[0]!.actual[0]!.placement_error).toBe('found no compatible cell for required rootfs');
    await a.stop();
  });

  it('a cell that dies soon after a placement: its instances are placed again at once, not after the 30 s stale limit', async () => {
    const cells: RealCell[] = [];
    const servers: Server[] = [];
    const urls: string[] = [];
    for (const i of [1, 2]) {
      const cell = new RealCell({ id: `d${i}`, zone: `z${i}`, memoryMB: 1000, diskMB: 1000, containers: 10, repUrl: '', templates, logDir: null, limits: null, log: () => undefined });
      const server = cell.server(null);
      urls.push(`http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`);
      cells.push(cell);
      servers.push(server);
      cleanup.push(() => void server.close(), () => cell.shutdown());
    }
    const strategy = findStrategy('diego') as Strategy;
    // No periodic pass within the test: only the pass a lost cell triggers can move the instances.
    const a = new RealAuctioneer({ cells: urls, strategy, settings: resolveSettings(strategy, {}), store: BBSStore.open(null), token: null, convergeEveryMs: 120_000, pollEveryMs: 100, presenceTtlMs: 600, log: () => undefined });
    a.start();
    cleanup.push(() => a.stop());
    await waitFor(() => (a.actual()['cells'] as { present: boolean }[]).every((c) => c.present));
    a.desire({ processGuid: 'quick', instances: 4, memoryMB: 100, diskMB: 10, template: 'sleeper', placementTags: [] });
    await waitFor(() => cells.reduce((n, c) => n + c.state.LRPs.filter((l) => l.state === 'RUNNING').length, 0) === 4);
    // d1 dies a moment after the placement, long before any instance's auction is 30 s stale.
    servers[0]!.close();
    servers[0]!.closeAllConnections();
    await cells[0]!.shutdown();
    const t0 = Date.now();
    await waitFor(() => cells[1]!.state.LRPs.filter((l) => l.state === 'RUNNING').length === 4, 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    await a.stop();
  });

  it('before its first view of the cells nothing is decided: work waits for a cell that is still starting, a RUNNING task is not failed', async () => {
    const cell = new RealCell({ id: 'late', zone: 'z1', memoryMB: 1000, diskMB: 1000, containers: 10, repUrl: '', templates, logDir: null, limits: null, log: () => undefined });
    cleanup.push(() => cell.shutdown());
    // A port that nothing listens on yet: the cell starts after the auctioneer.
    const probe = cell.server(null);
    const port = await listen(probe, '127.0.0.1', 0);
    await new Promise((r) => probe.close(r));
    const store = BBSStore.open(null);
    store.setTask({ guid: 'was-running', state: 'RUNNING', cell: 'gone-cell', cellBoot: null, createdAtMs: Date.now(), sentAtMs: Date.now(), completedAtMs: null, template: 'sleeper', memoryMB: 10, diskMB: 0, rejections: 0, failed: false, failureReason: '', ranOn: ['gone-cell'] });
    const strategy = findStrategy('diego') as Strategy;
    const a = new RealAuctioneer({ cells: [`http://127.0.0.1:${port}`], strategy, settings: resolveSettings(strategy, {}), store, token: null, convergeEveryMs: 120_000, pollEveryMs: 100, presenceTtlMs: 2000, log: () => undefined });
    a.start();
    cleanup.push(() => a.stop());
    a.desire({ processGuid: 'early', instances: 2, memoryMB: 100, diskMB: 10, template: 'sleeper', placementTags: [] });
    await new Promise((r) => setTimeout(r, 600));
    expect(store.tasks.get('was-running')?.state).toBe('RUNNING');
    expect(a.counters.batches).toBe(0);
    const server = cell.server(null);
    await listen(server, '127.0.0.1', port);
    cleanup.push(() => void server.close());
    // Placed as soon as the cell answers, not 30 s later after a failed auction went stale.
    await waitFor(() => cell.state.LRPs.filter((l) => l.state === 'RUNNING').length === 2, 3000);
    // The task's cell never answered: once the view is complete it is gone, and the task failed.
    await waitFor(() => store.tasks.get('was-running')?.state === 'COMPLETED', 5000);
    expect(store.tasks.get('was-running')?.failureReason).toBe('cell disappeared before completion');
    await a.stop();
  });

  it('a strategy that throws does not take the auctioneer down: logged, counted, and the work is kept for the next try', async () => {
    const { urls } = await cluster(1);
    const diego = findStrategy('diego') as Strategy;
    const broken: Strategy = { ...diego, name: 'broken', auction: () => { throw new Error('boom in the strategy'); } };
    const logs: string[] = [];
    const store = BBSStore.open(null);
    const a = new RealAuctioneer({ cells: urls, strategy: broken, settings: resolveSettings(diego, {}), store, token: null, convergeEveryMs: 120_000, pollEveryMs: 100, presenceTtlMs: 2000, log: (l) => logs.push(l) });
    a.start();
    cleanup.push(() => a.stop());
    const server = a.server();
    cleanup.push(() => void server.close());
    const base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
    await waitFor(() => (a.actual()['cells'] as { present: boolean }[])[0]!.present);
    expect(a.submitTask({ guid: 'kept', template: 'sleeper', memoryMB: 10, diskMB: 0 })).toBe(true);
    await waitFor(() => a.counters.errors > 0);
    expect(logs.find((l) => l.startsWith('error: auction batch failed, will retry: Error: boom in the strategy'))).toBeDefined();
    // Still serving, and the task is still there to be auctioned again (PENDING, not lost or failed).
    expect((await fetch(`${base}/ping`)).status).toBe(200);
    expect(store.tasks.get('kept')).toMatchObject({ state: 'PENDING', failed: false });
    await a.stop();
  });

  it('a task its cell loses to a reset or to a cancel from elsewhere fails at once and is never sent again', async () => {
    const { cells, urls } = await cluster(1);
    const strategy = findStrategy('diego') as Strategy;
    const store = BBSStore.open(null);
    const a = new RealAuctioneer({ cells: urls, strategy, settings: resolveSettings(strategy, {}), store, token: null, convergeEveryMs: 200, pollEveryMs: 100, presenceTtlMs: 2000, log: () => undefined });
    a.start();
    cleanup.push(() => a.stop());
    await waitFor(() => (a.actual()['cells'] as { present: boolean }[])[0]!.present);
    a.submitTask({ guid: 'reset-me', template: 'sleeper', memoryMB: 10, diskMB: 0 });
    a.submitTask({ guid: 'cancel-me', template: 'sleeper', memoryMB: 10, diskMB: 0 });
    await waitFor(() => cells[0]!.state.Tasks.length === 2);
    // Someone else cancels one (it was on the cell and is gone: cancelled, not lost in transit).
    expect((await fetch(`${urls[0]}/v1/tasks/cancel-me/cancel`, { method: 'POST' })).status).toBe(202);
    await waitFor(() => store.tasks.get('cancel-me')?.state === 'COMPLETED', 3000);
    expect(store.tasks.get('cancel-me')).toMatchObject({ failed: true, failureReason: 'task was cancelled', ranOn: ['c1'] });
    // A reset is a new life of the cell: its task fails as Diego's rep fails a task whose container is gone.
    expect((await fetch(`${urls[0]}/sim/reset`, { method: 'POST' })).status).toBe(200);
    await waitFor(() => store.tasks.get('reset-me')?.state === 'COMPLETED', 3000);
    expect(store.tasks.get('reset-me')).toMatchObject({ failed: true, failureReason: 'task container does not exist', ranOn: ['c1'] });
    await new Promise((r) => setTimeout(r, 600));
    expect(cells[0]!.state.Tasks).toEqual([]);
    await a.stop();
  });

  it("a task's result and an instance's crash are collected at the next poll, not at the next periodic pass, and a crash counts once", async () => {
    const { urls } = await cluster(1);
    const strategy = findStrategy('diego') as Strategy;
    const store = BBSStore.open(null);
    const a = new RealAuctioneer({ cells: urls, strategy, settings: resolveSettings(strategy, {}), store, token: null, convergeEveryMs: 120_000, pollEveryMs: 100, presenceTtlMs: 2000, log: () => undefined });
    a.start();
    cleanup.push(() => a.stop());
    await waitFor(() => (a.actual()['cells'] as { present: boolean }[])[0]!.present);
    a.submitTask({ guid: 'fast', template: 'quick', memoryMB: 10, diskMB: 0 });
    a.desire({ processGuid: 'crashy', instances: 1, memoryMB: 10, diskMB: 0, template: 'quick', placementTags: [] });
    await waitFor(() => store.tasks.get('fast')?.state === 'COMPLETED', 3000);
    expect(store.tasks.get('fast')).toMatchObject({ failed: true, failureReason: 'exit status 4' });
    // Diego's backoff restarts the first two crashes at once: the count climbs by one per crash.
    await waitFor(() => (store.crashes.get('crashy.0')?.count ?? 0) >= 3, 5000);
    expect(store.crashes.get('crashy.0')?.count).toBe(3);
    await a.stop();
  });

  it.each([
    ['after the auctioneer saw its copy run', true],
    ['right after the placement, before any poll saw it', false],
  ])("a partitioned cell that returns (%s): its copy was SUSPECT, its replacement runs, so the returning copy is stopped (Diego's rule, not the lower cell id)", async (_what, seenFirst) => {
    const a1 = new RealCell({ id: 'a1', zone: 'z1', memoryMB: 1000, diskMB: 1000, containers: 10, repUrl: '', templates, logDir: null, limits: null, log: () => undefined });
    const b2 = new RealCell({ id: 'b2', zone: 'z2', memoryMB: 1000, diskMB: 1000, containers: 10, repUrl: '', templates, logDir: null, limits: null, log: () => undefined });
    cleanup.push(() => a1.shutdown(), () => b2.shutdown());
    let s1 = a1.server(null);
    const p1 = await listen(s1, '127.0.0.1', 0);
    const s2 = b2.server(null);
    const p2 = await listen(s2, '127.0.0.1', 0);
    cleanup.push(() => void s1.close(), () => void s2.close());
    const strategy = findStrategy('diego') as Strategy;
    const logs: string[] = [];
    const a = new RealAuctioneer({ cells: [`http://127.0.0.1:${p1}`, `http://127.0.0.1:${p2}`], strategy, settings: resolveSettings(strategy, {}), store: BBSStore.open(null), token: null, convergeEveryMs: 200, pollEveryMs: 100, presenceTtlMs: 500, log: (l) => logs.push(l) });
    a.start();
    cleanup.push(() => a.stop());
    await waitFor(() => (a.actual()['cells'] as { present: boolean }[]).every((c) => c.present));
    a.desire({ processGuid: `part${seenFirst ? 'a' : 'b'}`, instances: 2, memoryMB: 100, diskMB: 10, template: 'sleeper', placementTags: [] });
    await waitFor(() => a1.state.LRPs.length === 1 && b2.state.LRPs.length === 1);
    const onA = a1.state.LRPs[0]!.instance_guid;
    if (seenFirst) await waitFor(() => ((a.actual()['apps'] as { actual: { state: string }[] }[])[0]?.actual.filter((x) => x.state === 'RUNNING').length ?? 0) === 2);
    // a1 stops answering (a partition): its process keeps running.
    s1.close();
    s1.closeAllConnections();
    await waitFor(() => b2.state.LRPs.filter((l) => l.state === 'RUNNING').length === 2, 5000);
    expect(logs.some((l) => l.startsWith('part') && l.includes('is SUSPECT')), logs.join('\n')).toBe(true);
    // The partition heals: a1 answers again, still running its copy.
    s1 = a1.server(null);
    await listen(s1, '127.0.0.1', p1);
    await waitFor(() => a1.state.LRPs.length === 0, 5000);
    expect(logs.some((l) => l.startsWith('stop part') && l.includes('on a1 (suspect)')), logs.join('\n')).toBe(true);
    expect(b2.state.LRPs.filter((l) => l.state === 'RUNNING')).toHaveLength(2);
    expect(b2.state.LRPs.map((l) => l.instance_guid)).not.toContain(onA);
    await a.stop();
  });
});
