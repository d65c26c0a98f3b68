// Strings in the order `Array.prototype.sort()` gives them (by UTF-16 code units), faster for many
// short ones. A run's placement snapshot sorts every live instance's app guid at the run's end: at
// diego-x10's 2.5 million instances the built-in sort took seconds (a comparison per step, each
// walking two strings), growing faster than the instances. Here each string's first characters are packed into integers and
// the strings put in order by a radix sort of those integers; only strings whose packed prefixes
// tie are compared in full.
//
// The keys and positions are plain arrays of small integers, not typed arrays: V8 counts a typed
// array's buffer as external memory, and past 64 MiB of it since the last full collection it marks
// the whole heap at once. At diego-x10's run's end (1.9 million guids, a heap of 3 GiB) the typed
// arrays here set off a collection that cost seconds (bench/RESULTS.md). Three bytes to a word keep
// each one a small integer (below 2^30), which V8 keeps in the array itself (a larger one would make the
// array one of doubles).

// Below this many strings the built-in sort is as quick and needs no key arrays.
const SMALL = 2048;
// Characters packed per word (one byte each), and the most words packed per string.
const PER_WORD = 3;
const MAX_WORDS = 8;
// The radix sort's digit: half a word.
const DIGIT_BITS = 12;
const DIGITS = 1 << DIGIT_BITS;

/**
 * The positions of `strings` in ascending order of their strings, by UTF-16 code units as
 * `Array.prototype.sort()` compares them (a string before any longer string it begins); equal
 * strings keep their order (a stable sort). A radix sort of packed prefixes when there are at least
 * `radixFrom` strings (tests give 0) whose first characters are all below U+0100, else the built-in
 * sort of the positions.
 */
export function stringOrder(strings: readonly string[], radixFrom = SMALL): number[] {
  const n = strings.length;
  if (n < Math.max(2, radixFrom)) return comparedOrder(strings);
  let longest = 0;
  for (let i = 0; i < n; i++) longest = Math.max(longest, (strings[i] as string).length);
  const words = Math.max(1, Math.min(MAX_WORDS, Math.ceil(longest / PER_WORD)));
  const packed = packedPrefixes(strings, words);
  if (packed === null) return comparedOrder(strings);
  const order = radixOrder(packed.keys, n);
  // Equal keys are equal strings (left in their order by the stable passes) unless a string is
  // longer than its key or holds U+0000 (the padding) inside it.
  if (longest > words * PER_WORD || packed.nul) sortTies(strings, order, packed.keys);
  return order;
}

/** A new array of `strings` in the order `[...strings].sort()` gives: see {@link stringOrder}. */
export function sortedStrings(strings: readonly string[], radixFrom = SMALL): string[] {
  const order = stringOrder(strings, radixFrom);
  const out = new Array<string>(order.length);
  for (let i = 0; i < order.length; i++) out[i] = strings[order[i] as number] as string;
  return out;
}

// Compares two strings as the built-in sort does.
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// The positions sorted by their strings with the built-in (stable) sort.
function comparedOrder(strings: readonly string[]): number[] {
  const positions = Array.from(strings.keys());
  positions.sort((i, j) => byCodeUnits(strings[i] as string, strings[j] as string) || i - j);
  return positions;
}

// Each string's first `words` x 3 characters, one byte each, big-end first, padded with 0, and
// whether a string has U+0000 there; null when a character there is above U+00FF (a byte cannot hold
// it: the caller sorts the usual way).
function packedPrefixes(strings: readonly string[], words: number): { keys: number[][]; nul: boolean } | null {
  let nul = false;
  const n = strings.length;
  const keys: number[][] = [];
  for (let w = 0; w < words; w++) keys.push(new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const s = strings[i] as string;
    for (let w = 0; w < words; w++) {
      let k = 0;
      for (let j = w * PER_WORD; j < (w + 1) * PER_WORD; j++) {
        const c = j < s.length ? s.charCodeAt(j) : 0;
        if (c > 0xff) return null;
        if (c === 0 && j < s.length) nul = true;
        k = k * 256 + c;
      }
      (keys[w] as number[])[i] = k;
    }
  }
  return { keys, nul };
}

// The positions 0..n-1 in ascending order of their packed prefixes: a least-significant-digit radix
// sort (stable at every pass), last word's low half first; a pass whose digit is the same for every
// string moves nothing and is skipped. Each word is gathered into the current order once and carried
// through its two passes beside the positions, so the passes read in sequence.
function radixOrder(keys: readonly number[][], n: number): number[] {
  let order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Array<number>(n).fill(0);
  let word = new Array<number>(n).fill(0);
  let spareWord = new Array<number>(n).fill(0);
  const start = new Array<number>(DIGITS).fill(0);
  for (let w = keys.length - 1; w >= 0; w--) {
    const key = keys[w] as number[];
    for (let i = 0; i < n; i++) word[i] = key[order[i] as number] as number;
    for (let shift = 0; shift < PER_WORD * 8; shift += DIGIT_BITS) {
      start.fill(0);
      for (let i = 0; i < n; i++) {
        const d = ((word[i] as number) >>> shift) & (DIGITS - 1);
        start[d] = (start[d] as number) + 1;
      }
      if (start[((word[0] as number) >>> shift) & (DIGITS - 1)] === n) continue;
      // Counts to each digit's first slot.
      let at = 0;
      for (let d = 0; d < DIGITS; d++) {
        const c = start[d] as number;
        start[d] = at;
        at += c;
      }
      for (let i = 0; i < n; i++) {
        const k = word[i] as number;
        const d = (k >>> shift) & (DIGITS - 1);
        const slot = start[d] as number;
        start[d] = slot + 1;
        spare[slot] = order[i] as number;
        spareWord[slot] = k;
      }
      [order, spare] = [spare, order];
      [word, spareWord] = [spareWord, word];
    }
  }
  return order;
}

// Positions whose packed prefixes are equal are in their original order: each such run is put in
// the order of its strings, stably (they share their packed characters, so comparing them whole is
// right; a string ending inside the prefix ties with one carrying U+0000 there, and is sorted here
// too).
function sortTies(strings: readonly string[], order: number[], keys: readonly number[][]): void {
  const n = order.length;
  const same = (a: number, b: number): boolean => {
    for (const key of keys) if (key[a] !== key[b]) return false;
    return true;
  };
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && same(order[i] as number, order[j] as number)) j++;
    if (j - i > 1) {
      const run = order.slice(i, j).sort((a, b) => byCodeUnits(strings[a] as string, strings[b] as string) || a - b);
      for (let r = 0; r < run.length; r++) order[i + r] = run[r] as number;
    }
    i = j;
  }
}
