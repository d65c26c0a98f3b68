// A placement at Diego's scale target for report tests and benchmarks: 1,000 cells in 3 zones
// holding 250,000 instances of 5,000 apps (sizes 64-512 MB), a few cells dead or evacuating.
import type { CellStatus, PlacementSnapshot } from '../../src/metrics/placement-snapshot.js';

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
