import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../../src/sim/kernel/kernel.js';
import { NOTE_DECLINED, NOTE_NO_ROOM, noteText, writeLRPNote, writeNote, type NoteFields } from '../../../src/sim/kernel/note-text.js';

describe('noteText', () => {
  it('writes exactly what JSON.stringify writes for the merged note', () => {
    const cases: [number, string, Record<string, string | number | boolean | null>][] = [
      [0, 'claimed', { lrp: 'tiny-1.0', cell: 'cell-z1-0001' }],
      [1234.5, 'crash', { lrp: 'a"b\\c.3', cell: 'é\n\u2028', restart: 'backoff' }],
      [-0, 'x', { n: -0, inf: Infinity, nan: NaN, big: 1e21, small: 1e-7, yes: true, no: false, none: null }],
      [7, 'override', { t: 9, note: 'other', z: 1 }],
      [7, 'index-like', { b: 1, 2: 'two', a: 'x' }],
      [3, 'empty', {}],
      // The same instant again, then others: the time's text is reused only for the same time.
      [3, 'again', { n: 1 }],
      [3.000001, 'later', {}],
      [0, 'zero', {}],
      [-0, 'negative zero', {}],
      [Infinity, 'never', {}],
      [3, 'back', {}],
    ];
    for (const [t, kind, fields] of cases) expect(noteText(t, kind, fields)).toBe(JSON.stringify({ t, note: kind, ...fields }));
    const undef = { a: 1, b: undefined } as unknown as Record<string, number>;
    expect(noteText(1, 'u', undef)).toBe(JSON.stringify({ t: 1, note: 'u', ...undef }));
  });

  it('quotes kinds and field names the same the first time and when they come again, past its cache too', () => {
    const names = ['claimed', 'k"ind', 'back\\slash', 'line\nbreak', '\u2028', 'é', '__proto__', 'constructor', 'toString', ''];
    // More names than the cache of quoted names holds, each twice: quoted right whether kept or not.
    for (let i = 0; i < 1500; i++) names.push(`name-${i}`);
    for (let round = 0; round < 2; round++) {
      for (const name of names) {
        const fields = { [name]: name, after: 1 };
        expect(noteText(round, name, fields)).toBe(JSON.stringify({ t: round, note: name, ...fields }));
      }
    }
  });
});

// The bytes writeNote leaves in a buffer from `at` to what it returns (undefined when it declines).
function written(size: number, at: number, t: number, kind: string, fields: NoteFields): string | undefined {
  const buf = Buffer.alloc(size, 0xff);
  const end = writeNote(buf, at, t, kind, fields);
  return end < 0 ? undefined : buf.subarray(at, end).toString('latin1');
}

