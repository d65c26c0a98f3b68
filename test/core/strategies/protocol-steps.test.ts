import { describe, expect, it } from 'vitest';
import { stateRequests } from '../../../src/core/strategies/protocol-steps.js';

describe('stateRequests (the state fetch of a list of cells)', () => {
  it('hands the same frozen requests for the same frozen list, one per cell in order', () => {
    const cells = Object.freeze(['c1', 'c2', 'c3']);
    const first = stateRequests(cells);
    expect(first.map((r) => [r.kind, r.cell])).toEqual([
      ['state', 'c1'],
      ['state', 'c2'],
      ['state', 'c3'],
    ]);
    expect(Object.isFrozen(first)).toBe(true);
    expect(stateRequests(cells)).toBe(first);
    // Nobody handed the list can change it for the next caller.
    expect(() => (first as unknown as unknown[]).push({ kind: 'state', cell: 'c4' })).toThrow(TypeError);
  });

  it('makes new requests for a list that changed in place since (only a frozen list is trusted)', () => {
    const cells = ['c1', 'c2'];
    const first = stateRequests(cells);
    cells[1] = 'c9';
    const second = stateRequests(cells);
    expect(second).not.toBe(first);
    expect(second.map((r) => r.cell)).toEqual(['c1', 'c9']);
    cells.push('c3');
    expect(stateRequests(cells).map((r) => r.cell)).toEqual(['c1', 'c9', 'c3']);
    // Unchanged: the same requests again.
    expect(stateRequests(cells)).toBe(stateRequests(cells));
  });
});
