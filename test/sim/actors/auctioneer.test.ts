import { describe, expect, it } from 'vitest';
import { buildBatch } from '../../../src/core/batch.js';
import type { LRPStartRequest } from '../../../src/core/model/requests.js';
import type { AuctionOutcome } from '../../../src/core/strategy.js';
import { accountingProblem } from '../../../src/sim/actors/auctioneer.js';

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
