/**
 * A 32-bit FNV-1a hash of a string, finished with a murmur3 mix so nearby inputs spread well.
 * Used for seeded tie-break ranks and deterministic ids: same input, same number, on any machine.
 */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
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
