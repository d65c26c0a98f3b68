import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../src/sim/kernel/event-queue.js';

function drain(q: EventQueue): [number, number][] {
  const out: [number, number][] = [];
  while (q.pop()) out.push([q.popTime, q.popA]);
  return out;
}

// Bucket sizes: the default (these tests' times all in its first buckets), one bucket per time,
// buckets that do not divide the times, and buckets so small the times run past the ring into the
// overflow list (512 buckets ahead).
const bucketArb = fc.constantFrom(1024, 1, 0.75, 0.01);

// Pushes (time, cancel it?) pairs, each with its position as `a`, and returns the [time, a] pairs a
// drain must give: the ones not cancelled, by time, then in the order pushed.
function pushAll(q: EventQueue, ops: readonly (readonly [number, boolean])[]): [number, number][] {
  const live: { t: number; id: number }[] = [];
  ops.forEach(([t, cancel], id) => {
    const h = q.push(t, 0, id, 0);
    if (cancel) q.cancel(h);
    else live.push({ t, id });
  });
  return live.sort((x, y) => x.t - y.t || x.id - y.id).map((x) => [x.t, x.id]);
}

describe('event queue', () => {
  it('pops by time, and simultaneous events in the order scheduled', () => {
    const q = new EventQueue(4);
    q.push(5, 0, 1, 0);
    q.push(1, 0, 2, 0);
    q.push(5, 0, 3, 0);
    q.push(1, 0, 4, 0);
    q.push(3, 0, 5, 0);
    expect(drain(q)).toEqual([[1, 2], [1, 4], [3, 5], [5, 1], [5, 3]]);
  });

  it('cancelled events never pop; stale handles do nothing', () => {
    const q = new EventQueue(4);
    const h = q.push(1, 0, 1, 0);
    q.push(2, 0, 2, 0);
    q.cancel(h);
    expect(drain(q)).toEqual([[2, 2]]);
    const reused = q.push(3, 0, 3, 0); // reuses a slot; the old handle must not cancel it
    q.cancel(h);
    expect(reused).not.toBe(h);
    expect(drain(q)).toEqual([[3, 3]]);
  });

  it('hands out handles below 2^31 however often a slot is reused, and no stale handle ever cancels a later event', () => {
    const q = new EventQueue(4);
    // Slots are retired after 128 generations: thousands of reuses of the same few slots.
    const stale: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const h = q.push(i, 0, i, 0);
      const other = q.push(i + 0.5, 0, -i, 0);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 31).toBe(true);
      expect(other < 2 ** 31).toBe(true);
      for (const old of stale) q.cancel(old);
      expect(q.pop()).toBe(true);
      expect(q.popA).toBe(i);
      expect(q.pop()).toBe(true);
      expect(q.popA).toBe(-i);
      stale.push(h, other);
      if (stale.length > 300) stale.splice(0, 2); // more than 128 generations of each slot back
    }
    // A handle from the first round still cancels nothing.
    const first = stale[0] as number;
    q.push(1e9, 0, 7, 0);
    q.cancel(first);
    expect(drain(q)).toEqual([[1e9, 7]]);
  });

  it('once every slot number is used, retired slots serve again: a long run does not run out, and no stale handle cancels a later event', () => {
    // Eight slot numbers: a slot retires after 128 events, so 1,024 events would use them all up.
    const q = new EventQueue(4, 1024, 8);
    const stale: number[] = [];
    let t = 0;
    // Three events pending at any time, 5,000 pushed in all.
    const pending = [q.push(t, 0, 0, 0), q.push(t + 1, 0, 1, 0)];
    for (let i = 2; i < 5000; i++) {
      pending.push(q.push(t + 2, 0, i, 0));
      for (const old of stale) q.cancel(old);
      expect(q.pop()).toBe(true);
      expect(q.popA).toBe(i - 2);
      t = q.popTime;
      stale.push(pending.shift() as number);
      if (stale.length > 50) stale.shift();
    }
    const handles = new Set([...stale, ...pending]);
    expect(handles.size).toBe(stale.length + pending.length);
    // Slots past their 128th generation (a handle is generation * 8 + slot here).
    expect(Math.max(...pending)).toBeGreaterThanOrEqual(128 * 8);
    expect(drain(q).map((x) => x[1])).toEqual([4998, 4999]);
  });

  it('refuses an event when the events pending at once fill every slot number, and says how many', () => {
    const q = new EventQueue(4, 1024, 8);
    for (let i = 0; i < 8; i++) q.push(i, 0, i, 0);
    expect(() => q.push(9, 0, 9, 0)).toThrow('event queue: more than 8 events pending at once');
    // Nothing was lost: the eight pop in order, and a slot freed takes an event again.
    expect(q.pop()).toBe(true);
    q.push(100, 0, 100, 0);
    expect(drain(q).map((x) => x[1])).toEqual([1, 2, 3, 4, 5, 6, 7, 100]);
    expect(() => new EventQueue(4, 1024, 0)).toThrow('event queue: a slot space of 0');
    expect(() => new EventQueue(4, 1024, 2 ** 25)).toThrow(RangeError);
  });

  it('the tie key orders simultaneous events before the sequence does', () => {
    const q = new EventQueue();
    q.push(1, 0, 1, 0, 0.9);
    q.push(1, 0, 2, 0, 0.1);
    expect(drain(q).map((x) => x[1])).toEqual([2, 1]);
  });

  it('matches a stable sort of (time, seq) for any pushes, pops and cancels (and grows)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 300 }), bucketArb, (ops, bucketMs) => {
        const q = new EventQueue(16, bucketMs);
        const expected = pushAll(q, ops);
        expect(drain(q)).toEqual(expected);
      }),
    );
  });

  it('matches a model ordered by (time, tie, seq) with ties, pops and peeks between pushes, cancels and set-aside sequence numbers', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), t: fc.integer({ min: 0, max: 6 }), tie: fc.constantFrom(0, 0, 0.25, 0.5, 0.75), cancel: fc.boolean(), reserved: fc.boolean() }),
      // A pop up to a time (the kernel's run(until)), or whenever.
      fc.record({ kind: fc.constant('pop' as const), until: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }) }),
      fc.record({ kind: fc.constant('peek' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), bucketArb, (ops, bucketMs) => {
        const q = new EventQueue(16, bucketMs);
        // Cancelled events too: they hold their place until they surface, and a peek sees them.
        let model: { t: number; tie: number; seq: number; id: number; cancelled: boolean }[] = [];
        let seq = 0;
        let floor = 0; // times never go back past what was popped, as in the kernel
        // Sequence numbers set aside now and used by later pushes (the kernel's reserveOrder).
        const spare: number[] = [];
        ops.forEach((o, id) => {
          model.sort((x, y) => x.t - y.t || x.tie - y.tie || x.seq - y.seq);
          if (o.kind === 'peek') {
            expect(q.peekTime()).toBe(model[0]?.t ?? Infinity);
            return;
          }
          if (o.kind === 'pop') {
            const until = o.until === undefined ? Infinity : floor + o.until;
            // Cancelled events due in time are dropped; nothing later than `until` is taken.
            while (model[0]?.cancelled === true && model[0].t <= until) model.shift();
            const want = model[0] !== undefined && !model[0].cancelled && model[0].t <= until ? model.shift() : undefined;
            expect(o.until === undefined ? q.pop() : q.pop(until)).toBe(want !== undefined);
            if (want) {
              expect([q.popTime, q.popA]).toEqual([want.t, want.id]);
              floor = want.t;
            }
            return;
          }
          const t = floor + o.t;
          if (o.reserved && spare.length === 0) {
            const first = q.reserve(3);
            spare.push(first, first + 1, first + 2);
            seq += 3;
          }
          const own = o.reserved ? (spare.shift() as number) : seq++;
          const h = q.push(t, 0, id, 0, o.tie, o.reserved ? own : -1);
          if (o.cancel) q.cancel(h);
          model.push({ t, tie: o.tie, seq: own, id, cancelled: o.cancel });
        });
        model = model.filter((x) => !x.cancelled).sort((x, y) => x.t - y.t || x.tie - y.tie || x.seq - y.seq);
        expect(drain(q)).toEqual(model.map((x) => [x.t, x.id]));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps times far apart in order across the ring and its overflow, and counts what is pending', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -1e7, max: 1e7, noNaN: true }), fc.boolean()), { maxLength: 200 }), fc.constantFrom(1, 1024), (ops, bucketMs) => {
        const q = new EventQueue(16, bucketMs);
        const expected = pushAll(q, ops);
        expect(q.size).toBe(ops.length);
        expect(drain(q)).toEqual(expected);
        expect(q.size).toBe(0);
      }),
    );
  });

  it('takes times too far off to number into one last bucket, and refuses NaN and a bucket of no time', () => {
    const q = new EventQueue(16, 1);
    q.push(Infinity, 0, 1, 0);
    q.push(2 ** 60, 0, 2, 0);
    q.push(1e300, 0, 3, 0);
    q.push(5, 0, 4, 0);
    expect(q.peekTime()).toBe(5);
    expect(drain(q)).toEqual([[5, 4], [2 ** 60, 2], [1e300, 3], [Infinity, 1]]);
    expect(() => q.push(Number.NaN, 0, 0, 0)).toThrow(RangeError);
    expect(() => new EventQueue(16, 0)).toThrow(RangeError);
    expect(() => new EventQueue(16, 1e-320)).toThrow(RangeError);
  });

  it('moves an overflow event into the ring once the ring reaches it, ahead of later ring events', () => {
    // Buckets of 1 ms: 0..511 are in the ring at first, 600 is in the overflow list.
    const q = new EventQueue(16, 1);
    q.push(500, 0, 1, 0);
    q.push(600, 0, 2, 0);
    expect(q.pop() && q.popA).toBe(1);
    // The ring now reaches 1012: 700 goes into it, and 600 must still come first.
    q.push(700, 0, 3, 0);
    expect(drain(q)).toEqual([[600, 2], [700, 3]]);
  });
});
