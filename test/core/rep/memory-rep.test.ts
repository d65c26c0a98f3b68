import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBatch, emptyCellState, ERR_CELL_ID_MISMATCH, LRPHandle, type LRPStartRequest, MemoryRep, type Reply, type Work } from '../../../src/index.js';
import { PlacementIndex } from '../../../src/core/rep/placement-index.js';
import { freezeRootFSProviders } from '../../../src/core/model/rootfs.js';
import { cell, cellWith, lrps, task } from '../../support/fixtures.js';

const work = (cellId: string, l = buildBatch([lrps('a', 1, 50)], []).batch.lrps.map((x) => x.lrp), t: Work['Tasks'] = []): Work => ({ LRPs: l, Tasks: t, cell_id: cellId });
const failedOf = (r: Reply) => {
  if (r.kind !== 'perform' || !r.ok) throw new Error(`expected a perform reply, got ${JSON.stringify(r)}`);
  return r.failed;
};

describe('in-memory rep', () => {
  it('keeps providers frozen throughout as they are (cells share them), and copies any others', () => {
    const shared = freezeRootFSProviders(cell('a').RootFSProviders);
    const a = new MemoryRep({ ...cell('a'), RootFSProviders: shared });
    const b = new MemoryRep({ ...cell('b'), RootFSProviders: shared });
    expect(a.state.RootFSProviders).toBe(shared);
    expect(b.state.RootFSProviders).toBe(shared);
    const own = cell('c');
    const c = new MemoryRep(own);
    expect(c.state.RootFSProviders).not.toBe(own.RootFSProviders);
    expect(c.state.RootFSProviders).toEqual(own.RootFSProviders);
  });

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

  it("adopting, a rep copies what is already a rep's record or frozen: a Perform retried on another cell changes no record", () => {
    const [l] = buildBatch([lrps('a', 1, 50)], []).batch.lrps.map((x) => x.lrp);
    const first = new MemoryRep(cell('one'));
    first.perform(work('one', [l!]), undefined, true);
    first.markLRPRunning(l!.instance_guid);
    // The same object sent again (the first Perform's reply lost), then one cell's record passed on.
    const second = new MemoryRep(cell('two'));
    second.perform(work('two', [l!]), undefined, true);
    const third = new MemoryRep(cell('three'));
    third.perform(work('three', [first.state.LRPs[0]!]), undefined, true);
    expect(first.state.LRPs[0]).toBe(l);
    expect(l!.state).toBe('RUNNING');
    expect(second.state.LRPs[0]).not.toBe(l);
    expect(second.state.LRPs[0]!.state).toBe('RESERVED');
    expect(third.state.LRPs[0]).not.toBe(l);
    second.removeLRP(l!.instance_guid);
    first.removeLRP(l!.instance_guid);
    expect([first.state.StartingContainerCount, second.state.StartingContainerCount, third.state.StartingContainerCount]).toEqual([0, 0, 1]);
    // A frozen object cannot be a record: copied, not refused or thrown on.
    const frozen = Object.freeze(buildBatch([lrps('f', 1, 50)], []).batch.lrps[0]!.lrp);
    const fourth = new MemoryRep(cell('four'));
    expect(failedOf(fourth.perform(work('four', [frozen]), undefined, true)).LRPs).toHaveLength(0);
    expect(fourth.state.LRPs[0]).not.toBe(frozen);
  });

  it('perform starts work in the order of a stable sort, largest first, whatever order it is sent in', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(10, 20, 30, 50), { minLength: 2, maxLength: 12 }), fc.integer({ min: 0, max: 200 }), (sizes, memory) => {
        const rep = new MemoryRep(cell('me', { memory, containers: 100 }));
        const sent = buildBatch(sizes.map((m, i) => lrps(`app-${i}`, 1, m)), []).batch.lrps.map((x) => x.lrp);
        const failed = failedOf(rep.perform(work('me', sent), undefined, true)).LRPs.map((l) => l.process_guid);
        // The rule on its own: a stable sort by memory, largest first, then each while it fits.
        let free = memory;
        const expected: string[] = [];
        for (const i of sizes.map((_, i) => i).sort((i, j) => (sizes[j] as number) - (sizes[i] as number) || i - j)) {
          if ((sizes[i] as number) <= free) free -= sizes[i] as number;
          else expected.push(`app-${i}`);
        }
        expect(failed).toEqual(expected);
        expect(rep.state.LRPs.map((l) => l.process_guid)).toEqual(sizes.map((_, i) => `app-${i}`).filter((g) => !expected.includes(g)).sort((a, b) => sizes[Number(b.slice(4))]! - sizes[Number(a.slice(4))]! || Number(a.slice(4)) - Number(b.slice(4))));
      }),
    );
  });

  it('perform never starts the same instance twice', () => {
    const rep = new MemoryRep(cell('me'));
    rep.perform(work('me'));
    expect(failedOf(rep.perform(work('me'))).LRPs).toHaveLength(1);
    expect(rep.state.LRPs).toHaveLength(1);
  });

  it('perform keeps a copy of each LRP it starts, or with adopt the object itself, and turns the same down alike', () => {
    const sent = () => buildBatch([lrps('a', 1, 50), lrps('b', 1, 2000)], []).batch.lrps.map((x) => x.lrp);
    const copied = new MemoryRep(cell('me'));
    const c = sent();
    const cReply = failedOf(copied.perform(work('me', c)));
    const adopted = new MemoryRep(cell('me'));
    const a = sent();
    const aReply = failedOf(adopted.perform(work('me', a), undefined, true));
    // The copy leaves what was sent as it was; adopting makes it the rep's record, which changes.
    expect(copied.state.LRPs[0]).not.toBe(c[0]);
    expect(c[0]!.state).toBe('');
    expect(adopted.state.LRPs[0]).toBe(a[0]);
    expect(a[0]!.state).toBe('RESERVED'); // the rep's state of an instance not yet running (STARTING_STATE)
    adopted.markLRPRunning(a[0]!.instance_guid);
    expect(a[0]!.state).toBe('RUNNING');
    // The same record either way, field for field and in the same order; what failed is the object sent.
    copied.markLRPRunning(c[0]!.instance_guid);
    expect(JSON.stringify(adopted.state)).toBe(JSON.stringify(copied.state));
    expect(cReply.LRPs).toEqual([c[1]]);
    expect(aReply.LRPs[0]).toBe(a[1]);
    expect(a[1]!.state).toBe('');
  });

  it('a Perform that started everything answers with one frozen reply; one with failures, a fresh list each', () => {
    const rep = new MemoryRep(cell('me', { memory: 100 }));
    const first = rep.perform(work('me', buildBatch([lrps('a', 1, 10)], []).batch.lrps.map((x) => x.lrp)));
    const second = rep.perform(work('me', buildBatch([lrps('b', 1, 10)], []).batch.lrps.map((x) => x.lrp)));
    expect(first).toBe(second);
    expect(failedOf(first)).toEqual({ LRPs: [], Tasks: [], cell_id: '' });
    expect(Object.isFrozen(first) && Object.isFrozen(failedOf(first)) && Object.isFrozen(failedOf(first).LRPs)).toBe(true);
    // Too big: each failing Perform lists its own failures.
    const big = () => rep.perform(work('me', buildBatch([lrps('huge', 1, 500)], []).batch.lrps.map((x) => x.lrp)));
    const a = failedOf(big());
    const b = failedOf(big());
    expect(a.LRPs.map((l) => l.process_guid)).toEqual(['huge']);
    expect(a).not.toBe(b);
    expect(a.LRPs).not.toBe(b.LRPs);
  });

  it('perform never starts the same task twice', () => {
    const rep = new MemoryRep(cell('me'));
    const t = buildBatch([], [task('t1')]).batch.tasks.map((x) => x.task);
    rep.perform(work('me', [], t));
    expect(failedOf(rep.perform(work('me', [], t))).Tasks).toHaveLength(1);
    expect(rep.state.Tasks).toHaveLength(1);
  });

  it('a rep sharing an index (no map of its own) refuses, bids and counts as a rep on its own does', () => {
    // Steps: perform one instance (app, index) on a rep, or remove the k-th instance it lists. Apps
    // named like an object's own properties too. Besides the pair compared, two reps share the index
    // and take their own work: one of another cell, and one of the same cell id (a caller's mistake,
    // whose counts then mix in the index with the compared rep's).
    const app = fc.constantFrom('a', 'b', '__proto__', 'constructor', 'toString');
    const who = fc.constantFrom('pair', 'other', 'twin');
    const step = fc.oneof(fc.record({ who, app, index: fc.nat(3) }), fc.record({ who, remove: fc.nat(20) }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 50 }), (steps) => {
        const index = new PlacementIndex();
        const shared = new MemoryRep(cell('me', { containers: 100 }), index);
        const alone = new MemoryRep(cell('me', { containers: 100 }));
        const others = { other: new MemoryRep(cell('other', { containers: 100 }), index), twin: new MemoryRep(cell('me', { containers: 100 }), index) };
        for (const st of steps) {
          if ('remove' in st) {
            if (st.who !== 'pair') {
              const r = others[st.who];
              const l = r.state.LRPs[st.remove % Math.max(1, r.state.LRPs.length)];
              if (l !== undefined) expect(r.removeLRP(l.instance_guid)).toBeDefined();
              continue;
            }
            const l = alone.state.LRPs[st.remove % Math.max(1, alone.state.LRPs.length)];
            if (l === undefined) continue;
            const g = shared.state.LRPs.find((x) => x.instance_guid === l.instance_guid);
            expect(alone.removeLRP(l.instance_guid)).toBeDefined();
            expect(g && shared.removeLRP(g.instance_guid)).toBeDefined();
            continue;
          }
          const one = buildBatch([lrps(st.app, st.index + 1, 10)], []).batch.lrps[st.index]!;
          const w = (id: string): Work => ({ LRPs: [one.lrp], Tasks: [], cell_id: id });
          if (st.who === 'other') others.other.perform(w('other'));
          else if (st.who === 'twin') others.twin.perform(w('me'));
          else expect(failedOf(shared.perform(w('me'))).LRPs.length).toBe(failedOf(alone.perform(w('me'))).LRPs.length);
          expect(shared.bid(one)).toEqual(alone.bid(one));
          for (const from of [0, 1, 2, 3]) expect(shared.countFrom(st.app, from)).toBe(alone.countFrom(st.app, from));
        }
        const listed = (r: MemoryRep) => r.state.LRPs.map((l) => `${l.process_guid}.${l.index}`).sort();
        expect(listed(shared)).toEqual(listed(alone));
      }),
      { numRuns: 300 },
    );
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

  it("notes every change of the cell's figures in a shared index, once until taken, and nothing else", () => {
    const index = new PlacementIndex();
    const rep = new MemoryRep(cell('me', { memory: 1000 }), index);
    const other = new MemoryRep(cell('other', { memory: 1000 }), index);
    const no = index.cellNo('me');
    // Whether the cell changed since the last look (each look takes the changes).
    const changed = () => {
      const cells = index.takeChanged();
      expect(cells.filter((c) => c === no).length).toBeLessThanOrEqual(1);
      expect(cells).not.toContain(index.cellNo('other'));
      return cells.includes(no);
    };
    changed();
    rep.handle({ kind: 'state', cell: 'me' });
    expect(changed()).toBe(false);
    const [a] = buildBatch([lrps('a', 1, 60)], []).batch.lrps;
    // Work that does not fit changes nothing.
    rep.perform(work('me', buildBatch([lrps('big', 1, 5000)], []).batch.lrps.map((x) => x.lrp)));
    expect(changed()).toBe(false);
    rep.perform(work('me', [a!.lrp]));
    expect(changed()).toBe(true);
    expect(changed()).toBe(false);
    expect(rep.markLRPRunning(a!.lrp.instance_guid)).toBe(true);
    expect(changed()).toBe(true);
    rep.removeLRP(a!.lrp.instance_guid);
    expect(changed()).toBe(true);
    // A task claimed after its reservation adds to the task count: noted too.
    const [t] = buildBatch([], [task('t1', 10)]).batch.tasks;
    rep.reserve(t!);
    changed();
    rep.claim(t!);
    expect(changed()).toBe(true);
    // Another cell's changes are its own, listed once however many there were.
    const [b, c] = buildBatch([lrps('b', 2, 60)], []).batch.lrps;
    other.perform(work('other', [b!.lrp]));
    other.perform(work('other', [c!.lrp]));
    expect(index.takeChanged()).toEqual([index.cellNo('other')]);
    expect(index.takeChanged()).toEqual([]);
  });

  it('bid and reserve refuse work the cell cannot run, with Diego\'s reason', () => {
    const rep = new MemoryRep(cell('me', { memory: 10 }));
    const [a] = buildBatch([lrps('a', 1, 60)], []).batch.lrps;
    expect(rep.bid(a!)).toMatchObject({ ok: false, error: 'insufficient resources: memory' });
    const [b] = buildBatch([lrps('b', 1, 1, { RootFs: 'preloaded:nope' })], []).batch.lrps;
    expect(rep.reserve(b!)).toMatchObject({ ok: false, error: 'found no compatible cell for required rootfs' });
  });
});

