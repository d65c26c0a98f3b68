import { describe, expect, it } from 'vitest';
import { ERR_TASK_CANCELLED, ERR_TASK_CELL_DISAPPEARED, ERR_TASK_CONTAINER_GONE, ERR_TASK_NOT_STARTED } from '../../../src/core/convergence/states.js';
import {
  planLRPConvergence,
  planTaskConvergence,
  type ObservedInstance,
  type TaskRecord,
} from '../../../src/core/convergence/plan.js';

const inst = (processGuid: string, index: number, cell: string, over: Partial<ObservedInstance> = {}): ObservedInstance => ({
  cell,
  processGuid,
  index,
  instanceGuid: `${processGuid}-${index}-${cell}`,
  running: true,
  evacuating: false,
  ...over,
});
const none = new Map();

describe('planLRPConvergence (Diego\'s LRP rules)', () => {
  it('auctions missing indices, stops extra indices and undesired apps', () => {
    const out = planLRPConvergence({
      nowMs: 0,
      desired: [{ processGuid: 'web', instances: 3 }],
      instances: [inst('web', 0, 'c1'), inst('web', 3, 'c2'), inst('gone', 0, 'c1')],
      crashes: none,
      inFlight: none,
    });
    expect(out.start).toEqual([{ processGuid: 'web', index: 1, reason: 'missing' }, { processGuid: 'web', index: 2, reason: 'missing' }]);
    // In (process guid, index) order.
    expect(out.stop.map((s) => [s.processGuid, s.index, s.cell, s.reason])).toEqual([['gone', 0, 'c1', 'extra'], ['web', 3, 'c2', 'extra']]);
  });

  it("a copy on a vanished cell becomes SUSPECT and is replaced at once (Diego's converger, bbs lrp_convergence.go)", () => {
    const lost = [inst('web', 0, 'c9', { instanceGuid: 'old' })];
    const out = planLRPConvergence({ nowMs: 0, desired: [{ processGuid: 'web', instances: 1 }], instances: [], crashes: none, inFlight: none, present: new Set(['c1']), lost });
    expect(out.start).toEqual([{ processGuid: 'web', index: 0, reason: 'cell-gone' }]);
    expect(out.suspect).toEqual([{ processGuid: 'web', index: 0, cell: 'c9', instanceGuid: 'old' }]);
    // The next pass, its replacement in flight and the suspect still away: nothing more.
    const next = planLRPConvergence({ nowMs: 1000, desired: [{ processGuid: 'web', instances: 1 }], instances: [], crashes: none, inFlight: new Map([['web.0', 0]]), present: new Set(['c1']), lost, suspects: new Map([['web.0', { cell: 'c9', instanceGuid: 'old' }]]) });
    expect([next.start, next.stop, next.suspect]).toEqual([[], [], []]);
  });

  it("a SUSPECT whose cell returns is stopped if its replacement runs, and promoted (the replacement stopped) if not: Diego's rule, as the simulator's", () => {
    const suspects = new Map([['web.0', { cell: 'c9', instanceGuid: 'old' }]]);
    const back = inst('web', 0, 'c9', { instanceGuid: 'old' });
    const base = { nowMs: 0, desired: [{ processGuid: 'web', instances: 1 }], crashes: none, inFlight: none, present: new Set(['c1', 'c9']), suspects };
    // The replacement runs on c1: the returning copy goes (which cell id is lower does not decide it).
    const running = planLRPConvergence({ ...base, instances: [back, inst('web', 0, 'c1', { instanceGuid: 'new' })] });
    expect(running.stop.map((x) => [x.cell, x.instanceGuid, x.reason])).toEqual([['c9', 'old', 'suspect']]);
    expect(running.forgetSuspect).toEqual(['web.0']);
    // The replacement is only starting: the suspect is kept and the replacement stopped.
    const starting = planLRPConvergence({ ...base, instances: [back, inst('web', 0, 'c1', { instanceGuid: 'new', running: false })] });
    expect(starting.stop.map((x) => [x.cell, x.instanceGuid, x.reason])).toEqual([['c1', 'new', 'replaced']]);
    expect(starting.forgetSuspect).toEqual(['web.0']);
    expect(starting.start).toEqual([]);
    // Its cell came back without it (restarted): the suspect is forgotten, the replacement stays.
    const restarted = planLRPConvergence({ ...base, instances: [inst('web', 0, 'c1', { instanceGuid: 'new' })] });
    expect([restarted.stop, restarted.forgetSuspect, restarted.start]).toEqual([[], ['web.0'], []]);
  });

  it('keeps one of two copies of an index (a running one first), stops the other', () => {
    const out = planLRPConvergence({
      nowMs: 0,
      desired: [{ processGuid: 'web', instances: 1 }],
      instances: [inst('web', 0, 'a', { running: false }), inst('web', 0, 'b')],
      crashes: none,
      inFlight: none,
    });
    expect(out.start).toEqual([]);
    expect(out.stop.map((s) => [s.cell, s.reason])).toEqual([['a', 'duplicate']]);
  });

  it('does not re-auction an index in flight until it is stale: in flight for more than 30 s, strictly (bbs lrp_convergence.go)', () => {
    const input = { desired: [{ processGuid: 'web', instances: 1 }], instances: [], crashes: none, inFlight: new Map([['web.0', 1000]]) };
    expect(planLRPConvergence({ ...input, nowMs: 31_000 }).start).toEqual([]);
    expect(planLRPConvergence({ ...input, nowMs: 31_001 }).start).toEqual([{ processGuid: 'web', index: 0, reason: 'stale' }]);
  });

  it('a crashed index restarts at once for crash counts 1-2, after 30 s at 3, never at 200', () => {
    const base = { desired: [{ processGuid: 'web', instances: 1 }], instances: [], inFlight: none };
    const at = (count: number, nowMs: number) => planLRPConvergence({ ...base, nowMs, crashes: new Map([['web.0', { count, crashedAtMs: 0 }]]) });
    expect(at(2, 0).start).toEqual([{ processGuid: 'web', index: 0, reason: 'crashed' }]);
    expect(at(3, 29_999).start).toEqual([]);
    expect(at(3, 29_999).backingOff).toEqual(['web.0']);
    expect(at(3, 30_000).start).toHaveLength(1);
    expect(at(200, 1e12).start).toEqual([]);
  });

  it('evacuation: an evacuating copy is replaced, and stopped only once the replacement runs', () => {
    const desired = [{ processGuid: 'web', instances: 1 }];
    const evac = inst('web', 0, 'old', { evacuating: true });
    expect(planLRPConvergence({ nowMs: 0, desired, instances: [evac], crashes: none, inFlight: none })).toMatchObject({ start: [{ index: 0, reason: 'evacuating' }], stop: [] });
    const starting = inst('web', 0, 'new', { running: false });
    expect(planLRPConvergence({ nowMs: 0, desired, instances: [evac, starting], crashes: none, inFlight: none })).toMatchObject({ start: [], stop: [] });
    const up = inst('web', 0, 'new');
    expect(planLRPConvergence({ nowMs: 0, desired, instances: [evac, up], crashes: none, inFlight: none }).stop.map((s) => [s.cell, s.reason])).toEqual([['old', 'evacuated']]);
  });
});

