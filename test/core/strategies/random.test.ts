import { describe, expect, it } from 'vitest';
import { randomStrategy, schedule } from '../../../src/index.js';
import { cell, lrps } from '../../support/fixtures.js';

describe('random strategy (Diego 2014)', () => {
  it('places through reserve and claim messages on cells picked at random', () => {
    const cells = Array.from({ length: 10 }, (_, i) => cell(`c${i}`, { memory: 1000 }));
    const r = schedule({ cells, lrps: [lrps('app', 20)] }, { strategy: randomStrategy, seed: 3 });
    expect(r.counters.placed).toBe(20);
    // Each auction needs at least one reserve and one claim.
    expect(r.counters.messages).toBeGreaterThanOrEqual(40);
    expect(new Set(r.cells.filter((c) => c.lrps.length > 0).map((c) => c.cell_id)).size).toBeGreaterThan(3);
  });

  it('fails an auction after maxRounds refusals with the last refusal', () => {
    const r = schedule({ cells: [cell('tiny', { memory: 5 })], lrps: [lrps('app', 1, 50)] }, { strategy: 'random', settings: { maxRounds: 7 } });
    expect(r.failures).toEqual([{ kind: 'lrp', process_guid: 'app', index: 0, reason: 'insufficient resources: memory' }]);
    expect(r.counters.messages).toBe(7);
  });

  it('the same seed gives the same placements; another seed may not', () => {
    const cells = Array.from({ length: 10 }, (_, i) => cell(`c${i}`, { memory: 1000 }));
    const at = (seed: number) => schedule({ cells, lrps: [lrps('app', 10)] }, { strategy: 'random', seed }).cells.map((c) => c.lrps.length);
    expect(at(1)).toEqual(at(1));
    expect([2, 3, 4, 5].some((s) => JSON.stringify(at(s)) !== JSON.stringify(at(1)))).toBe(true);
  });
});
