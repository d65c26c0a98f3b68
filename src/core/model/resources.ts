/**
 * Resources as Diego's rep reports them: what a cell has in total and what is still free.
 * Memory and disk are in MB; containers is a count. CPU and GPUs are auctionlab's optional
 * dimensions beyond Diego's three (Diego's cells account neither): a cell without them is a cell as
 * Diego knows it, and every figure and digest of such a cluster is what it was before they existed.
 */
export interface Resources {
  /** Memory in MB. */
  MemoryMB: number;
  /** Disk in MB. */
  DiskMB: number;
  /** Number of containers. */
  Containers: number;
  /** CPU in millicores (1000 = one core); absent on a cell that does not account CPU. */
  CpuMilli?: number;
  /**
   * GPU devices, as thousandths of each device (1000 = a whole device): in `TotalResources` every
   * entry is 1000, in `AvailableResources` what is still free of each. Absent on a cell without GPUs.
   */
  GpuMilli?: number[];
}

/** What one piece of work asks for (Diego's `Resource`): memory, disk and a process limit. */
export interface ResourceRequest {
  /** Memory in MB. */
  MemoryMB: number;
  /** Disk in MB. */
  DiskMB: number;
  /** Maximum processes inside the container (0 = no limit); carried through, never scored. */
  MaxPids: number;
  /** CPU in millicores; checked only on a cell that accounts CPU (absent: none asked). */
  CpuMilli?: number;
  /** GPU devices asked for (absent or 0: none). */
  GpuCount?: number;
  /**
   * Thousandths of each of those devices (1000 = whole devices; less = a share of one device, as
   * GPU-sharing pods ask). Absent: 1000.
   */
  GpuMilli?: number;
}

/** Where a piece of work may run (Diego's `PlacementConstraint`). */
export interface PlacementConstraint {
  /** Placement tags (isolation segments) the work asks for. */
  PlacementTags: string[];
  /** Volume drivers the work needs on the cell. */
  VolumeDrivers: string[];
  /** The root file system as a URL, e.g. `preloaded:cflinuxfs4` or `docker:///busybox`. */
  RootFs: string;
  /** GPU models the work may run on, any of them (absent or empty: any cell). */
  GpuModels?: string[];
}
