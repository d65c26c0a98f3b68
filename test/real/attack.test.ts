// The real backend under attack: every route of the auctioneer and the cell gets names inherited
// from Object.prototype, `..`, over-long and non-ASCII guids. Each answer is a 2xx that treats the
// name as an ordinary key, or a 4xx with a message; the servers keep serving, no loop fails, and the
// journal reopens with exactly the acknowledged state.
import type { Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findStrategy } from '../../src/core/strategies/index.js';
import { resolveSettings } from '../../src/core/settings.js';
import type { Strategy } from '../../src/core/strategy.js';
import { BBSStore } from '../../src/real/bbs-store.js';
import { RealAuctioneer } from '../../src/real/auctioneer.js';
import { RealCell } from '../../src/real/cell.js';
import { listen } from '../../src/real/http.js';
import { call, waitFor } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'auctionlab-attack-'));
const journal = join(dir, 'bbs.jsonl');
const templates = new Map([['sleeper', { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1 << 30)'], env: {} }]]);
const cell = new RealCell({ id: 'c1', zone: 'z1', memoryMB: 4000, diskMB: 4000, containers: 40, repUrl: '', templates, logDir: join(dir, 'logs'), limits: null, log: () => undefined, workDir: join(dir, 'work') });
const cellServer: Server = cell.server(null);
const strategy = findStrategy('diego') as Strategy;
const logs: string[] = [];
const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
  cellServer.close();
  await cell.shutdown();
});

function auctioneer(cellUrl: string): RealAuctioneer {
  const a = new RealAuctioneer({ cells: [cellUrl], strategy, settings: resolveSettings(strategy, {}), store: BBSStore.open(journal), token: null, convergeEveryMs: 200, pollEveryMs: 100, presenceTtlMs: 2000, log: (l) => logs.push(l) });
  a.start();
  cleanup.push(() => a.stop());
  return a;
}

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__'];
const BAD_NAMES = ['..', '.', 'a.b', 'x'.repeat(300), 'é', '日本', 'a b', 'a%2Fb', '%2e%2e', ''];

describe('the real backend under attack', () => {
  it('prototype names are ordinary names, bad names are 400, and nothing takes the auctioneer down', async () => {
    const cellUrl = `http://127.0.0.1:${await listen(cellServer, '127.0.0.1', 0)}`;
    const a = auctioneer(cellUrl);
    const server = a.server();
    cleanup.push(() => server.close());
    const base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;

    // The request that used to kill the auctioneer for good: scaling an app named like a prototype member.
    for (const n of PROTOTYPE_NAMES) {
      const enc = encodeURIComponent(n);
      expect((await call(`${base}/v1/apps/${enc}/scale`, 'POST', { instances: 1 })).status, n).toBe(404);
      expect((await call(`${base}/v1/apps/${enc}`, 'DELETE')).status, n).toBe(404);
    }
    // They are valid guids (Diego's [A-Za-z0-9_-]+): desired and submitted as ordinary keys, at most once.
    for (const n of PROTOTYPE_NAMES) {
      const enc = encodeURIComponent(n);
      expect((await call(`${base}/v1/apps/${enc}`, 'PUT', { instances: 1, memoryMB: 10, template: 'sleeper' })).status, n).toBe(202);
      expect((await call(`${base}/v1/apps/${enc}/scale`, 'POST', { instances: 2 })).status, n).toBe(202);
      expect((await call(`${base}/v1/task_submissions`, 'POST', { guid: n, template: 'sleeper', memoryMB: 10 })).status, n).toBe(202);
      expect((await call(`${base}/v1/task_submissions`, 'POST', { guid: n, template: 'sleeper', memoryMB: 10 })).status, n).toBe(409);
    }
    // A body whose keys are prototype names is not a way around validation.
    expect((await call(`${base}/v1/apps/web`, 'PUT', JSON.parse('{"__proto__":{"instances":1,"memoryMB":1,"template":"sleeper"}}'))).status).toBe(400);
    for (const n of BAD_NAMES) {
      const enc = encodeURIComponent(n);
      const what = JSON.stringify(n.slice(0, 20));
      if (n !== '') {
        // `.` and `..` never reach a handler (clients resolve them in the path, to another route or
        // none: 404 or 405); every other bad name is a 400 from the handler.
        const dots = n === '.' || n === '..';
        for (const [method, path, body] of [['PUT', `/v1/apps/${enc}`, { instances: 1, memoryMB: 10, template: 'sleeper' }], ['POST', `/v1/apps/${enc}/scale`, { instances: 1 }], ['DELETE', `/v1/apps/${enc}`, undefined]] as const) {
          const r = await call(`${base}${path}`, method, body);
          if (dots) expect([404, 405], `${method} ${what}`).toContain(r.status);
          else expect(r.status, `${method} ${what}`).toBe(400);
        }
      }
      const bad = await call(`${base}/v1/task_submissions`, 'POST', { guid: n, template: 'sleeper', memoryMB: 10 });
      expect(bad.status, what).toBe(400);
      expect(bad.body['error'], what).toMatch(/^guid: expected a guid/);
      // (`a.b` is a valid template name.)
      if (n !== 'a.b') expect((await call(`${base}/v1/apps/ok`, 'PUT', { instances: 1, memoryMB: 10, template: n })).status, what).toBe(400);
      // Diego's auction API drops invalid requests (202, logged), as Diego's handlers do.
      expect((await call(`${base}/v1/tasks`, 'POST', [{ TaskGuid: n || 'x', Domain: n === '' ? '' : 'd', RootFs: 'template:sleeper', MemoryMB: 1, DiskMB: 0 }])).status, what).toBeLessThan(500);
      expect((await call(`${base}/v1/lrps`, 'POST', [{ process_guid: n || 'x', domain: n === '' ? '' : 'd', indices: [0], RootFs: 'template:sleeper', MemoryMB: 1, DiskMB: 0 }])).status, what).toBeLessThan(500);
      // The cell: stop, cancel and update of unknown names are harmless.
      for (const [method, path] of [['POST', `/v1/lrps/${enc}/instances/${enc}/stop`], ['POST', `/v1/tasks/${enc}/cancel`], ['PUT', `/v2/lrps/${enc}/instances/${enc}`]] as const) {
        if (n === '') continue;
        const r = await call(`${cellUrl}${path}`, method, method === 'PUT' ? {} : undefined);
        expect(r.status, `${method} ${path.slice(0, 40)}`).toBeLessThan(500);
      }
    }
    // A request with a huge list of indices is dropped whole, and its neighbour in the body is not
    // half-applied by a failure after it (was: a 500 from a stack overflow, the first app created).
    const huge = await call(`${base}/v1/lrps`, 'POST', [{ process_guid: 'halfdone', domain: 'd', indices: [2], RootFs: 'template:nowhere', MemoryMB: 1, DiskMB: 0 }, { process_guid: 'bigone', domain: 'd', indices: Array.from({ length: 150_000 }, () => 0), RootFs: 'template:sleeper', MemoryMB: 1, DiskMB: 0 }]);
    expect(huge.status).toBe(202);
    expect(logs.some((l) => l.includes('"bigone" dropped: indices: expected at most 10000 indices'))).toBe(true);
    expect(a.undesire('halfdone')).toBe(true);
    expect(a.actual()['apps']).toHaveLength(PROTOTYPE_NAMES.length);
    expect((await call(`${base}/ping`, 'GET')).status).toBe(200);
    expect((await call(`${cellUrl}/ping`, 'GET')).status).toBe(200);

    // The loops ran over all of it without an error, and placed every instance of the odd names.
    await waitFor(() => cell.state.LRPs.filter((l) => l.state === 'RUNNING').length === PROTOTYPE_NAMES.length * 2, 15_000);
    expect(a.counters.errors).toBe(0);
    expect(logs.filter((l) => l.startsWith('error'))).toEqual([]);
    const placed = new Set(cell.state.LRPs.map((l) => l.process_guid));
    for (const n of PROTOTYPE_NAMES) expect(placed.has(n), n).toBe(true);

    // Restart over the same journal: the acknowledged state, exactly.
    await a.stop();
    server.close();
    const before = structuredClone(a.actual()['tasks']);
    const again = BBSStore.open(journal);
    expect([...again.desired.keys()].sort()).toEqual([...PROTOTYPE_NAMES].sort());
    for (const n of PROTOTYPE_NAMES) expect(again.desired.get(n)?.instances, n).toBe(2);
    expect([...again.tasks.values()]).toEqual(before);
    expect(again.desired.get('hasOwnProperty')?.template).toBe('sleeper');
    expect(readFileSync(journal, 'utf8').endsWith('\n')).toBe(true);
  }, 40_000);
});
