import type { PlacementConstraint, ResourceRequest } from './resources.js';

/** The placement and resource fields every piece of work carries, in Diego's JSON order. */
export type WorkFields = PlacementConstraint & ResourceRequest;

/**
 * Copies the placement and resource fields of a request, LRP or task, in Diego's JSON field order
 * (`PlacementTags, VolumeDrivers, RootFs, MemoryMB, DiskMB, MaxPids`). Lists are copied, so the
 * result shares nothing mutable with its source.
 */
export function workFields(w: WorkFields): WorkFields {
  return {
    PlacementTags: [...w.PlacementTags],
    VolumeDrivers: [...w.VolumeDrivers],
    RootFs: w.RootFs,
    MemoryMB: w.MemoryMB,
    DiskMB: w.DiskMB,
    MaxPids: w.MaxPids,
  };
}
