import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBatch, referenceScheduleBatch, schedule, STRATEGIES } from '../../src/index.js';
import { ClusterSnapshot } from '../../src/core/scheduler/cluster-snapshot.js';
import { scheduleBatch, type DiegoSettings, type ScheduledBatch } from '../../src/core/scheduler/diego-scheduler.js';
import { MemoryRep } from '../../src/core/rep/memory-rep.js';
import { PlacementIndex } from '../../src/core/rep/placement-index.js';
import type { CellState } from '../../src/core/model/cell-state.js';
import type { LRPStartRequest, TaskStartRequest } from '../../src/core/model/requests.js';
import { clusterArb, diegoSettingsArb, dimensionalClusterArb, dimensionalLRPRequestsArb, dimensionalTaskRequestsArb, lrpRequestsArb, taskRequestsArb } from '../../src/testing/arbitraries.js';
import { decisionsOf } from '../support/decisions.js';
import { cell, lrps } from '../support/fixtures.js';

const strategies = [...STRATEGIES.keys()];

// What a batch decided, comparable across snapshots.
function decisionsOfBatch(b: ScheduledBatch): unknown {
  return { placed: b.placed.map((p) => [p.auction.id, p.cell]), failed: b.failed.map((f) => [f.auction.id, f.reason]), scored: b.cellsScored };
}

// Batch after batch on reps sharing an index, the auctioneer's kept snapshot (ClusterSnapshot.forBatch)
// decides each exactly as a new snapshot of the same states; between batches the cells take the work
// sent (but for the cells `lostPicks` names, lost on the way), and some instances stop or start
// running (`changes` picks which).
function keptDecidesAsNew(cells: CellState[], batches: [LRPStartRequest[], TaskStartRequest[], number[], number[]][], settings: DiegoSettings, seed: number): void {
  const index = new PlacementIndex();
  const reps = cells.map((s) => new MemoryRep(s, index));
  const opts = { seed, normaliseIndices: settings.binPackFirstFitWeight > 0, index };
  let previous: ClusterSnapshot | null = null;
  const [firstLRPs, firstTasks] = batches[0]!;
  batches.forEach(([own, ownTasks, changes, lostPicks], k) => {
    // Every batch asks again for the first one's sizes and constraints (under new guids), so trees
    // built in one batch are used, out of date, in the next.
    const l = k === 0 ? own : [...firstLRPs.map((r) => ({ ...r, process_guid: `${r.process_guid}-${k}` })), ...own];
    const t = k === 0 ? ownTasks : [...firstTasks.map((r) => ({ ...r, TaskGuid: `${r.TaskGuid}-${k}` })), ...ownTasks];
    const { batch } = buildBatch(l, t, { seed: seed + k });
    const states = reps.map((r) => r.state);
    const fresh = scheduleBatch(new ClusterSnapshot(states, opts), batch, settings);
    const snap = ClusterSnapshot.forBatch(states, opts);
    // The same snapshot, brought up to date: the path under test.
    if (previous !== null) expect(snap).toBe(previous);
    previous = snap;
    expect(decisionsOfBatch(scheduleBatch(snap, batch, settings))).toEqual(decisionsOfBatch(fresh));
    const work = snap.workLRPs.map((lrpsOn, c) => ({ lrpsOn, tasksOn: snap.workTasks[c] ?? [] }));
    snap.release();
    // Work for the cells `lostPicks` names is lost on the way (a reply that never came): the kept
    // snapshot reserved it, so it must read those cells again though their reps noted no change.
    const lost = new Set(lostPicks.map((pick) => pick % reps.length));
    work.forEach(({ lrpsOn, tasksOn }, c) => {
      if (lrpsOn.length + tasksOn.length > 0 && !lost.has(c)) reps[c]!.perform({ LRPs: lrpsOn, Tasks: tasksOn, cell_id: '' });
    });
    for (const pick of changes) {
      const rep = reps[pick % reps.length]!;
      const lrp = rep.state.LRPs[pick % Math.max(1, rep.state.LRPs.length)];
      const task = rep.state.Tasks[pick % Math.max(1, rep.state.Tasks.length)];
      if (pick % 3 === 0 && lrp) rep.removeLRP(lrp.instance_guid);
      else if (pick % 3 === 1 && lrp) rep.markLRPRunning(lrp.instance_guid);
      else if (task) rep.removeTask(task.TaskGuid);
    }
  });
}

