// Generated digest input for the digest's tests: events and notes of every shape the kernel may be
// handed (names JSON escapes, non-ASCII, indices that are not whole, field names a note declines,
// objects with inherited or `__proto__` keys, values that are not plain JSON).
import fc from 'fast-check';
import { DigestBytes, type DigestSink } from '../../../src/sim/kernel/digest-bytes.js';
import type { NoteFields } from '../../../src/sim/kernel/note-text.js';

/** One call on a digest sink. */
export type DigestOp =
  | { kind: 'event'; time: number; nameHash: number; a: number; b: number }
  | { kind: 'note'; t: number; note: string; fields: NoteFields }
  | { kind: 'lrp'; t: number; note: string; guid: string; index: number; cell: string; key?: string; value?: string }
  | { kind: 'text'; text: string };

/** Makes the calls on `sink`, in order. */
export function replayOps(ops: readonly DigestOp[], sink: Pick<DigestSink, 'event' | 'note' | 'lrpNote' | 'text'>): void {
  for (const op of ops) {
    if (op.kind === 'event') sink.event(op.time, op.nameHash, op.a, op.b);
    else if (op.kind === 'note') sink.note(op.t, op.note, op.fields);
    else if (op.kind === 'lrp') sink.lrpNote(op.t, op.note, op.guid, op.index, op.cell, op.key, op.value);
    else sink.text(op.text);
  }
}

/** The digest of `ops` hashed in this thread, as a kernel without a digest thread makes it. */
export function directDigest(ops: readonly DigestOp[]): string {
  const d = new DigestBytes();
  replayOps(ops, d);
  return d.digest();
}

const name = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('claimed', 'crash', 'desire', 'cell-0001', 'app-7', 'reason', 'restart') },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'é', 'quote"d', 'back\\slash', 'line\nbreak', '__proto__', 'constructor', 'toString', 't', 'note', '0', '12', '..') },
);
const time = fc.oneof(fc.double(), fc.double({ min: 0, max: 4e6, noNaN: true }), fc.constantFrom(0, -0, 1.5, 2 ** 53));
const plainValue = fc.oneof(name, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));

// Fields: a plain record, or one the kernel must still write as JSON.stringify would.
const fields: fc.Arbitrary<NoteFields> = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(name, plainValue, { maxKeys: 6 }) as fc.Arbitrary<NoteFields> },
  {
    weight: 1,
    arbitrary: fc.constantFrom<NoteFields>(
      JSON.parse('{"__proto__":"own","a":1}') as NoteFields,
      Object.assign(Object.create({ inherited: 'not written' }) as object, { own: 2 }) as NoteFields,
      { nested: { a: 1 } } as unknown as NoteFields,
      { f: (() => 1) as unknown as string, after: 'x' },
      { 2: 'two', b: 'b', 1: 'one' },
      { t: 'overrides', x: 1 },
    ),
  },
);

const op: fc.Arbitrary<DigestOp> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('event' as const), time, nameHash: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), a: fc.oneof(fc.integer(), fc.double()), b: fc.oneof(fc.integer(), fc.double()) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('note' as const), t: time, note: name, fields }) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        kind: fc.constant('lrp' as const),
        t: time,
        note: name,
        guid: name,
        index: fc.oneof(fc.nat(), fc.constantFrom(-1, 1.5, 2 ** 31, Number.NaN)),
        cell: name,
        key: name,
        value: name,
      },
      { requiredKeys: ['kind', 't', 'note', 'guid', 'index', 'cell'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), text: fc.string() }) },
);

/** Runs of up to `maxLength` calls. */
export function digestOps(maxLength = 60): fc.Arbitrary<DigestOp[]> {
  return fc.array(op, { maxLength });
}
