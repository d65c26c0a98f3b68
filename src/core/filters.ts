import { ERR_ROOTFS, ERR_VOLUME_DRIVERS, gpuModelMismatch, placementTagMismatch, PROBLEM_CONTAINERS, PROBLEM_CPU, PROBLEM_DISK, PROBLEM_GPU, PROBLEM_MEMORY, type ResourceProblems } from './errors.js';
import type { CellState } from './model/cell-state.js';
import { gpuAsk, gpusFit } from './model/gpus.js';
import type { PlacementConstraint, ResourceRequest, Resources } from './model/resources.js';
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
  /** Diego's three matched; the work asks for GPU models the cell does not have (auctionlab's filter). */
  GpuModel: 3,
  /** Every filter passed. */
  Passed: 4,
} as const;

/** One of the `FilterStage` values. */
export type FilterStage = (typeof FilterStage)[keyof typeof FilterStage];

/** Whether the cell has every requested volume driver. */
export function matchVolumeDrivers(cellDrivers: readonly string[], wanted: readonly string[]): boolean {
  // Work asks for no driver nearly always (every claim checks): no callback then.
  return wanted.length === 0 || wanted.every((d) => cellDrivers.includes(d));
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

/** Whether the cell's GPU model is one the work accepts (work naming no model accepts any cell). */
export function matchGpuModel(cellModel: string | undefined, wanted: readonly string[] | undefined): boolean {
  return wanted === undefined || wanted.length === 0 || (cellModel !== undefined && wanted.includes(cellModel));
}

/**
 * The stage a cell reaches for a piece of work through rootfs, volume drivers and placement tags
 * (Diego's filters, in Diego's order), then the work's GPU models (auctionlab's, after Diego's).
 */
export function filterStage(cell: CellState, pc: PlacementConstraint): FilterStage {
  if (!matchRootFS(cell.RootFSProviders, pc.RootFs)) return FilterStage.RootFS;
  if (!matchVolumeDrivers(cell.VolumeDrivers, pc.VolumeDrivers)) return FilterStage.VolumeDrivers;
  if (!matchPlacementTags(cell.PlacementTags, cell.OptionalPlacementTags, pc.PlacementTags)) {
    return FilterStage.PlacementTags;
  }
  if (!matchGpuModel(cell.GpuModel, pc.GpuModels)) return FilterStage.GpuModel;
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
    case FilterStage.GpuModel:
      return gpuModelMismatch(pc.GpuModels ?? []);
    default:
      return null;
  }
}

/** What work asks beyond Diego's memory and disk: CPU and GPUs (both optional). */
export type ExtraRequest = Pick<ResourceRequest, 'CpuMilli' | 'GpuCount' | 'GpuMilli'>;

/**
 * Diego's resource check (`ResourceMatch`): free memory at least what is asked, free disk too, and one free
 * container; then auctionlab's dimensions: free CPU at least what is asked on a cell that accounts CPU,
 * and enough GPU devices with the share asked free (a cell without GPUs has none). Returns the mask of
 * problems, 0 when the work fits.
 */
export function resourceProblems(available: Resources, memoryMB: number, diskMB: number, extra?: ExtraRequest): ResourceProblems {
  let p = 0;
  if (available.DiskMB < diskMB) p |= PROBLEM_DISK;
  if (available.MemoryMB < memoryMB) p |= PROBLEM_MEMORY;
  if (available.Containers < 1) p |= PROBLEM_CONTAINERS;
  if (extra !== undefined) p |= extraProblems(available, extra);
  return p;
}

/** The CPU and GPU part of {@link resourceProblems}. */
export function extraProblems(available: Resources, extra: ExtraRequest): ResourceProblems {
  let p = 0;
  if (available.CpuMilli !== undefined && extra.CpuMilli !== undefined && available.CpuMilli < extra.CpuMilli) p |= PROBLEM_CPU;
  const ask = gpuAsk(extra);
  if (ask !== null && !gpusFit(available.GpuMilli, ask)) p |= PROBLEM_GPU;
  return p;
}
