import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The most a text file may hold unless the caller says less: past this V8 cannot make the string. */
export const MAX_TEXT_BYTES = 512 * 1024 * 1024;

const CHUNK = 1024 * 1024;

/**
 * Reads a text file, or returns why it could not be read in a few words (`no such file`,
 * `is a directory`, `permission denied`, `over 256 MiB`), for one-line error messages. A UTF-8
 * byte-order mark (which Windows editors write) is dropped: JSON.parse would reject it. At most
 * `maxBytes` are read, from a regular file or anything else (a pipe, `/dev/zero`, which never ends);
 * past them the reason says so and `tooBig` is set.
 */
export function readTextFile(file: string, maxBytes = MAX_TEXT_BYTES): { text: string } | { reason: string; tooBig?: true } {
  const tooBig = { reason: `over ${Math.round(maxBytes / 1024 / 1024)} MiB`, tooBig: true as const };
  let fd = -1;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (st.isDirectory()) return { reason: 'is a directory' };
    if (st.isFile() && st.size > maxBytes) return tooBig;
    // Chunks until the end, or until past the limit (a device's size says nothing).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return tooBig;
      chunks.push(n === CHUNK ? buf : buf.subarray(0, n));
    }
    const text = Buffer.concat(chunks, total).toString('utf8');
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    return { reason };
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
