import { hash32After, hash32Prefix } from './hash.js';
import type { Auction, AuctionBatch, LRPAuction, TaskAuction } from './model/auctions.js';

function byIndexThenMemory(a: LRPAuction, b: LRPAuction): number {
  if (a.lrp.index !== b.lrp.index) return a.lrp.index - b.lrp.index;
  return b.lrp.MemoryMB - a.lrp.MemoryMB;
}

function byMemory(a: TaskAuction, b: TaskAuction): number {
  return b.task.MemoryMB - a.task.MemoryMB;
}

// Sorted by two numeric keys (ascending), equal keys by a seeded hash of their id, then id, then
// arrival (a total order). The keys and hashes are read once per item into typed arrays: the sort
// reads no auction object (a batch at ten times Diego's scale sorts tens of thousands, and following
// each auction to its LRP on every comparison cost a cache miss each).
function scrambled<T extends Auction>(items: readonly T[], seed: number, first: (a: T) => number, second: (a: T) => number): T[] {
  const n = items.length;
  const prefix = hash32Prefix(`${seed}:`);
  const h = new Uint32Array(n);
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  let finite = true;
  for (let i = 0; i < n; i++) {
    const a = items[i] as T;
    h[i] = hash32After(prefix, a.id);
    const x = first(a);
    const y = second(a);
    k1[i] = x;
    k2[i] = y;
    if (!(Number.isFinite(x) && Number.isFinite(y))) finite = false;
  }
  const at = finite && n >= BUCKETED_FROM && n <= BUCKETED_UP_TO ? bucketedOrder(items, h, k1, k2) : comparedOrder(items, h, k1, k2);
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = items[at[i] as number] as T;
  return out;
}

// Positions in scrambled's order, by a sort with a comparator (any keys, NaN included, any size).
function comparedOrder(items: readonly Auction[], h: Uint32Array, k1: Float64Array, k2: Float64Array): number[] {
  const n = items.length;
  const at = new Array<number>(n);
  for (let i = 0; i < n; i++) at[i] = i;
  // Stable: equal ids keep their arrival order.
  return at.sort((x, y) => {
    const d = (k1[x] as number) - (k1[y] as number) || (k2[x] as number) - (k2[y] as number) || (h[x] as number) - (h[y] as number);
    return d !== 0 ? d : idOrder(items, x, y);
  });
}

function idOrder(items: readonly Auction[], x: number, y: number): number {
  const a = (items[x] as Auction).id;
  const b = (items[y] as Auction).id;
  return a < b ? -1 : a > b ? 1 : 0;
}

// Positions packed below the hash in one exact double (hash * 2^21 + position < 2^53).
const POSITION_BITS = 21;
const BUCKETED_UP_TO = 2 ** POSITION_BITS;
// Smaller batches sort as fast with the comparator.
const BUCKETED_FROM = 16;

/**
 * Positions in scrambled's order without a comparator, for finite keys: a batch has few distinct
 * pairs of keys (an index and a memory size), so the items are sorted once by (hash, position) as
 * plain numbers (a native sort of doubles), then dealt, in that order, into one bucket per pair of
 * keys, the buckets in key order; the rare runs of equal hashes in a bucket are then put in id order
 * (arrival order between equal ids). The same order as {@link comparedOrder}: for finite numbers a
 * difference is 0 exactly when they are equal, so the comparator orders the pairs as numbers.
 */
function bucketedOrder(items: readonly Auction[], h: Uint32Array, k1: Float64Array, k2: Float64Array): Int32Array {
  const n = items.length;
  // Each item's pair of keys as a bucket number (Maps by value: +0 and -0 are one key, as they
  // compare equal); buckets are numbered as met.
  const bucketOf = new Int32Array(n);
  const byFirst = new Map<number, Map<number, number>>();
  const firstOf: number[] = [];
  const secondOf: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = k1[i] as number;
    const y = k2[i] as number;
    let bySecond = byFirst.get(x);
    if (bySecond === undefined) byFirst.set(x, (bySecond = new Map()));
    let b = bySecond.get(y);
    if (b === undefined) {
      b = firstOf.length;
      bySecond.set(y, b);
      firstOf.push(x);
      secondOf.push(y);
    }
    bucketOf[i] = b;
  }
  const buckets = firstOf.length;
  // The buckets in key order, and where each starts in the output.
  const rank = Array.from({ length: buckets }, (_, b) => b).sort((a, b) => (firstOf[a] as number) - (firstOf[b] as number) || (secondOf[a] as number) - (secondOf[b] as number));
  const start = new Int32Array(buckets);
  const count = new Int32Array(buckets);
  for (let i = 0; i < n; i++) {
    const b = bucketOf[i] as number;
    count[b] = (count[b] as number) + 1;
  }
  let next = 0;
  for (let r = 0; r < buckets; r++) {
    const b = rank[r] as number;
    start[b] = next;
    next += count[b] as number;
  }
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = (h[i] as number) * BUCKETED_UP_TO + i;
  packed.sort();
  const at = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = (packed[k] as number) % BUCKETED_UP_TO;
    const b = bucketOf[i] as number;
    const to = start[b] as number;
    at[to] = i;
    start[b] = to + 1;
  }
  // Equal hashes within a bucket (adjacent now, in arrival order): by id, equal ids in arrival order.
  for (let k = 1; k < n; k++) {
    const i = at[k] as number;
    const j = at[k - 1] as number;
    if (h[i] !== h[j] || bucketOf[i] !== bucketOf[j]) continue;
    // Insertion into the run before it (runs are short: a 32-bit hash rarely repeats).
    let p = k;
    while (p > 0) {
      const q = at[p - 1] as number;
      if (h[q] !== h[i] || bucketOf[q] !== bucketOf[i] || idOrder(items, q, i) <= 0) break;
      at[p] = q;
      p--;
    }
    at[p] = i;
  }
  return at;
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
