import { WakeHeap } from './wake-heap.js';

/**
 * The simulator's event queue: a 4-ary min-heap over typed arrays, ordered by (time, tie, seq), for
 * the events due soon, and a ring of time buckets holding the later ones unsorted until their time
 * comes near.
 * `seq` grows with every push, so simultaneous events run in the order they were scheduled (an event
 * pushed with a sequence number set aside earlier, see {@link EventQueue.reserve}, runs where it
 * would have run had it been pushed then); `tie` is 0 unless ties are being shuffled on purpose.
 * Each heap entry's keys and payload slot sit together in one array (four numbers: a node's four
 * children are two cache lines, and moving an entry writes one); each event's payload (handler, a,
 * b), generation and keys sit together in a slot record that is reused, so pushing and popping
 * allocate nothing once the arrays have grown.
 *
 * Why buckets: most pending events are far off (a crash minutes ahead, a backoff), and a heap of all
 * of them walks a dozen levels per pop at ten times Diego's scale, most of them cache misses. The
 * heap holds only the events of buckets already reached (one bucket per `bucketMs` of time); a
 * later event is appended to its bucket (a ring of them ahead, and beyond the ring an overflow
 * heap by bucket, from which each event joins the ring once), and a bucket is poured into the heap,
 * cancelled events and all, only when the heap has run dry. Every event in a bucket is no earlier than every event in the heap, so the heap's top is the
 * queue's earliest event and the order is exactly the single heap's.
 */
export class EventQueue {
  private cap: number;
  private n = 0;
  private seqCounter = 0;
  // Heap, by position p: time, tie and seq at 4p, 4p+1, 4p+2, and the slot holding the payload at 4p+3.
  private heap: Float64Array;
  // Each slot's record, SLOT_FIELDS numbers from SLOT_FIELDS * slot (see S_HANDLER and after): the
  // event's payload, its slot's generation and whether it was cancelled, and a bucketed event's keys
  // (the heap keeps its own entries' keys). One record, not an array per field: a slot taken long
  // ago (a crash timer minutes ahead) is out of every cache when its event is poured and popped, and
  // with a record its fields are one or two cache lines where eight arrays were eight.
  private slots: Float64Array;
  private free: Int32Array;
  private freeCount = 0;
  private nextSlot = 0;
  // Slot numbers run below this (handles pack the slot and its generation: see SLOT_SPACE).
  private readonly slotSpace: number;
  // A slot retires after this many generations (see pop), until the slots run out (see revive).
  private generations = GENERATIONS;
  // Buckets per millisecond (1 / bucketMs).
  private readonly perBucket: number;
  // The heap holds every event of the buckets before `base` (bucket b: the times t with
  // floor(t / bucketMs) = b, give or take rounding); the ring holds events of buckets base to
  // base + RING - 1 (bucket b at b % RING), and the overflow heap those of later buckets.
  private base = 0;
  // Puts an overflow event into the ring (bound once: it is called for each event that joins).
  private readonly joinRing = (slot: number, b: number): void => this.bucket(slot, b);
  private readonly ring: number[][] = Array.from({ length: RING }, () => []);
  private readonly ringLength = new Int32Array(RING);
  private ringCount = 0;
  // Events beyond the ring: their slots by bucket.
  private readonly overflow = new WakeHeap<number>();

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

  /**
   * A queue with room for `capacity` pending events to start with (it grows as needed), whose later
   * events wait in buckets of `bucketMs` of time each (a positive number; the order is the same for
   * any, only the speed differs). `slotSpace` bounds the events pending at once (2^24; smaller only
   * to test what happens at the bound).
   */
  constructor(capacity = 1024, bucketMs = 1024, slotSpace = SLOT_SPACE) {
    if (!(bucketMs > 0 && Number.isFinite(bucketMs) && Number.isFinite(1 / bucketMs))) throw new RangeError(`event queue: a bucket of ${bucketMs} ms`);
    if (!(Number.isInteger(slotSpace) && slotSpace >= 1 && slotSpace <= SLOT_SPACE)) throw new RangeError(`event queue: a slot space of ${slotSpace}`);
    this.slotSpace = slotSpace;
    this.perBucket = 1 / bucketMs;
    this.cap = Math.max(16, capacity);
    this.heap = new Float64Array(this.cap * 4);
    this.slots = new Float64Array(this.cap * SLOT_FIELDS);
    this.free = new Int32Array(this.cap);
  }

