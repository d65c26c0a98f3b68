// Order statistics without a full sort. A run's end reports the median, 90th and 99th percentile of
// every wait it saw (5.8 million at diego-x10): sorting them all took half a second of a run's end
// there, where three selections touch each value a few times.

/** Numbers {@link selectInPlace} can rearrange: a typed array, or a plain array (which, unlike a typed array's buffer, V8 does not count as external memory). */
export type SelectableNumbers = Float64Array | number[];

/**
 * Rearranges `a[lo..hi]` (inclusive) so that position `k` holds the value a sort would put there,
 * with no greater value before it and no smaller one after. For values without NaN or -0 (a sort
 * orders those, a comparison cannot); `lo <= k <= hi`. A quickselect on a median of three, falling
 * back to sorting what is left after more steps than a good run needs, so it never degrades past
 * a sort's n log n. `steps` is how many partitions it tries before sorting (tests give fewer, to
 * reach the sort on inputs too small to need it).
 */
export function selectInPlace(a: SelectableNumbers, k: number, lo = 0, hi = a.length - 1, steps = 2 * Math.ceil(Math.log2(hi - lo + 2)) + 8): void {
  if (!(lo <= k && k <= hi && lo >= 0 && hi < a.length)) throw new RangeError(`select: position ${k} is not within ${lo}..${hi} of ${a.length} values`);
  while (hi > lo) {
    if (--steps < 0) {
      sortRange(a, lo, hi);
      return;
    }
    const pivot = medianOfThree(a[lo] as number, a[lo + ((hi - lo) >> 1)] as number, a[hi] as number);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now lo..j hold values <= pivot, i..hi values >= pivot, and anything between equals it.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function medianOfThree(x: number, y: number, z: number): number {
  if (x < y) return y < z ? y : x < z ? z : x;
  return x < z ? x : y < z ? z : y;
}

// Sorts a[lo..hi] ascending (no NaN or -0 there: a comparison orders the rest as a typed sort does).
function sortRange(a: SelectableNumbers, lo: number, hi: number): void {
  if (a instanceof Float64Array) {
    a.subarray(lo, hi + 1).sort();
    return;
  }
  const part = a.slice(lo, hi + 1).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  for (let i = 0; i < part.length; i++) a[lo + i] = part[i] as number;
}
