import type { Auction, AuctionBatch, LRPAuction, TaskAuction } from './model/auctions.js';

function byIndexThenMemory(a: LRPAuction, b: LRPAuction): number {
  if (a.lrp.index !== b.lrp.index) return a.lrp.index - b.lrp.index;
  return b.lrp.MemoryMB - a.lrp.MemoryMB;
}

function byMemory(a: TaskAuction, b: TaskAuction): number {
  return b.task.MemoryMB - a.task.MemoryMB;
}

/**
 * Diego's placement order, "boulders before pebbles": index-0 LRPs (memory descending), then all
 * tasks (memory descending), then index-1 LRPs, index-2 LRPs, ... (each memory descending).
 * Go's sort is not stable; auctionlab's is, so equal keys keep their arrival order.
 */
export function placementOrder(batch: AuctionBatch): Auction[] {
  const lrps = [...batch.lrps].sort(byIndexThenMemory);
  const tasks = [...batch.tasks].sort(byMemory);
  let split = lrps.findIndex((a) => a.lrp.index > 0);
  if (split < 0) split = lrps.length;
  return [...lrps.slice(0, split), ...tasks, ...lrps.slice(split)];
}
