import { checkStrategy } from 'auctionlab/testing';
import { describe, expect, it } from 'vitest';
import myStrategy from '../my-strategy.js';

describe('our strategy keeps Diego\'s guarantees', () => {
  it('passes auctionlab\'s safety, liveness and determinism properties', () => {
    const report = checkStrategy(myStrategy, { runs: 25, seed: Number(process.env.CHECK_SEED ?? 1) });
    // On failure, each broken property carries the seed, the replay path and a counterexample.
    expect(report.properties.filter((p) => !p.ok)).toEqual([]);
  }, 120_000);
});
