import { readFileSync } from 'node:fs';

/**
 * Reads a text file, or returns why it could not be read in a few words (`no such file`,
 * `is a directory`, `permission denied`), for one-line error messages.
 */
export function readTextFile(file: string): { text: string } | { reason: string } {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    return { reason };
  }
}