  /** Pending events, cancelled ones included until they surface. */
  get size(): number {
    return this.n + this.ringCount + this.overflow.size;
  }

  /**
   * Sets aside `count` sequence numbers, as if `count` events were pushed now, and returns the first:
   * events pushed later with them ({@link EventQueue.push}'s `reservedSeq`) run as those would have.
   */
  reserve(count: number): number {
    const first = this.seqCounter;
    this.seqCounter += count;
    return first;
  }

  /**
   * Schedules `handler(a, b)` at `time`; `tie` orders events of equal time before `seq` does.
   * `reservedSeq` is a sequence number set aside by {@link EventQueue.reserve}, each used once
   * (absent: the next one).
   * Returns a handle for {@link EventQueue.cancel}.
   */
  push(time: number, handler: number, a: number, b: number, tie = 0, reservedSeq = -1): number {
    // Retired slots (see pop) are not taken again until every slot number is (see revive), so the
    // slots can run out before the heap fills; every pending event holds a slot, so the heap never
    // holds more than the slots.
    if (this.freeCount === 0 && this.nextSlot === this.slotSpace) this.revive();
    if (this.freeCount === 0 && this.nextSlot === this.cap) this.grow();
    const slot = this.freeCount > 0 ? (this.free[--this.freeCount] as number) : this.nextSlot++;
    const s = this.slots;
    const at = SLOT_FIELDS * slot;
    s[at + S_HANDLER] = handler;
    s[at + S_A] = a;
    s[at + S_B] = b;
    s[at + S_CANCELLED] = 0;
    const seq = reservedSeq >= 0 ? reservedSeq : this.seqCounter++;
    const due = this.bucketOf(time);
    if (due < this.base) this.insert(time, tie, seq, slot);
    else {
      s[at + S_TIME] = time;
      s[at + S_TIE] = tie;
      s[at + S_SEQ] = seq;
      this.bucket(slot, due);
    }
    return (s[at + S_GEN] as number) * this.slotSpace + slot;
  }

