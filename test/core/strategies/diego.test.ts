import { describe, expect, it } from 'vitest';
import {
  buildBatch,
  diegoStrategy,
  ERR_CELL_COMMUNICATION,
  MemoryRep,
  rejectedAtCommit,
  resolveSettings,
  STATE_FETCH_ATTEMPTS,
  streamFor,
  type AuctionOutcome,
  type Reply,
  type Request,
} from '../../../src/index.js';
import { cell, lrps, task } from '../../support/fixtures.js';

/** Drives the diego protocol with a hand-written network: `answer` decides each reply. */
function drive(cellIds: string[], b: ReturnType<typeof buildBatch>['batch'], answer: (req: Request, round: number) => Reply) {
  const gen = diegoStrategy.auction(b, { cells: cellIds, seed: 0, rng: streamFor(0, 'test') }, resolveSettings(diegoStrategy));
  const outboxes: Request[][] = [];
  let step = gen.next([]);
  while (!step.done) {
    const round = outboxes.length;
    outboxes.push([...step.value]);
    step = gen.next(step.value.map((r) => answer(r, round)));
  }
  return { outcome: step.value as AuctionOutcome, outboxes };
}

const lost = (req: Request): Reply => ({ kind: req.kind, ok: false, error: 'timeout', lost: true });

describe('diego strategy protocol', () => {
  it('fetches every cell\'s state in parallel, then sends one perform per cell with work', () => {
    const reps = new Map(['a', 'b', 'c'].map((id) => [id, new MemoryRep(cell(id))]));
    const { outboxes, outcome } = drive(['a', 'b', 'c'], buildBatch([lrps('app', 2)], [task('t')]).batch, (req) => reps.get(req.cell)!.handle(req));
    expect(outboxes[0]!.map((r) => `${r.kind}:${r.cell}`)).toEqual(['state:a', 'state:b', 'state:c']);
    expect(outboxes[1]!.every((r) => r.kind === 'perform')).toBe(true);
    expect(new Set(outboxes[1]!.map((r) => r.cell)).size).toBe(outboxes[1]!.length);
    expect(outcome.placed).toHaveLength(3);
    expect(outcome.placed.every((p) => p.confirmed)).toBe(true);
  });

  it('retries the state fetch up to 4 times in all, then fails every auction', () => {
    const { outboxes, outcome } = drive(['a'], buildBatch([lrps('app', 1)], [task('t')]).batch, lost);
    expect(outboxes).toHaveLength(STATE_FETCH_ATTEMPTS);
    expect(outcome.failed.map((f) => f.reason)).toEqual([ERR_CELL_COMMUNICATION, ERR_CELL_COMMUNICATION]);
  });

  it('a later fetch attempt that answers is used', () => {
    const rep = new MemoryRep(cell('a'));
    const { outcome } = drive(['a'], buildBatch([lrps('app', 1)], []).batch, (req, round) => (round < 2 ? lost(req) : rep.handle(req)));
    expect(outcome.placed).toHaveLength(1);
  });

  it('with no cells at all, every auction fails at once with the communication error', () => {
    const { outboxes, outcome } = drive([], buildBatch([lrps('app', 1)], []).batch, lost);
    expect(outboxes).toHaveLength(0);
    expect(outcome.failed[0]!.reason).toBe(ERR_CELL_COMMUNICATION);
  });

  it('skips cells that error, evacuate or report another cell id', () => {
    const reps = new Map([
      ['down', new MemoryRep(cell('down'))],
      ['evac', new MemoryRep(cell('evac', { Evacuating: true }))],
      ['liar', new MemoryRep(cell('someone-else'))],
      ['good', new MemoryRep(cell('good'))],
    ]);
    const { outcome } = drive([...reps.keys()], buildBatch([lrps('app', 3)], []).batch, (req) =>
      req.cell === 'down' ? lost(req) : reps.get(req.cell)!.handle(req),
    );
    expect(outcome.placed.map((p) => p.cell)).toEqual(['good', 'good', 'good']);
  });

  it('work a cell turns down at commit fails with the cell named', () => {
    const { outcome } = drive(['a'], buildBatch([lrps('app', 1)], []).batch, (req) => {
      if (req.kind === 'state') return { kind: 'state', ok: true, state: cell('a') };
      if (req.kind === 'perform') return { kind: 'perform', ok: true, failed: req.work };
      return lost(req);
    });
    expect(outcome.placed).toHaveLength(0);
    expect(outcome.failed[0]!.reason).toBe(rejectedAtCommit('a'));
  });

  it('a perform with no reply reports nothing failed: the work counts as placed, unconfirmed', () => {
    const { outcome } = drive(['a'], buildBatch([lrps('app', 1)], []).batch, (req) =>
      req.kind === 'state' ? { kind: 'state', ok: true, state: cell('a') } : lost(req),
    );
    expect(outcome.failed).toHaveLength(0);
    expect(outcome.placed).toEqual([expect.objectContaining({ cell: 'a', confirmed: false })]);
  });

  it('an empty batch sends nothing', () => {
    const { outboxes, outcome } = drive(['a'], { lrps: [], tasks: [] }, lost);
    expect(outboxes).toHaveLength(0);
    expect(outcome).toEqual({ placed: [], failed: [], cellsScored: 0 });
  });
});
