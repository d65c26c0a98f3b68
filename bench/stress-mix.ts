// Diego's scale target and stress mix (../shared/diego-reference.md), as inputs for the benchmarks.
import { emptyCellState, type CellState, type LRPStartRequest } from '../src/index.js';

/** `n` empty cells like Diego's target: 32 GiB memory, 64 GiB disk, 250 containers, spread over zones. */
export function diegoCells(n: number, zones = 3): CellState[] {
  return Array.from({ length: n }, (_, i) =>
    emptyCellState({ cell_id: `cell-${String(i).padStart(5, '0')}`, cell_index: i, zone: `z${(i % zones) + 1}`, memoryMB: 32 * 1024, diskMB: 64 * 1024, containers: 250 }),
  );
}

// One group of Diego's stress mix: 20 apps, 25 instances, 2,848 MB.
const GROUP: readonly { apps: number; instances: number; memoryMB: number }[] = [
  { apps: 9, instances: 1, memoryMB: 32 },
  { apps: 1, instances: 4, memoryMB: 32 },
  { apps: 6, instances: 1, memoryMB: 128 },
  { apps: 1, instances: 3, memoryMB: 128 },
  { apps: 1, instances: 1, memoryMB: 1024 },
  { apps: 2, instances: 1, memoryMB: 128 }, // the two crashing apps; placement treats them alike
];

/** Instances in one group of the mix. */
export const INSTANCES_PER_GROUP = 25;

/**
 * LRP start requests for `groups` groups of the stress mix, numbered from `firstGroup`.
 * Disk is sized like memory.
 */
export function stressMix(firstGroup: number, groups: number): LRPStartRequest[] {
  const out: LRPStartRequest[] = [];
  for (let g = firstGroup; g < firstGroup + groups; g++) {
    let k = 0;
    for (const kind of GROUP) {
      for (let a = 0; a < kind.apps; a++) {
        out.push({
          process_guid: `g${g}-app${k++}`,
          domain: 'cf-apps',
          indices: Array.from({ length: kind.instances }, (_, i) => i),
          PlacementTags: [],
          VolumeDrivers: [],
          RootFs: 'preloaded:cflinuxfs4',
          MemoryMB: kind.memoryMB,
          DiskMB: kind.memoryMB,
          MaxPids: 0,
        });
      }
    }
  }
  return out;
}
