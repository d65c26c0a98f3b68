import { createHash, type Hash } from 'node:crypto';
import { NOTE_NO_ROOM, noteText, writeLRPNote, writeNote, type NoteFields } from './note-text.js';

/**
 * Where a run's digest input goes: every event run (its time, kind and arguments) and every note,
 * in order. Two kinds: {@link DigestBytes} hashes them in the thread that runs the simulation, and
 * the DigestThread (digest-thread.ts) hands them to a worker thread that does the same; both give
 * the same digest.
 */
export interface DigestSink {
  /** An event run at `time`: its kind's name hash and its two arguments. */
  event(time: number, nameHash: number, a: number, b: number): void;
  /** A note at `t`: `{ t, note: kind, ...fields }` as JSON. */
  note(t: number, kind: string, fields: NoteFields): void;
  /** A note at `t` of the fields `{ lrp: \`${processGuid}.${index}\`, cell, [key]: value }`. */
  lrpNote(t: number, kind: string, processGuid: string, index: number, cell: string, key?: string, value?: string): void;
  /** A note already written out as JSON text (a logged run's). */
  text(text: string): void;
  /** The SHA-256 of everything so far, as hex; recording goes on afterwards. */
  digest(): string;
  /**
   * Lets go of what the sink holds: a worker thread, after which that sink refuses records (one
   * hashing in its own thread holds nothing to let go of, and goes on taking them).
   */
  close(): void;
}

/** Bytes of an event's record in the digest: time f64, kind's name hash i32, a f64, b f64 (little-endian). */
export const EVENT_RECORD_BYTES = 28;
const BUFFER = 64 * 1024;

/**
 * The digest's bytes, hashed as they come: each event as its 28-byte record, each note as the UTF-8
 * of its JSON (see note-text.ts), into one buffer hashed when full (the digest is of the bytes in
 * sequence, however they are chunked, and one hash update per note cost more than the note).
 */
export class DigestBytes implements DigestSink {
  private readonly hash: Hash = createHash('sha256');
  private readonly buf = Buffer.alloc(BUFFER);
  // The records' numbers through a DataView (compiled to plain stores), not Buffer.writeDoubleLE
  // (a call per number that copies through a scratch array): the same bytes.
  private readonly view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  private used = 0;

  event(time: number, nameHash: number, a: number, b: number): void {
    if (this.used + EVENT_RECORD_BYTES > BUFFER) this.flush();
    const v = this.view;
    const at = this.used;
    v.setFloat64(at, time, true);
    v.setInt32(at + 8, nameHash, true);
    v.setFloat64(at + 12, a, true);
    v.setFloat64(at + 20, b, true);
    this.used = at + EVENT_RECORD_BYTES;
  }

  note(t: number, kind: string, fields: NoteFields): void {
    // Straight into the buffer, no text made; a note that does not fit starts a fresh buffer (one
    // declined takes the text path, without a flush).
    let end = writeNote(this.buf, this.used, t, kind, fields);
    if (end === NOTE_NO_ROOM && this.used > 0) {
      this.flush();
      end = writeNote(this.buf, 0, t, kind, fields);
    }
    if (end >= 0) this.used = end;
    else this.text(noteText(t, kind, fields));
  }

  lrpNote(t: number, kind: string, processGuid: string, index: number, cell: string, key?: string, value?: string): void {
    let end = writeLRPNote(this.buf, this.used, t, kind, processGuid, index, cell, key, value);
    if (end === NOTE_NO_ROOM && this.used > 0) {
      this.flush();
      end = writeLRPNote(this.buf, 0, t, kind, processGuid, index, cell, key, value);
    }
    if (end >= 0) this.used = end;
    else this.note(t, kind, lrpNoteFields(processGuid, index, cell, key, value));
  }

  text(text: string): void {
    if (this.used + text.length * 3 > BUFFER) this.flush();
    if (text.length * 3 > BUFFER) this.hash.update(text);
    else this.used += this.buf.write(text, this.used, 'utf8');
  }

  digest(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }

  close(): void {
    // Nothing held beyond the object itself.
  }

  private flush(): void {
    if (this.used === 0) return;
    this.hash.update(this.buf.subarray(0, this.used));
    this.used = 0;
  }
}

/** The fields {@link DigestSink.lrpNote} stands for, as an object (for the text path and the log). */
export function lrpNoteFields(processGuid: string, index: number, cell: string, key?: string, value?: string): NoteFields {
  const lrp = `${processGuid}.${index}`;
  return key === undefined || value === undefined ? { lrp, cell } : { lrp, cell, [key]: value };
}
