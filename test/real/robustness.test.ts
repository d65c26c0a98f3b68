// No input crashes a server: random JSON (and non-JSON) bodies on every route of a real cell and a
// real auctioneer get a 2xx or a 4xx with a message, never a 500, and the servers keep answering.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { findStrategy } from '../../src/core/strategies/index.js';
import { resolveSettings } from '../../src/core/settings.js';
import type { Strategy } from '../../src/core/strategy.js';
import { BBSStore } from '../../src/real/bbs-store.js';
import { RealAuctioneer } from '../../src/real/auctioneer.js';
import { RealCell } from '../../src/real/cell.js';
import { listen } from '../../src/real/http.js';

const cell = new RealCell({ id: 'c1', zone: 'z1', memoryMB: 1000, diskMB: 1000, containers: 10, repUrl: '', templates: new Map(), logDir: null, limits: null, log: () => undefined });
const cellServer = cell.server(null);
const strategy = findStrategy('diego') as Strategy;
const auctioneer = new RealAuctioneer({ cells: [], strategy, settings: resolveSettings(strategy, {}), store: BBSStore.open(null), token: null, convergeEveryMs: 60_000, pollEveryMs: 60_000, presenceTtlMs: 10_000, log: () => undefined });
const auctioneerServer = auctioneer.server();
const errors: string[] = [];
afterAll(async () => {
  cellServer.close();
  auctioneerServer.close();
  await auctioneer.stop();
  await cell.shutdown();
});

const routes = {
  cell: ['POST /work', 'POST /v1/lrps/web/instances/g/stop', 'POST /v1/tasks/t/cancel', 'POST /v1/auction/bid', 'POST /v1/auction/reserve', 'POST /v1/auction/claim', 'POST /v1/auction/release', 'GET /state'],
  auctioneer: ['POST /v1/lrps', 'POST /v1/tasks', 'PUT /v1/apps/web', 'POST /v1/apps/web/scale', 'POST /v1/task_submissions', 'DELETE /v1/apps/nothing', 'GET /v1/actual'],
};

describe('no input crashes a server', () => {
  it('random bodies on every route: 2xx or 4xx, never 500, and still serving', async () => {
    const bases = {
      cell: `http://127.0.0.1:${await listen(cellServer, '127.0.0.1', 0)}`,
      auctioneer: `http://127.0.0.1:${await listen(auctioneerServer, '127.0.0.1', 0)}`,
    };
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
      fc.constantFrom('{"LRPs":[{"process_guid":"a","index":-1}]}', '[{"process_guid":"x","indices":[1e309]}]', '{"instances":1e9,"memoryMB":1,"template":"a"}', '{"kind":"lrp","id":"a","lrp":{}}'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...(Object.keys(routes) as (keyof typeof routes)[])), fc.nat(20), body, async (server, pick, text) => {
        const list = routes[server];
        const [method, path] = list[pick % list.length]!.split(' ') as [string, string];
        const res = await fetch(`${bases[server]}${path}`, { method, ...(method === 'GET' ? {} : { body: text }) });
        const reply = (await res.json()) as { error?: string };
        if (res.status >= 500) errors.push(`${server} ${method} ${path} ${text.slice(0, 80)} -> ${res.status} ${reply.error}`);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(typeof reply.error).toBe('string');
      }),
      { numRuns: 300, seed: 7 },
    );
    expect(errors).toEqual([]);
    expect((await fetch(`${bases.cell}/ping`)).status).toBe(200);
    expect((await fetch(`${bases.auctioneer}/ping`)).status).toBe(200);
  }, 60_000);
});
