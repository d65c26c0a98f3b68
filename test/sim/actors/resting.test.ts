import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Resting } from '../../../src/sim/actors/resting.js';

describe('Resting', () => {
  it('wakes exactly the items due by each time, earliest first, whatever order they were rested in', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.nat(1000)), { maxLength: 200 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 10 }), (rested, nows) => {
        const r = new Resting<number>();
        rested.forEach(([at], i) => r.add(i, at));
        expect(r.size).toBe(rested.length);
        const woken = new Set<number>();
        let last = -Infinity;
        for (const now of [...nows].sort((a, b) => a - b)) {
          r.wake(now, (i, wakeAt) => {
            const at = rested[i]?.[0] as number;
            expect(wakeAt).toBe(at);
            expect(at).toBeLessThanOrEqual(now);
            expect(at).toBeGreaterThanOrEqual(last);
            last = at;
            expect(woken.has(i)).toBe(false);
            woken.add(i);
          });
          // Everything due by now has woken; nothing later has.
          rested.forEach(([at], i) => expect(woken.has(i)).toBe(at <= now));
          last = -Infinity;
        }
        expect(r.size).toBe(rested.length - woken.size);
      }),
    );
  });

  it('keeps an item rested twice twice, and refuses a time that is not finite', () => {
    const r = new Resting<string>();
    r.add('a', 5);
    r.add('a', 3);
    const seen: string[] = [];
    r.wake(10, (x) => seen.push(x));
    expect(seen).toEqual(['a', 'a']);
    expect(() => r.add('b', Infinity)).toThrow(RangeError);
    expect(() => r.add('b', Number.NaN)).toThrow(RangeError);
    expect(r.size).toBe(0);
  });
});
