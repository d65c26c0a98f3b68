import { emptyKeepingStore } from '../core/scheduler/scratch.js';

/**
 * Values by a numeric id, for ids handed out in increasing order to things that live a short,
 * bounded while (a message waiting for its reply or timeout, a claim being written): what a `Map`
 * by id does, without its hash table. A `Map` churned by such ids (one set and one delete each)
 * reallocates its table every time its deleted entries fill it, and at ten times Diego's scale those
 * tables were a good part of what the young collector copied (bench/RESULTS.md, "#24, thirteenth
 * step"). Here the live ids sit in one array from the oldest still held to the newest, so a lookup
 * is an index; ids never set (gaps) read as absent. The array is as long as the span of ids from the
 * oldest live one to the newest, so it suits only ids whose holders all go within a bounded time.
 */
export class IdWindow<T> {
  // Values of ids first, first + 1, ...; undefined: absent. Slots before lo are all absent.
  private readonly slots: (T | undefined)[] = [];
  private first = 0;
  private lo = 0;
  private count = 0;

  /** How many ids hold a value. */
  get size(): number {
    return this.count;
  }

  /** The value of `id`, if it holds one. */
  get(id: number): T | undefined {
    const i = id - this.first;
    return i >= this.lo && i < this.slots.length ? this.slots[i] : undefined;
  }

  /**
   * Gives `id` a value. `id` must be greater than every id set before (an id may be set again while
   * it holds a value, to replace it). Throws on a smaller id, a non-integer or a negative one: a bug
   * upstream.
   */
  set(id: number, value: T): void {
    if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`IdWindow: id ${id} is not a non-negative integer`);
    if (value === undefined) throw new RangeError('IdWindow: undefined is not a value');
    if (this.count === 0) {
      // Nothing live: the window restarts at this id (so the gaps left by ids given to others cost nothing).
      if (this.slots.length > 0 && id <= this.first + this.slots.length - 1) throw new RangeError(`IdWindow: id ${id} is not above the last id set (${this.first + this.slots.length - 1})`);
      emptyKeepingStore(this.slots);
      this.first = id;
      this.lo = 0;
    }
    const i = id - this.first;
    if (i < this.slots.length) {
      if (i < this.lo || this.slots[i] === undefined) throw new RangeError(`IdWindow: id ${id} is not above the last id set (${this.first + this.slots.length - 1}) and holds no value`);
      this.slots[i] = value;
      return;
    }
    while (this.slots.length < i) this.slots.push(undefined);
    this.slots.push(value);
    this.count++;
  }

  /** Calls `fn` with each value held and its id, in the order of the ids (the order they were set). */
  forEach(fn: (value: T, id: number) => void): void {
    const slots = this.slots;
    for (let i = this.lo; i < slots.length; i++) {
      const v = slots[i];
      if (v !== undefined) fn(v, this.first + i);
    }
  }

  /** Removes `id`'s value; returns whether it held one. */
  delete(id: number): boolean {
    const i = id - this.first;
    const slots = this.slots;
    if (i < this.lo || i >= slots.length || slots[i] === undefined) return false;
    slots[i] = undefined;
    this.count--;
    if (i === this.lo) {
      let lo = this.lo + 1;
      while (lo < slots.length && slots[lo] === undefined) lo++;
      this.lo = lo;
      // Moved down once the absent prefix is half the array: each live slot moves at most about once
      // per doubling, so a set and a delete cost O(1) amortized.
      if (lo >= 1024 && lo * 2 >= slots.length) {
        slots.copyWithin(0, lo);
        // Popped, not cut by setting the length, which can give the array a smaller store to grow again.
        for (let k = 0; k < lo; k++) slots.pop();
        this.first += lo;
        this.lo = 0;
      }
    }
    return true;
  }
}
