import type { DigestSink } from './digest-bytes.js';
import { noteText, type NoteFields } from './note-text.js';

// The digest's input as numbers, for a worker thread to write out and hash (see digest-thread.ts):
// each event and note becomes a few doubles in a chunk, and the worker replays the chunk into a
// DigestBytes, which writes exactly the bytes the simulation's thread would have. Names of few kinds
// (notes' kinds and field names, cells) become numbers in a table both sides keep (a name is sent
// once, with the chunk that first uses it); other strings (process guids, field values: hundreds of
// thousands of them, whose lookups in a table that size missed the cache each time, 5% of a 250k
// hour) go with the chunk as they are, by their place in its list.

/** Doubles in a chunk. */
export const CHUNK_DOUBLES = 16 * 1024;
/** Names kept in the table before it starts again (a run with millions of apps would keep them all). */
export const MAX_NAMES = 1 << 20;

// A record's first double: what follows.
/** time, name hash, a, b. */
const R_EVENT = 1;
/** time, kind, process guid (a string of the chunk), index, cell, key (-1: none), value (a string of the chunk; -1: none). */
const R_LRP = 2;
/** time, kind, field count, then per field: name, tag, value (see the T_ tags). */
const R_NOTE = 3;
/** The number of a text in the chunk's texts. */
const R_TEXT = 4;

// A note field's value: a number as it is, a string by its place in the chunk's strings, the others by tag alone.
const T_NUMBER = 0;
const T_STRING = 1;
const T_TRUE = 2;
const T_FALSE = 3;
const T_NULL = 4;
const T_UNDEFINED = 5;

/** A chunk of records as sent to the worker. */
export interface RecordChunk {
  /** The records: the first {@link RecordChunk.length} doubles of this buffer (a Float64Array's). */
  readonly buffer: ArrayBuffer;
  /** Doubles of records in the buffer. */
  readonly length: number;
  /** The table starts again before this chunk's names (see {@link MAX_NAMES}). */
  readonly reset: boolean;
  /** Names first used in this chunk, numbered on from the table's end. */
  readonly names: readonly string[];
  /** The chunk's other strings (process guids, field values), by their place here. */
  readonly strings: readonly string[];
  /** Notes that went as text (values that are not plain JSON, or too many fields for a chunk). */
  readonly texts: readonly string[];
}

/**
 * The simulation's side: a {@link DigestSink} (less its digest) that encodes into chunks and hands
 * each full one to `send`. `fresh` gives a buffer for the next chunk (its doubles are the chunk's
 * room, {@link CHUNK_DOUBLES} in a run: the worker's used ones come back to be filled again).
 * `maxNames` bounds the table of names (see {@link MAX_NAMES}; smaller only in tests).
 */
export class RecordEncoder {
  private f: Float64Array;
  private at = 0;
  private readonly ids = new Map<string, number>();
  private names: string[] = [];
  private strings: string[] = [];
  private texts: string[] = [];
  private reset = false;
  // The last kind and cell of an LRP note, and their numbers (reset with the table).
  private lastKind: string | undefined = undefined;
  private lastKindId = -1;
  private lastCell: string | undefined = undefined;
  private lastCellId = -1;

  /** An encoder whose first chunk is empty. */
  constructor(
    private readonly send: (chunk: RecordChunk) => void,
    private readonly fresh: () => ArrayBuffer,
    private readonly maxNames = MAX_NAMES,
  ) {
    this.f = new Float64Array(fresh());
  }

  /** See {@link DigestSink.event}. */
  event(time: number, nameHash: number, a: number, b: number): void {
    if (this.at + 5 > this.f.length) this.flush();
    const f = this.f;
    let i = this.at;
    f[i++] = R_EVENT;
    f[i++] = time;
    f[i++] = nameHash;
    f[i++] = a;
    f[i++] = b;
    this.at = i;
  }

  /** See {@link DigestSink.lrpNote}. */
  lrpNote(t: number, kind: string, processGuid: string, index: number, cell: string, key?: string, value?: string): void {
    this.room(8);
    const f = this.f;
    let i = this.at;
    // A cell's claims come together, and most notes of a stretch are of one kind: the last of each
    // is kept (a string compared by reference first), sparing most lookups.
    if (kind !== this.lastKind) {
      this.lastKind = kind;
      this.lastKindId = this.id(kind);
    }
    if (cell !== this.lastCell) {
      this.lastCell = cell;
      this.lastCellId = this.id(cell);
    }
    f[i++] = R_LRP;
    f[i++] = t;
    f[i++] = this.lastKindId;
    f[i++] = this.string(processGuid);
    f[i++] = index;
    f[i++] = this.lastCellId;
    f[i++] = key === undefined ? -1 : this.id(key);
    f[i++] = value === undefined ? -1 : this.string(value);
    this.at = i;
  }

