// What a user sees in an editor: yaml-language-server (VS Code's YAML extension runs it) reads a
// scenario's `# yaml-language-server: $schema=...` line, underlines mistakes where they are, and
// completes field names from schemas/scenario.schema.json.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YamlLanguageServer } from '../../support/yaml-language-server.js';

const server = new YamlLanguageServer();
beforeAll(() => server.start(), 30_000);
afterAll(() => server.close());

// As if the file were in scenarios/, beside the bundled ones (the server only reads it from memory).
const at = (name: string) => resolve('scenarios', name);
const LINE = '# yaml-language-server: $schema=../schemas/scenario.schema.json\n';

describe('a scenario in an editor', () => {
  it('has each mistake underlined where it is: a typo, a value of the wrong type, an unknown event kind', async () => {
    const text = `${LINE}cells:\n  - count: 2\n    memoryMb: 1024\napps:\n  - { name: web, instances: two }\nevents:\n  - { at: 1m, kil: { ids: [cell-00] } }\n`;
    const found = await server.open(at('typo.yaml'), text);
    const where = found.map((d) => `${d.line}:${d.character} ${d.message}`);
    expect(where).toContain('3:4 Property memoryMb is not allowed.');
    expect(where).toContain('5:28 Incorrect type. Expected "integer".');
    expect(where).toContain('7:14 Property kil is not allowed.');
  }, 30_000);

  it('has nothing underlined in a bundled scenario', async () => {
    expect(await server.open(at('zone-outage-copy.yaml'), readFileSync('scenarios/zone-outage.yaml', 'utf8'), 5_000)).toEqual([]);
  }, 30_000);

  it("completes a cell group's fields", async () => {
    await server.open(at('complete.yaml'), `${LINE}cells:\n  - count: 2\n    \n`, 5_000);
    const labels = await server.complete(at('complete.yaml'), 3, 4);
    expect(labels).toEqual(expect.arrayContaining(['memoryMB', 'diskMB', 'zones', 'placementTags']));
  }, 30_000);
});
