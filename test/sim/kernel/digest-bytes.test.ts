import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestBytes, EVENT_RECORD_BYTES } from '../../../src/sim/kernel/digest-bytes.js';
import { noteText, type NoteFields } from '../../../src/sim/kernel/note-text.js';
import { digestOps, replayOps, type DigestOp } from './digest-ops.js';

// The digest's bytes as the kernel wrote them before they had a class of their own: each event a
// record written with Buffer's own little-endian writers, each note the UTF-8 of its JSON.
function reference(ops: readonly DigestOp[]): string {
  const h = createHash('sha256');
  for (const op of ops) {
    if (op.kind === 'event') {
      const b = Buffer.alloc(EVENT_RECORD_BYTES);
      b.writeDoubleLE(op.time, 0);
      b.writeInt32LE(op.nameHash, 8);
      b.writeDoubleLE(op.a, 12);
      b.writeDoubleLE(op.b, 20);
      h.update(b);
    } else if (op.kind === 'note') h.update(noteText(op.t, op.note, op.fields), 'utf8');
    else if (op.kind === 'lrp') h.update(noteText(op.t, op.note, lrpFields(op.guid, op.index, op.cell, op.key, op.value)), 'utf8');
    else h.update(op.text, 'utf8');
  }
  return h.digest('hex');
}

// The fields an LRP note stands for, as its callers made them before it had a writer of its own.
function lrpFields(processGuid: string, index: number, cell: string, key?: string, value?: string): NoteFields {
  const lrp = `${processGuid}.${index}`;
  return key === undefined || value === undefined ? { lrp, cell } : { lrp, cell, [key]: value };
}

describe('DigestBytes', () => {
  it('hashes the bytes the kernel always has: event records and notes as JSON (generated runs)', () => {
    fc.assert(
      fc.property(digestOps(), (ops) => {
        const d = new DigestBytes();
        replayOps(ops, d);
        expect(d.digest()).toBe(reference(ops));
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same digest however many times it is read, and goes on recording', () => {
    const d = new DigestBytes();
    d.event(1.5, -7, 2, 3);
    const first = d.digest();
    expect(d.digest()).toBe(first);
    d.lrpNote(2, 'claimed', 'web', 0, 'cell-1');
    expect(d.digest()).not.toBe(first);
    expect(d.digest()).toBe(reference([{ kind: 'event', time: 1.5, nameHash: -7, a: 2, b: 3 }, { kind: 'lrp', t: 2, note: 'claimed', guid: 'web', index: 0, cell: 'cell-1' }]));
  });

  it('crosses its buffer’s end and takes notes larger than the buffer', () => {
    const ops: DigestOp[] = [];
    for (let i = 0; i < 5000; i++) {
      ops.push({ kind: 'event', time: i / 3, nameHash: i * 7919, a: i, b: -i });
      ops.push({ kind: 'lrp', t: i / 3, note: 'claimed', guid: `app-${'x'.repeat(i % 97)}`, index: i, cell: `cell-${i % 50}` });
    }
    ops.push({ kind: 'note', t: 1, note: 'huge', fields: { s: 'y'.repeat(200_000) } });
    ops.push({ kind: 'text', text: `{"t":2,"note":"big","s":"${'é'.repeat(70_000)}"}` });
    const d = new DigestBytes();
    replayOps(ops, d);
    expect(d.digest()).toBe(reference(ops));
  });
});