  // Puts an event into the heap.
  private insert(time: number, tie: number, seq: number, slot: number): void {
    const h = this.heap;
    let i = this.n++;
    // Sift up: move parents down while the new key is smaller.
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = h[4 * p] as number;
      const pi = h[4 * p + 1] as number;
      if (pt < time || (pt === time && (pi < tie || (pi === tie && (h[4 * p + 2] as number) < seq)))) break;
      h[4 * i] = pt;
      h[4 * i + 1] = pi;
      h[4 * i + 2] = h[4 * p + 2] as number;
      h[4 * i + 3] = h[4 * p + 3] as number;
      i = p;
    }
    h[4 * i] = time;
    h[4 * i + 1] = tie;
    h[4 * i + 2] = seq;
    h[4 * i + 3] = slot;
  }

  // An event's bucket: a later time never has an earlier bucket (so the buckets before `base`, which
  // the heap holds, are all earlier than those waiting). Times too far off to number share the last.
  private bucketOf(time: number): number {
    if (Number.isNaN(time)) throw new RangeError('event queue: an event at NaN ms');
    // A product, not a quotient (cheaper per push): rounding keeps it from ever decreasing as the
    // time grows, which is all the order needs, and with the default size (a power of two) it is exact.
    return Math.min(Math.floor(time * this.perBucket), LAST_BUCKET);
  }

  // Appends a bucketed event (its keys in the slot arrays) to bucket `b` (`base` or later).
  private bucket(slot: number, b: number): void {
    if (b < this.base + RING) {
      const r = b % RING;
      const len = this.ringLength[r] as number;
      (this.ring[r] as number[])[len] = slot;
      this.ringLength[r] = len + 1;
      this.ringCount++;
    } else this.overflow.add(slot, b);
  }

  /**
   * Moves the next bucket holding events (cancelled ones too) into the heap and `base` past it;
   * false when no event is bucketed. Called when the heap is empty.
   */
  private pour(): boolean {
    if (this.ringCount === 0 && this.overflow.size === 0) return false;
    // The ring is empty up to the overflow's first bucket: move the ring there first.
    if (this.ringCount === 0) this.base = Math.max(this.base, this.overflow.first);
    // Overflow events whose buckets the ring now reaches (buckets are whole numbers) join it, each once.
    this.overflow.wake(this.base + RING - 1, this.joinRing);
    let b = this.base;
    while ((this.ringLength[b % RING] as number) === 0) b++;
    const r = b % RING;
    const slots = this.ring[r] as number[];
    const len = this.ringLength[r] as number;
    const s = this.slots;
    for (let k = 0; k < len; k++) {
      const slot = slots[k] as number;
      const at = SLOT_FIELDS * slot;
      this.insert(s[at + S_TIME] as number, s[at + S_TIE] as number, s[at + S_SEQ] as number, slot);
    }
    this.ringLength[r] = 0;
    this.ringCount -= len;
    this.base = b + 1;
    return true;
  }

  /** Cancels a pending event; a stale or unknown handle is ignored. */
  cancel(handle: number): void {
    const slot = handle % this.slotSpace;
    const g = Math.floor(handle / this.slotSpace);
    const at = SLOT_FIELDS * slot;
    if (slot < this.nextSlot && this.slots[at + S_GEN] === g) this.slots[at + S_CANCELLED] = 1;
  }

  /**
   * Removes the earliest live event into `popTime`, `popHandler`, `popA`, `popB`, `popSeq`, when it
   * is due at or before `until` (default: whenever). Returns false, and leaves the event where it is,
   * when no live event is left or the earliest is later than `until`: cancelled events due in time
   * are dropped on the way, and never let a live one past `until` through in their place.
   */
  pop(until = Infinity): boolean {
    const h = this.heap;
    while (this.n > 0 || this.pour()) {
      const time = h[0] as number;
      const seq = h[2] as number;
      const slot = h[3] as number;
      // Nothing past `until` is taken, cancelled or not (as a peek before the pop left it); an
      // `until` of NaN takes nothing, as no time is at or before it.
      if (!(time <= until)) return false;
      const n = --this.n;
      if (n > 0) {
        // Sift the last entry down from the root, choosing the smallest of up to four children.
        const lt = h[4 * n] as number;
        const li = h[4 * n + 1] as number;
        const ls = h[4 * n + 2] as number;
        const lslot = h[4 * n + 3] as number;
        let i = 0;
        for (;;) {
          const first = 4 * i + 1;
          if (first >= n) break;
          let c = first;
          let ct = h[4 * c] as number;
          let ci = h[4 * c + 1] as number;
          let cs = h[4 * c + 2] as number;
          const last = first + 4 < n ? first + 4 : n;
          for (let k = first + 1; k < last; k++) {
            const kt = h[4 * k] as number;
            if (kt > ct) continue;
            const ki = h[4 * k + 1] as number;
            const ks = h[4 * k + 2] as number;
            if (kt < ct || ki < ci || (ki === ci && ks < cs)) {
              c = k;
              ct = kt;
              ci = ki;
              cs = ks;
            }
          }
          if (lt < ct || (lt === ct && (li < ci || (li === ci && ls < cs)))) break;
          h[4 * i] = ct;
          h[4 * i + 1] = ci;
          h[4 * i + 2] = cs;
          h[4 * i + 3] = h[4 * c + 3] as number;
          i = c;
        }
        h[4 * i] = lt;
        h[4 * i + 1] = li;
        h[4 * i + 2] = ls;
        h[4 * i + 3] = lslot;
      }
      // A new generation makes old handles to the slot stale; a slot that has had all its
      // generations is retired, not used again until every slot number is taken (see revive, which
      // gives it later generations), so no stale handle can name a later event.
      const s = this.slots;
      const at = SLOT_FIELDS * slot;
      const g = (s[at + S_GEN] as number) + 1;
      s[at + S_GEN] = g;
      if (g < this.generations) this.free[this.freeCount++] = slot;
      if (s[at + S_CANCELLED] === 1) continue;
      this.popTime = time;
      // An integer again (a handler number, used as an index), so the field stays a small integer.
      this.popHandler = (s[at + S_HANDLER] as number) | 0;
      this.popA = s[at + S_A] as number;
      this.popB = s[at + S_B] as number;
      this.popSeq = seq;
      return true;
    }
    return false;
  }

  /** Time of the earliest pending event (cancelled ones included), or +Infinity. */
  peekTime(): number {
    return this.n > 0 || this.pour() ? (this.heap[0] as number) : Infinity;
  }

  // Every slot number is taken, by a pending event or a retired slot: the retired ones serve again,
  // with generations from now on up to what keeps a handle an exact integer (a handle past 2^31 is
  // a boxed double where a field holds it: the price of a run long enough to get here, about 90
  // simulated hours at ten times Diego's scale, whose hour runs 22.9 million events and so retires
  // some 180,000 slots, with about 120,000 events pending at a time). Generations only grow, so a
  // stale handle stays stale. With no slot retired, the events pending are as many as there are
  // slot numbers.
  private revive(): void {
    if (this.generations === GENERATIONS) {
      this.generations = Math.floor(Number.MAX_SAFE_INTEGER / this.slotSpace);
      const s = this.slots;
      for (let slot = 0; slot < this.nextSlot; slot++) if ((s[SLOT_FIELDS * slot + S_GEN] as number) >= GENERATIONS) this.free[this.freeCount++] = slot;
    }
    if (this.freeCount === 0) throw new RangeError(`event queue: more than ${this.slotSpace} events pending at once`);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const heap = new Float64Array(cap * 4);
    heap.set(this.heap);
    this.heap = heap;
    const slots = new Float64Array(cap * SLOT_FIELDS);
    slots.set(this.slots);
    this.slots = slots;
    const free = new Int32Array(cap);
    free.set(this.free);
    this.free = free;
    this.cap = cap;
  }
}

