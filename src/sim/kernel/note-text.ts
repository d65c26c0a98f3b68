// A note's JSON: `JSON.stringify({ t, note: kind, ...fields })`, byte for byte, as text (for the log)
// or written straight into the kernel's digest buffer (no text made: a run notes about a million
// facts, and their strings were a ninth of everything a 250k hour allocated).

/** A note's fields: plain JSON values. */
export type NoteFields = Readonly<Record<string, string | number | boolean | null>>;

/**
 * `JSON.stringify({ t, note: kind, ...fields })`, byte for byte, without building the merged object:
 * the generic path (a spread, then a walk of its keys) cost more than the note's hashing.
 */
export function noteText(t: number, kind: string, fields: NoteFields): string {
  if (!plainShape(fields)) return JSON.stringify({ t, note: kind, ...fields });
  let text = `{"t":${timeText(t)},"note":${quotedName(kind)}`;
  for (const key in fields) {
    const v = fields[key];
    if (!kept(fields, key, v)) continue;
    text += `,${quotedName(key)}:${jsonValue(v)}`;
  }
  return `${text}}`;
}

/** {@link writeNote}'s answer when the note does not fit before the buffer's end. */
export const NOTE_NO_ROOM = -1;
/** {@link writeNote}'s answer for a note it does not write at all (see there). */
export const NOTE_DECLINED = -2;

/**
 * Writes the UTF-8 bytes of {@link noteText} into `buf` from `at`, and returns where they end. Else,
 * with nothing promised about the bytes from `at` on: {@link NOTE_NO_ROOM} when the note does not fit
 * before the buffer's end, {@link NOTE_DECLINED} when it is not plain ASCII throughout (a string
 * value JSON escapes or with other characters, a kind or field name with other characters, a field
 * JSON.stringify orders itself): the caller then writes {@link noteText}'s text instead (the notes
 * of a run are nearly all plain ASCII).
 */
export function writeNote(buf: Uint8Array, at: number, t: number, kind: string, fields: NoteFields): number {
  if (!plainShape(fields)) return NOTE_DECLINED;
  let p = noteHead(buf, at, t, kind);
  for (const key in fields) {
    const v = fields[key];
    if (!kept(fields, key, v)) continue;
    p = byte(buf, p, 0x2c); // ,
    p = raw(buf, p, quotedName(key));
    p = byte(buf, p, 0x3a); // :
    if (typeof v === 'string') p = quoted(buf, p, v);
    else if (typeof v === 'number') p = Number.isInteger(v) && v >= 0 && v < 2 ** 31 ? digits(buf, p, v) : raw(buf, p, jsonValue(v));
    else if (typeof v === 'boolean') p = raw(buf, p, v ? 'true' : 'false');
    else if (v === null) p = raw(buf, p, 'null');
    // Not a JSON value the type allows: the text path writes it as it always has.
    else return NOTE_DECLINED;
    if (p === NOTE_DECLINED) return NOTE_DECLINED;
  }
  return byte(buf, p, 0x7d); // }
}

/**
 * {@link writeNote} of the fields `{ lrp: \`${processGuid}.${index}\`, cell, [key]: value }` (no `key`:
 * the first two alone), byte for byte, without the field object or the instance's name as a string:
 * the notes of an instance's life (claimed, crashed, ...) are most of a run's. The answers are
 * writeNote's; it declines, besides, an index that is not a non-negative integer below 2^31 and a
 * `key` that would not come out last ("t", "note", "lrp", "cell", or one like an array index).
 */
export function writeLRPNote(buf: Uint8Array, at: number, t: number, kind: string, processGuid: string, index: number, cell: string, key?: string, value?: string): number {
  if (!(Number.isInteger(index) && index >= 0 && index < 2 ** 31)) return NOTE_DECLINED;
  if (key !== undefined && (key === 't' || key === 'note' || key === 'lrp' || key === 'cell' || indexLike(key))) return NOTE_DECLINED;
  let p = noteHead(buf, at, t, kind);
  p = raw(buf, p, ',"lrp":');
  p = quotedInstance(buf, p, processGuid, index);
  p = raw(buf, p, ',"cell":');
  p = quoted(buf, p, cell);
  if (key !== undefined && value !== undefined) {
    p = byte(buf, p, 0x2c); // ,
    p = raw(buf, p, quotedName(key));
    p = byte(buf, p, 0x3a); // :
    p = quoted(buf, p, value);
  }
  return byte(buf, p, 0x7d); // }
}

