import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../../src/sim/kernel/kernel.js';

function scripted(seed: number, shuffleTies = false) {
  const lines: string[] = [];
  const k = new Kernel({ seed, shuffleTies, log: (l) => lines.push(l) });
  const order: number[] = [];
  const h = k.register('tick', (a) => {
    order.push(a);
    if (a < 5) k.after(10, h, a + 1);
  });
  const same = k.register('same', (a) => order.push(100 + a));
  k.at(0, h, 0);
  for (let i = 0; i < 5; i++) k.at(20, same, i);
  return { k, order, lines };
}

describe('kernel', () => {
  it('runs events in time order, simultaneous ones in the order scheduled', () => {
    const { k, order } = scripted(1);
    k.run(Infinity);
    expect(order).toEqual([0, 1, 100, 101, 102, 103, 104, 2, 3, 4, 5]);
    expect(k.now).toBe(50);
    expect(k.events).toBe(11);
  });

  it('stops at the horizon and moves the clock there', () => {
    const { k, order } = scripted(1);
    k.run(15);
    expect(order).toEqual([0, 1]);
    expect(k.now).toBe(15);
  });

  it('stops at the horizon even when a cancelled event in time stands before a later live one', () => {
    // The earliest pending event (at 10) is cancelled; the next live one is at 20, past the horizon.
    const k = new Kernel({ seed: 1 });
    const ran: number[] = [];
    const h = k.register('tick', (a) => ran.push(a));
    const gone = k.at(10, h, 1);
    k.at(20, h, 2);
    k.cancel(gone);
    k.run(15);
    expect(ran).toEqual([]);
    expect(k.now).toBe(15);
    // No time is at or before NaN: nothing runs, and the clock stays.
    k.run(Number.NaN);
    expect(ran).toEqual([]);
    expect(k.now).toBe(15);
    k.run(Infinity);
    expect(ran).toEqual([2]);
    expect(k.now).toBe(20);
  });

  it('the same run gives the same digest; a different history a different one', () => {
    const a = scripted(1);
    a.k.run(Infinity);
    const b = scripted(1);
    b.k.run(Infinity);
    expect(a.k.digest()).toBe(b.k.digest());
    const c = scripted(1);
    c.k.at(7, c.k.register('extra', () => undefined));
    c.k.run(Infinity);
    expect(c.k.digest()).not.toBe(a.k.digest());
  });

  it('notes go into the digest and the log', () => {
    const a = scripted(1);
    a.k.run(Infinity);
    const b = scripted(1);
    b.k.run(Infinity);
    b.k.note('placed', { lrp: 'web.0', cell: 'c1' });
    expect(b.k.digest()).not.toBe(a.k.digest());
    expect(b.lines.at(-1)).toBe('{"t":50,"note":"placed","lrp":"web.0","cell":"c1"}');
    expect(JSON.parse(b.lines[0]!)).toEqual({ t: 0, event: 'tick', a: 0, b: 0 });
  });

  it('an event scheduled later in a reserved place runs exactly where it would have run if scheduled at the reservation', () => {
    // A chain of events known in advance (a push's members, each scheduling the next when it runs)
    // against the same events all scheduled at once, among other events at the same and other times.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 })), { maxLength: 12 }), (steps, others) => {
        // Chain member n at the sum of the first n steps (times that only grow, with ties).
        const times = steps.map((_, n) => steps.slice(0, n + 1).reduce((x, y) => x + y, 0));
        const run = (reserved: boolean) => {
          const k = new Kernel({ seed: 1 });
          const order: string[] = [];
          // Others scheduled before the chain, and others that other events schedule as the run goes.
          const other = k.register('other', (a, b) => {
            order.push(`o${a}@${k.now}`);
            if (b > 0) k.after(b, other, a + 100, 0);
          });
          for (const [i, [t, then]] of others.entries()) if (i % 2 === 0) k.at(t, other, i, then);
          let first = -1;
          const member = k.register('member', (n) => {
            order.push(`m${n}@${k.now}`);
            if (reserved && n + 1 < times.length) k.atReserved(times[n + 1]!, member, n + 1, 0, first + n + 1);
          });
          if (reserved) {
            first = k.reserveOrder(times.length);
            k.atReserved(times[0]!, member, 0, 0, first);
          } else times.forEach((t, n) => k.at(t, member, n));
          for (const [i, [t, then]] of others.entries()) if (i % 2 === 1) k.at(t, other, i, then);
          k.run(Infinity);
          return { order, digest: k.digest() };
        };
        expect(run(true)).toEqual(run(false));
      }),
    );
  });

  it('sets no places aside while ties are shuffled (each event draws its tie as it is scheduled), and takes no place it did not set aside', () => {
    const shuffled = new Kernel({ seed: 1, shuffleTies: true });
    expect(shuffled.reserveOrder(3)).toBe(-1);
    expect(() => shuffled.atReserved(5, shuffled.register('x', () => undefined), 0, 0, 0)).toThrow(/did not set aside/);
    const k = new Kernel({ seed: 1 });
    expect(k.reserveOrder(3)).toBe(0);
    expect(() => k.atReserved(5, k.register('x', () => undefined), 0, 0, -1)).toThrow(/place -1/);
  });

  it('shuffle-ties permutes simultaneous events, deterministically for a seed', () => {
    const runs = [1, 2, 3, 4].map((seed) => {
      const s = scripted(seed, true);
      s.k.run(Infinity);
      return s.order.filter((x) => x >= 100).join(',');
    });
    expect(new Set(runs).size).toBeGreaterThan(1);
    const again = scripted(1, true);
    again.k.run(Infinity);
    expect(again.order.filter((x) => x >= 100).join(',')).toBe(runs[0]);
  });

  it('per-actor streams do not shift when another actor is added', () => {
    const k = new Kernel({ seed: 9 });
    const a1 = k.stream('cell-1').next();
    k.stream('cell-0').next();
    expect(new Kernel({ seed: 9 }).stream('cell-1').next()).toBe(a1);
  });
});

describe('the log story: describers and tell', () => {
  const run = (log?: (line: string) => void) => {
    const k = new Kernel({ seed: 3, ...(log ? { log } : {}) });
    let described = 0;
    const h = k.register('cell.thing', () => k.note('thing', { n: 1 }), (a) => {
      described++;
      return { cell: `cell-${a}` };
    });
    k.at(5, h, 7);
    k.run(10);
    if (k.logging) k.tell('placed', { work: 'web.0', cell: 'cell-7' });
    return { digest: k.digest(), described };
  };

  it('names who an event is about in the log, tells the story there, and neither reaches the digest', () => {
    const lines: string[] = [];
    const logged = run((l) => lines.push(l));
    const quiet = run();
    expect(logged.digest).toBe(quiet.digest);
    expect(lines).toEqual(['{"t":5,"event":"cell.thing","a":7,"b":0,"cell":"cell-7"}', '{"t":5,"note":"thing","n":1}', '{"t":10,"story":"placed","work":"web.0","cell":"cell-7"}']);
    // Describers cost nothing when the run is not logged.
    expect([logged.described, quiet.described]).toEqual([1, 0]);
  });
});