describe('in-memory rep: tags', () => {
  it("keeps each tag with its instance or task through any removals (the lists' swaps), and forgets them on clearTags", () => {
    // Steps: start instance/task k, remove it, tag it, or forget every tag.
    const step = fc.record({ what: fc.constantFrom('start', 'remove', 'tag', 'clear'), task: fc.boolean(), k: fc.integer({ min: 0, max: 7 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const rep = new MemoryRep(cell('me', { memory: 100_000, disk: 100_000, containers: 100 }));
        const lrpOf = (k: number) => buildBatch([lrps(`app-${k}`, 1, 10)], []).batch.lrps.map((x) => ({ ...x.lrp, instance_guid: `i-${k}` }));
        const taskOf = (k: number) => buildBatch([], [task(`t-${k}`)]).batch.tasks.map((x) => x.task);
        // The model: what is listed, and each one's tag.
        const model = new Map<string, string | undefined>();
        let n = 0;
        for (const { what, task: isTask, k } of steps) {
          const guid = isTask ? `t-${k}` : `i-${k}`;
          if (what === 'start') {
            rep.perform(work('me', isTask ? [] : lrpOf(k), isTask ? taskOf(k) : []));
            if (!model.has(guid)) model.set(guid, undefined);
          } else if (what === 'remove') {
            if (isTask) rep.removeTask(guid);
            else rep.removeLRP(guid);
            model.delete(guid);
          } else if (what === 'tag') {
            const tag = `tag-${n++}`;
            expect(isTask ? rep.tagTask(guid, tag) : rep.tagLRP(guid, tag)).toBe(model.has(guid));
            if (model.has(guid)) model.set(guid, tag);
          } else {
            rep.clearTags();
            for (const g of model.keys()) model.set(g, undefined);
          }
          for (let j = 0; j < 8; j++) {
            expect(rep.lrpTag(`i-${j}`)).toBe(model.get(`i-${j}`));
            expect(rep.taskTag(`t-${j}`)).toBe(model.get(`t-${j}`));
          }
          const all: unknown[] = [];
          rep.forEachTag((t) => all.push(t));
          expect(all.sort()).toEqual([...model.values()].filter((t) => t !== undefined).sort());
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('in-memory rep: tags of work it started with', () => {
  it('tags the instances of its initial state, and keeps each tag with its instance through removals', () => {
    const start = buildBatch([lrps('a', 3, 10)], []).batch.lrps.map((x, i) => ({ ...x.lrp, instance_guid: `i-${i}`, state: 'RUNNING' }));
    const rep = new MemoryRep(cellWith('me', start));
    // A new instance after the three it started with, and no tag for it.
    rep.perform(work('me', buildBatch([lrps('b', 1, 10)], []).batch.lrps.map((x) => ({ ...x.lrp, instance_guid: 'i-new' }))));
    expect(rep.tagLRP('i-1', 'tag-1')).toBe(true);
    // Removing the first moves the last (the new one) into its place: the tags stay with their instances.
    rep.removeLRP('i-0');
    expect([rep.lrpTag('i-0'), rep.lrpTag('i-1'), rep.lrpTag('i-2'), rep.lrpTag('i-new')]).toEqual([undefined, 'tag-1', undefined, undefined]);
    expect(rep.tagLRP('i-0', 'gone')).toBe(false);
  });
});

describe('in-memory rep: CPU and GPUs', () => {
  const gpuCell = () => emptyCellState({ cell_id: 'g', zone: 'z1', memoryMB: 4096, diskMB: 4096, containers: 10, cpuMilli: 8000, gpus: 2, gpuModel: 'T4' });
  const lrpOf = (guid: string, over: Partial<LRPStartRequest>) => buildBatch([lrps(guid, 1, 10, over)], []).batch.lrps.map((x) => x.lrp);

  it('takes CPU and GPU shares, records the devices on the work, and gives them back on removal', () => {
    const rep = new MemoryRep(gpuCell());
    expect(failedOf(rep.perform(work('g', [...lrpOf('a', { CpuMilli: 3000, GpuCount: 1, GpuMilli: 600 }), ...lrpOf('b', { CpuMilli: 1000, GpuCount: 1, GpuMilli: 400 })]))).LRPs).toHaveLength(0);
    expect(rep.state.AvailableResources.CpuMilli).toBe(4000);
    // b's 400 fits exactly on the device a left at 400: the tightest fit.
    expect(rep.state.AvailableResources.GpuMilli).toEqual([0, 1000]);
    expect(rep.state.LRPs.map((l) => [l.process_guid, l.GpuDevices])).toEqual([['a', [0]], ['b', [0]]]);
    rep.removeLRP(rep.state.LRPs.find((l) => l.process_guid === 'a')!.instance_guid);
    expect(rep.state.AvailableResources).toMatchObject({ CpuMilli: 7000, GpuMilli: [600, 1000] });
  });

  it('turns down work needing more CPU or devices than are free, with the problems named', () => {
    const rep = new MemoryRep(gpuCell());
    const failed = failedOf(rep.perform(work('g', [...lrpOf('cpu', { CpuMilli: 9000 }), ...lrpOf('gpu', { GpuCount: 3 })]))).LRPs;
    expect(failed.map((l) => l.process_guid).sort()).toEqual(['cpu', 'gpu']);
    const bid = rep.handle({ kind: 'bid', cell: 'g', auction: { kind: 'lrp', id: 'x', lrp: lrpOf('x', { CpuMilli: 9000, GpuCount: 3 })[0]! } });
    expect(bid).toMatchObject({ ok: false, error: 'insufficient resources: cpu, gpu' });
  });

  it('takes the devices the auctioneer named while they are free, else picks its own', () => {
    const rep = new MemoryRep(gpuCell());
    const named = lrpOf('a', { GpuCount: 1, GpuMilli: 500 }).map((l) => ({ ...l, GpuDevices: [1] }));
    rep.perform(work('g', named));
    expect(rep.state.AvailableResources.GpuMilli).toEqual([1000, 500]);
    const wrong = lrpOf('b', { GpuCount: 1, GpuMilli: 600 }).map((l) => ({ ...l, GpuDevices: [1] }));
    rep.perform(work('g', wrong));
    expect(rep.state.AvailableResources.GpuMilli).toEqual([400, 500]);
    const junk = lrpOf('c', { GpuCount: 1, GpuMilli: 100 }).map((l) => ({ ...l, GpuDevices: [7] }));
    rep.perform(work('g', junk));
    expect(rep.state.AvailableResources.GpuMilli).toEqual([300, 500]);
  });

  it('a reservation holds CPU and devices until released (2014 bidding)', () => {
    const rep = new MemoryRep(gpuCell());
    const auction = { kind: 'task' as const, id: 't', task: { ...buildBatch([], [task('t', 10, { CpuMilli: 2000, GpuCount: 2 })]).batch.tasks[0]!.task } };
    expect(rep.reserve(auction)).toMatchObject({ ok: true });
    expect(rep.state.AvailableResources).toMatchObject({ CpuMilli: 6000, GpuMilli: [0, 0] });
    rep.release(auction);
    expect(rep.state.AvailableResources).toMatchObject({ CpuMilli: 8000, GpuMilli: [1000, 1000] });
    rep.reserve(auction);
    rep.claim(auction);
    expect(rep.state.Tasks[0]!.GpuDevices).toEqual([0, 1]);
    rep.removeTask('t');
    expect(rep.state.AvailableResources).toMatchObject({ CpuMilli: 8000, GpuMilli: [1000, 1000] });
  });
});

describe('in-memory rep: handles', () => {
  const oneLRP = (k: number, memory = 10) => buildBatch([lrps(`app-${k}`, 1, memory)], []).batch.lrps.map((x) => ({ ...x.lrp, instance_guid: `i-${k}` }));

  it('gives a handle per instance it started, in the order sent (undefined: turned down), which names it as its guid does', () => {
    const rep = new MemoryRep(cell('me', { memory: 100 }));
    const handles: (LRPHandle | undefined)[] = ['stale' as unknown as LRPHandle];
    // Sent small, big, too big: started big first (largest first), the handles still in the order sent.
    const sent = [...oneLRP(0, 20), ...oneLRP(1, 70), ...oneLRP(2, 150)];
    rep.perform(work('me', sent), handles);
    expect(handles).toHaveLength(3);
    expect(handles[2]).toBeUndefined();
    expect([rep.lrp(handles[0]!)?.instance_guid, rep.lrp(handles[1]!)?.instance_guid]).toEqual(['i-0', 'i-1']);
    expect(rep.lrp(handles[0]!)).toBe(rep.lrp('i-0'));
    // Work for another cell, or an evacuating cell: no handles (the array's old entries overwritten).
    const other: (LRPHandle | undefined)[] = [handles[0], handles[1], handles[0]];
    rep.perform(work('other', oneLRP(3)), other);
    expect(other).toEqual([undefined]);
    other.push(handles[0], handles[1]);
    rep.setEvacuating(true);
    rep.perform(work('me', [...oneLRP(4), ...oneLRP(5)]), other);
    expect(other).toEqual([undefined, undefined]);
  });

  it('a handle names its instance through any removals and guid lookups, and nothing once it is removed or on another cell', () => {
    // Steps: start instance k, remove it by handle or by guid, mark it running either way, or look it up by guid.
    // 'rehandle': the current handle is handed over to a new one (MemoryRep.rehandleLRP), with its tag.
    const step = fc.record({ what: fc.constantFrom('start', 'remove', 'run', 'look', 'rehandle'), byGuid: fc.boolean(), k: fc.integer({ min: 0, max: 7 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const rep = new MemoryRep(cell('me', { memory: 100_000, disk: 100_000, containers: 100 }));
        const other = new MemoryRep(cell('other', { memory: 100_000, disk: 100_000, containers: 100 }));
        // Every handle ever given, by k (the old ones of a k restarted must name nothing).
        const given = new Map<number, LRPHandle[]>();
        const listed = new Set<number>();
        for (const { what, byGuid, k } of steps) {
          const current = () => given.get(k)?.at(-1);
          if (what === 'start') {
            const hs: (LRPHandle | undefined)[] = [];
            rep.perform(work('me', oneLRP(k)), hs);
            expect(hs[0] !== undefined).toBe(!listed.has(k));
            if (hs[0]) given.set(k, [...(given.get(k) ?? []), hs[0]]);
            listed.add(k);
            // The other cell lists the same instances, at the same places.
            other.perform(work('other', oneLRP(k)));
          } else if (what === 'remove') {
            const h = current();
            expect(rep.removeLRP(byGuid || !h ? `i-${k}` : h)?.instance_guid).toBe(listed.has(k) ? `i-${k}` : undefined);
            other.removeLRP(`i-${k}`);
            listed.delete(k);
          } else if (what === 'rehandle') {
            const h = current();
            const successor = new LRPHandle(-1);
            const live = h !== undefined && listed.has(k);
            if (live) rep.tagLRP(h, `tag-${k}`);
            // A handle of another cell, or one already naming an instance, is not handed anything.
            if (h) expect(other.rehandleLRP(h, successor)).toBe(false);
            if (live && listed.size > 1) {
              const taken = given.get([...listed].find((j) => j !== k) as number)?.at(-1);
              if (taken) expect(rep.rehandleLRP(h, taken)).toBe(false);
            }
            expect(h !== undefined && rep.rehandleLRP(h, successor)).toBe(live);
            if (live) {
              given.set(k, [...(given.get(k) ?? []), successor]);
              expect(rep.lrpTag(successor)).toBe(`tag-${k}`);
              expect(rep.lrpTag(`i-${k}`)).toBe(`tag-${k}`);
              expect(rep.lrpTag(h)).toBeUndefined();
            }
          } else if (what === 'run') {
            const h = current();
            const wasStarting = listed.has(k) && rep.lrp(`i-${k}`)?.state !== 'RUNNING';
            expect(rep.markLRPRunning(byGuid || !h ? `i-${k}` : h)).toBe(wasStarting);
          } else {
            expect(rep.lrp(`i-${k}`)?.instance_guid).toBe(listed.has(k) ? `i-${k}` : undefined);
          }
          for (const [j, hs] of given) {
            hs.forEach((h, n) => {
              const live = listed.has(j) && n === hs.length - 1;
              expect(rep.lrp(h)?.instance_guid).toBe(live ? `i-${j}` : undefined);
              // Another cell's handle names nothing here, nor this one's there.
              expect(other.lrp(h)).toBeUndefined();
            });
          }
          expect(rep.state.LRPs.map((l) => l.instance_guid).sort()).toEqual([...listed].map((j) => `i-${j}`).sort());
          // Each app's count: a removal by handle unlists the app its handle carries the number of,
          // numbers given back and given again to other apps (the rep's own table) and handed over.
          for (let j = 0; j < 8; j++) expect(rep.countFrom(`app-${j}`, 0)).toBe(listed.has(j) ? 1 : 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an instance guid listed more than once names one of them until none is left (the real backend takes any guid)', () => {
    // Instances k (app-k, index 0) with guids shared three ways; steps: start, remove by guid, look up by guid.
    const step = fc.record({ what: fc.constantFrom('start', 'remove', 'look'), k: fc.integer({ min: 0, max: 7 }) });
    const guidOf = (k: number) => `g-${k % 3}`;
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const rep = new MemoryRep(cell('me', { memory: 100_000, disk: 100_000, containers: 100 }));
        const listed = new Set<number>();
        for (const { what, k } of steps) {
          const g = guidOf(k);
          const withGuid = [...listed].filter((j) => guidOf(j) === g);
          if (what === 'start') {
            rep.perform(work('me', oneLRP(k).map((l) => ({ ...l, instance_guid: g }))));
            listed.add(k);
          } else if (what === 'remove') {
            const gone = rep.removeLRP(g);
            expect(gone === undefined).toBe(withGuid.length === 0);
            if (gone) {
              expect(gone.instance_guid).toBe(g);
              expect(listed.delete(Number(gone.process_guid.slice('app-'.length)))).toBe(true);
            }
          } else {
            const found = rep.lrp(g);
            expect(found === undefined).toBe(withGuid.length === 0);
            if (found) expect(withGuid.map((j) => `app-${j}`)).toContain(found.process_guid);
          }
          expect(rep.state.LRPs.map((l) => l.process_guid).sort()).toEqual([...listed].map((j) => `app-${j}`).sort());
        }
        // Every instance can still be removed by its guid, and then the cell is empty.
        while (listed.size > 0) {
          const j = [...listed][0]!;
          const gone = rep.removeLRP(guidOf(j));
          expect(gone?.instance_guid).toBe(guidOf(j));
          listed.delete(Number(gone!.process_guid.slice('app-'.length)));
        }
        expect(rep.state.LRPs).toEqual([]);
        expect(rep.state.AvailableResources).toEqual(rep.state.TotalResources);
      }),
      { numRuns: 300 },
    );
  });

  it('removes both instances of a guid sent twice, one after the other', () => {
    const rep = new MemoryRep(cell('me'));
    const one = (pg: string, index: number, guid: string) => buildBatch([lrps(pg, index + 1, 10)], []).batch.lrps.map((x) => ({ ...x.lrp, instance_guid: guid }))[index]!;
    rep.perform(work('me', [one('p', 0, 'g')]));
    rep.perform(work('me', [one('p', 1, 'h'), one('s', 0, 'h')]));
    expect(rep.removeLRP('g')?.process_guid).toBe('p');
    expect([rep.removeLRP('h')?.instance_guid, rep.removeLRP('h')?.instance_guid, rep.removeLRP('h')]).toEqual(['h', 'h', undefined]);
    expect(rep.state.LRPs).toEqual([]);
    expect(rep.state.AvailableResources).toEqual(rep.state.TotalResources);
  });

  it('tags kept by handle are found by guid, and the other way round', () => {
    const rep = new MemoryRep(cell('me'));
    const hs: (LRPHandle | undefined)[] = [];
    rep.perform(work('me', [...oneLRP(0), ...oneLRP(1)]), hs);
    expect(rep.tagLRP(hs[0]!, 'by handle')).toBe(true);
    expect(rep.tagLRP('i-1', 'by guid')).toBe(true);
    expect([rep.lrpTag('i-0'), rep.lrpTag(hs[1]!)]).toEqual(['by handle', 'by guid']);
    rep.removeLRP(hs[0]!);
    expect(rep.tagLRP(hs[0]!, 'gone')).toBe(false);
    expect(rep.lrpTag(hs[1]!)).toBe('by guid');
  });

  it('a claim gives the handle of the instance it lists', () => {
    const rep = new MemoryRep(cell('me'));
    const [a] = buildBatch([lrps('a', 1, 60)], []).batch.lrps;
    const hs: (LRPHandle | undefined)[] = [];
    expect(rep.claim(a!, hs).ok).toBe(false);
    expect(hs).toEqual([undefined]);
    rep.reserve(a!);
    expect(rep.claim(a!, hs).ok).toBe(true);
    expect(rep.lrp(hs[0]!)?.instance_guid).toBe(a!.lrp.instance_guid);
  });

  it('clear removes every instance and task and gives the shared index its entries back', () => {
    const index = new PlacementIndex();
    const rep = new MemoryRep(cellWith('me', buildBatch([lrps('a', 2, 10)], []).batch.lrps.map((x) => ({ ...x.lrp, state: 'RUNNING' }))), index);
    const hs: (LRPHandle | undefined)[] = [];
    rep.perform(work('me', oneLRP(5), buildBatch([], [task('t1')]).batch.tasks.map((x) => x.task)), hs);
    expect([index.has('a'), index.has('app-5')]).toEqual([true, true]);
    rep.clear();
    expect([rep.state.LRPs, rep.state.Tasks, rep.lrp(hs[0]!), rep.state.StartingContainerCount]).toEqual([[], [], undefined, 0]);
    expect(rep.state.AvailableResources).toEqual(rep.state.TotalResources);
    expect([index.has('a'), index.has('app-5')]).toEqual([false, false]);
  });
});
