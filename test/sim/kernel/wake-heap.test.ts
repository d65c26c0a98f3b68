import { describe, expect, it } from 'vitest';
import { WakeHeap } from '../../../src/sim/kernel/wake-heap.js';

describe('wake heap', () => {
  it('names its earliest wake time, +Infinity when empty, and wakes in time order', () => {
    const h = new WakeHeap<string>();
    expect(h.first).toBe(Infinity);
    h.add('c', 30);
    h.add('a', 10);
    h.add('b', 20);
    expect(h.first).toBe(10);
    const woke: string[] = [];
    h.wake(20, (item) => woke.push(item));
    expect(woke).toEqual(['a', 'b']);
    expect(h.first).toBe(30);
    expect(h.size).toBe(1);
  });
});
