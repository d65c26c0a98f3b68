// The real auctioneer in this process over real cells on loopback, with strategies other than
// Diego's: the 2014 bidding messages (bid, reserve, claim, release) and the baselines go over HTTP too.
import type { Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { findStrategy } from '../../src/core/strategies/index.js';
import { resolveSettings } from '../../src/core/settings.js';
import type { Strategy } from '../../src/core/strategy.js';
import { BBSStore } from '../../src/real/bbs-store.js';
import { RealAuctioneer } from '../../src/real/auctioneer.js';
import { RealCell } from '../../src/real/cell.js';
import { listen } from '../../src/real/http.js';

const templates = new Map([['sleeper', { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1 << 30)'], env: {} }]]);
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

async function waitFor(ok: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
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
});
