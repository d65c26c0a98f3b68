import { EVERY_PROBLEM } from '../errors.js';
import { giveBack, takeArray } from './scratch.js';

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
