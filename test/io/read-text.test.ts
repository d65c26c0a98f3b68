import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTextFile } from '../../src/io/read-text.js';

describe('readTextFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auctionlab-read-'));
  it('drops a UTF-8 byte-order mark (Windows editors write one; JSON.parse rejects it)', () => {
    const f = join(dir, 'bom.json');
    writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a": 1}')]));
    expect(readTextFile(f)).toEqual({ text: '{"a": 1}' });
  });

  it('keeps everything else, and says in a few words why a file cannot be read', () => {
    const f = join(dir, 'plain.txt');
    writeFileSync(f, 'x\ufeffy');
    expect(readTextFile(f)).toEqual({ text: 'x\ufeffy' });
    expect(readTextFile(join(dir, 'nope'))).toEqual({ reason: 'no such file' });
    expect(readTextFile(dir)).toEqual({ reason: 'is a directory' });
  });
});
