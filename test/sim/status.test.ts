import { describe, expect, it } from 'vitest';
import { loadScenarioFile, simulate } from '../../src/sim.js';
import { belongsTo } from '../../src/sim/app-names.js';
import { naturalCompare } from '../../src/sim/status.js';

describe('app status (what cf app shows)', () => {
  const scenario = loadScenarioFile('scenarios/zone-outage.yaml');

  it('lists every instance record of an app at the times asked, and leaves the digest unchanged', () => {
    const plain = simulate(scenario, { durationMs: 6 * 60_000 });
    const r = simulate(scenario, { durationMs: 6 * 60_000, status: [{ app: 'single', atMs: 5 * 60_000 }, { app: 'web', atMs: 60_000 }] });
    expect(r.digest).toBe(plain.digest);
    expect(r.status.map((s) => [s.app, s.atMs])).toEqual([['web', 60_000], ['single', 300_000]]);
    const web = r.status[0]!;
    expect(Object.keys(web.desired)).toHaveLength(20);
    expect(web.instances).toHaveLength(60);
    expect(web.instances.every((i) => i.state === 'RUNNING' && i.presence === 'ORDINARY' && i.cell !== '')).toBe(true);
    expect(web.instances.slice(0, 4).map((i) => `${i.processGuid}#${i.index}`)).toEqual(['web-0#0', 'web-0#1', 'web-0#2', 'web-1#0']);
  });

  it('during a zone partition, instances on the cut-off zone are replaced: no ordinary record stays on a z1 cell', () => {
    const r = simulate(scenario, { durationMs: 6 * 60_000, status: [{ app: 'single', atMs: 3 * 60_000 + 1 }, { app: 'single', atMs: 5 * 60_000 }] });
    const z1 = new Set(r.placement.cells.filter((c) => c.zone === 'z1').map((c) => c.id));
    const [before, after] = r.status;
    expect(before!.instances.filter((i) => z1.has(i.cell)).length).toBeGreaterThan(0);
    expect(after!.instances.filter((i) => i.presence === 'ORDINARY' && z1.has(i.cell))).toEqual([]);
    expect(after!.instances.filter((i) => i.presence === 'ORDINARY' && i.state === 'RUNNING')).toHaveLength(30);
  });

  it('names: an app covers its group members and deployed versions; guids sort as people count', () => {
    expect(['web', 'web-3', 'web-3@v2'].every((g) => belongsTo(g, 'web'))).toBe(true);
    expect(belongsTo('webby', 'web')).toBe(false);
    expect(['web-10', 'web-2', 'web-1', 'api'].sort(naturalCompare)).toEqual(['api', 'web-1', 'web-2', 'web-10']);
  });
});
