/**
 * A 32-bit FNV-1a hash of a string, finished with a murmur3 mix so nearby inputs spread well.
 * Used for seeded tie-break ranks and deterministic ids: same input, same number, on any machine.
 */
export function hash32(text: string): number {
  return finish(fnv(0x811c9dc5, text));
}

/**
 * The FNV-1a state after `prefix`: `hash32After(state, text)` is then `hash32(prefix + text)`
 * without building the joined string (a hash per auction, per batch).
 */
export function hash32Prefix(prefix: string): number {
  return fnv(0x811c9dc5, prefix);
}

/** {@link hash32} of a prefix (its {@link hash32Prefix} state) followed by `text`. */
export function hash32After(prefixState: number, text: string): number {
  return finish(fnv(prefixState, text));
}

function fnv(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

// The murmur3 finishing mix.
function finish(state: number): number {
  let h = state;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** {@link hash32} as 8 lower-case hex digits. */
export function hashHex(text: string): string {
  return hash32(text).toString(16).padStart(8, '0');
}
