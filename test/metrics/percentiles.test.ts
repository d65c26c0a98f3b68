import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { percentile, percentiles } from '../../src/metrics/percentiles.js';

// What a sort gives: the reference percentiles() is checked against.
function sortedPercentiles(values: number[]) {
  const s = Float64Array.from(values).sort();
  return { count: s.length, p50: percentile(s, 0.5), p90: percentile(s, 0.9), p99: percentile(s, 0.99), max: s.length > 0 ? (s[s.length - 1] as number) : 0 };
}

describe('percentiles by selection', () => {
  it('equals the sorted percentiles for lists long enough to select in', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ noNaN: true, min: 0, max: 1e6 })), { minLength: 256, maxLength: 3000 }), (values) => {
        expect(percentiles(values)).toEqual(sortedPercentiles(values));
      }),
      { numRuns: 100 },
    );
  });

  it('sorts when a NaN or -0 is among the values, as before', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    for (const odd of [Number.NaN, -0]) {
      const v = [...values, odd, -0, 0];
      const got = percentiles(v);
      const want = sortedPercentiles(v);
      expect(got).toEqual(want);
    }
  });

  it('sorts a list with a hole in it as a typed copy of it would, the hole a NaN (it used to select past it)', () => {
    const values = Array.from({ length: 600 }, (_, i) => (i * 7919) % 600);
    delete values[17];
    expect(percentiles(values)).toEqual(sortedPercentiles(values));
  });

  it('leaves its input alone', () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    const copy = [...values];
    percentiles(values);
    expect(values).toEqual(copy);
  });
});

describe('percentiles of short lists', () => {
  it('gives nearest-rank figures, and zeros for none', () => {
    expect(percentiles([])).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, max: 0 });
    expect(percentiles([5, 1, 3])).toEqual({ count: 3, p50: 3, p90: 5, p99: 5, max: 5 });
  });
});
