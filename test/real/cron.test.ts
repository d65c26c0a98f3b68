// Recurring tasks on the real auctioneer: PUT /v1/cron/:name, journalled; each tick one task under
// the tick's guid, run by a real process on a cell; across a restart from the journal no tick runs
// twice, and a tick sent again (its entry's record torn off the journal's end) is refused.
import type { Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findStrategy } from '../../src/core/strategies/index.js';
import { resolveSettings } from '../../src/core/settings.js';
import type { Strategy } from '../../src/core/strategy.js';
import { tickGuid } from '../../src/core/cron/tick-guid.js';
import { BBSStore } from '../../src/real/bbs-store.js';
import { RealAuctioneer } from '../../src/real/auctioneer.js';
import { RealCell } from '../../src/real/cell.js';
import { listen } from '../../src/real/http.js';
import { call, waitFor } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'auctionlab-cron-'));
const templates = new Map([['done', { command: process.execPath, args: ['-e', 'process.exit(0)'], env: {} }]]);
const cell = new RealCell({ id: 'c1', zone: 'z1', memoryMB: 4000, diskMB: 4000, containers: 40, repUrl: '', templates, logDir: null, limits: null, log: () => undefined, workDir: join(dir, 'work') });
const cellServer: Server = cell.server(null);
const strategy = findStrategy('diego') as Strategy;
const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
  cellServer.close();
  await cell.shutdown();
});

let cellUrl = '';
async function auctioneer(journal: string, logs: string[] = []): Promise<{ a: RealAuctioneer; base: string; store: BBSStore }> {
  if (cellUrl === '') cellUrl = `http://127.0.0.1:${await listen(cellServer, '127.0.0.1', 0)}`;
  const store = BBSStore.open(journal);
  const a = new RealAuctioneer({ cells: [cellUrl], strategy, settings: resolveSettings(strategy, {}), store, token: null, convergeEveryMs: 200, pollEveryMs: 100, presenceTtlMs: 2000, cronEveryMs: 100, log: (l) => logs.push(l) });
  a.start();
  const server = a.server();
  cleanup.push(() => a.stop(), () => server.close());
  return { a, base: `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`, store };
}

const tickTasks = (store: BBSStore, name: string) => [...store.tasks.values()].filter((t) => t.guid.startsWith(`${name}-`));

