import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedStrings, stringOrder } from '../../src/metrics/sorted-strings.js';

// Characters on both sides of every boundary the packing has: U+0000 (the padding), bytes, U+00FF,
// U+0100 (no longer a byte), a surrogate pair; and words that share long prefixes.
const char = fc.constantFrom('\0', '\x01', '-', '0', '9', 'a', 'z', 'é', '\xff', 'Ā', '😀');
const piece = fc.oneof(fc.string({ unit: char, maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'tiny-x4-', 'a'.repeat(24)));
const str = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));

describe('sortedStrings', () => {
  it('gives the built-in sort order for any strings, whichever way it sorts them', () => {
    fc.assert(
      fc.property(fc.array(str, { maxLength: 60 }), fc.nat(80), (strings, radixFrom) => {
        const before = [...strings];
        expect(sortedStrings(strings, radixFrom)).toEqual([...strings].sort());
        expect(strings).toEqual(before);
      }),
      { numRuns: 400 },
    );
  });

  it('puts a string before one it begins, also where the other carries U+0000 as the padding would', () => {
    expect(sortedStrings(['ab\0', 'ab', 'a', 'ab\0\0', ''], 0)).toEqual(['', 'a', 'ab', 'ab\0', 'ab\0\0']);
  });

  it('orders strings past the packed prefix (longer than 24 characters) in full', () => {
    const long = 'x'.repeat(30);
    expect(sortedStrings([`${long}b`, `${long}a`, `${long}`, 'y'], 0)).toEqual([long, `${long}a`, `${long}b`, 'y']);
  });

  it('sorts many guids as the built-in sort does (the radix path by default)', () => {
    const names = ['tiny', 'small', 'tiny-x4', 'small-x3', 'large', 'crashy', 'é-app'];
    const guids = Array.from({ length: 20_000 }, (_, i) => `${names[i % names.length]}-${(i * 7919) % 20_011}`);
    expect(sortedStrings(guids)).toEqual([...guids].sort());
  });

  it('orders positions stably: equal strings keep their order, on either path', () => {
    fc.assert(
      fc.property(fc.array(str, { maxLength: 60 }), fc.nat(80), (strings, radixFrom) => {
        const want = Array.from(strings.keys()).sort((i, j) => {
          const a = strings[i] as string;
          const b = strings[j] as string;
          return a < b ? -1 : a > b ? 1 : i - j;
        });
        expect(Array.from(stringOrder(strings, radixFrom))).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });
});
