import { describe, expect, it } from 'vitest';
import { schedule } from '../../../src/index.js';
import { cell, cellWith, lrps, running } from '../../support/fixtures.js';

const three = () => [cell('c0', { cell_index: 0 }), cellWith('c1', [running('x', 0, 300)], { cell_index: 1 }), cell('c2', { cell_index: 2, memory: 2048 })];
const where = (r: ReturnType<typeof schedule>) => Object.fromEntries(r.cells.flatMap((c) => c.lrps.map((l) => [`${l.process_guid}.${l.index}`, c.cell_id])));

describe('baseline strategies', () => {
  it('first-fit fills the lowest-index cell first', () => {
    const r = schedule({ cells: three(), lrps: [lrps('app', 3, 100)] }, { strategy: 'first-fit' });
    expect(Object.values(where(r))).toEqual(['c0', 'c0', 'c0']);
  });

  it('first-fit moves on when the low cell is full', () => {
    const r = schedule({ cells: [cell('c0', { cell_index: 0, memory: 150 }), cell('c1', { cell_index: 1 })], lrps: [lrps('app', 2, 100)] }, { strategy: 'first-fit' });
    expect(where(r)).toEqual({ 'app.0': 'c0', 'app.1': 'c1' });
  });

  it('best-fit takes the cell left with the least free memory', () => {
    const r = schedule({ cells: three(), lrps: [lrps('app', 1, 100)] }, { strategy: 'best-fit' });
    expect(where(r)['app.0']).toBe('c1');
  });

  it('worst-fit takes the cell left with the most free memory', () => {
    const r = schedule({ cells: three(), lrps: [lrps('app', 1, 100)] }, { strategy: 'worst-fit' });
    expect(where(r)['app.0']).toBe('c2');
  });

  it('round-robin rotates through the cells in index order', () => {
    const r = schedule({ cells: three(), lrps: [lrps('a', 1, 10), lrps('b', 1, 10), lrps('c', 1, 10), lrps('d', 1, 10)] }, { strategy: 'round-robin' });
    expect(['a.0', 'b.0', 'c.0', 'd.0'].map((k) => where(r)[k])).toEqual(['c0', 'c1', 'c2', 'c0']);
  });

  it("baselines fail with Diego's reasons", () => {
    const r = schedule({ cells: three(), lrps: [lrps('huge', 1, 5000), lrps('win', 1, 10, { RootFs: 'preloaded:windows2019' })] }, { strategy: 'best-fit' });
    expect(r.failures.map((f) => f.reason).sort()).toEqual(['found no compatible cell for required rootfs', 'insufficient resources: memory']);
  });
});