  /** See {@link DigestSink.note}. */
  note(t: number, kind: string, fields: NoteFields): void {
    // Fields that are not an object (which the type does not allow): the text path throws as the
    // simulation's thread would (JSON's "t" in fields).
    if (typeof fields !== 'object' || fields === null) {
      this.text(noteText(t, kind, fields));
      return;
    }
    // Room for the note's head and a field (more are checked as they come).
    this.room(4 + 3);
    const start = this.at;
    const f = this.f;
    let i = start + 4;
    let count = 0;
    for (const key in fields) {
      // As JSON.stringify: own keys only (an inherited one the loop meets is not written).
      if (!Object.hasOwn(fields, key)) continue;
      if (i + 3 > f.length) {
        // More fields than the rest of this chunk holds: again in a fresh chunk, or as text if a
        // whole chunk does not hold them (the fields written so far are past the chunk's length).
        if (start > 0) {
          this.flush();
          this.note(t, kind, fields);
        } else this.text(noteText(t, kind, fields));
        return;
      }
      const v = fields[key] as NoteFields[string] | undefined;
      const tag = typeof v === 'number' ? T_NUMBER : typeof v === 'string' ? T_STRING : v === true ? T_TRUE : v === false ? T_FALSE : v === null ? T_NULL : v === undefined ? T_UNDEFINED : -1;
      // Not a plain JSON value (which the type does not allow): the text JSON.stringify makes of it.
      if (tag < 0) {
        this.text(noteText(t, kind, fields));
        return;
      }
      f[i] = this.id(key);
      f[i + 1] = tag;
      f[i + 2] = tag === T_NUMBER ? (v as number) : tag === T_STRING ? this.string(v as string) : 0;
      i += 3;
      count++;
    }
    f[start] = R_NOTE;
    f[start + 1] = t;
    f[start + 2] = this.id(kind);
    f[start + 3] = count;
    this.at = i;
  }

  /** See {@link DigestSink.text}. */
  text(text: string): void {
    this.room(2);
    this.f[this.at++] = R_TEXT;
    this.f[this.at++] = this.texts.length;
    this.texts.push(text);
  }

  /** Sends what the current chunk holds (nothing when it is empty). */
  flush(): void {
    if (this.at === 0 && this.names.length === 0 && this.texts.length === 0 && !this.reset) return;
    this.send({ buffer: this.f.buffer as ArrayBuffer, length: this.at, reset: this.reset, names: this.names, strings: this.strings, texts: this.texts });
    this.f = new Float64Array(this.fresh());
    this.at = 0;
    this.names = [];
    this.strings = [];
    this.texts = [];
    this.reset = false;
  }

  // Makes room for a record of `doubles` doubles, at a record's start: a fresh chunk when this one
  // is too full, and a fresh table when the names fill it (a record may add a few past the bound).
  private room(doubles: number): void {
    if (this.ids.size >= this.maxNames) {
      this.flush();
      this.ids.clear();
      this.reset = true;
      this.lastKind = undefined;
      this.lastCell = undefined;
    }
    if (this.at + doubles > this.f.length) this.flush();
  }

  // A string's place in the chunk's strings.
  private string(s: string): number {
    this.strings.push(s);
    return this.strings.length - 1;
  }

  // A name's number, sent with the chunk the first time it is used (since the table started).
  private id(name: string): number {
    let n = this.ids.get(name);
    if (n === undefined) {
      n = this.ids.size;
      this.ids.set(name, n);
      this.names.push(name);
    }
    return n;
  }
}

/**
 * The worker's side: replays a chunk's records into `into` (a DigestBytes: the same calls the
 * simulation's thread would have made), with `table` the names so far (added to and, at a reset,
 * emptied first).
 */
export function replayRecords(chunk: RecordChunk, table: string[], into: DigestSink): void {
  if (chunk.reset) table.length = 0;
  for (const name of chunk.names) table.push(name);
  const f = new Float64Array(chunk.buffer, 0, chunk.length);
  const name = (n: number): string => table[n] as string;
  const string = (n: number): string => chunk.strings[n] as string;
  let i = 0;
  while (i < chunk.length) {
    const r = f[i] as number;
    if (r === R_EVENT) {
      into.event(f[i + 1] as number, f[i + 2] as number, f[i + 3] as number, f[i + 4] as number);
      i += 5;
    } else if (r === R_LRP) {
      const key = f[i + 6] as number;
      const value = f[i + 7] as number;
      into.lrpNote(f[i + 1] as number, name(f[i + 2] as number), string(f[i + 3] as number), f[i + 4] as number, name(f[i + 5] as number), key < 0 ? undefined : name(key), value < 0 ? undefined : string(value));
      i += 8;
    } else if (r === R_NOTE) {
      const count = f[i + 3] as number;
      // A fresh object with the fields in the order they came (an object without a prototype, so
      // that a field named __proto__ is a field): the same own keys in the same order as the note's,
      // so the same JSON.
      const fields = Object.create(null) as Record<string, string | number | boolean | null | undefined>;
      let p = i + 4;
      for (let k = 0; k < count; k++, p += 3) {
        const tag = f[p + 1] as number;
        const v = f[p + 2] as number;
        fields[name(f[p] as number)] = tag === T_NUMBER ? v : tag === T_STRING ? string(v) : tag === T_TRUE ? true : tag === T_FALSE ? false : tag === T_NULL ? null : undefined;
      }
      into.note(f[i + 1] as number, name(f[i + 2] as number), fields as NoteFields);
      i = p;
    } else if (r === R_TEXT) {
      into.text(chunk.texts[f[i + 1] as number] as string);
      i += 2;
    } else throw new Error(`digest records: an unknown record ${r} at ${i}`);
  }
}
