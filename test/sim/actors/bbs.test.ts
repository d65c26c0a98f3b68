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

describe('BBS group hints', () => {
  it('takes a hint only while it is the group a lookup finds; a stale one falls back to the lookup', () => {
    let now = 0;
    const bbs = new BBS(() => now);
    bbs.desire(app('web', 2));
    for (const i of [0, 1]) bbs.createUnclaimed('web', i);
    const g0 = bbs.group('web', 0);
    const g1 = bbs.group('web', 1);
    if (!g0 || !g1) throw new Error('no groups');
    expect(bbs.groupOf('web', 0, g0)).toBe(g0);
    // A hint for another index is not the group asked for.
    expect(bbs.groupOf('web', 0, g1)).toBe(g0);
    // Nor is one for the same index of another app.
    bbs.desire(app('api', 1));
    bbs.createUnclaimed('api', 0);
    expect(bbs.groupOf('api', 0, g0)).toBe(bbs.group('api', 0));
    expect(bbs.groupOf('api', 0, g0)).not.toBe(g0);
    // The app's records go and come back: a new map and a new group; the old hint is stale.
    for (const g of [g0, g1]) {
      bbs.removeOrdinary(g);
      bbs.dropGroup(g);
    }
    expect([g0.dropped, g1.dropped]).toEqual([true, true]);
    const fresh = bbs.createUnclaimed('web', 0);
    expect(fresh.group.dropped).toBe(false);
    expect(bbs.groupOf('web', 0, g0)).toBe(fresh.group);
    expect(bbs.groupOf('web', 0, g0)).not.toBe(g0);
    // Claims, starts, crashes and failures with the stale hint act on the current record.
    now = 10;
    bbs.failPlacement('web', 0, 'insufficient resources', g0);
    expect(fresh.placementError).toBe('insufficient resources');
    expect(fresh.since).toBe(10);
    expect(bbs.claim('web', 0, 'i-1', 'cell-1', g0)).toBe(true);
    expect(fresh.state).toBe('CLAIMED');
    expect(bbs.start('web', 0, 'i-1', 'cell-1', g0)).toBe(true);
    expect(fresh.state).toBe('RUNNING');
    expect(bbs.runningDesired).toBe(1);
    expect(bbs.crash('web', 0, 'i-1', 'cell-1', g0)).toBe('restart');
    expect(fresh.state).toBe('UNCLAIMED');
    // The record knows its group, and its state changes put that group on the watch list.
    expect(bbs.watch.has(fresh.group)).toBe(true);
    expect(bbs.watch.has(g0)).toBe(false);
  });

  it('desiring with records in place counts their running instances and lists only the missing indices', () => {
    const bbs = new BBS(() => 0);
    bbs.desire(app('web', 3));
    for (const i of [0, 1, 2]) bbs.createUnclaimed('web', i);
    for (const i of [0, 2]) {
      bbs.claim('web', i, `i-${i}`, 'cell-1');
      bbs.start('web', i, `i-${i}`, 'cell-1');
    }
    expect(bbs.runningDesired).toBe(2);
    // Fewer instances: index 2 runs but is no longer desired.
    expect(bbs.desire(app('web', 2))).toEqual([]);
    expect(bbs.runningDesired).toBe(1);
    expect(bbs.desiredInstances).toBe(2);
    // More: index 2 counts again, and 3 and 4 lack a record.
    expect(bbs.desire(app('web', 5))).toEqual([3, 4]);
    expect(bbs.runningDesired).toBe(2);
    expect(bbs.desiredInstances).toBe(5);
    expect(bbs.missing).toBe(3);
  });
});

