import { ERR_ROOTFS, ERR_VOLUME_DRIVERS, placementTagMismatch, PROBLEM_CONTAINERS, PROBLEM_DISK, PROBLEM_MEMORY, type ResourceProblems } from './errors.js';
import type { CellState } from './model/cell-state.js';
import type { PlacementConstraint, Resources } from './model/resources.js';
import { matchRootFS } from './model/rootfs.js';

/**
 * How far a cell got through Diego's hard filters, in their order. A higher stage is a more
 * specific failure; `FilterStage.Passed` means every filter passed.
 */
export const FilterStage = {
  /** The rootfs did not match. */
  RootFS: 0,
  /** The rootfs matched; a volume driver is missing. */
  VolumeDrivers: 1,
  /** Rootfs and drivers matched; the placement tags did not. */
  PlacementTags: 2,
  /** All three filters passed. */
  Passed: 3,
} as const;

/** One of the `FilterStage` values. */
export type FilterStage = (typeof FilterStage)[keyof typeof FilterStage];

/** Whether the cell has every requested volume driver. */
export function matchVolumeDrivers(cellDrivers: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((d) => cellDrivers.includes(d));
}

/**
 * Diego's placement-tag rule: the cell's required tags must all be among the work's tags, and every
 * tag of the work must be among the cell's required or optional tags.
 */
export function matchPlacementTags(
  required: readonly string[],
  optional: readonly string[],
  wanted: readonly string[],
): boolean {
  return required.every((t) => wanted.includes(t)) && wanted.every((t) => required.includes(t) || optional.includes(t));
}

/** The stage a cell reaches for a piece of work through rootfs, volume drivers and placement tags. */
export function filterStage(cell: CellState, pc: PlacementConstraint): FilterStage {
  if (!matchRootFS(cell.RootFSProviders, pc.RootFs)) return FilterStage.RootFS;
  if (!matchVolumeDrivers(cell.VolumeDrivers, pc.VolumeDrivers)) return FilterStage.VolumeDrivers;
  if (!matchPlacementTags(cell.PlacementTags, cell.OptionalPlacementTags, pc.PlacementTags)) {
    return FilterStage.PlacementTags;
  }
  return FilterStage.Passed;
}

/**
 * Diego's error for work that no cell passes, given the furthest stage any cell reached:
 * rootfs, then volume drivers, then placement tags. Returns `null` when some cell passed.
 */
export function filterError(furthest: FilterStage, pc: PlacementConstraint): string | null {
  switch (furthest) {
    case FilterStage.RootFS:
      return ERR_ROOTFS;
    case FilterStage.VolumeDrivers:
      return ERR_VOLUME_DRIVERS;
    case FilterStage.PlacementTags:
      return placementTagMismatch(pc.PlacementTags);
    default:
      return null;
  }
}

/**
 * Diego's resource check (`ResourceMatch`): free memory at least what is asked, free disk too, and one free
 * container. Returns the mask of problems, 0 when the work fits.
 */
export function resourceProblems(available: Resources, memoryMB: number, diskMB: number): ResourceProblems {
  let p = 0;
  if (available.DiskMB < diskMB) p |= PROBLEM_DISK;
  if (available.MemoryMB < memoryMB) p |= PROBLEM_MEMORY;
  if (available.Containers < 1) p |= PROBLEM_CONTAINERS;
  return p;
}
