// A placement at Diego's scale target for report tests and benchmarks: 1,000 cells in 3 zones
// holding 250,000 instances of 5,000 apps (sizes 64-512 MB), a few cells dead or evacuating.
import type { CellStatus, PlacementSnapshot } from '../../src/metrics/placement-snapshot.js';
import { TimelineRecorder, type PlacementTimeline } from '../../src/metrics/placement-timeline.js';

/** The 250k-instance placement (deterministic). */
export function bigPlacement(): PlacementSnapshot {
  const apps = Array.from({ length: 5000 }, (_, i) => ({ guid: `app-${String(i).padStart(4, '0')}`, memoryMB: [64, 128, 256, 512][i % 4]! }));
  const cells = Array.from({ length: 1000 }, (_, c) => {
    const status: CellStatus = c % 97 === 0 ? 'dead' : c % 89 === 0 ? 'evacuating' : 'live';
    const lrps = status === 'dead' ? [] : Array.from({ length: 250 }, (_, k) => (c * 250 + k * 7919) % 5000).sort((a, b) => a - b);
    const used = lrps.reduce((n, a) => n + apps[a]!.memoryMB, 0);
    return {
      id: `cell-${c}`, zone: `z${(c % 3) + 1}`, status, memoryMB: 80_000, diskMB: 200_000, containers: 256,
      usedMemoryMB: used, usedDiskMB: 0, usedContainers: lrps.length, starting: 0, lrps, indices: lrps.map((_, k) => k), states: lrps.map((_, k) => (k % 50 === 0 ? 's' : 'r')).join(''), tasks: 0, taskMemoryMB: 0,
    };
  });
  return { apps, cells };
}

/**
 * A timeline of the 250k placement: 61 frames a minute apart; instances start (state `s`) and run
 * over the first frames; at frame 20 a tenth of the live cells die and their instances move, a few
 * at a time, to the others (deterministic).
 */
export function bigTimeline(): PlacementTimeline {
  const end = bigPlacement();
  const rec = new TimelineRecorder();
  const live = end.cells.filter((c) => c.status !== 'dead');
  const doomed = new Set(live.filter((_, i) => i % 10 === 3).map((c) => c.id));
  for (let f = 0; f <= 60; f++) {
    const frame: PlacementSnapshot = {
      apps: end.apps,
      cells: end.cells.map((c, ci) => {
        // Before frame 20 the doomed cells hold their own; after, they are dead and the rest hold more.
        const dead = f >= 20 && doomed.has(c.id);
        const extra = f >= 20 && !dead && c.status !== 'dead' ? Math.min(f - 19, 28) : 0;
        const gone = dead || c.status === 'dead';
        // The cell's own instances keep their indices; the ones it takes in come after, each with its own.
        const lrps = gone ? [] : [...c.lrps, ...Array.from({ length: extra }, (_, k) => (ci * 31 + k * 17) % end.apps.length)];
        return {
          ...c,
          status: dead ? ('dead' as const) : c.status,
          lrps,
          indices: gone ? [] : [...c.indices, ...Array.from({ length: extra }, (_, k) => 100_000 + ci * 100 + k)],
          states: lrps.map((_, k) => (f < 3 || (f === 20 + (k % 5) && k > 249) ? 's' : 'r')).join(''),
          usedContainers: lrps.length,
        };
      }),
    };
    rec.add(f * 60_000, frame);
  }
  return rec.timeline();
}
