import { describe, expect, it } from 'vitest';
import { buildBatch, ERR_CELL_ID_MISMATCH, MemoryRep, type Reply, type Work } from '../../../src/index.js';
import { cell, lrps, task } from '../../support/fixtures.js';

const work = (cellId: string, l = buildBatch([lrps('a', 1, 50)], []).batch.lrps.map((x) => x.lrp), t: Work['Tasks'] = []): Work => ({ LRPs: l, Tasks: t, cell_id: cellId });
const failedOf = (r: Reply) => {
  if (r.kind !== 'perform' || !r.ok) throw new Error(`expected a perform reply, got ${JSON.stringify(r)}`);
  return r.failed;
};

describe('in-memory rep', () => {
  it('perform rejects work addressed to another cell', () => {
    const rep = new MemoryRep(cell('me'));
    expect(rep.handle({ kind: 'perform', cell: 'me', work: work('someone-else') })).toMatchObject({ ok: false, error: ERR_CELL_ID_MISMATCH });
  });

  it('an evacuating cell fails all work', () => {
    const rep = new MemoryRep(cell('me', { Evacuating: true }));
    expect(failedOf(rep.perform(work('me'))).LRPs).toHaveLength(1);
    expect(rep.state.LRPs).toHaveLength(0);
  });

  it('perform takes LRPs largest first while memory plus proxy fits', () => {
    const rep = new MemoryRep(cell('me', { memory: 100, ProxyMemoryAllocationMB: 10 }));
    const l = buildBatch([lrps('small', 1, 30), lrps('big', 1, 60)], []).batch.lrps.map((x) => x.lrp);
    const failed = failedOf(rep.perform(work('me', l)));
    // big (60+10) fits first, small (30+10) no longer fits in the 30 left.
    expect(failed.LRPs.map((x) => x.process_guid)).toEqual(['small']);
    expect(rep.state.AvailableResources.MemoryMB).toBe(30);
    expect(rep.state.StartingContainerCount).toBe(1);
  });

  it('perform never starts the same instance twice', () => {
    const rep = new MemoryRep(cell('me'));
    rep.perform(work('me'));
    expect(failedOf(rep.perform(work('me'))).LRPs).toHaveLength(1);
    expect(rep.state.LRPs).toHaveLength(1);
  });

  it('perform never starts the same task twice', () => {
    const rep = new MemoryRep(cell('me'));
    const t = buildBatch([], [task('t1')]).batch.tasks.map((x) => x.task);
    rep.perform(work('me', [], t));
    expect(failedOf(rep.perform(work('me', [], t))).Tasks).toHaveLength(1);
    expect(rep.state.Tasks).toHaveLength(1);
  });

  it('the rep copies its input state', () => {
    const c = cell('me');
    new MemoryRep(c).perform(work('me'));
    expect(c.LRPs).toHaveLength(0);
  });

  it('bid is the mean used fraction plus instances of the same app', () => {
    const rep = new MemoryRep(cell('me', { memory: 100, disk: 100, containers: 10 }));
    const a = buildBatch([lrps('a', 2, 50, { DiskMB: 50 })], []).batch.lrps;
    expect(rep.bid(a[0]!)).toEqual({ kind: 'bid', ok: true, bid: 0 });
    rep.reserve(a[0]!);
    // used: 0.5 memory, 0.5 disk, 0.1 containers -> 0.3667; plus one instance of the app.
    const r = rep.bid(a[1]!);
    expect(r.ok && r.kind === 'bid' ? r.bid : NaN).toBeCloseTo(1 + 1.1 / 3, 12);
  });

  it('reserve holds resources, release gives them back, claim starts the container', () => {
    const rep = new MemoryRep(cell('me', { memory: 100 }));
    const [a] = buildBatch([lrps('a', 1, 60)], []).batch.lrps;
    expect(rep.reserve(a!).ok).toBe(true);
    expect(rep.reserve(a!).ok).toBe(false);
    expect(rep.state.AvailableResources.MemoryMB).toBe(40);
    rep.release(a!);
    expect(rep.state.AvailableResources.MemoryMB).toBe(100);
    expect(rep.claim(a!).ok).toBe(false);
    rep.reserve(a!);
    expect(rep.claim(a!).ok).toBe(true);
    expect(rep.state.LRPs.map((l) => l.process_guid)).toEqual(['a']);
    expect(rep.state.AvailableResources.MemoryMB).toBe(40);
  });

  it('bid and reserve refuse work the cell cannot run, with Diego\'s reason', () => {
    const rep = new MemoryRep(cell('me', { memory: 10 }));
    const [a] = buildBatch([lrps('a', 1, 60)], []).batch.lrps;
    expect(rep.bid(a!)).toMatchObject({ ok: false, error: 'insufficient resources: memory' });
    const [b] = buildBatch([lrps('b', 1, 1, { RootFs: 'preloaded:nope' })], []).batch.lrps;
    expect(rep.reserve(b!)).toMatchObject({ ok: false, error: 'found no compatible cell for required rootfs' });
  });
});
