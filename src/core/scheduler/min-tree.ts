import { EVERY_PROBLEM } from '../errors.js';
import { giveBack, takeArray } from './scratch.js';

// The inner nodes waiting for MinTree.settle (one tree's at a time): the current level's, a spare
// for the level above, and a mark per node so each is listed once. Grown to the largest tree seen.
const staged = {
  level: new Int32Array(0),
  next: new Int32Array(0),
  marked: new Uint8Array(0),
  count: 0,
  // The tree whose nodes are listed (while count > 0).
  owner: null as MinTree | null,
  // Room for a tree of `size` leaves (a power of two): at most size / 2 nodes on a level, and
  // inner nodes numbered below size.
  fit(size: number): void {
    if (this.marked.length >= size) return;
    this.level = new Int32Array(size);
    this.next = new Int32Array(size);
    this.marked = new Uint8Array(size);
  },
};

/**
 * A tournament tree over a fixed row of leaves: each node holds the smallest key below it (ties go
 * to the leftmost leaf) and the AND of its leaves' problem masks. Setting one leaf costs O(log n);
 * reading the minimum is O(1). Leaves are laid out in tie-break rank order, so "leftmost" is
 * "lowest rank", exactly the scheduler's tie rule.
 *
 * A leaf can be excluded for a moment (its key treated as +Infinity, its mask kept) and restored,
 * which is how an auction asks for the best cell other than the few holding its app.
 */
export class MinTree {
  /** Number of real leaves. */
  readonly leaves: number;
  private readonly size: number;
  private readonly key: Float64Array;
  private readonly arg: Int32Array;
  private readonly mask: Uint8Array;
  private readonly leafKey: Float64Array;
  private released = false;

  /** A tree of `leaves` leaves, all +Infinity with every problem bit set until set. */
  constructor(leaves: number) {
    this.leaves = leaves;
    let size = 1;
    while (size < leaves) size <<= 1;
    this.size = size;
    this.key = takeArray('f64', 2 * size, Infinity);
    this.arg = takeArray('i32', 2 * size, -1);
    this.mask = takeArray('u8', 2 * size, EVERY_PROBLEM);
    this.leafKey = takeArray('f64', leaves, Infinity);
    for (let i = 0; i < leaves; i++) this.arg[size + i] = i;
  }

  /** Hands the tree's arrays back for reuse; the tree must not be used afterwards. */
  release(): void {
    if (this.released) return;
    this.released = true;
    giveBack('f64', this.key, this.leafKey);
    giveBack('i32', this.arg);
    giveBack('u8', this.mask);
  }

  /** Sets leaf `i` without updating its ancestors; call {@link MinTree.build} after a series. */
  init(i: number, key: number, mask: number): void {
    this.leafKey[i] = key;
    this.key[this.size + i] = key;
    this.mask[this.size + i] = mask;
  }

  /** Computes every inner node from the leaves. */
  build(): void {
    for (let n = this.size - 1; n >= 1; n--) this.pull(n);
  }

  /**
   * Sets leaf `i` as {@link MinTree.set} does, but leaves its ancestors to {@link MinTree.settle},
   * which updates each of them once for every leaf staged since: a snapshot's change log brings
   * hundreds of cells at a time to a tree (a refresh between batches, a tree not used for a while),
   * and setting them one by one walked the shared top of the tree once per leaf. Stage and settle one
   * tree at a time (the bookkeeping is shared by every tree); the tree ends exactly as the same
   * `set`s would leave it.
   */
  stage(i: number, key: number, mask: number): void {
    // Checked before the leaf is written: a refused stage changes nothing.
    if (staged.count === 0) {
      staged.fit(this.size);
      staged.owner = this;
    } else if (staged.owner !== this) throw new Error('MinTree.stage: another tree has leaves staged and not settled');
    this.leafKey[i] = key;
    const n = this.size + i;
    this.key[n] = key;
    this.mask[n] = mask;
    const p = n >> 1;
    if (p >= 1 && staged.marked[p] !== 1) {
      staged.marked[p] = 1;
      staged.level[staged.count++] = p;
    }
  }

  /** Updates the ancestors of every leaf staged since the last settle, each once, deepest first. */
  settle(): void {
    if (staged.count > 0 && staged.owner !== this) throw new Error('MinTree.settle: the leaves staged are another tree\'s');
    // Every leaf is at the same depth, so the staged parents are one level of the tree and their
    // parents the next: pull a level, then gather the level above it.
    let level = staged.level;
    let next = staged.next;
    let count = staged.count;
    while (count > 0) {
      let above = 0;
      for (let k = 0; k < count; k++) {
        const n = level[k] as number;
        staged.marked[n] = 0;
        this.pull(n);
        const p = n >> 1;
        if (p >= 1 && staged.marked[p] !== 1) {
          staged.marked[p] = 1;
          next[above++] = p;
        }
      }
      const t = level;
      level = next;
      next = t;
      count = above;
    }
    staged.count = 0;
    staged.owner = null;
  }

  /** Sets leaf `i` and updates its ancestors. */
  set(i: number, key: number, mask: number): void {
    this.leafKey[i] = key;
    const n = this.size + i;
    this.key[n] = key;
    this.mask[n] = mask;
    this.up(n);
  }

  /** Treats leaf `i` as +Infinity until {@link MinTree.restore}; its mask still counts. */
  exclude(i: number): void {
    const n = this.size + i;
    this.key[n] = Infinity;
    this.up(n);
  }

  /** Undoes {@link MinTree.exclude}. */
  restore(i: number): void {
    const n = this.size + i;
    this.key[n] = this.leafKey[i] as number;
    this.up(n);
  }

  /** The smallest key (+Infinity if none). */
  minKey(): number {
    return this.key[1] as number;
  }

  /** The leaf holding the smallest key (lowest leaf on ties), or -1. */
  minLeaf(): number {
    return this.key[1] === Infinity ? -1 : (this.arg[1] as number);
  }

  /** AND of every leaf's mask. */
  andMask(): number {
    return this.mask[1] as number;
  }

  private up(n: number): void {
    for (n >>= 1; n >= 1; n >>= 1) this.pull(n);
  }

  private pull(n: number): void {
    const l = 2 * n;
    const r = l + 1;
    // Strictly smaller on the right wins; equal keys keep the left (lower-rank) leaf.
    const pick = (this.key[r] as number) < (this.key[l] as number) ? r : l;
    this.key[n] = this.key[pick] as number;
    this.arg[n] = this.arg[pick] as number;
    this.mask[n] = (this.mask[l] as number) & (this.mask[r] as number);
  }
}
