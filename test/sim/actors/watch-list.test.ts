import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WatchList } from '../../../src/sim/actors/watch-list.js';

interface Member {
  readonly id: number;
  watchAt: number;
}

// One step of a script: add or remove a member, or walk the list, and during the walk, at each
// member visited, add and remove others (by the visit's count, so the script is the same for both).
type Op = { kind: 'add' | 'delete'; id: number } | { kind: 'walk'; during: { kind: 'add' | 'delete'; id: number }[] };

const ID = fc.integer({ min: 0, max: 40 });
const change = fc.record({ kind: fc.constantFrom<'add' | 'delete'>('add', 'delete'), id: ID });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: change },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant<'walk'>('walk'), during: fc.array(change, { maxLength: 30 }) }) },
);

// The same script on a list and on a Set: what each walk visits, in order, and the order at the end.
function play(ops: readonly Op[]): { list: number[][]; set: number[][] } {
  const members = Array.from({ length: 41 }, (_, id): Member => ({ id, watchAt: -1 }));
  const list = new WatchList<Member>();
  const set = new Set<Member>();
  const out = { list: [] as number[][], set: [] as number[][] };
  for (const o of ops) {
    if (o.kind !== 'walk') {
      const m = members[o.id] as Member;
      if (o.kind === 'add') {
        list.add(m);
        set.add(m);
      } else expect(list.delete(m)).toBe(set.delete(m));
      continue;
    }
    for (const [name, s] of [['list', list], ['set', set]] as const) {
      const seen: number[] = [];
      let k = 0;
      s.forEach((m: Member) => {
        seen.push(m.id);
        // The changes a visit makes, in turn (at most a couple of hundred visits: the list stays bounded).
        const c = o.during[k++ % Math.max(1, o.during.length)];
        if (c === undefined || k > 200) return;
        const x = members[c.id] as Member;
        if (c.kind === 'add') s.add(x);
        else s.delete(x);
      });
      out[name].push(seen);
    }
  }
  const seen: number[] = [];
  list.forEach((m) => seen.push(m.id));
  out.list.push(seen);
  out.set.push([...set].map((m) => m.id));
  for (const m of members) expect(list.has(m)).toBe(set.has(m));
  expect(list.size).toBe(set.size);
  return out;
}

describe('WatchList', () => {
  it('adds, removes and walks its members exactly as a Set does, changes made during a walk too', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const { list, set } = play(ops);
        expect(list).toEqual(set);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a member in its place when added again, and moves it to the end when removed and added', () => {
    const [a, b, c] = [0, 1, 2].map((id): Member => ({ id, watchAt: -1 })) as [Member, Member, Member];
    const w = new WatchList<Member>();
    w.add(a).add(b).add(c).add(a);
    const order = () => {
      const ids: number[] = [];
      w.forEach((m) => ids.push(m.id));
      return ids;
    };
    expect(order()).toEqual([0, 1, 2]);
    w.delete(a);
    w.add(a);
    expect(order()).toEqual([1, 2, 0]);
    expect(w.delete(b)).toBe(true);
    expect(w.delete(b)).toBe(false);
    expect(w.has(b)).toBe(false);
    expect(b.watchAt).toBe(-1);
    expect(order()).toEqual([2, 0]);
    expect(w.size).toBe(2);
  });

  it('squeezes out the holes between walks once they outnumber the members, keeping the order', () => {
    const w = new WatchList<Member>();
    const ms = Array.from({ length: 3000 }, (_, id): Member => ({ id, watchAt: -1 }));
    for (const m of ms) w.add(m);
    // Remove all but every hundredth, then add one more: the list compacts before the push.
    ms.forEach((m, i) => i % 100 !== 0 && w.delete(m));
    const extra: Member = { id: 9999, watchAt: -1 };
    w.add(extra);
    expect(extra.watchAt).toBe(30);
    const kept = ms.filter((_, i) => i % 100 === 0);
    kept.forEach((m, i) => expect(m.watchAt).toBe(i));
    const ids: number[] = [];
    w.forEach((m) => ids.push(m.id));
    expect(ids).toEqual([...kept.map((m) => m.id), 9999]);
  });

  it('walks as a Set does when a walk removes thousands and adds more (no compaction under a walk)', () => {
    const list = new WatchList<Member>();
    const set = new Set<Member>();
    const ms = Array.from({ length: 6000 }, (_, id): Member => ({ id, watchAt: -1 }));
    for (const m of ms.slice(0, 3000)) {
      list.add(m);
      set.add(m);
    }
    const walk = (s: WatchList<Member> | Set<Member>) => {
      const seen: number[] = [];
      s.forEach((m: Member) => {
        seen.push(m.id);
        // Each visit removes the member and adds a new one, with thousands of holes behind it.
        s.delete(m);
        if (m.id < 3000 && m.id % 2 === 0) s.add(ms[m.id + 3000] as Member);
      });
      return seen;
    };
    const listSeen = walk(list);
    expect(listSeen).toEqual(walk(set));
    expect(listSeen).toHaveLength(4500);
    expect(list.size).toBe(0);
  });

  it('squeezes out the holes once a walk is over, however few', () => {
    const w = new WatchList<Member>();
    const ms = Array.from({ length: 10 }, (_, id): Member => ({ id, watchAt: -1 }));
    for (const m of ms) w.add(m);
    w.forEach((m) => m.id % 3 === 0 && w.delete(m));
    // Members 1, 2, 4, 5, 7, 8 in order, at positions 0-5: the next member added goes to 6.
    expect([1, 2, 4, 5, 7, 8].map((id) => (ms[id] as Member).watchAt)).toEqual([0, 1, 2, 3, 4, 5]);
    const extra: Member = { id: 10, watchAt: -1 };
    w.add(extra);
    expect(extra.watchAt).toBe(6);
  });

  it('refuses a walk within a walk', () => {
    const w = new WatchList<Member>();
    w.add({ id: 0, watchAt: -1 });
    expect(() => w.forEach(() => w.forEach(() => undefined))).toThrow(/walk within a walk/);
    // The list is usable afterwards.
    let n = 0;
    w.forEach(() => n++);
    expect(n).toBe(1);
  });
});
