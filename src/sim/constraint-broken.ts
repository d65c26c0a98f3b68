// A cell against a piece of work's placement constraint (Diego's filters: rootfs, volume drivers,
// placement tags; auctionlab's GPU model), said in words: the safety check names a broken placement
// with it, and work running from the start is turned away from a cell with it.
import { FilterStage, filterStage } from '../core/filters.js';
import type { CellState } from '../core/model/cell-state.js';
import type { PlacementConstraint } from '../core/model/resources.js';

/** What a cell fails of a piece of work's placement constraint, in words; null when it passes Diego's filters. */
export function constraintBroken(cell: CellState, pc: PlacementConstraint): string | null {
  switch (filterStage(cell, pc)) {
    case FilterStage.RootFS:
      return `rootfs ${pc.RootFs} is not offered by the cell`;
    case FilterStage.VolumeDrivers:
      return `volume drivers [${pc.VolumeDrivers.join(', ')}] are not all on the cell (it has [${cell.VolumeDrivers.join(', ')}])`;
    case FilterStage.PlacementTags:
      return `placement tags [${pc.PlacementTags.join(', ')}] do not match the cell's required [${cell.PlacementTags.join(', ')}] and optional [${cell.OptionalPlacementTags.join(', ')}]`;
    case FilterStage.GpuModel:
      return `gpu models [${(pc.GpuModels ?? []).join(', ')}] do not include the cell's ${cell.GpuModel === undefined ? '(it has no GPU model)' : cell.GpuModel}`;
    default:
      return null;
  }
}
