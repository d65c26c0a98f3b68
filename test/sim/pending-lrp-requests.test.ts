import { describe, expect, it } from 'vitest';
import { PendingLRPRequests, type PendingLRPRequest } from '../../src/sim/pending-lrp-requests.js';

const entry = (guid: string): PendingLRPRequest => ({ guid, indices: [0], app: undefined, lookUp: false });

describe('PendingLRPRequests', () => {
  it('finds each app by guid and keeps the order apps were first added, below and past the scan limit', () => {
    for (const n of [1, PendingLRPRequests.SCAN_LIMIT, PendingLRPRequests.SCAN_LIMIT + 1, 100]) {
      const p = new PendingLRPRequests();
      const guids = Array.from({ length: n }, (_, i) => `app-${(i * 7919) % 1000}`);
      for (const g of guids) p.add(entry(g));
      expect(p.size).toBe(n);
      // Found by value, not by the string object it was added with.
      for (const g of guids) expect(p.get(['app-', g.slice(4)].join(''))?.guid).toBe(g);
      expect(p.get('app-none')).toBeUndefined();
      // Prototype names are guids like any other.
      expect(p.get('__proto__')).toBeUndefined();
      expect(p.take().map((e) => e.guid)).toEqual(guids);
    }
  });

  it('holds nothing once taken, and finds only what was added since', () => {
    const p = new PendingLRPRequests();
    for (let i = 0; i < 20; i++) p.add(entry(`a${i}`));
    const first = p.take();
    expect(first).toHaveLength(20);
    expect(p.size).toBe(0);
    expect(p.get('a3')).toBeUndefined();
    p.add(entry('a3'));
    expect(p.get('a3')).not.toBe(first[3]);
    expect(p.take().map((e) => e.guid)).toEqual(['a3']);
    // The list taken before is the caller's: later requests do not reach it.
    expect(first).toHaveLength(20);
  });

  it('answers the entry added, so requests of the instant gather on it', () => {
    const p = new PendingLRPRequests();
    for (const g of ['x', 'constructor', 'toString', 'é-app', '']) p.add(entry(g));
    const e = p.get('toString');
    e?.indices.push(4);
    expect(p.take().find((x) => x.guid === 'toString')?.indices).toEqual([0, 4]);
  });
});
