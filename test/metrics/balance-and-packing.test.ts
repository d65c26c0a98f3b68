import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellState } from '../../src/core/model/cell-state.js';
import { cellsNeeded, commonLRPSize, failuresByReason, jainIndex, maxMinusMin, strandedMemoryMB, utilisation, zoneSkew } from '../../src/index.js';
import { cell, cellWith, running } from '../support/fixtures.js';

// First-fit decreasing by memory, one item at a time (how cellsNeeded was first written).
function firstFitDecreasing(cells: readonly CellState[]): number {
  if (cells.length === 0) return 0;
  const cap = cells.reduce((m, s) => (s.TotalResources.MemoryMB > m.MemoryMB ? s.TotalResources : m), cells[0]!.TotalResources);
  const items = cells.flatMap((s) => [...s.LRPs, ...s.Tasks].map((w) => ({ mem: w.MemoryMB, disk: w.DiskMB })));
  items.sort((a, b) => b.mem - a.mem || b.disk - a.disk);
  const bins: { mem: number; disk: number; n: number }[] = [];
  for (const it of items) {
    const bin = bins.find((b) => b.mem >= it.mem && b.disk >= it.disk && b.n >= 1);
    if (bin) {
      bin.mem -= it.mem;
      bin.disk -= it.disk;
      bin.n -= 1;
    } else bins.push({ mem: cap.MemoryMB - it.mem, disk: cap.DiskMB - it.disk, n: cap.Containers - 1 });
  }
  return bins.length;
}

// The cells holding work, if each one's work fits one cell of the largest memory; else Infinity.
function inUseIfEachFits(cells: readonly CellState[]): number {
  if (cells.length === 0) return 0;
  const cap = cells.reduce((m, s) => (s.TotalResources.MemoryMB > m.MemoryMB ? s.TotalResources : m), cells[0]!.TotalResources);
  const used = cells.filter((s) => s.LRPs.length + s.Tasks.length > 0);
  const fits = used.every((s) => {
    const work = [...s.LRPs, ...s.Tasks];
    const mem = work.reduce((t, w) => t + w.MemoryMB, 0);
    const disk = work.reduce((t, w) => t + w.DiskMB, 0);
    return mem <= cap.MemoryMB && disk <= cap.DiskMB && work.length <= cap.Containers;
  });
  return fits ? used.length : Infinity;
}

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

  it('cells needed is never more than the cells in use when each holds no more than a cell', () => {
    // Three cells of 600 MB and 3 containers, each holding 300 + 290 + 10 MB: full in memory and in
    // containers. First-fit decreasing by memory: 300,300 | 300,290 | 290,290 then the 10s: one fits
    // bin 2 (590 -> 600), one bin 3 (580 -> 590), the last fits no bin left with a container: 4 bins.
    const tight = [0, 1, 2].map((i) =>
      cellWith(`t${i}`, [running(`p${i}`, 0, 300), running(`q${i}`, 0, 290), running(`r${i}`, 0, 10)], { memory: 600, containers: 3 }),
    );
    expect(firstFitDecreasing(tight)).toBe(4);
    // The cells as they stand hold it all in 3.
    expect(cellsNeeded(tight)).toBe(3);
    // An overfull cell (more than a cell can hold) is no packing: first fit decreasing stands.
    const over = [cellWith('o', [running('a', 0, 700), running('b', 0, 700)], { memory: 1000 })];
    expect(cellsNeeded(over)).toBe(2);
  });

  it('cells needed by size gives what first-fit decreasing item by item gives, capped by the cells in use', () => {
    const size = fc.oneof(fc.constantFrom(16, 32, 128, 256, 1024, 3000), fc.double({ min: 0.5, max: 900, noNaN: true }));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            memory: fc.constantFrom(1024, 2048, 4096),
            containers: fc.integer({ min: 1, max: 12 }),
            lrps: fc.array(fc.tuple(size, size), { maxLength: 14 }),
          }),
          { maxLength: 6 },
        ),
        (specs) => {
          const cells = specs.map((c, i) => {
            const st = cellWith(`c${i}`, [], { memory: c.memory, disk: c.memory, containers: c.containers });
            c.lrps.forEach(([mem, disk], k) => st.LRPs.push({ ...running(`a${k}`, k, mem), DiskMB: disk }));
            return st;
          });
          expect(cellsNeeded(cells)).toBe(Math.min(firstFitDecreasing(cells), inUseIfEachFits(cells)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('failures by reason, most frequent first', () => {
    expect(failuresByReason(['b', 'a', 'b', 'c'])).toEqual({ b: 2, a: 1, c: 1 });
    expect(Object.keys(failuresByReason(['b', 'a', 'b', 'c']))).toEqual(['b', 'a', 'c']);
  });
});
