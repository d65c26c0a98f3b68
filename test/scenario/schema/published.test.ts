// The published scenario schema (schemas/scenario.schema.json): up to date, every bundled scenario
// valid against it with a plain ajv (as an editor's language server checks it), a typo named by its
// field path, and never stricter than the loader (an editor must not underline a file that runs).
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYAML } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS, LARGE_BUNDLED_SCENARIOS, parseScenarioText } from '../../../src/sim.js';
import { answer, CORPUS_TEST_TIMEOUT_MS, rejectionCases } from '../../support/rejection-cases.js';
import { schemaTexts } from '../../../scripts/schema-texts.js';

const published = JSON.parse(readFileSync('schemas/scenario.schema.json', 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false }).compile(published);
const errorsOf = (doc: unknown): ErrorObject[] => (validate(doc) ? [] : (validate.errors ?? []));

describe('schemas/', () => {
  it('are up to date with the schema the loader checks and the type of results.json (npx tsx scripts/update-schemas.ts)', () => {
    for (const [file, text] of Object.entries(schemaTexts())) expect(readFileSync(`schemas/${file}`, 'utf8'), file).toBe(text);
  });
});

describe('the published scenario schema', () => {
  it.each([...BUNDLED_SCENARIOS, ...LARGE_BUNDLED_SCENARIOS])('%s is valid, and names the schema for editors on its first line', (name) => {
    const text = readFileSync(`scenarios/${name}.yaml`, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/scenario.schema.json');
    expect(errorsOf(parseYAML(text))).toEqual([]);
  });

  it('names a typo by its field path, as an editor underlines it', () => {
    const doc = parseYAML('cells:\n  - count: 2\n    memoryMb: 1024\napps:\n  - { name: web, instances: two }\nevents:\n  - { at: 1m, kil: { ids: [cell-00] } }\n') as unknown;
    const found = errorsOf(doc).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`);
    expect(found).toContain('/cells/0 additionalProperties {"additionalProperty":"memoryMb"}');
    expect(found).toContain('/apps/0/instances type {"type":"integer"}');
    expect(found).toContain('/events/0 additionalProperties {"additionalProperty":"kil"}');
  });

  it('lets a JSON scenario name it with "$schema", as JSON editors expect; the loader ignores that key', () => {
    const doc = { $schema: '../schemas/scenario.schema.json', cells: [{ count: 2 }] };
    expect(errorsOf(structuredClone(doc))).toEqual([]);
    expect(parseScenarioText(JSON.stringify(doc), 'x.json').cells[0]!.count).toBe(2);
    // Anything else under that name is still an unknown field.
    expect(() => parseScenarioText(JSON.stringify({ ...doc, $schema: 5 }), 'x.json')).toThrow('x.json: $schema: unknown field (expected one of: name,');
  });

  it('gives editors completions: every field has a description, and defaults where Diego has one', () => {
    const props = published['properties'] as Record<string, { description?: string; default?: unknown }>;
    for (const [k, v] of Object.entries(props)) expect(v.description, k).toBeTruthy();
    expect(props['duration']?.default).toBe('10m');
    const group = (props['cells'] as unknown as { items: { properties: Record<string, { default?: unknown; description?: string }> } }).items.properties;
    expect(group['memoryMB']).toMatchObject({ default: 32768, description: 'Memory per cell (MB).' });
  });

  it('is never stricter than the loader, and every file it refuses, the loader refuses (the rejection corpus)', () => {
    let refused = 0;
    for (const c of rejectionCases()) {
      const schemaSays = errorsOf(parseYAML(c.text));
      const loaderSays = answer(c);
      if (loaderSays === null) expect(schemaSays, `${c.id}: ${c.what.join('; ')}`).toEqual([]);
      if (schemaSays.length > 0) {
        refused++;
        expect(loaderSays, c.id).not.toBeNull();
      }
    }
    // Most refusals are the schema's (the rest need the whole scenario: references, caps, orders).
    expect(refused).toBeGreaterThan(700);
  }, CORPUS_TEST_TIMEOUT_MS);
});
