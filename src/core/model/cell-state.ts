import type { PlacementConstraint, ResourceRequest, Resources } from './resources.js';
import type { RootFSProviders } from './rootfs.js';

/**
 * An LRP instance as a cell reports it (Diego's `SchedulingLRP`): its key, where it may run and
 * what it uses. JSON names are Diego's.
 */
export interface LRP extends PlacementConstraint, ResourceRequest {
  /** Unique id of this instance. */
  instance_guid: string;
  /** The app (DesiredLRP) this is an instance of. */
  process_guid: string;
  /** Instance index, 0..N-1. */
  index: number;
  /** Diego domain (e.g. `cf-apps`). */
  domain: string;
  /** The container's state as the rep sees it (e.g. `RESERVED`, `RUNNING`); may be empty. */
  state: string;
  /** The cell's GPU devices this instance holds (set by the cell that runs it; absent: none). */
  GpuDevices?: number[];
}

/** A task as a cell reports it (Diego's `SchedulingTask`). */
export interface Task extends PlacementConstraint, ResourceRequest {
  /** Unique id of the task. */
  TaskGuid: string;
  /** Diego domain. */
  Domain: string;
  /** The task's state on the cell; may be empty. */
  state: string;
  /** Whether the task failed. */
  failed: boolean;
  /** The cell's GPU devices this task holds (set by the cell that runs it; absent: none). */
  GpuDevices?: number[];
}

/**
 * What a rep answers to `GET /state`: the cell's identity, capacity, what runs on it and its
 * constraints. Field names are exactly Diego's, so a dump of real reps' `/state` parses as is.
 */
export interface CellState {
  /** URL of the rep. */
  rep_url: string;
  /** The cell's id; the auctioneer skips a cell that reports another id than it was asked. */
  cell_id: string;
  /** The cell's index, used by the bin-pack first-fit weight. */
  cell_index: number;
  /** Root file systems this cell can run. */
  RootFSProviders: RootFSProviders;
  /** Free resources. */
  AvailableResources: Resources;
  /** Total resources. */
  TotalResources: Resources;
  /** LRP instances on the cell (starting or running). */
  LRPs: LRP[];
  /** Tasks on the cell. */
  Tasks: Task[];
  /** Containers still starting (reserved, initializing or created). */
  StartingContainerCount: number;
  /** Availability zone. */
  Zone: string;
  /** Whether the cell is draining; the auctioneer does not place on it. */
  Evacuating: boolean;
  /** Volume drivers present on the cell. */
  VolumeDrivers: string[];
  /** Placement tags every workload on this cell must carry. */
  PlacementTags: string[];
  /** Placement tags a workload on this cell may carry. */
  OptionalPlacementTags: string[];
  /** Memory the rep adds to each LRP for the Envoy proxy, in MB. */
  ProxyMemoryAllocationMB: number;
  /** The model of the cell's GPUs (absent: none, or a model nobody asks for by name). */
  GpuModel?: string;
}
