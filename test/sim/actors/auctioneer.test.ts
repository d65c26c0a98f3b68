import { describe, expect, it } from 'vitest';
import { buildBatch } from '../../../src/core/batch.js';
import { AppNumbers } from '../../../src/core/rep/app-numbers.js';
import type { LRPStartRequest } from '../../../src/core/model/requests.js';
import type { AuctionOutcome, Strategy } from '../../../src/core/strategy.js';
import type { AuctionBatch } from '../../../src/core/model/auctions.js';
import { streamFor } from '../../../src/core/random.js';
import { AuctioneerLock, type AuctioneerWorld, accountingProblem, SimAuctioneer } from '../../../src/sim/actors/auctioneer.js';
import { Kernel } from '../../../src/sim/kernel/kernel.js';
import { type Endpoint, Network } from '../../../src/sim/network.js';
import type { ServiceTimes } from '../../../src/sim/scenario-types.js';
import type { Reply } from '../../../src/core/protocol/messages.js';
import type { CellState, LRP } from '../../../src/core/model/cell-state.js';
import { emptyCellState } from '../../../src/core/model/empty-cell.js';

const req = (guid: string, indices: number[]): LRPStartRequest => ({
  process_guid: guid,
  domain: 'd',
  indices,
  PlacementTags: [],
  VolumeDrivers: [],
  RootFs: 'preloaded:cflinuxfs4',
  MemoryMB: 64,
  DiskMB: 64,
  MaxPids: 0,
});

// An auctioneer's world with nothing in it but a kernel, a network (1 ms each way) and the lock;
// `over` replaces any part.
function worldOf(kernel: Kernel, over: Partial<AuctioneerWorld> = {}): AuctioneerWorld {
  const apps = new AppNumbers();
  return {
    kernel,
    network: new Network(kernel, { latency: { kind: 'constant', value: 1 }, loss: 0, timeoutMs: 10_000 }, streamFor(1, 'net')),
    lock: new AuctioneerLock(),
    presentCells: () => [],
    endpoint: () => undefined,
    auctionFinished: () => undefined,
    accountingError: () => undefined,
    statesFetched: () => undefined,
    scenario: { serviceTime: null },
    queueEmptied: () => undefined,
    appNumbers: { no: (processGuid: string) => apps.no(processGuid) },
    ...over,
  };
}

// A strategy that fails every auction of its batch (handing the batch to `seen` first).
function failing(opts: { fetchesStateFirst?: boolean; seen?: (batch: AuctionBatch) => void }): Strategy {
  return {
    name: 'failing',
    summary: 'fails its batch',
    settings: [],
    ...(opts.fetchesStateFirst ? { fetchesStateFirst: true } : {}),
    // eslint-disable-next-line require-yield
    *auction(batch: AuctionBatch): Generator<never, AuctionOutcome, unknown> {
      opts.seen?.(batch);
      return { placed: [], failed: batch.lrps.map((auction) => ({ auction, reason: 'r' })), cellsScored: 0 };
    },
  };
}

describe('accountingProblem (every auction of a batch ends exactly once)', () => {
  const { batch } = buildBatch([req('a', [0, 1]), req('b', [0])], []);
  const [a0, a1, b0] = batch.lrps as [(typeof batch.lrps)[number], (typeof batch.lrps)[number], (typeof batch.lrps)[number]];
  const outcome = (placed: (typeof batch.lrps)[number][], failed: (typeof batch.lrps)[number][]): AuctionOutcome => ({
    placed: placed.map((auction) => ({ auction, cell: 'c', confirmed: true })),
    failed: failed.map((auction) => ({ auction, reason: 'r' })),
    cellsScored: 0,
  });

  it('is satisfied when each auction is placed or failed once', () => {
    expect(accountingProblem(batch, outcome([a0, b0], [a1]))).toBeNull();
    // The same batch checked again (a retry of the check) is still fine.
    expect(accountingProblem(batch, outcome([a1], [a0, b0]))).toBeNull();
  });

  it('names an auction ended twice and one never ended, even when the counts match', () => {
    expect(accountingProblem(batch, outcome([a0, a0], [b0]))).toBe('ended more than once: a.0; never ended: a.1');
  });

  it('names auctions never ended when some are missing', () => {
    expect(accountingProblem(batch, outcome([a0], []))).toBe('never ended: a.1 b.0');
  });

  it('does not count an auction from another batch', () => {
    const other = buildBatch([req('z', [0])], []).batch.lrps[0] as (typeof batch.lrps)[number];
    expect(accountingProblem(batch, outcome([a0, a1, other], []))).toBe('never ended: b.0');
  });
});

