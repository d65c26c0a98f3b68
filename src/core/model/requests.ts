import type { LRP, Task } from './cell-state.js';
import type { PlacementConstraint, ResourceRequest } from './resources.js';

/**
 * A request to start instances of an LRP, as posted to the auctioneer's `POST /v1/lrps`.
 * Each index becomes one auction.
 */
export interface LRPStartRequest extends PlacementConstraint, ResourceRequest {
  /** The app. */
  process_guid: string;
  /** Diego domain. */
  domain: string;
  /** Indices to start. */
  indices: number[];
}

/** A request to start a task, as posted to the auctioneer's `POST /v1/tasks`. */
export interface TaskStartRequest extends PlacementConstraint, ResourceRequest {
  /** Unique id of the task. */
  TaskGuid: string;
  /** Diego domain. */
  Domain: string;
}

/**
 * The work the auctioneer sends a cell in one `POST /work`, and the shape of the reply
 * (the work that failed).
 */
export interface Work {
  /** LRP instances to start. */
  LRPs: LRP[];
  /** Tasks to start. */
  Tasks: Task[];
  /** The cell this work is meant for; a rep rejects work addressed to another cell. */
  cell_id: string;
}
