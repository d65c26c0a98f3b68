import { afterEach, describe, expect, it } from 'vitest';
import type { RecordChunk } from '../../../src/sim/kernel/digest-records.js';
import { DigestThread } from '../../../src/sim/kernel/digest-thread.js';
import { Kernel } from '../../../src/sim/kernel/kernel.js';
import { directDigest, replayOps, type DigestOp } from './digest-ops.js';

const started: DigestThread[] = [];
function start(workerUrl?: string): DigestThread {
  const t = new DigestThread(workerUrl);
  started.push(t);
  return t;
}
afterEach(() => {
  for (const t of started.splice(0)) t.close();
});

// A long run's worth of calls: several hundred chunks (more than may be in flight at once).
function longRun(n: number): DigestOp[] {
  const ops: DigestOp[] = [];
  for (let i = 0; i < n; i++) {
    ops.push({ kind: 'event', time: i * 0.37, nameHash: (i * 2654435761) | 0, a: i, b: i % 5 });
    if (i % 2 === 0) ops.push({ kind: 'lrp', t: i * 0.37, note: i % 10 === 0 ? 'crash' : 'claimed', guid: `app-${i % 1000}`, index: i % 7, cell: `cell-${i % 40}`, ...(i % 10 === 0 ? { key: 'restart', value: 'restart' } : {}) });
    if (i % 97 === 0) ops.push({ kind: 'note', t: i * 0.37, note: 'desire', fields: { app: `app-${i}`, instances: i % 9, fresh: i % 2 === 0, gone: null } });
  }
  return ops;
}

describe('the digest thread', () => {
  it('gives the digest the simulation’s own thread would, through hundreds of chunks', () => {
    const ops = longRun(400_000);
    const t = start();
    replayOps(ops, t);
    expect(t.digest()).toBe(directDigest(ops));
  });

  it('answers the digest so far partway through, and goes on recording', () => {
    const ops = longRun(20_000);
    const half = ops.slice(0, 10_000);
    const t = start();
    replayOps(half, t);
    expect(t.digest()).toBe(directDigest(half));
    expect(t.digest()).toBe(directDigest(half));
    replayOps(ops.slice(10_000), t);
    expect(t.digest()).toBe(directDigest(ops));
  });

  it('starts no thread for a run whose records never fill a chunk', () => {
    const ops = longRun(100);
    const t = start();
    replayOps(ops, t);
    expect(t.digest()).toBe(directDigest(ops));
    expect((t as unknown as { worker: unknown }).worker).toBeNull();
  });

  it('once closed, still answers the digest it gave last, and refuses to record', () => {
    const t = start();
    t.event(1, 2, 3, 4);
    const d = t.digest();
    t.close();
    t.close();
    expect(t.digest()).toBe(d);
    expect(() => t.event(5, 6, 7, 8)).toThrow(/closed/);
    expect(() => t.lrpNote(5, 'claimed', 'web', 0, 'cell-1')).toThrow(/closed/);
  });

  it('hashes in the simulation’s own thread when the worker’s code cannot be loaded: the same digest, nothing lost', () => {
    const ops = longRun(300_000);
    const t = start(new URL('./no-such-digest-worker.js', import.meta.url).href);
    replayOps(ops, t);
    expect(t.digest()).toBe(directDigest(ops));
    const more = longRun(10);
    replayOps(more, t);
    expect(t.digest()).toBe(directDigest([...ops, ...more]));
  });

  it('reports the worker’s failure instead of a digest', () => {
    const t = start();
    t.event(1, 2, 3, 4);
    // A chunk no encoder makes: the worker cannot replay it.
    const bad = new Float64Array([99]);
    (t as unknown as { send(c: RecordChunk): void }).send({ buffer: bad.buffer, length: 1, reset: false, names: [], strings: [], texts: [] });
    expect(() => t.digest()).toThrow(/the digest thread failed: digest records: an unknown record 99/);
    // For good: no later digest (it would miss the chunk), no more records.
    expect(() => t.digest()).toThrow(/unknown record 99/);
    expect(() => t.event(5, 6, 7, 8)).toThrow(/unknown record 99/);
  });

  it('gives a kernel the same digest as hashing in its own thread', () => {
    const run = (digestThread: boolean) => {
      const k = new Kernel({ seed: 3, digestThread });
      const h = k.register('tick', (i) => {
        k.noteLRP(i % 3 === 0 ? 'crash' : 'claimed', `app-${i % 17}`, i % 4, `cell-${i % 5}`, ...((i % 3 === 0 ? ['restart', 'restart'] : []) as []));
        if (i % 50 === 0) k.note('desire', { app: `app-${i}`, instances: 3 });
        if (i < 50_000) k.after(0.5, h, i + 1);
      });
      k.at(0, h, 0);
      k.run(Infinity);
      const d = k.digest();
      k.close();
      return d;
    };
    expect(run(true)).toBe(run(false));
  });
});
