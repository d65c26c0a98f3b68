// Where the BBS's groups keep their two times, as doubles in chunks rather than a boxed double per field.

// Groups' times per chunk: 4,096 groups, 64 KiB of doubles.
const TIMES_PER_CHUNK = 2 * 4096;

/**
 * Where the BBS's groups keep their two times (`since` and `runningSince`, see LRPGroup): two
 * doubles per group, in chunks of 4,096 groups, taken in the order the groups are made. A slot is
 * never given back: a group the BBS lets go (its app scaled to zero or deployed anew) leaves its 16
 * bytes unused, and a chunk is kept as long as any of its groups is (at most 64 KiB for one group
 * left of 4,096). A run makes few groups besides those of the indices it desires, so this costs
 * little, and it keeps the slot a fixed number the group can hold.
 *
 * A time has a fraction (the network's delays do), and V8 keeps a field that holds one as a boxed
 * double: an object of 16 bytes of its own per field, two per group, half a million objects for the
 * collector to mark in the 250k drill (a heap snapshot at 99% of its hour: 578,507 heap numbers,
 * 500,000 of them the groups' two times; bench/RESULTS.md, #24 thirty-first step). In a chunk they
 * are 16 bytes per group and no object.
 */
export class GroupTimes {
  private chunk = new Float64Array(0);
  private used = 0;

  /** Takes the next group's slot, both times NaN (none yet): where in {@link GroupTimes.current} they are. */
  take(): number {
    if (this.used === this.chunk.length) {
      this.chunk = new Float64Array(TIMES_PER_CHUNK).fill(Number.NaN);
      this.used = 0;
    }
    const at = this.used;
    this.used += 2;
    return at;
  }

  /** The chunk the last slot taken is in. */
  get current(): Float64Array {
    return this.chunk;
  }
}
