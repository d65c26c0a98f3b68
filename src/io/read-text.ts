import { readFileSync } from 'node:fs';

/**
 * Reads a text file, or returns why it could not be read in a few words (`no such file`,
 * `is a directory`, `permission denied`), for one-line error messages. A UTF-8 byte-order mark
 * (which Windows editors write) is dropped: JSON.parse would reject it.
 */
export function readTextFile(file: string): { text: string } | { reason: string } {
  try {
    const text = readFileSync(file, 'utf8');
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    return { reason };
  }
}
