import { describe, expect, it } from 'vitest';
import { firstThatSaysYes } from '../../examples/first-yes-strategy.js';
import { schedule } from '../../src/index.js';
import { cell, lrps } from '../support/fixtures.js';

describe('a user-written strategy fits the interface unchanged', () => {
  it('fills the first cell before the second and fails what fits nowhere', () => {
    const r = schedule({ cells: [cell('a', { memory: 100 }), cell('b', { memory: 100 })], lrps: [lrps('x', 3, 60)] }, { strategy: firstThatSaysYes });
    expect(r.cells.map((c) => c.lrps.length)).toEqual([1, 1]);
    expect(r.failures).toEqual([{ kind: 'lrp', process_guid: 'x', index: 2, reason: 'no cell accepted' }]);
  });
});
