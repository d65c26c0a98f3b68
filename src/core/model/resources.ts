/**
 * Resources as Diego's rep reports them: what a cell has in total and what is still free.
 * Memory and disk are in MB; containers is a count.
 */
export interface Resources {
  /** Memory in MB. */
  MemoryMB: number;
  /** Disk in MB. */
  DiskMB: number;
  /** Number of containers. */
  Containers: number;
}

/** What one piece of work asks for (Diego's `Resource`): memory, disk and a process limit. */
export interface ResourceRequest {
  /** Memory in MB. */
  MemoryMB: number;
  /** Disk in MB. */
  DiskMB: number;
  /** Maximum processes inside the container (0 = no limit); carried through, never scored. */
  MaxPids: number;
}

/** Where a piece of work may run (Diego's `PlacementConstraint`). */
export interface PlacementConstraint {
  /** Placement tags (isolation segments) the work asks for. */
  PlacementTags: string[];
  /** Volume drivers the work needs on the cell. */
  VolumeDrivers: string[];
  /** The root file system as a URL, e.g. `preloaded:cflinuxfs4` or `docker:///busybox`. */
  RootFs: string;
}
