import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { shuffleInPlace, streamFor } from '../../src/core/random.js';

describe('streamFor', () => {
  it("gives, number for number, what seedrandom's tychei gives for `<seed>/<actor>`", () => {
    for (const [seed, actor] of [
      [1, 'network'],
      [0, 'cells'],
      [42, 'auctioneer-0'],
      [2 ** 31 + 7, 'kernel/ties'],
      [-3, ''],
    ] as const) {
      const ours = streamFor(seed, actor);
      const theirs = seedrandom.tychei(`${seed}/${actor}`);
      for (let i = 0; i < 10_000; i++) {
        const want = theirs.quick();
        expect(ours.next()).toBe(want);
      }
      const againOurs = streamFor(seed, actor);
      const againTheirs = seedrandom.tychei(`${seed}/${actor}`);
      for (let i = 0; i < 1000; i++) expect(againOurs.int(1000)).toBe(Math.floor(againTheirs.quick() * 1000));
    }
  });

  it('gives different streams to different actors and seeds, in [0, 1)', () => {
    const a = Array.from({ length: 5 }, ((r) => () => r.next())(streamFor(1, 'a')));
    const b = Array.from({ length: 5 }, ((r) => () => r.next())(streamFor(1, 'b')));
    const c = Array.from({ length: 5 }, ((r) => () => r.next())(streamFor(2, 'a')));
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
    for (const x of [...a, ...b, ...c]) expect(x >= 0 && x < 1).toBe(true);
  });

  it('shuffles deterministically for a stream', () => {
    const x = shuffleInPlace(streamFor(3, 's'), [1, 2, 3, 4, 5, 6]);
    const y = shuffleInPlace(streamFor(3, 's'), [1, 2, 3, 4, 5, 6]);
    expect(x).toEqual(y);
    expect([...x].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('a forked stream', () => {
  it('draws the numbers the stream will draw, and leaves the stream where it was', () => {
    const s = streamFor(9, 'auctioneer');
    s.next();
    const f = s.fork!();
    const ahead = [f.next(), f.next(), f.int(100)];
    expect([s.next(), s.next(), s.int(100)]).toEqual(ahead);
  });
});