describe('SimAuctioneer batches', () => {
  // An auctioneer alone (no cells) with a strategy that records each batch and fails it.
  function setup() {
    const kernel = new Kernel({ seed: 1 });
    const batches: AuctionBatch[] = [];
    const problems: string[] = [];
    const world = worldOf(kernel, { accountingError: (d: string) => problems.push(d) });
    const a = new SimAuctioneer('auctioneer-0', world, failing({ seen: (batch) => batches.push(batch) }), {}, streamFor(1, 'a'), 15_000, 5_000);
    kernel.run(0); // takes the lock
    return { kernel, a, batches, problems };
  }

  it('drops repeats across two submits that each vouched for themselves (they may overlap)', () => {
    const { kernel, a, batches, problems } = setup();
    a.submit([req('a', [0, 1])], [], true);
    a.submit([req('a', [1, 2]), req('b', [0])], [], true);
    kernel.run(1);
    expect(batches.map((b) => b.lrps.map((l) => l.id))).toEqual([['a.0', 'a.1', 'a.2', 'b.0']]);
    expect(problems).toEqual([]);
  });

  it('trusts a single submit that vouched for itself, and checks one that did not', () => {
    const { kernel, a, batches } = setup();
    a.submit([req('a', [0]), req('b', [0])], [], true);
    kernel.run(1);
    a.submit([req('c', [0]), req('c', [0])], [], false);
    kernel.run(2);
    expect(batches.map((b) => b.lrps.map((l) => l.id))).toEqual([['a.0', 'b.0'], ['c.0']]);
  });

  it('trusts submits that promised alike to repeat none of the others, and checks across any that promised otherwise', () => {
    const { kernel, a, batches } = setup();
    // The same number: a promise, so nothing is looked for (a broken one shows: the repeat stays).
    a.submit([req('a', [0])], [], true, [], 7);
    a.submit([req('b', [0]), req('a', [0])], [], true, [], 7);
    kernel.run(1);
    // Different numbers, or one submit with none: repeats across them are dropped as before.
    a.submit([req('c', [0])], [], true, [], 8);
    a.submit([req('c', [0]), req('d', [0])], [], true, [], 9);
    kernel.run(2);
    a.submit([req('e', [0])], [], true, [], 10);
    a.submit([req('e', [0])], [], true);
    a.submit([req('f', [0])], [], true, [], 10);
    kernel.run(3);
    // A promise holds until the queue is emptied: the next queue starts afresh (trusted again).
    a.submit([req('g', [0])], [], true, [], 11);
    a.submit([req('g', [0]), req('h', [0])], [], true, [], 11);
    kernel.run(4);
    expect(batches.map((b) => b.lrps.map((l) => l.id))).toEqual([['a.0', 'b.0', 'a.0'], ['c.0', 'd.0'], ['e.0', 'f.0'], ['g.0', 'g.0', 'h.0']]);
  });

  it('with three vouched submits, the largest in the middle, drops repeats on either side of it; one unvouched submit checks all', () => {
    const { kernel, a, batches } = setup();
    a.submit([req('a', [0])], [], true);
    a.submit([req('a', [0, 1]), req('b', [0]), req('c', [0, 1])], [], true);
    a.submit([req('c', [1]), req('d', [0]), req('a', [0])], [], true);
    kernel.run(1);
    a.submit([req('x', [0])], [], true);
    a.submit([req('y', [0]), req('y', [0]), req('x', [0])], [], false);
    kernel.run(2);
    expect(batches.map((b) => b.lrps.map((l) => l.id))).toEqual([
      ['a.0', 'a.1', 'b.0', 'c.0', 'c.1', 'd.0'],
      ['x.0', 'y.0'],
    ]);
  });
});


describe('SimAuctioneer scheduling time (a strategy that decides on the fetched states)', () => {
  // Two cells answering every state request with a fixed state (instances and tasks on each), and a
  // strategy that fetches first and fails its batch: the outcome arrives once the scheduling time is
  // spent, so its time tells what the batch was charged.
  function finishedAt(serviceTime: ServiceTimes): number {
    const kernel = new Kernel({ seed: 1 });
    const lrp = (i: number): LRP => ({ process_guid: `p${i}`, index: 0, instance_guid: `g${i}`, domain: 'd', PlacementTags: [], VolumeDrivers: [], RootFs: 'preloaded:x', MemoryMB: 1, DiskMB: 1, MaxPids: 0, state: 'RUNNING' });
    const state = (id: string, lrps: number, tasks: number) => ({ ...emptyCellState({ cell_id: id, zone: 'z', memoryMB: 1000, diskMB: 1000, containers: 100 }), LRPs: Array.from({ length: lrps }, (_, i) => lrp(i)), Tasks: Array.from({ length: tasks }, () => ({}) as CellState['Tasks'][number]) });
    const reply = (s: CellState): Reply => ({ kind: 'state', ok: true, state: s });
    const cells: Record<string, Endpoint> = {
      c1: { zone: 'z', alive: true, latencyFactor: 1, handle: () => reply(state('c1', 3, 1)) },
      c2: { zone: 'z', alive: true, latencyFactor: 1, handle: () => reply(state('c2', 5, 0)) },
    };
    let at = -1;
    const world = worldOf(kernel, {
      presentCells: () => ['c1', 'c2'],
      endpoint: (id: string) => cells[id],
      auctionFinished: () => {
        at = kernel.now;
      },
      scenario: { serviceTime },
    });
    const a = new SimAuctioneer('auctioneer-0', world, failing({ fetchesStateFirst: true }), {}, streamFor(1, 'a'), 15_000, 5_000);
    kernel.run(0);
    a.submit([req('a', [0, 1, 2, 3])], [], true);
    kernel.run(100_000);
    return at;
  }
  const times = { schedulingPerAuctionMs: 0, schedulingPerCellMs: 0, schedulingPerInstanceMs: 0, bbsWriteMs: 0, repAllocationMs: 0, convergenceFixedMs: 0, convergencePerRecordMs: 0 };

  it('charges each auction for every instance and task on the fetched cells, and half the batch', () => {
    // The fetch: one request out and its reply back, 1 ms each way.
    const fetched = finishedAt(times);
    expect(fetched).toBe(2);
    // 4 auctions x (3 + 1 + 5 on the cells, plus 4 / 2 the batch adds as it goes) x 10 ms.
    expect(finishedAt({ ...times, schedulingPerInstanceMs: 10 })).toBe(fetched + 4 * (9 + 2) * 10);
    // Per auction and per cell: 4 x (7 + 2 x 100).
    expect(finishedAt({ ...times, schedulingPerAuctionMs: 7, schedulingPerCellMs: 100 })).toBe(fetched + 4 * (7 + 2 * 100));
  });
});
