// Typed arrays a batch is done with, kept for the next batch. An auctioneer running batch after
// batch over the same cells needs the same arrays each time; allocating them anew (their memory
// lives outside the JS heap) made the garbage collector, not the auction, the main cost at scale.

type Kind = 'f64' | 'i32' | 'u32' | 'u8';
type ArrayOf<K extends Kind> = K extends 'f64' ? Float64Array : K extends 'i32' ? Int32Array : K extends 'u32' ? Uint32Array : Uint8Array;

// At most this many spare arrays of one kind and length are kept.
const KEEP = 64;

const pools: Record<Kind, Map<number, ArrayOf<Kind>[]>> = { f64: new Map(), i32: new Map(), u32: new Map(), u8: new Map() };

function make(kind: Kind, n: number): ArrayOf<Kind> {
  switch (kind) {
    case 'f64':
      return new Float64Array(n);
    case 'i32':
      return new Int32Array(n);
    case 'u32':
      return new Uint32Array(n);
    case 'u8':
      return new Uint8Array(n);
  }
}

/** An array of `n` elements all set to `fill`: a spare one if there is one, else a new one. */
export function takeArray<K extends Kind>(kind: K, n: number, fill: number): ArrayOf<K> {
  const spare = pools[kind].get(n)?.pop();
  const a = (spare ?? make(kind, n)) as ArrayOf<K>;
  if (spare !== undefined || fill !== 0) a.fill(fill);
  return a;
}

/** Hands arrays back for reuse. The caller must not touch them afterwards. */
export function giveBack(kind: Kind, ...arrays: ArrayOf<Kind>[]): void {
  const pool = pools[kind];
  for (const a of arrays) {
    let list = pool.get(a.length);
    if (!list) {
      list = [];
      pool.set(a.length, list);
    }
    if (list.length < KEEP) list.push(a);
  }
}

/**
 * Empties a plain array and keeps its backing store for the next fill. `a.length = 0` lets V8 drop
 * the store, so an array emptied and refilled that way allocates a new one every time (a record
 * per auction or batch made garbage at each refill); popping shrinks it in place.
 */
export function emptyKeepingStore(a: unknown[]): void {
  while (a.length > 0) a.pop();
}

/**
 * Sets a plain array's length, only when it differs: assigning `length` calls into V8's runtime
 * even when the length does not change (0.6% of the diego-x10 hour, for arrays that were usually
 * already as long).
 */
export function setLength(a: unknown[], n: number): void {
  if (a.length !== n) a.length = n;
}

/**
 * A new array of `length` slots whose first `count` items are `from`'s: where a list built against
 * the last one (handed back whole while every item is the same object) first differs from it.
 */
export function startedFrom<T>(from: readonly T[], count: number, length: number): T[] {
  const out = new Array<T>(length);
  for (let i = 0; i < count; i++) out[i] = from[i] as T;
  return out;
}

// The typed array sortIntegers copies into (grown as needed, never shrunk).
let SORT_SPACE = new Int32Array(1024);

/**
 * Sorts a plain array of integers in [-2^31, 2^31) ascending, in place, with no comparator: a
 * typed array's native sort (a batch sorts the cells it touched, thousands at ten times Diego's
 * scale, and a comparator sort called back into JavaScript for every comparison). Short lists are
 * sorted where they are. Anything but such integers is a caller's error the sort would corrupt.
 */
export function sortIntegers(a: number[]): void {
  const n = a.length;
  if (n <= SHORT_SORT) {
    for (let i = 1; i < n; i++) {
      const x = a[i] as number;
      let j = i - 1;
      for (; j >= 0 && (a[j] as number) > x; j--) a[j + 1] = a[j] as number;
      a[j + 1] = x;
    }
    return;
  }
  if (SORT_SPACE.length < n) SORT_SPACE = new Int32Array(Math.max(n, 2 * SORT_SPACE.length));
  const s = SORT_SPACE.subarray(0, n);
  for (let i = 0; i < n; i++) s[i] = a[i] as number;
  s.sort();
  for (let i = 0; i < n; i++) a[i] = s[i] as number;
}

// Lists this short are sorted by insertion, in place: cheaper than the copies.
const SHORT_SORT = 16;
