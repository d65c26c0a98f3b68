import { describe, expect, it } from 'vitest';
import { BBS, type DesiredLRP } from '../../../src/sim/actors/bbs.js';

function app(processGuid: string, instances: number): DesiredLRP {
  return { processGuid, instances, memoryMB: 64, diskMB: 64, rootfs: 'preloaded:cflinuxfs4', placementTags: [], volumeDrivers: [], crash: null };
}

describe('BBS app maps', () => {
  it("carry the app's current DesiredLRP through desire, replace, remove and desire again", () => {
    let now = 0;
    const bbs = new BBS(() => now);
    const first = app('web', 2);
    for (const i of bbs.desire(first)) bbs.createUnclaimed('web', i);
    const map = bbs.actual.get('web');
    expect(map?.desired).toBe(first);
    // A new DesiredLRP for the same guid (a re-push) replaces the one the map holds.
    const second = app('web', 3);
    bbs.desire(second);
    expect(map?.desired).toBe(second);
    now = 1000;
    bbs.removeDesired('web');
    expect(map?.desired).toBeUndefined();
    // Desired again while the old records are still there (before a pass retires them).
    const third = app('web', 1);
    bbs.desire(third);
    expect(bbs.actual.get('web')).toBe(map);
    expect(map?.desired).toBe(third);
  });

  it('gives a map made after the app was desired its DesiredLRP, and marks a map let go', () => {
    const bbs = new BBS(() => 0);
    const d = app('api', 1);
    bbs.desire(d);
    bbs.createUnclaimed('api', 0);
    const map = bbs.actual.get('api');
    expect(map?.desired).toBe(d);
    const g = bbs.group('api', 0);
    if (!map || !g) throw new Error('no group');
    bbs.removeOrdinary(g);
    bbs.dropGroup(g);
    expect(bbs.actual.has('api')).toBe(false);
    expect(map.dropped).toBe(true);
    // Made again later: a new map, with the DesiredLRP of then.
    bbs.createUnclaimed('api', 0);
    expect(bbs.actual.get('api')).not.toBe(map);
    expect(bbs.actual.get('api')?.desired).toBe(d);
  });
});