describe('scheduler properties', () => {
  it.each(strategies)('%s: no placement over-commits a cell', (strategy) => {
    fc.assert(
      fc.property(clusterArb(), lrpRequestsArb, taskRequestsArb, fc.nat(1000), (cells, l, t, seed) => {
        const r = schedule({ cells, lrps: l, tasks: t }, { strategy, seed });
        r.statesAfter.forEach((s, i) => {
          expect(s.AvailableResources.MemoryMB).toBeGreaterThanOrEqual(0);
          expect(s.AvailableResources.DiskMB).toBeGreaterThanOrEqual(0);
          expect(s.AvailableResources.Containers).toBeGreaterThanOrEqual(0);
          const c = r.cells[i]!;
          const placedMem = c.lrps.reduce((m, x) => m + x.MemoryMB, 0) + c.tasks.reduce((m, x) => m + x.MemoryMB, 0);
          expect(placedMem).toBeLessThanOrEqual(cells[i]!.AvailableResources.MemoryMB);
          expect(c.lrps.length + c.tasks.length).toBeLessThanOrEqual(cells[i]!.AvailableResources.Containers);
        });
      }),
      { numRuns: 150 },
    );
  });

  it.each(strategies)('%s: CPU and GPUs are never over-committed, and GPU work runs only on the models it names', (strategy) => {
    fc.assert(
      fc.property(dimensionalClusterArb(), dimensionalLRPRequestsArb, dimensionalTaskRequestsArb, fc.nat(1000), (cells, l, t, seed) => {
        const r = schedule({ cells, lrps: l, tasks: t }, { strategy, seed });
        r.statesAfter.forEach((s, i) => {
          const before = cells[i]!;
          const work = [...s.LRPs, ...s.Tasks];
          if (before.AvailableResources.CpuMilli !== undefined) {
            expect(s.AvailableResources.CpuMilli).toBeGreaterThanOrEqual(0);
            expect(work.reduce((m, w) => m + (w.CpuMilli ?? 0), 0)).toBe(before.AvailableResources.CpuMilli - s.AvailableResources.CpuMilli!);
          }
          // Each device gave exactly what the work holding it asked, and none went below zero.
          const taken = (before.AvailableResources.GpuMilli ?? []).map(() => 0);
          for (const w of work) {
            if ((w.GpuCount ?? 0) === 0) continue;
            expect(before.AvailableResources.GpuMilli).toBeDefined();
            expect(w.GpuDevices).toHaveLength(w.GpuCount!);
            for (const d of w.GpuDevices!) taken[d]! += w.GpuMilli ?? 1000;
          }
          for (const w of work) if ((w.GpuModels ?? []).length > 0) expect(w.GpuModels).toContain(s.GpuModel);
          (s.AvailableResources.GpuMilli ?? []).forEach((free, d) => {
            expect(free).toBeGreaterThanOrEqual(0);
            expect(free).toBe(before.AvailableResources.GpuMilli![d]! - taken[d]!);
          });
        });
        // An auctioneer that decides on fetched states decides as the cells will: none turns work down
        // (it checked CPU and GPUs as the cell does, and named the devices it counted on).
        if (STRATEGIES.get(strategy)!.fetchesStateFirst) for (const f of r.failures) expect(f.reason).not.toMatch(/at commit/);
      }),
      { numRuns: 120 },
    );
  });

  it.each(strategies)('%s: every auction ends placed or failed with a reason, never both, never lost', (strategy) => {
    fc.assert(
      fc.property(clusterArb(), lrpRequestsArb, taskRequestsArb, fc.nat(1000), (cells, l, t, seed) => {
        const r = schedule({ cells, lrps: l, tasks: t }, { strategy, seed });
        const { batch } = buildBatch(l, t);
        const expected = [...batch.lrps.map((a) => a.id), ...batch.tasks.map((a) => `task:${a.id}`)].sort();
        const placed = r.cells.flatMap((c) => [...c.lrps.map((x) => `${x.process_guid}.${x.index}`), ...c.tasks.map((x) => `task:${x.TaskGuid}`)]);
        const failed = r.failures.map((f) => (f.kind === 'lrp' ? `${f.process_guid}.${f.index}` : `task:${f.TaskGuid}`));
        expect([...placed, ...failed].sort()).toEqual(expected);
        for (const f of r.failures) expect(f.reason).not.toBe('');
        expect(r.counters.placed + r.counters.failed).toBe(r.counters.auctions);
      }),
      { numRuns: 150 },
    );
  });

  it.each(strategies)('%s: the same input and seed give the same placements', (strategy) => {
    fc.assert(
      fc.property(clusterArb(), lrpRequestsArb, taskRequestsArb, fc.nat(1000), (cells, l, t, seed) => {
        const a = schedule({ cells, lrps: l, tasks: t }, { strategy, seed });
        const b = schedule({ cells: structuredClone(cells), lrps: structuredClone(l), tasks: structuredClone(t) }, { strategy, seed });
        expect(b).toEqual(a);
      }),
      { numRuns: 60 },
    );
  });

  it('diego: single-instance apps placed into identical empty cells end within ±1 instance per cell', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 3 }), fc.nat(1000), (n, apps, zones, seed) => {
        const cells = Array.from({ length: n }, (_, i) => cell(`c${i}`, { memory: 100_000, disk: 100_000, containers: 1000, Zone: `z${i % zones}` }));
        const requests = Array.from({ length: apps }, (_, i) => lrps(`app-${i}`, 1, 64));
        const r = schedule({ cells, lrps: requests }, { seed });
        const counts = r.cells.map((c) => c.lrps.length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 100 },
    );
  });

  it('diego: the typed-array scheduler places exactly as the readable port of Diego does', () => {
    fc.assert(
      fc.property(clusterArb(), lrpRequestsArb, taskRequestsArb, diegoSettingsArb, fc.nat(1000), (cells, l, t, settings, seed) => {
        const { batch } = buildBatch(l, t, { seed });
        const snap = new ClusterSnapshot(cells, { seed, normaliseIndices: settings.binPackFirstFitWeight > 0 });
        const fast = scheduleBatch(snap, batch, settings);
        // The auctioneer's own copy never goes below zero either.
        for (let c = 0; c < snap.n; c++) {
          expect(Math.min(snap.availMem[c]!, snap.availDisk[c]!, snap.availCont[c]!)).toBeGreaterThanOrEqual(0);
        }
        const ref = referenceScheduleBatch(cells, batch, settings, seed);
        expect(fast.placed.map((p) => [p.auction.id, p.cell])).toEqual(ref.placed.map((p) => [p.auction.id, p.cell]));
        expect(fast.failed.map((p) => [p.auction.id, p.reason])).toEqual(ref.failed.map((p) => [p.auction.id, p.reason]));
        expect(fast.cellsScored).toBe(ref.cellsScored);
      }),
      { numRuns: 300 },
    );
  });

  it("diego: the auctioneer's snapshot kept from batch to batch decides each batch exactly as a new one", () => {
    fc.assert(
      fc.property(clusterArb(), fc.array(fc.tuple(lrpRequestsArb, taskRequestsArb, fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 3 })), { minLength: 2, maxLength: 5 }), diegoSettingsArb, fc.nat(1000), keptDecidesAsNew),
      { numRuns: 200 },
    );
  });

  it("diego: with CPU, GPUs and GPU models, the kept snapshot decides each batch exactly as a new one", () => {
    fc.assert(
      fc.property(
        dimensionalClusterArb(),
        fc.array(fc.tuple(dimensionalLRPRequestsArb, dimensionalTaskRequestsArb, fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 3 })), { minLength: 2, maxLength: 5 }),
        diegoSettingsArb,
        fc.constantFrom(0, 1),
        fc.nat(1000),
        (cells, batches, base, scoreCpu, seed) => keptDecidesAsNew(cells, batches, { ...base, scoreCpu }, seed),
      ),
      { numRuns: 150 },
    );
  });

  it('diego: with CPU, GPUs and GPU models, the typed-array scheduler places exactly as the readable port does (scoreCpu on and off)', () => {
    fc.assert(
      fc.property(dimensionalClusterArb(), dimensionalLRPRequestsArb, dimensionalTaskRequestsArb, diegoSettingsArb, fc.constantFrom(0, 1), fc.nat(1000), (cells, l, t, base, scoreCpu, seed) => {
        const settings = { ...base, scoreCpu };
        const { batch } = buildBatch(l, t, { seed });
        const snap = new ClusterSnapshot(cells, { seed, normaliseIndices: settings.binPackFirstFitWeight > 0 });
        const fast = scheduleBatch(snap, batch, settings);
        const ref = referenceScheduleBatch(cells, batch, settings, seed);
        expect(fast.placed.map((p) => [p.auction.id, p.cell])).toEqual(ref.placed.map((p) => [p.auction.id, p.cell]));
        expect(fast.failed.map((p) => [p.auction.id, p.reason])).toEqual(ref.failed.map((p) => [p.auction.id, p.reason]));
        expect(fast.cellsScored).toBe(ref.cellsScored);
        // The snapshot's CPU and devices end where the readable port's copies of the cells do.
        ref.statesAfter.forEach((s, c) => {
          if (s.AvailableResources.CpuMilli !== undefined) expect(snap.availCpu[c]).toBe(s.AvailableResources.CpuMilli);
          expect(snap.gpuFree[c]).toEqual(s.AvailableResources.GpuMilli);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('diego: schedule() with the reps\' shared placement index decides exactly as scanning the states does', () => {
    fc.assert(
      fc.property(clusterArb(), lrpRequestsArb, taskRequestsArb, diegoSettingsArb, fc.nat(1000), (cells, l, t, settings, seed) => {
        const { decided, failed: failedElsewhere } = decisionsOf(schedule({ cells, lrps: l, tasks: t }, { settings, seed }));
        const ref = referenceScheduleBatch(cells, buildBatch(l, t, { seed }).batch, settings, seed);
        expect(decided).toEqual(new Map(ref.placed.map((p) => [p.auction.id, cells[p.cell]!.cell_id])));
        expect(failedElsewhere).toEqual(new Map(ref.failed.map((f) => [f.auction.id, f.reason])));
      }),
      { numRuns: 200 },
    );
  });
});
