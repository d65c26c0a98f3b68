import { describe, expect, it } from 'vitest';
import { cellsNeeded, commonLRPSize, failuresByReason, jainIndex, maxMinusMin, strandedMemoryMB, utilisation, zoneSkew } from '../../src/index.js';
import { cell, cellWith, running } from '../support/fixtures.js';

describe('balance metrics', () => {
  it('max-min is the spread', () => {
    expect(maxMinusMin([3, 9, 4])).toBe(6);
    expect(maxMinusMin([])).toBe(0);
  });

  it("Jain's index: 1 when equal, 1/n when one holds everything", () => {
    expect(jainIndex([5, 5, 5, 5])).toBe(1);
    expect(jainIndex([8, 0, 0, 0])).toBe(0.25);
    // (1+2+3)^2 / (3 * (1+4+9)) = 36 / 42
    expect(jainIndex([1, 2, 3])).toBeCloseTo(36 / 42, 12);
    expect(jainIndex([])).toBe(1);
  });

  it('zone skew counts each app across every zone with cells', () => {
    const states = [
      cellWith('a', [running('web', 0), running('web', 1), running('api', 0)], { Zone: 'z1' }),
      cellWith('b', [running('web', 2)], { Zone: 'z2' }),
      cell('c', { Zone: 'z3' }),
    ];
    // web: z1 2, z2 1, z3 0 -> 2; api: z1 1, others 0 -> 1
    expect(zoneSkew(states)).toEqual({ byApp: { api: 1, web: 2 }, max: 2, mean: 1.5 });
  });
});

describe('packing metrics', () => {
  const states = [
    cellWith('a', [running('x', 0, 600), running('y', 0, 200)], { memory: 1000, disk: 1000, containers: 10 }),
    cellWith('b', [running('z', 0, 200)], { memory: 1000, disk: 1000, containers: 10 }),
  ];

  it('utilisation is used over total for memory, disk and containers', () => {
    // memory (800 + 200) / 2000; disk 3 x 10 / 2000; containers 3 / 20
    expect(utilisation(states)).toEqual({ memory: 0.5, disk: 0.015, containers: 0.15 });
  });

  it('stranded memory is the free memory on cells that cannot fit the common size', () => {
    expect(commonLRPSize(states)).toBe(200);
    // a has 200 free (fits 200: not stranded); b has 800 free (fits)
    expect(strandedMemoryMB(states)).toBe(0);
    // with 300 MB instances: a's 200 MB are stranded
    expect(strandedMemoryMB(states, 300)).toBe(200);
  });

  it('cells needed packs first-fit decreasing into cells of the largest size', () => {
    expect(cellsNeeded(states)).toBe(1); // 600 + 200 + 200 fit one 1000 MB cell
    const spread = [0, 1, 2].map((i) => cellWith(`c${i}`, [running(`a${i}`, 0, 600)], { memory: 1000 }));
    expect(cellsNeeded(spread)).toBe(3);
  });

  it('failures by reason, most frequent first', () => {
    expect(failuresByReason(['b', 'a', 'b', 'c'])).toEqual({ b: 2, a: 1, c: 1 });
    expect(Object.keys(failuresByReason(['b', 'a', 'b', 'c']))).toEqual(['b', 'a', 'c']);
  });
});
