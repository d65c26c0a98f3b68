// One measured run for bench/sim-stress.ts, bench/sim-sweep.ts and bench/sim-x10.ts, in a process of
// its own, on the built code (what the `auctionlab` command runs): prints the figures as one JSON
// line. Run `npm run build` first.
//
// node [--expose-gc] bench/sim-stress-child.mjs [minutes] [scenario file] [--live]
//
// Another file than diego-stress-250k (the sweep's scaled ones, diego-x10) is read with the size
// limits lifted. With --live (and node's --expose-gc) the run stops at every tenth of its simulated
// time to collect all garbage and read the heap still in use: the live state, which is what
// "bytes per instance" means (peak RSS also counts the garbage Node lets pile up before collecting).
// The collections cost wall time, so a --live run's wall time is not one to quote. Besides the run's
// totals it reports its wall time by quarter of the simulated time (`quartersMs`) and after the last
// simulated millisecond (`endMs`, the summary).
import { performance } from 'node:perf_hooks';
import { memoryUsage, resourceUsage } from 'node:process';
import { loadScenarioFile, simulate } from '../dist/src/sim.js';

const args = process.argv.slice(2).filter((a) => a !== '--live');
const live = process.argv.includes('--live');
const minutes = Number(args[0] ?? 60);
const file = args[1] ?? 'scenarios/diego-stress-250k.yaml';
if (live && typeof globalThis.gc !== 'function') throw new Error('--live needs node --expose-gc');
const scenario = loadScenarioFile(file, { allowLarge: args[1] !== undefined });
let liveMiB = 0;
let tenth = 0;
// Wall time by quarter of the simulated time (the first with the world's setup), where a sweep sees
// which part of a run grows with the cluster; the run's end (its summary) is what follows the last.
const quartersMs = [];
let quarterStart = 0;
const onProgress = (fraction) => {
  // The simulator reports every hundredth of the run; a quarter ends at its 25th, 50th, ...
  while (quartersMs.length < 4 && Math.round(fraction * 100) >= 25 * (quartersMs.length + 1)) {
    const now = performance.now() - t0;
    quartersMs.push(now - quarterStart);
    quarterStart = now;
  }
  if (!live || fraction * 10 < tenth + 1) return;
  tenth = Math.floor(fraction * 10);
  globalThis.gc();
  liveMiB = Math.max(liveMiB, memoryUsage().heapUsed / 2 ** 20);
};
const t0 = performance.now();
const r = simulate(scenario, { durationMs: minutes * 60_000, onProgress });
const wallMs = performance.now() - t0;
const s = r.summary;
// The whole process's CPU (the collector's helper thread included) and the kernel's share of it,
// most of which is page faults: the first touch of each page of heap the run grows into.
const usage = resourceUsage();
console.log(
  JSON.stringify({
    wallMs,
    maxRssMiB: usage.maxRSS / 1024,
    userS: usage.userCPUTime / 1e6,
    kernelS: usage.systemCPUTime / 1e6,
    pageFaults: usage.minorPageFault + usage.majorPageFault,
    ...(live ? { liveMiB } : {}),
    quartersMs,
    endMs: wallMs - quarterStart,
    events: s.events,
    auctions: s.auctions,
    placed: s.placed,
    failed: s.failed,
    crashes: s.crashes,
    messages: s.messages,
    desired: s.desiredAtEnd,
    running: s.desiredAtEnd - s.missingAtEnd,
    missing: s.missingAtEnd,
    expectations: r.expectations.map((e) => `${e.name}: ${e.ok ? 'held' : 'BROKEN'} (${e.detail})`),
    digest: r.digest,
  }),
);
