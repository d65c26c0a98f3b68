// Question: how long does the real auctioneer take to answer a 1,000-task `POST /v1/tasks` over HTTP
// (parse, validate, journal with one append and one fsync, 202), into an empty BBS and into one
// holding 4,000 tasks? Baseline in the same run: the same requests to an auctioneer whose BBS is in
// memory only (no journal), so the ratio is what durability costs a request. (Before this work the
// same POST took 0.8 s empty and 10.1 s with 4,000 stored, the whole state rewritten per task.)
//
// Run: npx tsx bench/auctioneer-post.ts   (npm run bench runs every benchmark)
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { findStrategy } from '../src/core/strategies/index.js';
import { resolveSettings } from '../src/core/settings.js';
import type { Strategy } from '../src/core/strategy.js';
import { RealAuctioneer } from '../src/real/auctioneer.js';
import { BBSStore } from '../src/real/bbs-store.js';
import { listen } from '../src/real/http.js';
import { fmtMs } from './timing.js';

const STORED = 4_000;
const POST = 1_000;
const RUNS = 5;

const body = (from: number, n: number) =>
  JSON.stringify(Array.from({ length: n }, (_, i) => ({ TaskGuid: `t-${from + i}`, Domain: 'bench', RootFs: 'template:sleeper', MemoryMB: 64, DiskMB: 0 })));

// An auctioneer with no cells: its passes find nothing to place, so the request is what is timed.
async function auctioneer(store: BBSStore): Promise<{ url: string; stop: () => Promise<void> }> {
  const strategy = findStrategy('diego') as Strategy;
  const a = new RealAuctioneer({ cells: [], strategy, settings: resolveSettings(strategy, {}), store, token: null, convergeEveryMs: 3_600_000, pollEveryMs: 3_600_000, presenceTtlMs: 10_000, log: () => undefined });
  const server: Server = a.server();
  const url = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
  return { url, stop: async () => { server.close(); await a.stop(); } };
}

// The median wall time of RUNS POSTs of POST new tasks each, after `stored` tasks were posted.
async function postMs(store: BBSStore, stored: number): Promise<number> {
  const a = await auctioneer(store);
  try {
    for (let i = 0; i < stored; i += POST) await fetch(`${a.url}/v1/tasks`, { method: 'POST', body: body(i, POST) });
    const ms: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const text = body(1_000_000 * (r + 1), POST);
      const t0 = performance.now();
      const res = await fetch(`${a.url}/v1/tasks`, { method: 'POST', body: text });
      await res.text();
      ms.push(performance.now() - t0);
      if (res.status !== 202) throw new Error(`POST answered ${res.status}`);
    }
    if (store.tasks.size !== stored + RUNS * POST) throw new Error(`expected ${stored + RUNS * POST} tasks, found ${store.tasks.size}`);
    return ms.sort((x, y) => x - y)[Math.floor(RUNS / 2)] as number;
  } finally {
    await a.stop();
  }
}

/** Runs the benchmark, prints its lines and returns them. */
export async function run(): Promise<string[]> {
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  const dir = mkdtempSync(join(tmpdir(), 'auctioneer-post-'));
  try {
    say(`## auctioneer-post: a ${POST.toLocaleString('en')}-task POST /v1/tasks over HTTP, median of ${RUNS}, journalled (append + fsync) against memory-only`);
    await postMs(BBSStore.open(null), 0); // warm-up
    for (const stored of [0, STORED]) {
      const memory = await postMs(BBSStore.open(null), stored);
      const journal = await postMs(BBSStore.open(join(dir, `bbs-${stored}.jsonl`)), stored);
      say(`  ${`${stored.toLocaleString('en')} stored`.padEnd(12)}: memory-only ${fmtMs(memory)}, journal ${fmtMs(journal)}: ratio ${(journal / memory).toFixed(2)}x`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
