import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InputError} from '../../src/index.js';
import { parseScheduleInput, schedule } from '../../src/index.js';
import { cell, lrps, task } from '../support/fixtures.js';

describe('schedule()', () => {
  it("Diego's boulders before pebbles: 51 placed, 31 failed, the big app's index 0 placed and index 1 failed", () => {
    const cells = [cell('cell', { memory: 100, disk: 100, containers: 100 })];
    const pebbles = Array.from({ length: 80 }, (_, i) => lrps(`pebble-${i}`, 1, 1, { DiskMB: 1 }));
    const r = schedule({ cells, lrps: [...pebbles, lrps('boulder', 2, 50, { DiskMB: 1 })] });
    expect(r.counters.placed).toBe(51);
    expect(r.counters.failed).toBe(31);
    expect(r.cells[0]!.lrps.some((l) => l.process_guid === 'boulder' && l.index === 0)).toBe(true);
    expect(r.failures).toContainEqual({ kind: 'lrp', process_guid: 'boulder', index: 1, reason: 'insufficient resources: memory' });
  });

  it('the bundled boulders-and-pebbles batch file gives the same answer', () => {
    const input = parseScheduleInput(JSON.parse(readFileSync('scenarios/batches/boulders-and-pebbles.json', 'utf8')));
    const r = schedule(input);
    expect([r.counters.placed, r.counters.failed]).toEqual([51, 31]);
  });

  it('never changes its input', () => {
    const cells = [cell('a'), cell('b')];
    const before = JSON.stringify(cells);
    schedule({ cells, lrps: [lrps('x', 3)], tasks: [task('t')] });
    expect(JSON.stringify(cells)).toBe(before);
  });

  it('returns the states after the auction as the reps now report them', () => {
    const r = schedule({ cells: [cell('a', { memory: 100 })], lrps: [lrps('x', 1, 40)] });
    expect(r.statesAfter[0]!.AvailableResources.MemoryMB).toBe(60);
    expect(r.statesAfter[0]!.LRPs.map((l) => `${l.process_guid}.${l.index}`)).toEqual(['x.0']);
  });

  it('counts messages: one state fetch per cell and one perform per cell with work', () => {
    const r = schedule({ cells: [cell('a'), cell('b'), cell('c')], lrps: [lrps('x', 2)] });
    expect(r.counters.messages).toBe(3 + 2);
    expect(r.counters.rounds).toBe(2);
  });

  it('rejects an unknown strategy and bad settings with paths', () => {
    expect(() => schedule({ cells: [] }, { strategy: 'nope' })).toThrow(/unknown strategy "nope"/);
    try {
      schedule({ cells: [] }, { settings: { startingContainerWeight: -1, typo: 1 } });
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).problems.map((p) => p.path)).toEqual(['diego.startingContainerWeight', 'diego.typo']);
    }
  });
});
