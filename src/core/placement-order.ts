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
  const lrps: Auction[] = batch.lrps.slice().sort(byIndexThenMemory);
  if (batch.tasks.length === 0) return lrps;
  const tasks = batch.tasks.slice().sort(byMemory);
  let split = lrps.findIndex((a) => (a as LRPAuction).lrp.index > 0);
  if (split < 0) split = lrps.length;
  // One array, filled in order: a batch can hold tens of thousands of LRPs, and copying them into
  // pieces and back cost more than the sort.
  const out = new Array<Auction>(lrps.length + tasks.length);
  let k = 0;
  for (let i = 0; i < split; i++) out[k++] = lrps[i] as Auction;
  for (let i = 0; i < tasks.length; i++) out[k++] = tasks[i] as Auction;
  for (let i = split; i < lrps.length; i++) out[k++] = lrps[i] as Auction;
  return out;
}
