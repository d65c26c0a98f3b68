// The core's convergence decision, rule by rule (Diego's bbs lrp_convergence.go and
// task_convergence.go), with the boundaries where a rule is strict.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideLRPGroup, decideTask, LRP_ACTION, lrpGroupDueFrom, TASK_ACTION, type LRPGroupView, type LRPRecordView, type TaskRecordView } from '../../../src/core/convergence/decide.js';
import { CONVERGENCE_DEFAULTS, type LRPState } from '../../../src/core/convergence/states.js';

const rec = (state: LRPState, cell = 'c1', since = 0, crashCount = 0): LRPRecordView => ({ state, cell, since, crashCount });
const group = (ordinary: LRPRecordView | null, over: Partial<LRPGroupView> = {}): LRPGroupView => ({ ordinary, evacuating: null, suspect: null, ...over });
const all = () => true;
const without = (...gone: string[]) => (cell: string) => !gone.includes(cell);
const STALE = 30_000;
const decide = (g: LRPGroupView, opts: { index?: number; instances?: number; present?: (c: string) => boolean; now?: number } = {}) =>
  decideLRPGroup(g, opts.index ?? 0, opts.instances ?? 1, opts.present ?? all, opts.now ?? 100_000, STALE);

describe('decideLRPGroup', () => {
  it('leaves a running index on a present cell alone', () => {
    expect(decide(group(rec('RUNNING')))).toBe(LRP_ACTION.NONE);
    expect(decide(group(rec('CLAIMED')))).toBe(LRP_ACTION.NONE);
  });

  it('retires an index beyond the instance count or of an app no longer desired, and drops the group when nothing is left', () => {
    expect(decide(group(rec('RUNNING')), { index: 1, instances: 1 })).toBe(LRP_ACTION.RETIRE | LRP_ACTION.DROP_GROUP);
    expect(decide(group(rec('RUNNING')), { instances: -1 })).toBe(LRP_ACTION.RETIRE | LRP_ACTION.DROP_GROUP);
    // An evacuating copy keeps the group.
    expect(decide(group(rec('RUNNING'), { evacuating: rec('RUNNING', 'c2') }), { instances: -1 })).toBe(LRP_ACTION.RETIRE);
  });

  it('makes a claimed or running ORDINARY on a vanished cell SUSPECT and replaces it', () => {
    expect(decide(group(rec('RUNNING')), { present: without('c1') })).toBe(LRP_ACTION.SUSPECT_AND_REPLACE);
    expect(decide(group(rec('CLAIMED')), { present: without('c1') })).toBe(LRP_ACTION.SUSPECT_AND_REPLACE);
    // An UNCLAIMED record has no cell to lose.
    expect(decide(group(rec('UNCLAIMED', '', 90_000)), { present: without('c1') })).toBe(LRP_ACTION.NONE);
  });

  it('a second lost cell while a SUSPECT copy is still away: the ORDINARY is unclaimed and auctioned, the first SUSPECT kept (bbs KeysWithMissingCells)', () => {
    const g = group(rec('RUNNING', 'c2', 0, 2), { suspect: rec('RUNNING', 'c1') });
    expect(decide(g, { present: without('c1', 'c2') })).toBe(LRP_ACTION.UNCLAIM_LOST);
    // Without a suspect away, the same loss makes it SUSPECT.
    expect(decide(group(rec('RUNNING', 'c2', 0, 2)), { present: without('c1', 'c2') })).toBe(LRP_ACTION.SUSPECT_AND_REPLACE);
  });

  it('auctions an UNCLAIMED index again only when older than the stale limit, strictly', () => {
    expect(decide(group(rec('UNCLAIMED', '', 70_000)), { now: 100_000 })).toBe(LRP_ACTION.NONE);
    expect(decide(group(rec('UNCLAIMED', '', 69_999)), { now: 100_000 })).toBe(LRP_ACTION.REAUCTION_STALE);
  });

  it("restarts a crashed index when Diego's backoff allows: at once for counts 1-2, 30 s at 3, never at 200", () => {
    expect(decide(group(rec('CRASHED', 'c1', 100_000, 2)))).toBe(LRP_ACTION.RESTART_CRASHED);
    expect(decide(group(rec('CRASHED', 'c1', 100_000, 3)), { now: 100_000 })).toBe(LRP_ACTION.NONE);
    expect(decide(group(rec('CRASHED', 'c1', 100_000, 3)), { now: 130_000 })).toBe(LRP_ACTION.RESTART_CRASHED);
    expect(decide(group(rec('CRASHED', 'c1', 0, 200)), { now: 1e12 })).toBe(LRP_ACTION.NONE);
  });

  it('a suspect whose cell is back: promoted if the replacement is not running, dropped if it is', () => {
    const suspect = rec('RUNNING', 'old');
    expect(decide(group(rec('UNCLAIMED', '', 99_000), { suspect }))).toBe(LRP_ACTION.PROMOTE_SUSPECT);
    expect(decide(group(rec('CLAIMED', 'new'), { suspect }))).toBe(LRP_ACTION.PROMOTE_SUSPECT);
    expect(decide(group(null, { suspect }))).toBe(LRP_ACTION.PROMOTE_SUSPECT);
    expect(decide(group(rec('RUNNING', 'new'), { suspect }))).toBe(LRP_ACTION.DROP_SUSPECT);
    // Still away: kept as it is.
    expect(decide(group(rec('UNCLAIMED', '', 99_000), { suspect }), { present: without('old') })).toBe(LRP_ACTION.NONE);
    // Promoted, then judged as the ORDINARY it became: beyond the instance count it is retired.
    expect(decide(group(rec('UNCLAIMED', '', 99_000), { suspect }), { index: 3, instances: 2 })).toBe(LRP_ACTION.PROMOTE_SUSPECT | LRP_ACTION.RETIRE | LRP_ACTION.DROP_GROUP);
  });

  it('forgets an evacuating copy whose cell is gone, and drops a group left empty', () => {
    expect(decide(group(null, { evacuating: rec('RUNNING', 'e') }), { present: without('e') })).toBe(LRP_ACTION.FORGET_EVACUATING | LRP_ACTION.DROP_GROUP);
    expect(decide(group(null, { evacuating: rec('RUNNING', 'e') }))).toBe(LRP_ACTION.NONE);
    expect(decide(group(null))).toBe(LRP_ACTION.DROP_GROUP);
  });
});

