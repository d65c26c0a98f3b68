import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS, LARGE_BUNDLED_SCENARIOS, loadScenarioFile, simulate } from '../../src/sim.js';

// Pinned digests of the bundled scenarios (scripts/update-golden.ts writes them). A change here
// means runs now do something else: intended changes regenerate the file and say why.
const GOLDEN = JSON.parse(readFileSync('test/sim/golden-digests.json', 'utf8')) as Record<string, { durationMs: number; digest: string }>;

describe('golden digests of the bundled scenarios', () => {
  it('covers every bundled scenario', () => {
    expect(Object.keys(GOLDEN).sort()).toEqual([...BUNDLED_SCENARIOS, ...LARGE_BUNDLED_SCENARIOS].sort());
  });

  const large: readonly string[] = LARGE_BUNDLED_SCENARIOS;
  it.each(Object.entries(GOLDEN))('%s', (name, { durationMs, digest }) => {
    const r = simulate(loadScenarioFile(`scenarios/${name}.yaml`, { allowLarge: large.includes(name) }), { durationMs });
    expect(r.digest).toBe(digest);
  }, 120_000);

  it('shuffling simultaneous events changes the digest but keeps the safety properties', () => {
    const s = loadScenarioFile('scenarios/default.yaml');
    const plain = simulate(s);
    const shuffled = simulate(s, { shuffleTies: true });
    expect(shuffled.digest).not.toBe(plain.digest);
    expect(shuffled.summary.tasksRunTwice).toBe(0);
    expect(shuffled.summary.extraAtEnd).toBe(0);
    expect(simulate(s, { shuffleTies: true }).digest).toBe(shuffled.digest);
  });
});
