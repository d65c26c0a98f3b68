import { describe, expect, it } from 'vitest';
import { placementOrder } from '../../src/index.js';
import { batchOf, lrps, task } from '../support/fixtures.js';

const ids = (b: ReturnType<typeof batchOf>) => placementOrder(b).map((a) => a.id);

describe('placement order', () => {
  it('index-0 LRPs go before tasks', () => {
    expect(ids(batchOf([lrps('a', 1)], [task('t')]))).toEqual(['a.0', 't']);
  });

  it('tasks go before index-1 LRPs', () => {
    expect(ids(batchOf([lrps('a', 2)], [task('t')]))).toEqual(['a.0', 't', 'a.1']);
  });

  it('within each group, larger memory goes first (boulders before pebbles)', () => {
    const b = batchOf([lrps('small', 2, 10), lrps('big', 2, 500)], [task('t1', 5), task('t2', 50)]);
    expect(ids(b)).toEqual(['big.0', 'small.0', 't2', 't1', 'big.1', 'small.1']);
  });

  it('higher indices follow in index order, each by memory descending', () => {
    const b = batchOf([lrps('a', 3, 10), lrps('b', 2, 20)]);
    expect(ids(b)).toEqual(['b.0', 'a.0', 'b.1', 'a.1', 'a.2']);
  });

  it('equal keys keep their arrival order', () => {
    expect(ids(batchOf([lrps('x', 1), lrps('y', 1), lrps('z', 1)]))).toEqual(['x.0', 'y.0', 'z.0']);
  });
});
