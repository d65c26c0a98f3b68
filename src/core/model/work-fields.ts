import type { PlacementConstraint, ResourceRequest } from './resources.js';

/** The placement and resource fields every piece of work carries, in Diego's JSON order. */
export type WorkFields = PlacementConstraint & ResourceRequest;

/**
 * Copies the placement and resource fields of a request, LRP or task, in Diego's JSON field order
 * (`PlacementTags, VolumeDrivers, RootFs, MemoryMB, DiskMB, MaxPids`), then auctionlab's optional
 * dimensions (`CpuMilli, GpuCount, GpuMilli, GpuModels`) only where the work has them, so Diego's
 * work prints exactly as Diego's. Lists are copied, so the result shares nothing mutable with its source.
 */
export function workFields(w: WorkFields): WorkFields {
  const out: WorkFields = {
    PlacementTags: [...w.PlacementTags],
    VolumeDrivers: [...w.VolumeDrivers],
    RootFs: w.RootFs,
    MemoryMB: w.MemoryMB,
    DiskMB: w.DiskMB,
    MaxPids: w.MaxPids,
  };
  copyExtraFields(w, out);
  return out;
}

/**
 * Copies auctionlab's optional work fields (`CpuMilli, GpuCount, GpuMilli, GpuModels`) that `from`
 * has onto `to`, in that order; none is written where `from` has none (Diego's work stays Diego's).
 */
export function copyExtraFields(from: Partial<WorkFields>, to: Partial<WorkFields>): void {
  if (from.CpuMilli !== undefined) to.CpuMilli = from.CpuMilli;
  if (from.GpuCount !== undefined) to.GpuCount = from.GpuCount;
  if (from.GpuMilli !== undefined) to.GpuMilli = from.GpuMilli;
  if (from.GpuModels !== undefined) to.GpuModels = [...from.GpuModels];
}
