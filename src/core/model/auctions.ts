import type { LRP, Task } from './cell-state.js';

/** One auction: one LRP instance (process guid + index) to place. */
export interface LRPAuction {
  /** Discriminator. */
  kind: 'lrp';
  /** `processGuid.index`, Diego's identity for deduplication. */
  id: string;
  /** The instance as it will be sent to the winning cell. */
  lrp: LRP;
}

/** One auction: one task to place. */
export interface TaskAuction {
  /** Discriminator. */
  kind: 'task';
  /** The task guid, Diego's identity for deduplication. */
  id: string;
  /** The task as it will be sent to the winning cell. */
  task: Task;
}

/** Either kind of auction. */
export type Auction = LRPAuction | TaskAuction;

/** One batch: what arrived while the previous auction ran, deduplicated. */
export interface AuctionBatch {
  /** LRP auctions in arrival order. */
  lrps: LRPAuction[];
  /** Task auctions in arrival order. */
  tasks: TaskAuction[];
}
