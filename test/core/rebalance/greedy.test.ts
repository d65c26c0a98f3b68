// `greedy`: most loaded to least loaded, while a move narrows the spread; within the budget; never onto
// a cell that cannot take the instance; never spreading an app across zones more unevenly.
import { describe, expect, it } from 'vitest';
import { greedy } from '../../../src/core/rebalance/greedy.js';
import { budget, cell, instance } from './cells.js';

const SETTINGS = { low: 0.2, high: 0.5 };
const many = (app: string, n: number, mb: number) => Array.from({ length: n }, (_, i) => instance(app, i, mb));

describe('greedy rebalancing', () => {
  it('moves from the most loaded cell to the least loaded until the two are as even as the instances allow', () => {
    const full = cell('a', 'z1', many('web', 8, 1000));
    const empty = cell('b', 'z1', []);
    const moves = greedy.decide([full, empty], budget(100), SETTINGS);
    // 8,000 MB on one cell and none on the other: four moves make them 4,000 and 4,000.
    expect(moves).toHaveLength(4);
    expect(moves.every((m) => m.from === 'a' && m.to === 'b')).toBe(true);
    // Of equal instances, the first by app and index.
    expect(moves.map((m) => m.index)).toEqual([0, 1, 2, 3]);
  });

  it('stops at the budget, and skips instances the budget does not allow', () => {
    const full = cell('a', 'z1', many('web', 8, 1000));
    const empty = cell('b', 'z1', []);
    expect(greedy.decide([full, empty], budget(2), SETTINGS)).toHaveLength(2);
    const b = budget(100, (lrp) => lrp.index < 6);
    const moves = greedy.decide([full, empty], b, SETTINGS);
    expect(moves.map((m) => m.index)).toEqual([6, 7]);
    expect(b.taken).toEqual(['web.6', 'web.7']);
  });

  it('does not move when a move would not narrow the spread (no ping-pong)', () => {
    // 1,000 MB apart with 1,000 MB instances: a move would only swap the two cells.
    const moves = greedy.decide([cell('a', 'z1', many('web', 2, 1000)), cell('b', 'z1', [instance('api', 0, 1000)])], budget(100), SETTINGS);
    expect(moves).toEqual([]);
  });

  it('never sends an instance to a cell that cannot take it: placement tags, or the index already there', () => {
    const tagged = cell('gold', 'z1', [], { placementTags: ['gold'] });
    expect(greedy.decide([cell('a', 'z1', many('web', 4, 1000)), tagged], budget(100), SETTINGS)).toEqual([]);
    // The emptier cell already runs web's index 0 and 1 (say, old copies): only 2 and 3 may go there.
    const moves = greedy.decide([cell('a', 'z1', many('web', 4, 1000).concat(many('api', 4, 1000))), cell('b', 'z1', [instance('web', 0, 100), instance('web', 1, 100)])], budget(100), SETTINGS);
    expect(moves.filter((m) => m.processGuid === 'web').map((m) => m.index).every((i) => i >= 2)).toBe(true);
  });

  it('does not spread an app across zones more unevenly than a skew of 1', () => {
    // web: 2 in z1, 2 in z2. Moving one from z1 to the empty z2 cell would make it 1 and 3.
    const z1 = cell('a', 'z1', many('web', 2, 3000));
    const z2 = cell('b', 'z2', [instance('web', 2, 3000), instance('web', 3, 3000)].slice(0, 2));
    const z2empty = cell('c', 'z2', []);
    const moves = greedy.decide([z1, z2, z2empty], budget(100), SETTINGS);
    // Only moves within z2 (b to c) keep web's zones even.
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.every((m) => m.from === 'b' && m.to === 'c')).toBe(true);
  });

  it('decides the same moves for the same cells (a total order)', () => {
    const cells = () => [cell('b', 'z1', many('web', 6, 700)), cell('a', 'z1', many('api', 6, 700)), cell('c', 'z1', [])];
    expect(greedy.decide(cells(), budget(100), SETTINGS)).toEqual(greedy.decide(cells(), budget(100), SETTINGS));
  });
});
