import { loadScenarioFile } from '../src/scenario/load.js';
import { simulate } from '../src/sim/simulate.js';
const t0 = performance.now();
const r = simulate(loadScenarioFile('scenarios/diego-stress-250k.yaml'), { durationMs: Number(process.argv[2] ?? 300000) });
const s = r.summary;
console.log({ wall: performance.now() - t0, rss: process.memoryUsage().rss / 2 ** 20, auctions: s.auctions, placed: s.placed, failed: s.failed, fr: s.failuresByReason, missing: s.missingAtEnd, crashes: s.crashes, events: s.events, msgs: s.messages, conv: s.convergence, wait: s.waitMs });