const task = (over: Partial<TaskRecordView>): TaskRecordView => ({ state: 'PENDING', cell: '', createdAt: 0, updatedAt: 0, completedAt: 0, ...over });

describe('decideTask', () => {
  const limits = CONVERGENCE_DEFAULTS;
  it('fails a PENDING task older than 30 minutes (strictly) and auctions the others', () => {
    expect(decideTask(task({}), all, 30 * 60_000, limits)).toBe(TASK_ACTION.AUCTION);
    expect(decideTask(task({}), all, 30 * 60_000 + 1, limits)).toBe(TASK_ACTION.FAIL_EXPIRED);
  });

  it('fails a RUNNING task whose cell is gone', () => {
    expect(decideTask(task({ state: 'RUNNING', cell: 'c1' }), all, 0, limits)).toBe(TASK_ACTION.NONE);
    expect(decideTask(task({ state: 'RUNNING', cell: 'c1' }), without('c1'), 0, limits)).toBe(TASK_ACTION.FAIL_CELL_GONE);
  });

  it('demotes a RESOLVING task stuck for longer than 30 s; deletes a COMPLETED one once older than its retention (strictly)', () => {
    expect(decideTask(task({ state: 'RESOLVING', updatedAt: 0 }), all, 30_000, limits)).toBe(TASK_ACTION.NONE);
    expect(decideTask(task({ state: 'RESOLVING', updatedAt: 0 }), all, 30_001, limits)).toBe(TASK_ACTION.DEMOTE_RESOLVING);
    expect(decideTask(task({ state: 'COMPLETED', completedAt: 0 }), all, 120_000, limits)).toBe(TASK_ACTION.NONE);
    expect(decideTask(task({ state: 'COMPLETED', completedAt: 0 }), all, 120_001, limits)).toBe(TASK_ACTION.DELETE_COMPLETED);
  });
});

describe('lrpGroupDueFrom', () => {
  it('is a time before which decideLRPGroup does nothing, and by which it acts, for a record waiting on time alone', () => {
    fc.assert(
      fc.property(fc.constantFrom('UNCLAIMED' as const, 'CRASHED' as const), fc.double({ min: 0, max: 1e8, noNaN: true }), fc.nat(210), fc.integer({ min: 0, max: 600_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (state, since, crashCount, staleMs, f) => {
        const g = { ordinary: { state, cell: '', since, crashCount }, evacuating: null, suspect: null };
        const from = lrpGroupDueFrom(g, staleMs);
        const decide = (now: number) => decideLRPGroup(g, 0, Number.MAX_SAFE_INTEGER, () => true, now, staleMs);
        if (from === Infinity) {
          expect(decide(since + 1e9)).toBe(LRP_ACTION.NONE);
          return;
        }
        // Any time before it: nothing to do; a moment past the exact threshold: the action.
        if (from > since) expect(decide(since + f * (from - since))).toBe(LRP_ACTION.NONE);
        expect(decide(from + 2)).not.toBe(LRP_ACTION.NONE);
      }),
    );
  });

  it('is -1 for a group whose decision turns on more than time', () => {
    const rec = { state: 'CRASHED' as const, cell: '', since: 0, crashCount: 5 };
    expect(lrpGroupDueFrom({ ordinary: null, evacuating: null, suspect: null }, 30_000)).toBe(-1);
    expect(lrpGroupDueFrom({ ordinary: rec, evacuating: null, suspect: { ...rec, state: 'RUNNING', cell: 'c' } }, 30_000)).toBe(-1);
    expect(lrpGroupDueFrom({ ordinary: { ...rec, state: 'RUNNING', cell: 'c' }, evacuating: null, suspect: null }, 30_000)).toBe(-1);
  });
});
