import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/json/problems.js';
import { loadStrategy } from '../../src/io/load-strategy.js';

/** The problems of loading a module with these settings specs and summary. */
async function problems(settings: string, summary = "'one line'"): Promise<string[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'auctionlab-specs-')), 's.mjs');
  writeFileSync(file, `export default { name: 's', summary: ${summary}, settings: ${settings}, *auction() { return { placed: [], failed: [], cellsScored: 0 }; } };\n`);
  try {
    await loadStrategy(file);
    return [];
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((p) => p.message.slice(file.length + 2));
    throw e;
  }
}

describe("a strategy module's settings specs, checked when it loads", () => {
  const spec = (o: string) => `[{ name: 'x', default: 1, min: 0, max: 2, integer: true, description: 'd', ${o} }]`;

  it('a sound spec loads', async () => {
    expect(await problems(spec(''))).toEqual([]);
  });

  it('prototype names cannot name a setting (settings live in plain objects)', async () => {
    expect(await problems(spec("name: '__proto__'"))).toEqual(['settings[0].name: __proto__ cannot name a setting']);
    expect(await problems(spec("name: 'constructor'"))).toEqual(['settings[0].name: constructor cannot name a setting']);
  });

  it('texts are one line; numbers are numbers', async () => {
    expect(await problems('[]', "'two\\nlines'")).toEqual(['summary: expected one line of text, got "two\\nlines"']);
    expect(await problems(spec("min: '0', max: NaN"))).toEqual(['settings[0].min: expected a number, got "0"', 'settings[0].max: expected a number, got null']);
  });
});
