// Regenerates test/sim/golden-digests.json: the digest of every bundled scenario (the 250k one and
// the large ones over a shortened duration). Run it only after a change that is meant to change what runs do, and say
// why in the commit: `npx tsx scripts/update-golden.ts`.
import { writeFileSync } from 'node:fs';
import { BUNDLED_SCENARIOS, LARGE_BUNDLED_SCENARIOS, loadScenarioFile, simulate } from '../src/sim.js';

/** Simulated durations used for scenarios too long to run in full in the test suite (the 250k cold start's batch is placed after about 15 simulated minutes of scheduling). */
/** diego-x10: the first 30 s of its cold start (50,000 instances onto 12,500 cells; a minute takes 10 s or more). */
export const GOLDEN_DURATIONS: Record<string, number> = { 'diego-stress-250k': 16 * 60_000, 'diego-x10': 30_000 };

const out: Record<string, { durationMs: number; digest: string }> = {};
const large: readonly string[] = LARGE_BUNDLED_SCENARIOS;
for (const name of [...BUNDLED_SCENARIOS, ...LARGE_BUNDLED_SCENARIOS]) {
  const s = loadScenarioFile(`scenarios/${name}.yaml`, { allowLarge: large.includes(name) });
  const durationMs = GOLDEN_DURATIONS[name] ?? s.durationMs;
  out[name] = { durationMs, digest: simulate(s, { durationMs }).digest };
  console.log(name, out[name]);
}
writeFileSync('test/sim/golden-digests.json', `${JSON.stringify(out, null, 2)}\n`);
