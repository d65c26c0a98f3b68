import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestBytes } from '../../../src/sim/kernel/digest-bytes.js';
import { RecordEncoder, replayRecords, type RecordChunk } from '../../../src/sim/kernel/digest-records.js';
import { digestOps, directDigest, replayOps, type DigestOp } from './digest-ops.js';

// Encodes `ops` into chunks of `doubles` doubles with a table of at most `maxNames` names, and
// replays each chunk as it is sent, as the worker does: the digest that comes out.
function throughRecords(ops: readonly DigestOp[], doubles: number, maxNames?: number): { digest: string; chunks: RecordChunk[] } {
  const bytes = new DigestBytes();
  const table: string[] = [];
  const chunks: RecordChunk[] = [];
  const enc = new RecordEncoder(
    (chunk) => {
      chunks.push(chunk);
      replayRecords(chunk, table, bytes);
    },
    () => new ArrayBuffer(doubles * 8),
    maxNames,
  );
  replayOps(ops, enc);
  enc.flush();
  return { digest: bytes.digest(), chunks };
}

describe('digest records', () => {
  it('replay to the digest the simulation’s thread would make (generated runs, chunk sizes, table bounds)', () => {
    fc.assert(
      fc.property(digestOps(80), fc.integer({ min: 8, max: 64 }), fc.integer({ min: 1, max: 6 }), (ops, doubles, maxNames) => {
        expect(throughRecords(ops, doubles, maxNames).digest).toBe(directDigest(ops));
      }),
      { numRuns: 300 },
    );
  });

  it('send a name once per table and the other strings with the chunk that uses them', () => {
    const ops: DigestOp[] = [];
    for (let i = 0; i < 100; i++) ops.push({ kind: 'lrp', t: i, note: 'claimed', guid: `app-${i}`, index: 0, cell: `cell-${i % 3}` });
    const { chunks, digest } = throughRecords(ops, 16 * 1024);
    expect(digest).toBe(directDigest(ops));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.names).toEqual(['claimed', 'cell-0', 'cell-1', 'cell-2']);
    expect(chunks[0]?.strings).toHaveLength(100);
  });

  it('start the table again when it is full, and say so with the next chunk', () => {
    const ops: DigestOp[] = [];
    for (let i = 0; i < 20; i++) ops.push({ kind: 'note', t: i, note: 'k', fields: { [`f${i}`]: i } });
    const { chunks, digest } = throughRecords(ops, 1024, 4);
    expect(digest).toBe(directDigest(ops));
    expect(chunks.filter((c) => c.reset).length).toBeGreaterThan(2);
    // No table ever held many more names than the bound (a record may add a few past it).
    let held = 0;
    for (const c of chunks) {
      held = (c.reset ? 0 : held) + c.names.length;
      expect(held).toBeLessThanOrEqual(4 + 2);
    }
  });

  it('send a note with more fields than a chunk holds as its text', () => {
    const fields: Record<string, number> = {};
    for (let i = 0; i < 50; i++) fields[`k${i}`] = i;
    const ops: DigestOp[] = [{ kind: 'event', time: 1, nameHash: 2, a: 3, b: 4 }, { kind: 'note', t: 5, note: 'wide', fields }];
    const { chunks, digest } = throughRecords(ops, 32);
    expect(digest).toBe(directDigest(ops));
    expect(chunks.flatMap((c) => c.texts)).toHaveLength(1);
  });

  it('refuse a chunk with a record they do not know', () => {
    const f = new Float64Array([99, 0, 0]);
    expect(() => replayRecords({ buffer: f.buffer, length: 3, reset: false, names: [], strings: [], texts: [] }, [], new DigestBytes())).toThrow(/unknown record 99 at 0/);
  });
});
