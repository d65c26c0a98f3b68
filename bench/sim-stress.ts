// Question: how fast, and in how much memory, does the simulator run Diego's own scale target
// (diego-stress-250k: 250,000 instances on 1,000 cells, crashing apps, two fault drills) for one
// simulated hour? Target: under 30 s of wall time and under 1 GiB of RSS.
//
// Run: npx tsx bench/sim-stress.ts [simulated-minutes]   (default 60)
import { memoryUsage } from 'node:process';
import { loadScenarioFile, simulate } from '../src/index.js';
import { fmtMs, timed } from './timing.js';

/** Runs the benchmark, prints its lines and returns them. */
export function run(minutes = 60): string[] {
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  const scenario = loadScenarioFile('scenarios/diego-stress-250k.yaml');
  const durationMs = minutes * 60_000;
  say(`## sim-stress: diego-stress-250k for ${minutes} simulated minutes (target: 60 min in < 30 s wall, < 1 GiB RSS)`);
  let peakRss = 0;
  const r = timed(() =>
    simulate(scenario, {
      durationMs,
      onProgress: () => {
        peakRss = Math.max(peakRss, memoryUsage.rss());
      },
    }),
  );
  const s = r.value.summary;
  const instances = s.desiredAtEnd;
  say(
    `wall ${fmtMs(r.ms)}: ${(durationMs / r.ms).toFixed(1)} simulated seconds per wall second (ratio to real time); ` +
      `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB, ${((peakRss / Math.max(instances, 1)) | 0).toLocaleString('en')} bytes per desired instance`,
  );
  say(
    `  ${s.events.toLocaleString('en')} events, ${s.auctions.toLocaleString('en')} auctions, ${s.placed.toLocaleString('en')} placed, ` +
      `${s.failed.toLocaleString('en')} failed, ${s.crashes.toLocaleString('en')} crashes, ${s.messages.toLocaleString('en')} messages; ` +
      `${s.missingAtEnd.toLocaleString('en')} of ${instances.toLocaleString('en')} missing at the end`,
  );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) run(Number(process.argv[2] ?? 60));