const task = (guid: string, over: Partial<TaskRecord> = {}): TaskRecord => ({ guid, state: 'PENDING', cell: null, createdAtMs: 0, sentAtMs: null, ...over });

describe('planTaskConvergence (Diego\'s task rules, at most once)', () => {
  const cells = { answered: new Set(['c1', 'c2']), present: new Set(['c1', 'c2']) };

  it('auctions PENDING tasks not in flight; fails those pending for more than 30 minutes, strictly (bbs task_convergence.go)', () => {
    expect(planTaskConvergence({ nowMs: 30 * 60_000, tasks: [task('old')], observed: [], ...cells }).fail).toEqual([]);
    const out = planTaskConvergence({ nowMs: 30 * 60_000 + 1, tasks: [task('new', { createdAtMs: 60_000 }), task('old'), task('sent', { createdAtMs: 60_000, sentAtMs: 30 * 60_000 - 1000 })], observed: [], ...cells });
    expect(out.auction).toEqual(['new']);
    expect(out.fail).toEqual([{ guid: 'old', reason: ERR_TASK_NOT_STARTED }]);
  });

  it('completes a task its cell reports finished, with the result', () => {
    const out = planTaskConvergence({ nowMs: 0, tasks: [task('t', { state: 'RUNNING', cell: 'c1', sentAtMs: 0 })], observed: [{ cell: 'c1', guid: 't', completed: true, failed: true, failureReason: 'exit status 3' }], ...cells });
    expect(out.complete).toEqual([{ guid: 't', cell: 'c1', failed: true, failureReason: 'exit status 3' }]);
  });

  it("fails a RUNNING task whose cell vanished; requeues one its answering cell never got (after 30 s)", () => {
    const tasks = [task('lost', { state: 'RUNNING', cell: 'c9', sentAtMs: 0 }), task('never', { state: 'RUNNING', cell: 'c2', sentAtMs: 0 })];
    expect(planTaskConvergence({ nowMs: 10_000, tasks, observed: [], ...cells })).toMatchObject({ fail: [{ guid: 'lost', reason: ERR_TASK_CELL_DISAPPEARED }], requeue: [] });
    expect(planTaskConvergence({ nowMs: 30_000, tasks, observed: [], ...cells }).requeue).toEqual([]);
    expect(planTaskConvergence({ nowMs: 30_001, tasks, observed: [], ...cells }).requeue).toEqual(['never']);
    // A cell that did not answer this pass (but is still present) is waited for: no requeue.
    expect(planTaskConvergence({ nowMs: 30_001, tasks, observed: [], answered: new Set(['c1']), present: cells.present }).requeue).toEqual([]);
  });

  it('fails a RUNNING task its cell restarted without (a new boot id), at once and never requeued; the same boot waits', () => {
    const tasks = [task('t', { state: 'RUNNING', cell: 'c1', sentAtMs: 0, cellBoot: 'boot-a' })];
    const restarted = planTaskConvergence({ nowMs: 1000, tasks, observed: [], ...cells, boots: new Map([['c1', 'boot-b']]) });
    expect(restarted).toMatchObject({ fail: [{ guid: 't', reason: ERR_TASK_CONTAINER_GONE }], requeue: [] });
    const same = planTaskConvergence({ nowMs: 1000, tasks, observed: [], ...cells, boots: new Map([['c1', 'boot-a']]) });
    expect(same).toMatchObject({ fail: [], requeue: [] });
    // Seen on the new boot (the work reached the cell after its restart): it runs there, once.
    const seen = planTaskConvergence({ nowMs: 1000, tasks, observed: [{ cell: 'c1', guid: 't', completed: false, failed: false, failureReason: '' }], ...cells, boots: new Map([['c1', 'boot-b']]) });
    expect(seen).toMatchObject({ fail: [], requeue: [], remove: [] });
    // A task sent with no boot known falls back to the 30 s rule.
    const unknown = planTaskConvergence({ nowMs: 30_001, tasks: [task('t', { state: 'RUNNING', cell: 'c1', sentAtMs: 0, cellBoot: null })], observed: [], ...cells, boots: new Map([['c1', 'boot-b']]) });
    expect(unknown.requeue).toEqual(['t']);
  });

  it('fails a RUNNING task its cell cancelled (not sent again), however soon; a cancel on another cell does not count', () => {
    const tasks = [task('t', { state: 'RUNNING', cell: 'c1', sentAtMs: 0, cellBoot: 'b' })];
    const out = planTaskConvergence({ nowMs: 1000, tasks, observed: [], ...cells, boots: new Map([['c1', 'b']]), cancelled: new Map([['c1', new Set(['t'])]]) });
    expect(out).toMatchObject({ fail: [{ guid: 't', reason: ERR_TASK_CANCELLED }], requeue: [] });
    const elsewhere = planTaskConvergence({ nowMs: 30_001, tasks, observed: [], ...cells, boots: new Map([['c1', 'b']]), cancelled: new Map([['c2', new Set(['t'])]]) });
    expect(elsewhere).toMatchObject({ fail: [], requeue: ['t'] });
  });

  it('a copy of a task on a cell other than its own, or a task the BBS does not know, is removed, never adopted', () => {
    const out = planTaskConvergence({
      nowMs: 0,
      tasks: [task('t', { state: 'RUNNING', cell: 'c1', sentAtMs: 0 }), task('done', { state: 'COMPLETED', cell: 'c1' })],
      observed: [{ cell: 'c2', guid: 't', completed: false, failed: false, failureReason: '' }, { cell: 'c1', guid: 'stranger', completed: false, failed: false, failureReason: '' }, { cell: 'c1', guid: 'done', completed: true, failed: false, failureReason: '' }],
      ...cells,
    });
    expect(out.remove).toEqual([{ guid: 't', cell: 'c2' }, { guid: 'stranger', cell: 'c1' }, { guid: 'done', cell: 'c1' }]);
    expect(out.complete).toEqual([]);
  });
});
