import { describe, expect, it } from 'vitest';
import { GroupTimes } from '../../../src/sim/actors/group-times.js';

describe('GroupTimes', () => {
  it('gives each group two doubles of its own, NaN until set, 4,096 groups to a chunk', () => {
    const times = new GroupTimes();
    const slots: { chunk: Float64Array; at: number }[] = [];
    for (let i = 0; i < 4_097; i++) {
      const at = times.take();
      slots.push({ chunk: times.current, at });
    }
    // Two apart within a chunk, from 0; a new chunk (from 0 again) for the 4,097th.
    expect(slots.slice(0, 3).map((s) => s.at)).toEqual([0, 2, 4]);
    expect(slots[4_095]!.at).toBe(8_190);
    expect(slots[4_096]!.at).toBe(0);
    expect(slots[4_096]!.chunk).not.toBe(slots[0]!.chunk);
    expect(slots[4_095]!.chunk).toBe(slots[0]!.chunk);
    expect([slots[0]!.chunk[0], slots[0]!.chunk[1], slots[4_096]!.chunk[1]]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    // No two groups share a slot.
    const seen = new Set<string>();
    const ids = new Map<Float64Array, number>();
    for (const s of slots) {
      if (!ids.has(s.chunk)) ids.set(s.chunk, ids.size);
      seen.add(`${ids.get(s.chunk)}/${s.at}`);
    }
    expect(seen.size).toBe(4_097);
  });

  it('makes no chunk before the first slot is taken', () => {
    expect(new GroupTimes().current.length).toBe(0);
  });
});