describe('BBS desire with records made', () => {
  it('makes an UNCLAIMED record for each index without one, in order, in the app map a lookup finds, and asks for no recount', () => {
    const bbs = new BBS(() => 0);
    const made: [number, string, boolean][] = [];
    bbs.desireAndCreate(app('web', 3), (rec, i) => made.push([i, rec.state, rec.group === bbs.group('web', i)]));
    expect(made).toEqual([
      [0, 'UNCLAIMED', true],
      [1, 'UNCLAIMED', true],
      [2, 'UNCLAIMED', true],
    ]);
    expect(bbs.ordinaryCount('web')).toBe(3);
    expect(bbs.desiredInstances).toBe(3);
    expect(bbs.missing).toBe(3);
    // Every index has a record, so the converger need not recount the app.
    expect(bbs.recounts.has('web')).toBe(false);
    // Desired again with more instances: only the new indices are made, and the same map holds them.
    const map = bbs.actual.get('web');
    const again: number[] = [];
    bbs.desireAndCreate(app('web', 5), (rec, i) => {
      expect(rec.group.app).toBe(map);
      again.push(i);
    });
    expect(again).toEqual([3, 4]);
    expect(bbs.ordinaryCount('web')).toBe(5);
    expect(bbs.desiredInstances).toBe(5);
    expect(bbs.recounts.has('web')).toBe(false);
    // The plain desire still asks for the recount (its caller may not make the records).
    expect(bbs.desire(app('api', 2))).toEqual([0, 1]);
    expect(bbs.recounts.has('api')).toBe(true);
  });

  it('makes records in a new map when the one it was handed was let go', () => {
    const bbs = new BBS(() => 0);
    bbs.desireAndCreate(app('api', 1), () => undefined);
    const map = bbs.actual.get('api');
    const g = bbs.group('api', 0);
    if (!map || !g) throw new Error('no group');
    bbs.removeOrdinary(g);
    bbs.dropGroup(g);
    expect(map.dropped).toBe(true);
    // A map the BBS let go is not used: the record goes in the map a lookup makes.
    const rec = bbs.createUnclaimed('api', 0, 0, map);
    expect(rec.group.app).not.toBe(map);
    expect(bbs.actual.get('api')).toBe(rec.group.app);
  });
});

describe('BBS watch list', () => {
  it('lets go of a group at its claim, or at its start once its copies end, and keeps one that still needs the converger', () => {
    let now = 0;
    const bbs = new BBS(() => now);
    for (const i of bbs.desire(app('web', 2))) bbs.createUnclaimed('web', i);
    const [g0, g1] = [bbs.group('web', 0), bbs.group('web', 1)];
    if (!g0 || !g1) throw new Error('no groups');
    // UNCLAIMED: watched.
    expect(bbs.watch.has(g0) && bbs.watch.has(g1)).toBe(true);
    // Claimed with no copy: nothing for the converger.
    expect(bbs.claim('web', 0, 'i-0', 'cell-a')).toBe(true);
    expect(bbs.watch.has(g0)).toBe(false);
    expect(bbs.start('web', 0, 'i-0', 'cell-a')).toBe(true);
    // A drain: the running instance becomes an EVACUATING copy and an UNCLAIMED record is made.
    now = 1000;
    expect(bbs.evacuate('web', 0, 'i-0', 'cell-a')).toBe(true);
    expect(bbs.watch.has(g0)).toBe(true);
    // The replacement's claim leaves the copy: still watched.
    expect(bbs.claim('web', 0, 'i-0b', 'cell-b')).toBe(true);
    expect(bbs.watch.has(g0)).toBe(true);
    // Its start ends the copy: let go of.
    expect(bbs.start('web', 0, 'i-0b', 'cell-b')).toBe(true);
    expect(g0.evacuating).toBeNull();
    expect(bbs.watch.has(g0)).toBe(false);
    // The other group, not claimed, stays watched throughout.
    expect(bbs.watch.has(g1)).toBe(true);
    // A crash marks the group again.
    expect(bbs.claim('web', 1, 'i-1', 'cell-a')).toBe(true);
    expect(bbs.start('web', 1, 'i-1', 'cell-a')).toBe(true);
    expect(bbs.watch.has(g1)).toBe(false);
    expect(bbs.crash('web', 1, 'i-1', 'cell-a')).toBe('restart');
    expect(bbs.watch.has(g1)).toBe(true);
  });
});
