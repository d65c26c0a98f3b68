/**
 * The simulator's event queue: a binary min-heap over typed arrays, ordered by (time, tie, seq).
 * `seq` grows with every push, so simultaneous events run in the order they were scheduled; `tie`
 * is 0 unless ties are being shuffled on purpose. Each event is three numbers (handler, a, b) in
 * slots that are reused, so pushing and popping allocate nothing once the arrays have grown.
 */
export class EventQueue {
  private cap: number;
  private n = 0;
  private seqCounter = 0;
  // Heap of slot numbers, and each slot's keys and payload.
  private heap: Int32Array;
  private time: Float64Array;
  private tie: Float64Array;
  private seq: Float64Array;
  private handler: Int32Array;
  private argA: Float64Array;
  private argB: Float64Array;
  private gen: Uint32Array;
  private cancelled: Uint8Array;
  private free: Int32Array;
  private freeCount = 0;
  private nextSlot = 0;

  /** Time of the event last popped. */
  popTime = 0;
  /** Handler of the event last popped. */
  popHandler = 0;
  /** First argument of the event last popped. */
  popA = 0;
  /** Second argument of the event last popped. */
  popB = 0;
  /** Sequence number of the event last popped. */
  popSeq = 0;

  /** A queue with room for `capacity` pending events to start with (it grows as needed). */
  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.heap = new Int32Array(this.cap);
    this.time = new Float64Array(this.cap);
    this.tie = new Float64Array(this.cap);
    this.seq = new Float64Array(this.cap);
    this.handler = new Int32Array(this.cap);
    this.argA = new Float64Array(this.cap);
    this.argB = new Float64Array(this.cap);
    this.gen = new Uint32Array(this.cap);
    this.cancelled = new Uint8Array(this.cap);
    this.free = new Int32Array(this.cap);
  }

  /** Pending events, cancelled ones included until they surface. */
  get size(): number {
    return this.n;
  }

  /**
   * Schedules `handler(a, b)` at `time`; `tie` orders events of equal time before `seq` does.
   * Returns a handle for {@link EventQueue.cancel}.
   */
  push(time: number, handler: number, a: number, b: number, tie = 0): number {
    const slot = this.freeCount > 0 ? (this.free[--this.freeCount] as number) : this.takeSlot();
    this.time[slot] = time;
    this.tie[slot] = tie;
    this.seq[slot] = this.seqCounter++;
    this.handler[slot] = handler;
    this.argA[slot] = a;
    this.argB[slot] = b;
    this.cancelled[slot] = 0;
    let i = this.n++;
    const heap = this.heap;
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as number;
      if (!this.less(slot, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = slot;
    return (this.gen[slot] as number) * SLOT_SPACE + slot;
  }

  /** Cancels a pending event; a stale or unknown handle is ignored. */
  cancel(handle: number): void {
    const slot = handle % SLOT_SPACE;
    const g = Math.floor(handle / SLOT_SPACE);
    if (slot < this.nextSlot && this.gen[slot] === g) this.cancelled[slot] = 1;
  }

  /**
   * Removes the earliest live event into `popTime`, `popHandler`, `popA`, `popB`, `popSeq`.
   * Returns false when no live event is left.
   */
  pop(): boolean {
    while (this.n > 0) {
      const heap = this.heap;
      const top = heap[0] as number;
      const last = heap[--this.n] as number;
      if (this.n > 0) {
        // Sift the last slot down from the root.
        let i = 0;
        const n = this.n;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= n) break;
          const r = l + 1;
          let c = l;
          if (r < n && this.less(heap[r] as number, heap[l] as number)) c = r;
          const cs = heap[c] as number;
          if (!this.less(cs, last)) break;
          heap[i] = cs;
          i = c;
        }
        heap[i] = last;
      }
      // Retire the slot: a new generation makes old handles to it stale.
      this.gen[top] = ((this.gen[top] as number) + 1) & GEN_MASK;
      this.free[this.freeCount++] = top;
      if (this.cancelled[top] === 1) continue;
      this.popTime = this.time[top] as number;
      this.popHandler = this.handler[top] as number;
      this.popA = this.argA[top] as number;
      this.popB = this.argB[top] as number;
      this.popSeq = this.seq[top] as number;
      return true;
    }
    return false;
  }

  /** Time of the earliest pending event (cancelled ones included), or +Infinity. */
  peekTime(): number {
    return this.n > 0 ? (this.time[this.heap[0] as number] as number) : Infinity;
  }

  private less(x: number, y: number): boolean {
    const tx = this.time[x] as number;
    const ty = this.time[y] as number;
    if (tx !== ty) return tx < ty;
    const ix = this.tie[x] as number;
    const iy = this.tie[y] as number;
    if (ix !== iy) return ix < iy;
    return (this.seq[x] as number) < (this.seq[y] as number);
  }

  private takeSlot(): number {
    if (this.nextSlot === this.cap) this.grow();
    return this.nextSlot++;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const g = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const a = make(cap);
      a.set(old);
      return a;
    };
    this.heap = g(this.heap, (k) => new Int32Array(k));
    this.time = g(this.time, (k) => new Float64Array(k));
    this.tie = g(this.tie, (k) => new Float64Array(k));
    this.seq = g(this.seq, (k) => new Float64Array(k));
    this.handler = g(this.handler, (k) => new Int32Array(k));
    this.argA = g(this.argA, (k) => new Float64Array(k));
    this.argB = g(this.argB, (k) => new Float64Array(k));
    this.gen = g(this.gen, (k) => new Uint32Array(k));
    this.cancelled = g(this.cancelled, (k) => new Uint8Array(k));
    this.free = g(this.free, (k) => new Int32Array(k));
    this.cap = cap;
  }
}

// Handles pack a slot number and its generation: handle = generation * SLOT_SPACE + slot. Both are
// kept small enough (24 + 28 bits) for the handle to be an exact double.
const SLOT_SPACE = 2 ** 24;
const GEN_MASK = 0x0fffffff;
