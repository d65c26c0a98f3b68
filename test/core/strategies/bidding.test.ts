import { describe, expect, it } from 'vitest';
import { buildBatch, resolveSettings, schedule, STRATEGIES, streamFor } from '../../../src/index.js';
import { counted } from '../../support/counting-driver.js';
import { cell, cellWith, lrps, running } from '../../support/fixtures.js';


const empty = (n: number) => Array.from({ length: n }, (_, i) => cell(`c${String(i).padStart(2, '0')}`, { memory: 1000 }));

describe("Diego's 2014 bidding algorithms", () => {
  it('pick_best: the lowest bid of the pool wins', () => {
    const cells = [...empty(11).map((c, i) => cellWith(c.cell_id, [running('x', i, 500)], { memory: 1000 })), cell('idle', { memory: 1000 })];
    const { outcome } = counted('pick_best', cells, [lrps('app', 1)], { poolFraction: 1 });
    expect(outcome.placed.map((p) => p.cell)).toEqual(['idle']);
  });

  it('pick_among_best only chooses among the best 5', () => {
    const best = empty(5).map((c, i) => cell(`best${i}`, { memory: 1000 }));
    const rest = empty(7).map((c, i) => cellWith(`busy${i}`, [running('x', i, 600)], { memory: 1000 }));
    const winners = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const { outcome } = counted('pick_among_best', [...best, ...rest], [lrps('app', 1)], { poolFraction: 1 }, seed);
      winners.add(outcome.placed[0]!.cell);
    }
    expect([...winners].every((w) => w.startsWith('best'))).toBe(true);
    expect(winners.size).toBeGreaterThan(1);
  });

  it('reserve_n_best reserves on the best 5 and releases all but the winner', () => {
    const { outcome, counts } = counted('reserve_n_best', empty(12), [lrps('app', 1)], { poolFraction: 1 });
    expect(outcome.placed).toHaveLength(1);
    // The pool bids; the reservations answer with recast bids, so nobody bids again.
    expect([counts['bid'], counts['reserve'], counts['release'], counts['claim']]).toEqual([12, 5, 4, 1]);
  });

  it('all_reserve reserves on the whole pool without a bidding round (the reservations answer with recast bids)', () => {
    const { counts } = counted('all_reserve', empty(12), [lrps('app', 1)], { poolFraction: 1 });
    expect([counts['bid'] ?? 0, counts['reserve'], counts['release'], counts['claim']]).toEqual([0, 12, 11, 1]);
  });

  it('all_rebid: the winner reserves (its reply is its recast bid) while every runner-up bids again', () => {
    const { outcome, counts } = counted('all_rebid', empty(12), [lrps('app', 1)], { poolFraction: 1 });
    expect(outcome.placed).toHaveLength(1);
    // Diego 2014's all_revote: pool + reserve + the other 11 + claim = 12 + 1 + 11 + 1 messages.
    expect([counts['bid'], counts['reserve'], counts['claim']]).toEqual([12 + 11, 1, 1]);
  });

  it('all_rebid repeats when a runner-up now beats the winner', () => {
    // A scripted network: the winner's recast bid (its reservation's reply) comes back stale (0.5)
    // while the runner-up, asked in the same step, still bids 0.1.
    const strategy = STRATEGIES.get('all_rebid')!;
    const gen = strategy.auction(buildBatch([lrps('app', 1)], []).batch, { cells: ['c00', 'c01'], seed: 1, rng: streamFor(1, 'a') }, resolveSettings(strategy, { poolFraction: 1, minPool: 2 }));
    const seen: string[] = [];
    let step = gen.next([]);
    let recasts = 0;
    while (!step.done) {
      const outbox = step.value;
      const replies = outbox.map((r) => {
        seen.push(`${r.kind}:${r.cell}`);
        if (r.kind === 'bid') return { kind: 'bid' as const, ok: true as const, bid: r.cell === 'c00' ? 0 : 0.1 };
        if (r.kind === 'reserve') return { kind: 'reserve' as const, ok: true as const, bid: recasts++ === 0 ? 0.5 : 0 };
        return { kind: r.kind as 'release' | 'claim', ok: true as const };
      });
      step = gen.next(replies);
    }
    // Round 1: bids; the winner's reservation (stale recast) with the runner-up's re-bid in the same
    // step; release. Round 2: the same, the winner now holds its place, claim.
    expect(seen.slice(0, 2).sort()).toEqual(['bid:c00', 'bid:c01']); // the pool, in its random order
    expect(seen.slice(2, 5)).toEqual(['reserve:c00', 'bid:c01', 'release:c00']);
    expect(seen.at(-1)).toBe('claim:c00');
    expect(step.value.placed.map((p) => p.cell)).toEqual(['c00']);
  });

  it("compare_to_percentile: the winner's recast bid (its reservation's reply) is checked against the round's bids", () => {
    const { outcome, counts } = counted('compare_to_percentile', empty(12), [lrps('app', 1)], { poolFraction: 1 });
    expect(outcome.placed).toHaveLength(1);
    expect([counts['bid'], counts['reserve'], counts['claim']]).toEqual([12, 1, 1]);
  });

  it('the bidding pool is a fraction of the reps, at least the minimum', () => {
    const { counts } = counted('pick_best', empty(100), [lrps('app', 1)]);
    expect(counts['bid']).toBe(20 + 0); // 0.2 of 100 reps bid; pick_best needs no re-bid
    const small = counted('pick_best', empty(12), [lrps('app', 1)]);
    expect(small.counts['bid']).toBe(10); // at least 10
  });

  it('an auction nobody can take fails after maxRounds with the reps\' reason', () => {
    const r = schedule({ cells: empty(3), lrps: [lrps('huge', 1, 5000)] }, { strategy: 'pick_best', settings: { maxRounds: 3 } });
    expect(r.failures[0]!.reason).toBe('insufficient resources: memory');
  });
});