// Every note's start, `{"t":<time>,"note":<kind>` (its fields and the closing brace follow).
function noteHead(buf: Uint8Array, at: number, t: number, kind: string): number {
  const p = raw(buf, raw(buf, at, '{"t":'), timeText(t));
  return raw(buf, raw(buf, p, ',"note":'), quotedName(kind));
}

// As JSON.stringify: own enumerable keys only, and undefined values are left out.
function kept(fields: NoteFields, key: string, v: NoteFields[string] | undefined): v is NoteFields[string] {
  return v !== undefined && Object.hasOwn(fields, key);
}

// Whether the note's keys come out after "t" and "note" in the order written: a field named "t" or
// "note" overrides them, and a key that looks like an array index is listed first; both take
// JSON.stringify's own path.
function plainShape(fields: NoteFields): boolean {
  if ('t' in fields || 'note' in fields) return false;
  for (const key in fields) if (indexLike(key)) return false;
  return true;
}

// Whether a key may be one JSON.stringify lists first, as an array index (one starting with a digit).
function indexLike(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57;
}

// The writers below return the position after what they wrote; else NOTE_NO_ROOM, past the
// buffer's end, or NOTE_DECLINED, text whose raw bytes are not its JSON. Either passes through the
// writers after (a negative position), so a note's writes chain and the note ends with the first
// that failed.

// ASCII text as it is (already JSON: a number, a quoted name).
function raw(buf: Uint8Array, p: number, s: string): number {
  if (p < 0) return p;
  if (p + s.length > buf.length) return NOTE_NO_ROOM;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return NOTE_DECLINED;
    buf[p + i] = c;
  }
  return p + s.length;
}

// A string in quotes, when JSON needs no escape in it and it is ASCII.
function quoted(buf: Uint8Array, p: number, s: string): number {
  p = unquoted(buf, byte(buf, p, 0x22), s);
  return byte(buf, p, 0x22);
}

// A string's characters (no quotes), when JSON needs no escape in them and they are ASCII.
function unquoted(buf: Uint8Array, p: number, s: string): number {
  if (p < 0) return p;
  if (p + s.length > buf.length) return NOTE_NO_ROOM;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7f) return NOTE_DECLINED;
    buf[p + i] = c;
  }
  return p + s.length;
}

// An instance's name, `"<process guid>.<index>"` (the index a non-negative integer below 2^31).
function quotedInstance(buf: Uint8Array, p: number, processGuid: string, index: number): number {
  p = unquoted(buf, byte(buf, p, 0x22), processGuid);
  p = digits(buf, byte(buf, p, 0x2e), index);
  return byte(buf, p, 0x22);
}

// A non-negative integer below 2^31 in decimal (what String gives it), without making the string.
function digits(buf: Uint8Array, p: number, n: number): number {
  if (p < 0) return p;
  let len = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
  if (p + len > buf.length) return NOTE_NO_ROOM;
  for (let i = len - 1; i >= 0; i--) {
    buf[p + i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return p + len;
}

function byte(buf: Uint8Array, p: number, b: number): number {
  if (p < 0) return p;
  if (p >= buf.length) return NOTE_NO_ROOM;
  buf[p] = b;
  return p + 1;
}

// The last time written and its text: the notes of one instant (a cell's claims, a pass's
// requests) come together, and writing a fractional time out is the dearest part of a note.
let lastTime = Number.NaN;
let lastTimeText = 'null';
function timeText(t: number): string {
  if (t !== lastTime) {
    lastTimeText = jsonValue(t);
    lastTime = t;
  }
  return lastTimeText;
}

// Notes' kinds and field names, as JSON: a few dozen names written a million times a run, where
// quoting each afresh was a quarter of a note's cost. Bounded, in case a caller ever makes names up.
const QUOTED_NAMES_MAX = 1024;
const quotedNames = new Map<string, string>();
function quotedName(name: string): string {
  let q = quotedNames.get(name);
  if (q === undefined) {
    q = JSON.stringify(name);
    if (quotedNames.size < QUOTED_NAMES_MAX) quotedNames.set(name, q);
  }
  return q;
}

// JSON.stringify itself, for every value a note may hold: a number's text is String's (a non-finite
// one 'null'), a little faster than String and not kept in V8's cache of numbers' strings, where
// each note's time text outlived the young generation (some 20 MiB of a 250k hour's promotions).
function jsonValue(v: string | number | boolean | null): string {
  return JSON.stringify(v);
}
