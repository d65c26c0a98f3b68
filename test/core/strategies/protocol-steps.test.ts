import { describe, expect, it } from 'vitest';
import type { CellState } from '../../../src/core/model/cell-state.js';
import type { Inbox, Reply } from '../../../src/core/protocol/messages.js';
import { streamFor } from '../../../src/core/random.js';
import { MemoryRep } from '../../../src/core/rep/memory-rep.js';
import { PlacementIndex } from '../../../src/core/rep/placement-index.js';
import { type Fetched, fetchStates, stateRequests } from '../../../src/core/strategies/protocol-steps.js';
import { cell } from '../../support/fixtures.js';

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

describe('fetchStates (the usable states of a fetch)', () => {
  // The states a fetch keeps from replies already in (a driver's prefetch).
  function fetched(cells: readonly string[], inbox: Inbox): Fetched {
    const step = fetchStates({ cells, seed: 1, rng: streamFor(1, 't'), prefetched: inbox }).next();
    if (!step.done) throw new Error('fetchStates asked again');
    return step.value;
  }
  const asksAgain = (cells: readonly string[], inbox: Inbox) => !fetchStates({ cells, seed: 1, rng: streamFor(1, 't'), prefetched: inbox }).next().done;
  const ok = (s: CellState): Reply => ({ kind: 'state', ok: true, state: s });
  const lost: Reply = { kind: 'state', ok: false, error: 'timeout', lost: true };

  it('keeps the answered, not evacuating, right cells, and hands on the same frozen list while they stay the same objects', () => {
    const cells = Object.freeze(['c1', 'c2', 'c3']);
    const [a, b, c] = cells.map((id) => cell(id)) as [CellState, CellState, CellState];
    const first = fetched(cells, [ok(a), ok(b), ok(c)]);
    expect(first.states).toEqual([a, b, c]);
    expect(Object.isFrozen(first.states)).toBe(true);
    // New reply objects, the same states: the same list.
    expect(fetched(cells, [ok(a), ok(b), ok(c)]).states).toBe(first.states);
    // One lost, one evacuating, one answering for another cell: each drops out, in a new list.
    const fewer = fetched(cells, [ok(a), lost, ok(c)]);
    expect(fewer.states).toEqual([a, c]);
    expect(fetched(cells, [ok(a), ok({ ...b, Evacuating: true }), ok(c)]).states).toEqual([a, c]);
    expect(fetched(cells, [ok(a), ok(b), ok(cell('c9'))]).states).toEqual([a, b]);
    // The same as the last list (a prefix of the first): that list again.
    const prefix = fetched(cells, [ok(a), ok(b), lost]);
    expect(prefix.states).toEqual([a, b]);
    expect(fetched(cells, [ok(a), ok(b), lost]).states).toBe(prefix.states);
    // A state object that differs from the last list's at one place: a new list with it there.
    const c2 = cell('c3');
    expect(fetched(cells, [ok(a), ok(b), ok(c2)]).states).toEqual([a, b, c2]);
    // No usable state: Diego fetches again.
    expect(asksAgain(cells, [lost, lost, lost])).toBe(true);
  });

  it('the very same frozen replies again keep the same states, until a rep sharing their index starts or stops draining', () => {
    const cells = Object.freeze(['c1', 'c2', 'c3']);
    const index = new PlacementIndex();
    const reps = cells.map((id) => new MemoryRep(cell(id), index));
    const inbox = Object.freeze(reps.map((r, i) => r.handle({ kind: 'state', cell: cells[i] as string })));
    const first = fetched(cells, inbox);
    expect(first.states).toEqual(reps.map((r) => r.state));
    expect(first.index).toBe(index);
    expect(fetched(cells, inbox).states).toBe(first.states);
    // The second cell drains: the same replies, but it drops out; and comes back when it stops.
    reps[1]!.setEvacuating(true);
    expect(fetched(cells, inbox).states).toEqual([reps[0]!.state, reps[2]!.state]);
    expect(fetched(cells, inbox).states).toEqual([reps[0]!.state, reps[2]!.state]);
    reps[1]!.setEvacuating(false);
    expect(fetched(cells, inbox).states).toEqual(reps.map((r) => r.state));
  });

  it('a list of replies that is not frozen is read again every time, even as the same array', () => {
    const cells = Object.freeze(['c1', 'c2']);
    const index = new PlacementIndex();
    const reps = cells.map((id) => new MemoryRep(cell(id), index));
    const inbox: Reply[] = reps.map((r, i) => r.handle({ kind: 'state', cell: cells[i] as string }));
    expect(fetched(cells, inbox).states).toHaveLength(2);
    inbox[0] = lost;
    expect(fetched(cells, inbox).states).toEqual([reps[1]!.state]);
  });

  it('the same frozen replies for a list of cells that is not frozen are checked against the ids asked now', () => {
    const cells = ['c1', 'c2'];
    const index = new PlacementIndex();
    const reps = cells.map((id) => new MemoryRep(cell(id), index));
    const inbox = Object.freeze(reps.map((r, i) => r.handle({ kind: 'state', cell: cells[i] as string })));
    expect(fetched(cells, inbox).states).toHaveLength(2);
    cells[1] = 'c9';
    expect(fetched(cells, inbox).states).toEqual([reps[0]!.state]);
  });
});
