// One measured run for bench/sim-stress.ts, in a process of its own, on the built code (what the
// `auctionlab` command runs): prints the figures as one JSON line. Run `npm run build` first.
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';
import { loadScenarioFile, simulate } from '../dist/src/sim.js';

// [minutes] [scenario file]: another file (bench/sim-sweep.ts's scaled ones) is read with the size limits lifted.
const minutes = Number(process.argv[2] ?? 60);
const file = process.argv[3] ?? 'scenarios/diego-stress-250k.yaml';
const scenario = loadScenarioFile(file, { allowLarge: process.argv[3] !== undefined });
const t0 = performance.now();
const r = simulate(scenario, { durationMs: minutes * 60_000 });
const wallMs = performance.now() - t0;
const s = r.summary;
console.log(
  JSON.stringify({
    wallMs,
    maxRssMiB: resourceUsage().maxRSS / 1024,
    events: s.events,
    auctions: s.auctions,
    placed: s.placed,
    failed: s.failed,
    crashes: s.crashes,
    messages: s.messages,
    desired: s.desiredAtEnd,
    running: s.desiredAtEnd - s.missingAtEnd,
    missing: s.missingAtEnd,
    digest: r.digest,
  }),
);
