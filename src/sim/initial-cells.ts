// The scenario's cells: their ids (`<prefix>-<nn>`), zones and initial states. The parser checks the
// ids and zones events name against these; the world builds its cells from them.
import type { CellState } from '../core/model/cell-state.js';
import { emptyCellState } from '../core/model/empty-cell.js';
import { freezeRootFSProviders } from '../core/model/rootfs.js';
import type { CellGroup } from './scenario-types.js';

function cellId(g: CellGroup, width: number, i: number): string {
  const own = g.ids?.[i];
  if (own !== undefined) return own;
  return `${g.prefix}-${String(i).padStart(Math.max(width, 2), '0')}`;
}

/** Every cell's id and zone, in the order the world makes them. */
export function cellNames(groups: readonly CellGroup[]): { id: string; zone: string }[] {
  const out: { id: string; zone: string }[] = [];
  for (const g of groups) {
    const width = String(g.count - 1).length;
    for (let i = 0; i < g.count; i++) out.push({ id: cellId(g, width, i), zone: g.zones[i % g.zones.length] as string });
  }
  return out;
}

/** Builds the cells' initial states from the scenario's cell groups. */
export function initialCells(groups: readonly CellGroup[]): CellState[] {
  const out: CellState[] = [];
  let cellIndex = 0;
  for (const g of groups) {
    const width = String(g.count - 1).length;
    // The group's cells offer the same root file systems: one frozen providers object serves them
    // all (and their reps keep it rather than a copy each: see MemoryRep), so the rootfs check of
    // every claim reads one object, not one of 12,500 cells' own three at ten times Diego's scale.
    let providers: CellState['RootFSProviders'] | undefined;
    for (let i = 0; i < g.count; i++) {
      const state = emptyCellState({
        cell_id: cellId(g, width, i),
        cell_index: cellIndex++,
        zone: g.zones[i % g.zones.length] as string,
        memoryMB: g.memoryMB,
        diskMB: g.diskMB,
        containers: g.containers,
        stacks: g.stacks,
        docker: g.docker,
        placementTags: g.placementTags,
        optionalPlacementTags: g.optionalPlacementTags,
        volumeDrivers: g.volumeDrivers,
        proxyMemoryMB: g.proxyMemoryMB,
        ...(g.cpuMilli !== undefined ? { cpuMilli: g.cpuMilli } : {}),
        ...(g.gpus !== undefined ? { gpus: g.gpus } : {}),
        ...(g.gpuModel !== undefined ? { gpuModel: g.gpuModel } : {}),
      });
      providers ??= freezeRootFSProviders(state.RootFSProviders);
      state.RootFSProviders = providers;
      out.push(state);
    }
  }
  return out;
}
