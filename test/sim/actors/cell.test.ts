import { describe, expect, it } from 'vitest';
import { buildBatch, type LRP, type LRPHandle } from '../../../src/index.js';
import { PlacementIndex } from '../../../src/core/rep/placement-index.js';
import { type CellHooks, SimCell } from '../../../src/sim/actors/cell.js';
import { cell, lrps } from '../../support/fixtures.js';

const lrpOf = (pg: string, memory = 10): LRP => buildBatch([lrps(pg, 1, memory)], []).batch.lrps[0]!.lrp;

describe('SimCell', () => {
  it('tells the world of each LRP its rep started, in the order sent, with the handle that names it there', () => {
    const accepted: [string, string | undefined][] = [];
    const hooks: CellHooks = {
      lrpAccepted: (c, handle, sent) => accepted.push([sent.process_guid, c.rep.lrp(handle)?.process_guid]),
      taskAccepted: () => {},
      reserved: () => {},
      endpointChanged: () => {},
    };
    const sim = new SimCell(cell('c1', { memory: 100 }), new PlacementIndex(), hooks);
    // Started largest first (b, then a); c does not fit; told in the order sent.
    sim.handle({ kind: 'perform', cell: 'c1', work: { LRPs: [lrpOf('a', 20), lrpOf('b', 70), lrpOf('c', 50)], Tasks: [], cell_id: 'c1' } });
    expect(accepted).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    // A smaller Perform after a larger one: nothing left over from the first.
    accepted.length = 0;
    sim.handle({ kind: 'perform', cell: 'c1', work: { LRPs: [lrpOf('d', 5)], Tasks: [], cell_id: 'c1' } });
    expect(accepted).toEqual([['d', 'd']]);
  });

  it('a Perform asked of the cell while it tells the world of another gets handles of its own', () => {
    const told: [string, LRPHandle][] = [];
    const box: { sim?: SimCell } = {};
    const hooks: CellHooks = {
      lrpAccepted: (_c, handle, sent) => {
        told.push([sent.process_guid, handle]);
        // The first instance's news makes the world ask the cell again, before the rest are told.
        if (sent.process_guid === 'a') box.sim!.handle({ kind: 'perform', cell: 'c1', work: { LRPs: [lrpOf('x'), lrpOf('y')], Tasks: [], cell_id: 'c1' } });
      },
      taskAccepted: () => {},
      reserved: () => {},
      endpointChanged: () => {},
    };
    const sim = new SimCell(cell('c1', { memory: 1000 }), new PlacementIndex(), hooks);
    box.sim = sim;
    sim.handle({ kind: 'perform', cell: 'c1', work: { LRPs: [lrpOf('a'), lrpOf('b')], Tasks: [], cell_id: 'c1' } });
    expect(told.map(([pg, h]) => [pg, sim.rep.lrp(h)?.process_guid])).toEqual([
      ['a', 'a'],
      ['x', 'x'],
      ['y', 'y'],
      ['b', 'b'],
    ]);
  });
  it('keeps its rep\'s one state reply, and the new rep\'s once the machine restarts', () => {
    const hooks: CellHooks = { lrpAccepted: () => {}, taskAccepted: () => {}, reserved: () => {}, endpointChanged: () => {} };
    const sim = new SimCell(cell('c1', { memory: 100 }), new PlacementIndex(), hooks);
    const first = sim.stateReply;
    expect(sim.handle({ kind: 'state', cell: 'c1' })).toBe(first);
    expect(first).toMatchObject({ kind: 'state', ok: true, state: sim.rep.state });
    sim.restart();
    expect(sim.stateReply).not.toBe(first);
    expect(sim.handle({ kind: 'state', cell: 'c1' })).toBe(sim.stateReply);
    expect(sim.stateReply).toMatchObject({ kind: 'state', ok: true, state: sim.rep.state });
  });
});

describe('SimCell as a network endpoint', () => {
  it('reports each change of its liveness, latency factor and state reply (a restart), and nothing else', () => {
    let changes = 0;
    const hooks: CellHooks = { lrpAccepted: () => {}, taskAccepted: () => {}, reserved: () => {}, endpointChanged: () => changes++ };
    const sim = new SimCell(cell('c1', { memory: 100 }), new PlacementIndex(), hooks);
    const reply = sim.stateReply;
    sim.alive = true;
    sim.latencyFactor = 1;
    sim.handle({ kind: 'perform', cell: 'c1', work: { LRPs: [lrpOf('a', 20)], Tasks: [], cell_id: 'c1' } });
    expect(changes).toBe(0);
    sim.latencyFactor = 3;
    sim.latencyFactor = 3;
    expect([changes, sim.latencyFactor]).toEqual([1, 3]);
    sim.alive = false;
    expect([changes, sim.alive]).toEqual([2, false]);
    sim.restart();
    expect([changes, sim.alive]).toEqual([3, true]);
    expect(sim.stateReply).not.toBe(reply);
    // Restarted while up: a new rep and reply all the same.
    const again = sim.stateReply;
    sim.restart();
    expect(changes).toBe(4);
    expect(sim.stateReply).not.toBe(again);
  });
});
