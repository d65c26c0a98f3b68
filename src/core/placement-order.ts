import { hash32After, hash32Prefix } from './hash.js';
import type { Auction, AuctionBatch, LRPAuction, TaskAuction } from './model/auctions.js';

function byIndexThenMemory(a: LRPAuction, b: LRPAuction): number {
  if (a.lrp.index !== b.lrp.index) return a.lrp.index - b.lrp.index;
  return b.lrp.MemoryMB - a.lrp.MemoryMB;
}

function byMemory(a: TaskAuction, b: TaskAuction): number {
  return b.task.MemoryMB - a.task.MemoryMB;
}

// Sorted by two numeric keys (ascending), equal keys by a seeded hash of their id, then id (a total
// order). Positions are sorted with the keys and hashes in typed arrays, read once per item: the
// comparisons read no auction object (a batch at ten times Diego's scale sorts tens of thousands,
// and following each auction to its LRP on every comparison cost a cache miss each).
function scrambled<T extends Auction>(items: readonly T[], seed: number, first: (a: T) => number, second: (a: T) => number): T[] {
  const n = items.length;
  const prefix = hash32Prefix(`${seed}:`);
  const h = new Uint32Array(n);
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = items[i] as T;
    h[i] = hash32After(prefix, a.id);
    k1[i] = first(a);
    k2[i] = second(a);
  }
  const at = new Array<number>(n);
  for (let i = 0; i < n; i++) at[i] = i;
  at.sort((x, y) => {
    const d = (k1[x] as number) - (k1[y] as number) || (k2[x] as number) - (k2[y] as number) || (h[x] as number) - (h[y] as number);
    if (d !== 0) return d;
    const a = (items[x] as T).id;
    const b = (items[y] as T).id;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = items[at[i] as number] as T;
  return out;
}

// The keys of byIndexThenMemory and byMemory for scrambled: index ascending, then memory descending.
const lrpIndex = (a: LRPAuction) => a.lrp.index;
const lrpMemoryDown = (a: LRPAuction) => -a.lrp.MemoryMB;
const none = () => 0;
const taskMemoryDown = (a: TaskAuction) => -a.task.MemoryMB;

/**
 * Diego's placement order, "boulders before pebbles": index-0 LRPs (memory descending), then all
 * tasks (memory descending), then index-1 LRPs, index-2 LRPs, ... (each memory descending).
 * Diego sorts with Go's `sort.Sort`, which is not stable: auctions with equal keys end in an order
 * that has nothing to do with their arrival (auction auctionrunner/scheduler.go,
 * sortable_auctions.go). With `seed`, equal keys are ordered by `hash32("<seed>:<auction id>")` (then
 * id), an order that scrambles arrival the same way every time; without, they keep arrival order
 * (the stable order the other strategies use). The scrambling matters: in arrival order the last
 * auctions of a cold start are the newest apps' later indices, which then clash with their own
 * index 0 (locality) on the last free cells.
 */
export function placementOrder(batch: AuctionBatch, seed?: number): Auction[] {
  const lrps: Auction[] = seed === undefined ? batch.lrps.slice().sort(byIndexThenMemory) : scrambled(batch.lrps, seed, lrpIndex, lrpMemoryDown);
  if (batch.tasks.length === 0) return lrps;
  const tasks = seed === undefined ? batch.tasks.slice().sort(byMemory) : scrambled(batch.tasks, seed, taskMemoryDown, none);
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
