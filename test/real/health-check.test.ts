// Real cells' health checks: a process is running (to the auctioneer) only once its check passes; one
// that never passes within the start timeout, or stops answering its port later, is stopped by its
// cell and reported crashed with the check's reason, and the auctioneer restarts it (Diego's policy).
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { findStrategy } from '../../src/core/strategies/index.js';
import { resolveSettings } from '../../src/core/settings.js';
import type { Strategy } from '../../src/core/strategy.js';
import { BBSStore } from '../../src/real/bbs-store.js';
import { RealAuctioneer } from '../../src/real/auctioneer.js';
import { RealCell } from '../../src/real/cell.js';
import { HealthMonitor, probe, type HealthCheckSpec } from '../../src/real/health-check.js';
import { listen } from '../../src/real/http.js';
import { parseTemplates } from '../../src/real/templates.js';
import { canBind, PortPool } from '../../src/real/port-pool.js';
import { waitFor } from './support.js';

// An HTTP server on $PORT that answers /health with 200 for `answerMs`, then closes its port (the
// process stays alive: only the check can tell).
const server = (answerMs: number) => `
const http = require('http');
const s = http.createServer((q, r) => { r.writeHead(q.url === '/health' ? 200 : 404); r.end(); });
s.listen(Number(process.env.PORT), '127.0.0.1');
if (${answerMs} > 0) setTimeout(() => s.close(), ${answerMs});
setInterval(() => {}, 1 << 30);`;
const check = (o: Partial<HealthCheckSpec>): HealthCheckSpec => ({ type: 'http', endpoint: '/health', startTimeoutMs: 3000, intervalMs: 300, timeoutMs: 500, ...o });
const templates = new Map([
  ['stops-answering', { command: process.execPath, args: ['-e', server(1500)], env: {}, healthCheck: check({}) }],
  ['never-listens', { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1 << 30)'], env: {}, healthCheck: check({ type: 'port', startTimeoutMs: 1000 }) }],
  ['process', { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1 << 30)'], env: {}, healthCheck: check({ type: 'process' }) }],
]);
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

async function cell(id: string): Promise<{ cell: RealCell; url: string }> {
  const c = new RealCell({ id, zone: 'z1', memoryMB: 1000, diskMB: 1000, containers: 10, repUrl: '', templates, logDir: null, limits: null, log: () => undefined });
  const s = c.server(null);
  const url = `http://127.0.0.1:${await listen(s, '127.0.0.1', 0)}`;
  cleanup.push(() => void s.close(), () => c.shutdown());
  return { cell: c, url };
}

type State = { LRPs: { instance_guid: string; state: string }[]; HealthChecks: { instance_guid: string; type: string; healthy: boolean; port: number; failures: number; last_error: string | null }[]; CrashedLRPs: { instance_guid: string; crash_reason: string }[] };
const stateOf = async (url: string) => (await (await fetch(`${url}/state`)).json()) as State;

describe('real health checks', () => {
  it('a process that stops answering its port is stopped by its cell, reported crashed with the reason, and restarted by the auctioneer', async () => {
    const { cell: c, url } = await cell('hc1');
    const strategy = findStrategy('diego') as Strategy;
    const a = new RealAuctioneer({ cells: [url], strategy, settings: resolveSettings(strategy, {}), store: BBSStore.open(null), token: null, convergeEveryMs: 300, pollEveryMs: 100, presenceTtlMs: 5000, log: () => undefined });
    a.start();
    cleanup.push(() => a.stop());
    a.desire({ processGuid: 'web', instances: 1, memoryMB: 100, diskMB: 10, template: 'stops-answering', placementTags: [] });
    // Running (to the auctioneer) only once the check passes; /state says how the checks went.
    await waitFor(() => c.state.LRPs.some((l) => l.state === 'RUNNING'));
    const first = c.state.LRPs[0]!.instance_guid;
    const s = await stateOf(url);
    expect(s.HealthChecks).toMatchObject([{ instance_guid: first, type: 'http', healthy: true }]);
    expect(s.HealthChecks[0]!.port).toBeGreaterThanOrEqual(61001);
    // The server closes its port 1.5 s in: the next check fails, the cell stops it and reports a
    // crash; the auctioneer restarts it (a first crash: at once), and the new one passes its check.
    await waitFor(() => c.state.LRPs.some((l) => l.instance_guid !== first && l.state === 'RUNNING'), 15_000);
    expect(c.state.LRPs.map((l) => l.instance_guid)).not.toContain(first);
    // The auctioneer sees it at its next poll: running again, after one crash.
    const view = () => (a.actual()['apps'] as { processGuid: string; actual: { state: string; crash_count: number }[] }[]).find((x) => x.processGuid === 'web')?.actual[0];
    await waitFor(() => view()?.state === 'RUNNING');
    expect(view()).toMatchObject({ state: 'RUNNING', crash_count: 1 });
    await a.stop();
  }, 30_000);

  it('one that never answers within its start timeout is reported crashed with the timeout; a process check passes at once', async () => {
    const { cell: c, url } = await cell('hc2');
    const lrp = (guid: string, template: string) => ({ instance_guid: `${guid}-0`, process_guid: guid, index: 0, domain: 'd', PlacementTags: [], VolumeDrivers: [], RootFs: `template:${template}`, MemoryMB: 100, DiskMB: 10, MaxPids: 0, state: '' });
    const r = await fetch(`${url}/work`, { method: 'POST', body: JSON.stringify({ LRPs: [lrp('mute', 'never-listens'), lrp('proc', 'process')], Tasks: [], cell_id: 'hc2' }) });
    expect(r.status).toBe(200);
    // Not running while its start check fails.
    const early = await stateOf(url);
    expect(early.LRPs.find((l) => l.instance_guid === 'mute-0')?.state).not.toBe('RUNNING');
    await waitFor(async () => (await stateOf(url)).CrashedLRPs.length === 1, 10_000);
    const s = await stateOf(url);
    expect(s.CrashedLRPs[0]).toMatchObject({ instance_guid: 'mute-0' });
    expect(s.CrashedLRPs[0]!.crash_reason).toMatch(/^health check timed out after 1 s: cannot connect to port \d+: ECONNREFUSED$/);
    expect(s.LRPs.map((l) => [l.instance_guid, l.state])).toEqual([['proc-0', 'RUNNING']]);
    expect(c.state.LRPs).toHaveLength(1);
  }, 20_000);
});

describe('health check probes and monitors', () => {
  it('an http check wants 200 from its endpoint; a port check a connection; each within its timeout', async () => {
    const { createServer } = await import('node:http');
    const s = createServer((q, r) => {
      if (q.url === '/slow') return void setTimeout(() => r.end(), 2000);
      r.writeHead(q.url === '/health' ? 200 : 503);
      r.end();
    });
    const port = await listen(s, '127.0.0.1', 0);
    cleanup.push(() => void s.close());
    expect(await probe(check({ endpoint: '/health' }), port)).toBeNull();
    expect(await probe(check({ endpoint: '/' }), port)).toBe('GET / answered 503');
    expect(await probe(check({ endpoint: '/slow', timeoutMs: 100 }), port)).toBe('no answer within 100 ms');
    expect(await probe(check({ type: 'port' }), port)).toBeNull();
    expect(await probe(check({ type: 'process' }), 0)).toBeNull();
  });

  it("an http check sends Diego's headers, follows redirects on the instance's own port only, and closes what it opens", async () => {
    const { createServer } = await import('node:http');
    const seen: string[] = [];
    let open = 0;
    const s = createServer((q, r) => {
      seen.push(`${q.url} ${q.headers['user-agent']} ${q.headers['x-forwarded-proto']}`);
      if (q.url === '/health') return void r.writeHead(302, { location: '/ok' }).end();
      if (q.url === '/away') return void r.writeHead(301, { location: 'http://example.com/ok' }).end();
      if (q.url === '/stream') {
        // 200, then a body that never ends: the check reads it within its timeout, and fails.
        r.writeHead(200);
        r.write('x');
        return;
      }
      r.writeHead(q.url === '/ok' ? 200 : 404).end();
    });
    s.on('connection', (c) => {
      open++;
      c.on('close', () => open--);
    });
    const port = await listen(s, '127.0.0.1', 0);
    cleanup.push(() => void s.close());
    expect(await probe(check({ endpoint: '/health' }), port)).toBeNull();
    expect(seen).toEqual(['/health diego-healthcheck https', '/ok diego-healthcheck https']);
    expect(await probe(check({ endpoint: '/away' }), port)).toBe('GET /away redirected off the instance (to "http://example.com/ok")');
    expect(await probe(check({ endpoint: '/stream', timeoutMs: 200 }), port)).toBe('no answer within 200 ms');
    await waitFor(() => open === 0, 2000);
  });

  it('a start check is a deadline: a pass after the start timeout does not count', async () => {
    const seen: string[] = [];
    // Each probe takes 300 ms and passes; the start timeout is 100 ms, so the probe gets 100 ms.
    const slow = (spec: HealthCheckSpec) => new Promise<string | null>((r) => setTimeout(() => r(spec.timeoutMs >= 300 ? null : `no answer within ${spec.timeoutMs} ms`), Math.min(300, spec.timeoutMs)));
    const m = new HealthMonitor(check({ startTimeoutMs: 100, timeoutMs: 1000 }), 1, { healthy: () => seen.push('healthy'), failed: (why) => seen.push(why) }, slow);
    m.start();
    await waitFor(() => seen.length === 1, 3000);
    expect(seen[0]).toMatch(/^health check timed out after 0 s: no answer within \d+ ms$/);
  });

  it('a port is handed out only if nothing on the host listens there, from a random place in the pool, and given back', async () => {
    const taken = createNetServer();
    const busy = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as AddressInfo).port)));
    cleanup.push(() => void taken.close());
    expect(await canBind(busy)).toBe(false);
    // A pool of two ports, one of them busy on the host: every instance gets the free one.
    const pool = new PortPool(busy - 1, 2, async (p) => p !== busy);
    const port = await pool.takeFree('a');
    expect(port).toBe(busy - 1);
    await expect(pool.takeFree('b')).rejects.toThrow(/no free port among 200 of the pool/);
    pool.give('a');
    expect(pool.handedOut).toBe(0);
  });

  it('a cell reset gives back every port; an instance started after it has one again', async () => {
    const { cell: c, url } = await cell('hc3');
    const lrp = (i: number) => ({ instance_guid: `s-${i}`, process_guid: 's', index: i, domain: 'd', PlacementTags: [], VolumeDrivers: [], RootFs: 'template:process', MemoryMB: 10, DiskMB: 1, MaxPids: 0, state: '' });
    await fetch(`${url}/work`, { method: 'POST', body: JSON.stringify({ LRPs: [lrp(0), lrp(1), lrp(2)], Tasks: [], cell_id: 'hc3' }) });
    await waitFor(() => c.state.LRPs.filter((l) => l.state === 'RUNNING').length === 3);
    expect(c.portsHandedOut).toBe(3);
    c.reset();
    expect(c.portsHandedOut).toBe(0);
  });

  it('a monitor is healthy once, then fails once, and checks no more', async () => {
    const verdicts: (string | null)[] = [null, 'down'];
    const seen: string[] = [];
    const m = new HealthMonitor(check({ intervalMs: 10 }), 1, { healthy: () => seen.push('healthy'), failed: (why) => seen.push(why) }, async () => (verdicts.length > 0 ? verdicts.shift()! : null));
    m.start();
    await waitFor(() => seen.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['healthy', 'health check failed: down']);
    expect(m.status()).toMatchObject({ healthy: false, checks: 2, failures: 1, lastError: 'down' });
  });

  it("reads a template's healthCheck, refusing what is wrong with its path", () => {
    const t = parseTemplates('templates: { web: { command: node, healthCheck: { type: http, endpoint: /health, startTimeout: 90s, interval: 10s, timeout: 2s } } }');
    expect(t.get('web')?.healthCheck).toEqual({ type: 'http', endpoint: '/health', startTimeoutMs: 90_000, intervalMs: 10_000, timeoutMs: 2000 });
    expect(parseTemplates('templates: { web: { command: node, healthCheck: {} } }').get('web')?.healthCheck).toEqual({ type: 'port', endpoint: '/', startTimeoutMs: 60_000, intervalMs: 30_000, timeoutMs: 1000 });
    const problems = (text: string) => {
      try {
        parseTemplates(text);
        return [];
      } catch (e) {
        return (e as { problems: { path: string; message: string }[] }).problems.map((p) => `${p.path}: ${p.message}`);
      }
    };
    expect(problems('templates: { web: { command: node, healthCheck: { type: tcp } } }')).toEqual(['templates.web.healthCheck.type: expected port, http or process, got "tcp"']);
    expect(problems('templates: { web: { command: node, healthCheck: { type: http, endpoint: "http://evil/" } } }')).toEqual(['templates.web.healthCheck.endpoint: expected a path starting with / (printable ASCII, no spaces, at most 1024), got "http://evil/"']);
    expect(problems('templates: { web: { command: node, healthCheck: { endpoint: /x } } }')).toEqual(['templates.web.healthCheck.endpoint: only an http check asks for an endpoint (type is port)']);
    expect(problems('templates: { web: { command: node, healthCheck: { interval: -1s, __proto__: 1 } } }')).toEqual([
      'templates.web.healthCheck.__proto__: unknown field (expected type, endpoint, startTimeout, interval or timeout)',
      'templates.web.healthCheck.interval: expected a duration from 100 ms to 1h such as 500ms, 30s or 2m, got "-1s"',
    ]);
    expect(problems('templates: { web: { command: node, healthCheck: [] } }')).toEqual(['templates.web.healthCheck: expected {type, endpoint, startTimeout, interval, timeout}']);
    expect(problems('templates: { web: { command: node, healthCheck: { startTimeout: 500ms, timeout: 10s } } }')).toEqual(['templates.web.healthCheck.timeout: expected at most startTimeout (500 ms) and interval (30000 ms), got 10000 ms']);
  });
});
