import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdWindow } from '../../src/sim/id-window.js';

describe('IdWindow', () => {
  it('answers as a Map by id would, for increasing ids with gaps, deletes in any order and replacements', () => {
    // Operations: set the next id (after a gap), delete one of the live ids (by position), replace one.
    const op = fc.oneof(
      fc.record({ set: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ del: fc.nat() }),
      fc.record({ replace: fc.nat() }),
      fc.record({ delAbsent: fc.integer({ min: -5, max: 10 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const w = new IdWindow<string>();
        const m = new Map<number, string>();
        let next = 0;
        for (const o of ops) {
          if ('set' in o) {
            next += o.set;
            w.set(next, `v${next}`);
            m.set(next, `v${next}`);
          } else if ('del' in o) {
            const live = [...m.keys()];
            if (live.length === 0) continue;
            const id = live[o.del % live.length] as number;
            expect(w.delete(id)).toBe(true);
            m.delete(id);
          } else if ('replace' in o) {
            const live = [...m.keys()];
            if (live.length === 0) continue;
            const id = live[o.replace % live.length] as number;
            w.set(id, `r${id}`);
            m.set(id, `r${id}`);
          } else {
            // An id that holds nothing: below, between or above the live ones.
            const id = next + o.delAbsent;
            expect(w.delete(id)).toBe(m.delete(id));
          }
          expect(w.size).toBe(m.size);
        }
        for (let id = -2; id <= next + 2; id++) expect(w.get(id)).toBe(m.get(id));
        const seen: [number, string][] = [];
        w.forEach((v, id) => seen.push([id, v]));
        expect(seen).toEqual([...m].sort((a, b) => a[0] - b[0]));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a long run of short-lived ids in a short array (compacts its absent prefix)', () => {
    const w = new IdWindow<number>();
    // Ids come and go, ten live at a time: the window spans only what is live.
    // Every third id only (the others went to someone else: gaps the window must step over).
    for (let id = 0; id < 600_000; id += 3) {
      w.set(id, id);
      if (id >= 30) w.delete(id - 30);
    }
    expect(w.size).toBe(10);
    expect(w.get(599_997)).toBe(599_997);
    expect(w.get(599_967)).toBeUndefined();
    expect(w.get(599_998)).toBeUndefined();
    // The array behind it is no longer than a few thousand slots (it would be 200,000 without compaction).
    expect((w as unknown as { slots: unknown[] }).slots.length).toBeLessThan(4096);
  });

  it('refuses an id not above the last one set (unless it is live), and bad ids', () => {
    const w = new IdWindow<string>();
    w.set(5, 'a');
    w.set(9, 'b');
    expect(() => w.set(7, 'x')).toThrow(RangeError);
    expect(() => w.set(-1, 'x')).toThrow(RangeError);
    expect(() => w.set(1.5, 'x')).toThrow(RangeError);
    expect(() => w.set(Number.NaN, 'x')).toThrow(RangeError);
    expect(() => w.set(10, undefined as unknown as string)).toThrow(RangeError);
    w.set(9, 'c');
    expect(w.get(9)).toBe('c');
    w.delete(5);
    w.delete(9);
    // Empty now: still no going back.
    expect(() => w.set(9, 'x')).toThrow(RangeError);
    w.set(10, 'd');
    expect(w.get(10)).toBe('d');
    expect(w.get(9)).toBeUndefined();
  });
});
