import { describe, expect, it } from 'vitest';
import { jainIndex } from '../../src/index.js';
import { loadScenarioFile, simulate } from '../../src/sim.js';
import { snapshotPlacement, type PlacementSnapshot } from '../../src/metrics/placement-snapshot.js';
import { strandedMemoryMB } from '../../src/metrics/packing.js';
import { zoneSkew } from '../../src/metrics/balance.js';
import { cellOrder, faultMarks, memoryByCell, seriesOf, strandedByCell, zoneSkewHistogram } from '../../src/report/model.js';
import { cellWith, running } from '../support/fixtures.js';
import { DIEGO_METRICS, type DiegoMetrics } from '../../src/sim/simulate.js';

// Three zones; app "web" has 3 instances in z1, 1 in z2, none in z3 (skew 3); "api" one per zone (skew 0).
const states = [
  cellWith('c1', [running('web', 0, 100), running('web', 1, 100), running('api', 0, 100)], { memory: 400, Zone: 'z1' }),
  cellWith('c2', [running('web', 2, 100)], { memory: 400, Zone: 'z1', containers: 1 }),
  cellWith('c3', [running('web', 3, 100), running('api', 1, 100)], { memory: 250, Zone: 'z2' }),
  cellWith('c4', [running('api', 2, 100)], { memory: 400, Zone: 'z3' }),
  cellWith('c0', [], { memory: 999, Zone: 'z2' }),
];
const snap: PlacementSnapshot = snapshotPlacement(states.map((state, i) => ({ state, status: i === 4 ? 'dead' : 'live' })));

describe('report data model', () => {
  it('orders cells by zone, keeping the given order within a zone', () => {
    expect(cellOrder(snap).map((i) => snap.cells[i]!.id)).toEqual(['c1', 'c2', 'c3', 'c0', 'c4']);
  });

  it('memory per cell: used and free on cells that are not dead', () => {
    expect(memoryByCell(snap)).toEqual([
      { id: 'c1', zone: 'z1', usedMB: 300, freeMB: 100 },
      { id: 'c2', zone: 'z1', usedMB: 100, freeMB: 300 },
      { id: 'c3', zone: 'z2', usedMB: 200, freeMB: 50 },
      { id: 'c4', zone: 'z3', usedMB: 100, freeMB: 300 },
    ]);
  });

  it('zone skew per app, counted by hand and equal to the metrics pack', () => {
    const h = zoneSkewHistogram(snap);
    expect(h.byApp).toEqual({ api: 0, web: 3 });
    expect(h.counts).toEqual([1, 0, 0, 1]);
    const m = zoneSkew(states.slice(0, 4));
    expect(h.byApp).toEqual(m.byApp);
  });

  it('stranded capacity: free memory on cells that cannot take one more instance of the most common size', () => {
    const s = strandedByCell(snap);
    expect(s.sizeMB).toBe(100);
    // c2 has 300 MB free but no container left; c3 has 50 MB free, under 100 MB.
    expect(s.cells.map((c) => [c.id, c.strandedMB])).toEqual([['c1', 0], ['c2', 300], ['c3', 50], ['c4', 0]]);
    expect(s.totalMB).toBe(350);
    expect(s.totalMB).toBe(strandedMemoryMB(states.slice(0, 4)));
  });

  it('faults become marks in minutes with their time to recover in seconds', () => {
    const none = { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    const fault = (kind: string, detail: string, at: number, recoveredAfterMs: number | null) => ({ kind, detail, at, displaced: 1, back: 1, noticedAfterMs: 0, placedAfterMs: none, runningAfterMs: none, noLongerDesired: 0, notBack: {}, recoveredAfterMs });
    expect(faultMarks([fault('kill', '2 cells', 90_000, 12_500), fault('partition', 'z1', 60_000, null)])).toEqual([
      { atMin: 1.5, label: 'kill (2 cells)', recoveredAfterS: 12.5 },
      { atMin: 1, label: 'partition (z1)', recoveredAfterS: null },
    ]);
  });

  it('series over minutes, scaled, with gaps where a sample has nothing', () => {
    const diego = Object.fromEntries(DIEGO_METRICS.map((m) => [m, 0])) as unknown as DiegoMetrics;
    const base = { desired: 0, running: 0, missing: 0, extra: 0, crashed: 0, pendingTasks: 0, runningTasks: 0, utilisation: 0.5, messages: 0, diego, routable: 0, routes: {} };
    const samples = [{ ...base, t: 0, waitP50Ms: null, waitP99Ms: null }, { ...base, t: 30_000, waitP50Ms: 1500, waitP99Ms: 4000 }];
    expect(seriesOf(samples, ['utilisation'], 100)[0]!.points).toEqual([{ x: 0, y: 50 }, { x: 0.5, y: 50 }]);
    expect(seriesOf(samples, ['waitP99Ms'], 1 / 1000)[0]!.points).toEqual([{ x: 0, y: null }, { x: 0.5, y: 4 }]);
  });

  it('on a real run, the charts agree with the run summary', () => {
    const r = simulate(loadScenarioFile('scenarios/default.yaml'), { durationMs: 300_000 });
    const live = r.placement.cells.filter((c) => c.status !== 'dead');
    expect(live.length).toBe(r.summary.packing.liveCells);
    expect(strandedByCell(r.placement).totalMB).toBe(r.summary.packing.strandedMemoryMB);
    expect(Math.max(0, ...Object.values(zoneSkewHistogram(r.placement).byApp))).toBe(r.summary.balance.zoneSkewMax);
    expect(jainIndex(memoryByCell(r.placement).map((c) => c.usedMB))).toBeCloseTo(r.summary.balance.jainIndex, 12);
    const instances = live.reduce((n, c) => n + c.lrps.length, 0);
    expect(instances).toBe(r.summary.desiredAtEnd - r.summary.missingAtEnd + r.summary.extraAtEnd);
  });
});
