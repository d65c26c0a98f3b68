import { setLength } from '../../core/scheduler/scratch.js';

/** What a {@link WatchList} keeps in each member: its place in the list. */
export interface Watchable {
  /** @internal The member's position in the list that holds it, or -1 when none does. */
  watchAt: number;
}

/**
 * The groups the converger must look at (see BBS.watch): a set in the order members were added,
 * as a JavaScript `Set` keeps them, but held as a list whose members know their own position. A
 * `Set` of objects hashed each group at every crash and every pass's removal: a probe into a hash
 * table of thousands of entries (a cache miss), and a table grown and shrunk again every pass (45
 * MiB of tables, a fifteenth of what outlived the young generation after the 250k hour's first six
 * minutes: bench/RESULTS.md, #24 twenty-ninth step). Here adding is a push and removing a write,
 * and the list is compacted once a walk is over.
 *
 * The order is exactly a `Set`'s: a member removed and added again goes to the end; a walk visits
 * the members added during it, and skips the members removed before it reaches them. A member
 * belongs to one list at a time (its position is a field of its own).
 */
export class WatchList<T extends Watchable> {
  // Members in order, with null where one was removed (until the next compaction).
  private readonly items: (T | null)[] = [];
  private live = 0;
  private walking = false;

  /** How many members it has. */
  get size(): number {
    return this.live;
  }

  /** Whether `m` is a member (its own field says: no read of the list). */
  has(m: T): boolean {
    return m.watchAt >= 0;
  }

  /** Adds `m` at the end, unless it is a member already (then it keeps its place). */
  add(m: T): this {
    if (this.has(m)) return this;
    // Between walks, holes are squeezed out once they outnumber the members (a walk does it anyway).
    if (!this.walking && this.items.length - this.live > 1024 && this.items.length > 2 * this.live) this.compact();
    m.watchAt = this.items.length;
    this.items.push(m);
    this.live++;
    return this;
  }

  /** Removes `m`; whether it was a member. */
  delete(m: T): boolean {
    if (!this.has(m)) return false;
    this.items[m.watchAt] = null;
    m.watchAt = -1;
    this.live--;
    return true;
  }

  /** Calls `fn` with each member in order, as `Set.prototype.forEach` does (see the class). */
  forEach(fn: (m: T) => void): void {
    if (this.walking) throw new Error('WatchList: a walk within a walk');
    this.walking = true;
    try {
      // The length is read at every step: members added during the walk are visited too.
      for (let i = 0; i < this.items.length; i++) {
        const m = this.items[i];
        if (m !== null && m !== undefined) fn(m);
      }
    } finally {
      this.walking = false;
    }
    this.compact();
  }

  // Squeezes the holes out, keeping the order, and tells each member its new place.
  private compact(): void {
    const items = this.items;
    if (items.length === this.live) return;
    let to = 0;
    for (let i = 0; i < items.length; i++) {
      const m = items[i];
      if (m === null || m === undefined) continue;
      m.watchAt = to;
      items[to++] = m;
    }
    setLength(items, to);
  }
}
