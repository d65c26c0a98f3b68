import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resultsText } from '../../src/results/results-text.js';

describe('resultsText', () => {
  it('parses back to what JSON.stringify gives, for any JSON value (hostile strings included)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(resultsText(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 500 },
    );
    const odd = { a: undefined, f: () => 1, n: [1, undefined, Infinity], s: '\u00000', k: { '__proto__': 1 } };
    expect(JSON.parse(resultsText(odd))).toEqual(JSON.parse(JSON.stringify(odd)));
  });

  it('indents objects, and puts long arrays of numbers or strings, and any array of more than a hundred things, on one line', () => {
    expect(resultsText({ big: Array.from({ length: 101 }, (_, i) => ({ i })) })).toBe(`{\n  "big": ${JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ i })))}\n}\n`);
    expect(resultsText({ a: [1, 2, 3], b: Array.from({ length: 8 }, (_, i) => i), c: { d: 'x' } })).toBe(
      '{\n  "a": [\n    1,\n    2,\n    3\n  ],\n  "b": [0,1,2,3,4,5,6,7],\n  "c": {\n    "d": "x"\n  }\n}\n',
    );
  });
});

describe('resultsText, JSON.stringify\'s rules', () => {
  it('toJSON, holes, symbols and boxed values as JSON.stringify has them', () => {
    // eslint-disable-next-line no-sparse-arrays
    const v = { d: { toJSON: () => 'when' }, holes: [1, , 3], s: Symbol('x'), n: Object(3) as number };
    expect(JSON.parse(resultsText(v))).toEqual(JSON.parse(JSON.stringify(v)));
  });
});