describe('cron on the real auctioneer', () => {
  it('ticks every second into tasks that real processes run; a restart from the journal keeps the entry and runs no tick twice', async () => {
    const journal = join(dir, 'restart.jsonl');
    const first = await auctioneer(journal);
    const put = await call(`${first.base}/v1/cron/tick`, 'PUT', { schedule: '@every 1s', template: 'done', memoryMB: 50, historyLimit: 100 });
    expect(put.status).toBe(202);
    await waitFor(() => tickTasks(first.store, 'tick').filter((t) => t.state === 'COMPLETED').length >= 2, 15_000);
    await first.a.stop();
    const before = tickTasks(first.store, 'tick').map((t) => t.guid);
    const second = await auctioneer(journal);
    expect(second.store.cron.get('tick')?.schedule).toBe('@every 1s');
    await waitFor(() => tickTasks(second.store, 'tick').length >= before.length + 2, 15_000);
    const after = tickTasks(second.store, 'tick');
    // One task per tick, each run on at most one cell, once.
    expect(new Set(after.map((t) => t.guid)).size).toBe(after.length);
    expect(after.every((t) => t.ranOn.length <= 1)).toBe(true);
    for (const g of before) expect(after.some((t) => t.guid === g)).toBe(true);
    const listed = (await call(`${second.base}/v1/cron`, 'GET')).body as unknown as { name: string; stats: { created: number; duplicatesRejected: number } }[];
    expect(listed.map((e) => e.name)).toEqual(['tick']);
    expect(listed[0]!.stats.created).toBeGreaterThanOrEqual(2);
    await second.a.stop();
  }, 60_000);

  it("a tick whose task reached the journal without its entry's new last tick is sent again after a restart, and refused", async () => {
    const journal = join(dir, 'torn.jsonl');
    // The journal as an auctioneer that died between the two records would leave it (the entry's
    // record is the one written after the task's).
    const store = BBSStore.open(journal);
    const created = Date.now() - 10 * 60_000;
    const tick = created + 60_000 * Math.floor((Date.now() - created) / 60_000);
    store.setCron({ name: 'torn', schedule: '@every 1m', concurrency: 'allow', startingDeadlineMs: null, historyLimit: 3, lateAfterMs: 10_000, template: 'done', memoryMB: 50, diskMB: 0, createdAtMs: created, lastScheduledMs: tick - 60_000 });
    store.setTask({ guid: tickGuid('torn', tick), template: 'done', memoryMB: 50, diskMB: 0, state: 'PENDING', cell: null, cellBoot: null, createdAtMs: tick, sentAtMs: null, completedAtMs: null, rejections: 0, failed: false, failureReason: '', ranOn: [] });
    store.sync();
    const logs: string[] = [];
    const { base, store: reopened, a } = await auctioneer(journal, logs);
    await waitFor(() => logs.some((l) => l.includes('sent again and refused')), 10_000);
    const stats = ((await call(`${base}/v1/cron/torn`, 'GET')).body as { stats: { duplicatesRejected: number; created: number } }).stats;
    expect(stats).toMatchObject({ duplicatesRejected: 1, created: 0 });
    await waitFor(() => reopened.tasks.get(tickGuid('torn', tick))?.state === 'COMPLETED', 10_000);
    expect(reopened.tasks.get(tickGuid('torn', tick))?.ranOn).toHaveLength(1);
    await a.stop();
  }, 30_000);

  it('bad entries are 400 with the field; unknown ones 404; prototype names are ordinary names', async () => {
    const { base, a } = await auctioneer(join(dir, 'bad.jsonl'));
    const put = (name: string, b: unknown) => call(`${base}/v1/cron/${encodeURIComponent(name)}`, 'PUT', b);
    const bad: [string, unknown, RegExp][] = [
      ['r', { schedule: '61 * * * *', template: 'done', memoryMB: 1 }, /^schedule: expected minute 0-59, hour 0-23/],
      ['r', { schedule: '@every 0s', template: 'done', memoryMB: 1 }, /^schedule: expected a period of at least 1s/],
      ['r', { schedule: 5, template: 'done', memoryMB: 1 }, /^schedule: expected five cron fields/],
      ['r', { schedule: '@hourly', concurrency: 'sometimes', template: 'done', memoryMB: 1 }, /^concurrency: expected allow, forbid or replace, got "sometimes"/],
      ['r', { schedule: '@hourly', template: 'done', memoryMB: 0 }, /^memoryMB: expected a whole number from 1/],
      ['r', { schedule: '@hourly', template: 'done', memoryMB: 1, startingDeadlineMs: -5 }, /^startingDeadlineMs: expected a whole number from 0/],
      ['x'.repeat(101), { schedule: '@hourly', template: 'done', memoryMB: 1 }, /^name: expected at most 100 characters/],
      ['a.b', { schedule: '@hourly', template: 'done', memoryMB: 1 }, /^name: expected a guid/],
    ];
    for (const [name, b, message] of bad) {
      const r = await put(name, b);
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(String((r.body as { error?: string }).error ?? r.body)).toMatch(message);
    }
    expect((await call(`${base}/v1/cron/nope`, 'DELETE')).status).toBe(404);
    expect((await call(`${base}/v1/cron/nope`, 'GET')).status).toBe(404);
    for (const n of ['__proto__', 'constructor', 'toString']) expect((await put(n, { schedule: '@daily', template: 'done', memoryMB: 1 })).status, n).toBe(202);
    const listed = (await call(`${base}/v1/cron`, 'GET')).body as unknown as { name: string }[];
    expect(listed.map((e) => e.name).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect((await call(`${base}/v1/cron/toString`, 'DELETE')).status).toBe(202);
    await a.stop();
  }, 30_000);
});