// Handles pack a slot number and its generation: handle = generation * SLOT_SPACE + slot, below
// 2^31, so a handle is a small integer, which V8 keeps in an object's field as it is. (With 28 bits
// of generation the handles of a long run passed 2^31, and every field holding one, such as a
// container's four timers, held a boxed double: 1.8 boxes per container at Diego's scale,
// bench/RESULTS.md.) A slot is retired after its 128 generations (one slot more per 128 events),
// until every slot number is used: then the retired slots serve again (see EventQueue.revive).
const SLOT_SPACE = 2 ** 24;
// Buckets in the ring from `base` on (with buckets of 1,024 ms, some eight and three-quarter
// minutes: a crash timer or a backoff is within it, and only events further off wait in the overflow heap).
const RING = 512;
// The last bucket numbered (times past 2^40 buckets share it: the heap sorts them when it is poured).
const LAST_BUCKET = 2 ** 40;
const GENERATIONS = 2 ** 7;
// A slot's record: its fields' offsets from SLOT_FIELDS * slot (eight numbers, 64 bytes).
const SLOT_FIELDS = 8;
// The event's handler and its two arguments.
const S_HANDLER = 0;
const S_A = 1;
const S_B = 2;
// The slot's generation (handles of earlier ones are stale) and 1 once its event is cancelled.
const S_GEN = 3;
const S_CANCELLED = 4;
// A bucketed event's keys: time, tie and seq.
const S_TIME = 5;
const S_TIE = 6;
const S_SEQ = 7;