describe('writeNote', () => {
  const plain: [number, string, NoteFields][] = [
    [0, 'claimed', { lrp: 'tiny-1.0', cell: 'cell-z1-0001' }],
    [123456.789, 'crash', { lrp: 'crashy-19999.0', cell: 'cell-z3-1250', restart: 'backoff' }],
    [-0, 'x', { n: -0, zero: 0, big: 2 ** 31, max: 2 ** 31 - 1, neg: -7, frac: 0.1, inf: Infinity, nan: NaN, e: 1e21, tiny: 1e-7, yes: true, no: false, none: null }],
    [3, 'empty', {}],
    [4, 'del and tilde', { s: '\u007f~ !#$%&\'()*+,-./0:;<=>?@[]^_`{|}' }],
    [5, 'undefined left out', { a: 1, b: undefined } as unknown as NoteFields],
  ];

  it('writes the bytes of noteText for plain ASCII notes', () => {
    for (const [t, kind, fields] of plain) expect(written(4096, 10, t, kind, fields)).toBe(noteText(t, kind, fields));
  });

  it('declines notes whose string values JSON escapes, text not ASCII, keys JSON.stringify orders itself, and values no JSON type', () => {
    const declined: [string, NoteFields][] = [
      ['quote', { s: 'a"b' }],
      ['backslash', { s: 'a\\b' }],
      ['newline', { s: 'a\nb' }],
      ['accent', { cell: 'cellé' }],
      ['line separator', { s: '\u2028' }],
      ['lone surrogate', { s: '\ud800' }],
      ['kindé', { s: 'x' }],
      ['key', { 'ké': 1 }],
      ['override', { t: 9 }],
      ['override', { note: 'other' }],
      ['index-like', { b: 1, 2: 'two' }],
      ['a date', { d: new Date(0) } as unknown as NoteFields],
      ['an object', { o: { x: 1 } } as unknown as NoteFields],
    ];
    for (const [kind, fields] of declined) expect(writeNote(Buffer.alloc(4096), 0, 1, kind, fields)).toBe(NOTE_DECLINED);
    // A kind or field name JSON escapes is quoted once and written as it is (it is ASCII once quoted).
    const escapedNames: NoteFields = { 'k"ey': 1 };
    expect(written(4096, 0, 1, 'ki\nd', escapedNames)).toBe(noteText(1, 'ki\nd', escapedNames));
  });

  it('declines a note that does not fit before the buffer ends, at every shortfall, and fits exactly', () => {
    const [t, kind, fields] = plain[1] as [number, string, NoteFields];
    const text = noteText(t, kind, fields);
    for (let size = 0; size < text.length + 5; size++) {
      expect(written(size + 5, 5, t, kind, fields)).toBe(size >= text.length ? text : undefined);
      if (size < text.length) expect(writeNote(Buffer.alloc(size + 5), 5, t, kind, fields)).toBe(NOTE_NO_ROOM);
    }
  });

  it('writes every generated note of plain ASCII, with room for it', () => {
    const ascii = fc.string({ unit: fc.constantFrom(...'abcXYZ019-._~ !#$%&()*+,/:;<=>?@[]^`{|}'.split('')) });
    const value = fc.oneof(ascii, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    const key = ascii.filter((k) => k !== 't' && k !== 'note' && !/^[0-9]/.test(k));
    fc.assert(
      fc.property(fc.double(), ascii, fc.dictionary(key, value, { maxKeys: 5 }), (t, kind, fields) => {
        const text = noteText(t, kind, fields);
        expect(written(Buffer.byteLength(text) + 8, 8, t, kind, fields)).toBe(text);
      }),
    );
  });

  it('is the text of any note it writes (generated notes)', () => {
    const value = fc.oneof(fc.string({ unit: 'binary' }), fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(fc.double(), fc.string(), fc.dictionary(fc.string(), value, { maxKeys: 5 }), fc.nat(40), (t, kind, fields, room) => {
        const text = noteText(t, kind, fields);
        const got = written(room + Buffer.byteLength(text), 3, t, kind, fields);
        if (got !== undefined) expect(got).toBe(text);
      }),
    );
  });

  it('gives a kernel the same digest as the text path, across buffer ends and with notes it declines', () => {
    const run = (logged: boolean) => {
      const k = new Kernel({ seed: 1, ...(logged ? { log: () => {} } : {}) });
      const h = k.register('tick', (i) => {
        // Plain notes of growing length; every seventh a kind JSON escapes (written as it is), a value
        // JSON escapes every thirteenth and one not ASCII every eleventh (both declined).
        const lrp = `app-${'x'.repeat(i % 300)}${i % 13 === 0 ? '"' : ''}.${i}`;
        k.note(i % 7 === 0 ? 'odd"kind' : 'claimed', { lrp, cell: i % 11 === 0 ? 'cellé' : `cell-${i}`, n: i / 3 });
        if (i < 3000) k.after(1.5, h, i + 1);
      });
      k.at(0, h, 0);
      k.note('huge', { s: 'y'.repeat(100_000) });
      k.run(Infinity);
      return k.digest();
    };
    expect(run(false)).toBe(run(true));
  });
});

// The note writeLRPNote stands for: its fields as the callers made them before.
function lrpFields(processGuid: string, index: number, cell: string, key?: string, value?: string): NoteFields {
  const lrp = `${processGuid}.${index}`;
  return key === undefined || value === undefined ? { lrp, cell } : { lrp, cell, [key]: value };
}

describe('writeLRPNote (an instance note without its field object)', () => {
  const lrpWritten = (size: number, at: number, t: number, kind: string, pg: string, index: number, cell: string, key?: string, value?: string) => {
    const buf = Buffer.alloc(size, 0xff);
    const end = writeLRPNote(buf, at, t, kind, pg, index, cell, key, value);
    return end < 0 ? undefined : buf.subarray(at, end).toString('latin1');
  };

  it('writes the bytes of the note with the fields { lrp, cell[, key] }, or declines where writeNote would', () => {
    const cases: [string, string, number, string, string?, string?][] = [
      ['claimed', 'tiny-1', 0, 'cell-z1-0001'],
      ['crash', 'crashy-19999', 3, 'cell-z3-1250', 'restart', 'backoff'],
      ['health-check-failed', 'web', 2 ** 31 - 1, 'c', 'check', 'liveness'],
      ['x', '', 0, ''],
      ['odd"kind', 'a', 1, 'b'],
    ];
    for (const [kind, pg, index, cell, key, value] of cases) expect(lrpWritten(4096, 7, 12.5, kind, pg, index, cell, key, value)).toBe(noteText(12.5, kind, lrpFields(pg, index, cell, key, value)));
    const declined: [string, number, string, string?, string?][] = [
      ['a"b', 0, 'c'],
      ['é', 0, 'c'],
      ['a', 0, 'c\n'],
      ['a', 0, 'c', 'reason', 'line\nbreak'],
      ['a', -1, 'c'],
      ['a', 1.5, 'c'],
      ['a', 2 ** 31, 'c'],
      ['a', Number.NaN, 'c'],
      ['a', 0, 'c', 't', 'x'],
      ['a', 0, 'c', 'note', 'x'],
      ['a', 0, 'c', 'lrp', 'x'],
      ['a', 0, 'c', 'cell', 'x'],
      ['a', 0, 'c', '0', 'x'],
    ];
    for (const [pg, index, cell, key, value] of declined) expect(writeLRPNote(Buffer.alloc(4096), 0, 1, 'k', pg, index, cell, key, value)).toBe(NOTE_DECLINED);
  });

  it('has no room for a note that does not fit, at every shortfall, and fits exactly', () => {
    const text = noteText(99, 'crash', lrpFields('crashy-7', 12, 'cell-1', 'restart', 'restart'));
    for (let size = 0; size < text.length + 5; size++) {
      const buf = Buffer.alloc(size + 5);
      const end = writeLRPNote(buf, 5, 99, 'crash', 'crashy-7', 12, 'cell-1', 'restart', 'restart');
      if (size >= text.length) expect(buf.subarray(5, end).toString('latin1')).toBe(text);
      else expect(end).toBe(NOTE_NO_ROOM);
    }
  });

  it('gives a kernel the digest and the log lines of the same notes made with note() (generated notes)', () => {
    const text = fc.oneof(fc.string({ unit: fc.constantFrom(...'abc-._019'.split('')) }), fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', '..'));
    const index = fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.constant(2 ** 31));
    const extra = fc.option(fc.tuple(fc.oneof(text, fc.constantFrom('t', 'note', 'lrp', 'cell', '1')), text), { nil: undefined });
    const note = fc.tuple(fc.double({ min: 0, max: 1e9, noNaN: true }), text, text, index, text, extra);
    fc.assert(
      fc.property(fc.array(note, { maxLength: 8 }), (notes) => {
        const run = (direct: boolean, logged: boolean) => {
          const lines: string[] = [];
          const k = new Kernel({ seed: 1, ...(logged ? { log: (l: string) => lines.push(l) } : {}) });
          notes.forEach(([t, kind, pg, i, cell, more], n) =>
            k.at(t, k.register(`e${n}`, () => (direct ? k.noteLRP(kind, pg, i, cell, more?.[0], more?.[1]) : k.note(kind, lrpFields(pg, i, cell, more?.[0], more?.[1]))))),
          );
          k.run(Infinity);
          return [k.digest(), ...lines];
        };
        expect(run(true, false)).toEqual(run(false, false));
        expect(run(true, true)).toEqual(run(false, true));
      }),
      { numRuns: 300 },
    );
  });

  it('gives a kernel the same digest across buffer ends', () => {
    const run = (direct: boolean) => {
      const k = new Kernel({ seed: 1 });
      const h = k.register('tick', (i) => {
        const pg = `app-${'x'.repeat(i % 300)}`;
        if (direct) k.noteLRP('claimed', pg, i, `cell-${i}`, i % 2 === 0 ? 'restart' : undefined, 'backoff');
        else k.note('claimed', lrpFields(pg, i, `cell-${i}`, i % 2 === 0 ? 'restart' : undefined, 'backoff'));
        if (i < 3000) k.after(1.5, h, i + 1);
      });
      k.at(0, h, 0);
      k.run(Infinity);
      return k.digest();
    };
    expect(run(true)).toBe(run(false));
  });
});
