import { hash32After, hash32Prefix } from './hash.js';
import type { Auction, AuctionBatch, LRPAuction, TaskAuction } from './model/auctions.js';

function byIndexThenMemory(a: LRPAuction, b: LRPAuction): number {
  if (a.lrp.index !== b.lrp.index) return a.lrp.index - b.lrp.index;
  return b.lrp.MemoryMB - a.lrp.MemoryMB;
}

function byMemory(a: TaskAuction, b: TaskAuction): number {
  return b.task.MemoryMB - a.task.MemoryMB;
}

/**
 * Typed arrays for the seeded order, kept from batch to batch: an auctioneer orders one batch after
 * another, and eight new typed arrays a batch (their memory lives outside the JS heap, each a
 * separate allocation the collector must track) cost more than ordering a small batch. Grown as
 * needed up to {@link SPACE_KEPT_UP_TO} items; a larger batch (a cold start's) gets arrays of its own,
 * so a run does not hold a cold start's worth of them for good.
 */
class OrderSpace {
  /** Each item's seeded hash of its id. */
  readonly h: Uint32Array;
  /** Each item's first key. */
  readonly k1: Float64Array;
  /** Each item's second key. */
  readonly k2: Float64Array;
  /** Each item's bucket (its pair of keys; see bucketedOrder). */
  readonly bucketOf: Int32Array;
  /** The positions in order (the result). */
  readonly at: Int32Array;
  /** The radix sort's hashes and positions, and the same again to sort into. */
  readonly keys: Uint32Array;
  readonly pos: Int32Array;
  readonly keys2: Uint32Array;
  readonly pos2: Int32Array;
  /** Per bucket: where its next item goes, and how many it holds. */
  readonly start: Int32Array;
  readonly count: Int32Array;
  /** The radix sort's four digit counts, 256 each. */
  readonly digits = new Int32Array(4 * 256);

  constructor(readonly size: number) {
    this.h = new Uint32Array(size);
    this.k1 = new Float64Array(size);
    this.k2 = new Float64Array(size);
    this.bucketOf = new Int32Array(size);
    this.at = new Int32Array(size);
    this.keys = new Uint32Array(size);
    this.pos = new Int32Array(size);
    this.keys2 = new Uint32Array(size);
    this.pos2 = new Int32Array(size);
    this.start = new Int32Array(size);
    this.count = new Int32Array(size);
  }
}

// The largest batch whose space is kept for the next (52 bytes an item: 3.4 MiB at most).
const SPACE_KEPT_UP_TO = 2 ** 16;
let kept = new OrderSpace(1024);

// Space for `n` items: the kept one, grown if need be.
function spaceFor(n: number): OrderSpace {
  if (n <= kept.size) return kept;
  if (n > SPACE_KEPT_UP_TO) return new OrderSpace(n);
  kept = new OrderSpace(Math.min(SPACE_KEPT_UP_TO, Math.max(n, 2 * kept.size)));
  return kept;
}

// Sorted by two numeric keys (ascending), equal keys by a seeded hash of their id, then id, then
// arrival (a total order). The keys and hashes are read once per item into typed arrays: the sort
// reads no auction object (a batch at ten times Diego's scale sorts tens of thousands, and following
// each auction to its LRP on every comparison cost a cache miss each).
function scrambled<T extends Auction>(items: readonly T[], seed: number, first: (a: T) => number, second: (a: T) => number): T[] {
  const n = items.length;
  const prefix = hash32Prefix(`${seed}:`);
  const s = spaceFor(n);
  const { h, k1, k2 } = s;
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
  const at = finite && n >= BUCKETED_FROM ? bucketedOrder(items, s) : comparedOrder(items, h, k1, k2);
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

// Smaller batches sort as fast with the comparator.
const BUCKETED_FROM = 16;

/**
 * Positions in scrambled's order without a comparator, for finite keys: a batch has few distinct
 * pairs of keys (an index and a memory size), so the items are put in (hash, position) order once
 * (a radix sort of the hashes), then dealt, in that order, into one bucket per pair of keys, the
 * buckets in key order; the rare runs of equal hashes in a bucket are then put in id order (arrival
 * order between equal ids). The same order as {@link comparedOrder}: for finite numbers a
 * difference is 0 exactly when they are equal, so the comparator orders the pairs as numbers. The
 * result lives in `s` (its first `items.length` entries) until the next order is made.
 */
function bucketedOrder(items: readonly Auction[], s: OrderSpace): Int32Array {
  const n = items.length;
  const { h, k1, k2, bucketOf, start, count } = s;
  // Each item's pair of keys as a bucket number (Maps by value: +0 and -0 are one key, as they
  // compare equal); buckets are numbered as met.
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
  count.fill(0, 0, buckets);
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
  const byHash = hashOrder(n, s);
  const at = s.at;
  for (let k = 0; k < n; k++) {
    const i = byHash[k] as number;
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

/**
 * Positions 0..n-1 of the hashes in `s.h` in (hash, position) order: a least-significant-digit
 * radix sort, a byte of the hash a pass, each pass stable, so equal hashes keep position order.
 * Linear in n, with no comparisons (a native sort of the hashes packed with their positions into
 * doubles did n log n of them). Returns `s.pos2`: the four passes write `pos`, `pos2`, `pos`, then
 * `pos2`, which holds the result.
 */
function hashOrder(n: number, s: OrderSpace): Int32Array {
  const { h, digits } = s;
  digits.fill(0);
  for (let i = 0; i < n; i++) {
    const x = h[i] as number;
    const d0 = x & 255;
    const d1 = 256 + ((x >>> 8) & 255);
    const d2 = 512 + ((x >>> 16) & 255);
    const d3 = 768 + (x >>> 24);
    digits[d0] = (digits[d0] as number) + 1;
    digits[d1] = (digits[d1] as number) + 1;
    digits[d2] = (digits[d2] as number) + 1;
    digits[d3] = (digits[d3] as number) + 1;
  }
  // Counts to where each digit's run starts.
  for (let d = 0; d < 1024; d += 256) {
    let sum = 0;
    for (let b = d; b < d + 256; b++) {
      const c = digits[b] as number;
      digits[b] = sum;
      sum += c;
    }
  }
  // The first pass reads the hashes in position order; the others what the last pass wrote.
  let fromKeys = s.keys;
  let fromPos = s.pos;
  let toKeys = s.keys2;
  let toPos = s.pos2;
  for (let i = 0; i < n; i++) {
    const x = h[i] as number;
    const to = digits[x & 255] as number;
    digits[x & 255] = to + 1;
    fromKeys[to] = x;
    fromPos[to] = i;
  }
  for (let shift = 8, base = 256; shift < 32; shift += 8, base += 256) {
    for (let k = 0; k < n; k++) {
      const x = fromKeys[k] as number;
      const d = base + ((x >>> shift) & 255);
      const to = digits[d] as number;
      digits[d] = to + 1;
      toKeys[to] = x;
      toPos[to] = fromPos[k] as number;
    }
    [fromKeys, toKeys] = [toKeys, fromKeys];
    [fromPos, toPos] = [toPos, fromPos];
  }
  return fromPos;
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
