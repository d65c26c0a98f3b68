import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectInPlace, type SelectableNumbers } from '../../src/metrics/select.js';

// The two kinds of array it takes: a typed one, and a plain one (what percentiles() gives it).
const kinds: [string, (values: readonly number[]) => SelectableNumbers][] = [
  ['a Float64Array', (values) => Float64Array.from(values)],
  ['a plain array', (values) => [...values]],
];

// What a selection at k must leave: a sort's value at k, none greater before it, none smaller after,
// and the same values, only moved.
function expectSelected(a: SelectableNumbers, values: readonly number[], k: number): void {
  const sorted = Float64Array.from(values).sort();
  expect(a[k]).toBe(sorted[k]);
  for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(a[k] as number);
  for (let i = k + 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(a[k] as number);
  expect(Float64Array.from(a).sort()).toEqual(sorted);
}

describe.each(kinds)('selectInPlace on %s', (_, make) => {
  it('puts at k what a sort puts there, smaller-or-equal before and greater-or-equal after', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, min: -1e9, max: 1e9 }).filter((v) => !Object.is(v, -0))), { minLength: 1, maxLength: 400 }), fc.nat(), (values, r) => {
        const a = make(values);
        const k = r % a.length;
        selectInPlace(a, k);
        expectSelected(a, values, k);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same when it runs out of steps and sorts what is left', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 200 }), fc.nat(), fc.nat(3), (values, r, steps) => {
        const a = make(values);
        const k = r % a.length;
        selectInPlace(a, k, 0, a.length - 1, steps);
        expectSelected(a, values, k);
      }),
      { numRuns: 200 },
    );
  });

  it('stays within a range it is given', () => {
    const a = make([9, 8, 7, 3, 2, 1]);
    selectInPlace(a, 4, 3, 5);
    expect([...a.slice(0, 3)]).toEqual([9, 8, 7]);
    expect(a[4]).toBe(2);
  });

  it('handles inputs that defeat a plain quickselect (sorted, reversed, organ-pipe, all equal) as a sort would', () => {
    const n = 100_000;
    const shapes = [Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => n - i), Array.from({ length: n }, (_, i) => Math.min(i, n - i)), Array.from({ length: n }, () => 7)];
    for (const values of shapes) {
      const sorted = Float64Array.from(values).sort();
      for (const k of [0, 1, n >> 1, n - 2, n - 1]) {
        const a = make(values);
        selectInPlace(a, k);
        expect(a[k]).toBe(sorted[k]);
      }
    }
  });

  it('refuses a position outside its range', () => {
    expect(() => selectInPlace(make([0, 0, 0]), 3)).toThrow(/position 3 is not within 0..2 of 3 values/);
    expect(() => selectInPlace(make([0, 0, 0]), 0, 1, 2)).toThrow(RangeError);
    expect(() => selectInPlace(make([]), 0)).toThrow(RangeError);
  });
});
