// `low-node-utilization`, the Kubernetes descheduler's plugin: nothing unless some cells are under
// `low` and others over `high`; overused cells give instances down to `high`, within the underused
// cells' room; the replacements go to Diego's auction (no cell chosen).
import { describe, expect, it } from 'vitest';
import { lowNodeUtilization } from '../../../src/core/rebalance/low-node-utilization.js';
import { budget, cell, instance } from './cells.js';

const many = (app: string, n: number, mb: number, from = 0) => Array.from({ length: n }, (_, i) => instance(app, from + i, mb));

describe('low-node-utilization rebalancing', () => {
  it('does nothing without both an underused and an overused cell (hysteresis)', () => {
    const settings = { low: 0.2, high: 0.5 };
    // 70% and 30%: one over, none under.
    expect(lowNodeUtilization.decide([cell('a', 'z1', many('web', 7, 1000)), cell('b', 'z1', many('api', 3, 1000))], budget(100), settings)).toEqual([]);
    // 40% and 10%: one under, none over.
    expect(lowNodeUtilization.decide([cell('a', 'z1', many('web', 4, 1000)), cell('b', 'z1', many('api', 1, 1000))], budget(100), settings)).toEqual([]);
  });

  it('evicts from overused cells down to high, largest first, and leaves placement to the auction', () => {
    const over = cell('a', 'z1', [...many('web', 6, 1000), ...many('api', 1, 2000)]);
    const under = cell('b', 'z1', []);
    const moves = lowNodeUtilization.decide([over, under], budget(100), { low: 0.2, high: 0.5 });
    // 8,000 MB used of 10,000: down to 5,000 takes the 2,000 MB api instance, then one web instance.
    expect(moves.map((m) => `${m.processGuid}.${m.index}`)).toEqual(['api.0', 'web.0']);
    expect(moves.every((m) => m.to === null && m.from === 'a')).toBe(true);
  });

  it("evicts no more than the underused cells can take up to high", () => {
    // The underused cell is at 10%: room up to 50% is 4,000 MB, though the overused cell is at 100%.
    const moves = lowNodeUtilization.decide([cell('a', 'z1', many('web', 10, 1000)), cell('b', 'z1', many('api', 1, 1000))], budget(100), { low: 0.2, high: 0.5 });
    expect(moves).toHaveLength(4);
  });

  it('stops at the budget', () => {
    expect(lowNodeUtilization.decide([cell('a', 'z1', many('web', 10, 1000)), cell('b', 'z1', [])], budget(2), { low: 0.2, high: 0.5 })).toHaveLength(2);
  });
});
