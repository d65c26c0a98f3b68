/**
 * Items set aside until a time: a binary min-heap by wake time (any finite number). The BBS rests
 * here the watched groups only time can make due (see actors/resting.ts), and the event queue the
 * events too far ahead for its ring, by bucket (see event-queue.ts).
 */
export class WakeHeap<T> {
  // Parallel arrays in heap order: the wake time of each item and the item.
  private readonly times: number[] = [];
  private readonly items: T[] = [];

  /** How many items rest (an item rested twice counts twice). */
  get size(): number {
    return this.times.length;
  }

  /** The earliest wake time, or +Infinity when nothing rests. */
  get first(): number {
    return this.times.length > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Rests `item` until `wakeAt` (ms; finite). */
  add(item: T, wakeAt: number): void {
    if (!Number.isFinite(wakeAt)) throw new RangeError(`an item rested until ${wakeAt} ms`);
    const times = this.times;
    const items = this.items;
    let at = times.length;
    times.push(wakeAt);
    items.push(item);
    // Sift up.
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const pt = times[parent] as number;
      if (pt <= wakeAt) break;
      times[at] = pt;
      items[at] = items[parent] as T;
      at = parent;
    }
    times[at] = wakeAt;
    items[at] = item;
  }

  /**
   * Takes out every item whose wake time is at or before `now`, earliest first, calling `fn` with
   * each and the time it was rested until.
   */
  wake(now: number, fn: (item: T, wakeAt: number) => void): void {
    const times = this.times;
    while (times.length > 0 && (times[0] as number) <= now) {
      const at = times[0] as number;
      fn(this.pop(), at);
    }
  }

  // Removes and returns the item with the earliest wake time (there is one).
  private pop(): T {
    const times = this.times;
    const items = this.items;
    const top = items[0] as T;
    const lastTime = times.pop() as number;
    const lastItem = items.pop() as T;
    const n = times.length;
    if (n === 0) return top;
    // Sift the last item down from the root.
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && (times[child + 1] as number) < (times[child] as number)) child++;
      const ct = times[child] as number;
      if (ct >= lastTime) break;
      times[at] = ct;
      items[at] = items[child] as T;
      at = child;
    }
    times[at] = lastTime;
    items[at] = lastItem;
    return top;
  }
}
