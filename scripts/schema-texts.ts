// The text of each published schema, as scripts/update-schemas.ts writes it and the schema test
// compares it.
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';
import { publishedScenarioSchema } from '../src/scenario/schema/published.js';
import { RESULTS_SCHEMA_ID } from '../src/compare/results-schema-id.js';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** The results file's JSON Schema, generated from its TypeScript type (TSDoc comments become descriptions). */
export function resultsSchema(): Record<string, unknown> {
  const generated = createGenerator({ path: root('src/compare/results-file.ts'), tsconfig: root('tsconfig.json'), type: 'ResultsFile', skipTypeCheck: true, additionalProperties: true, sortProps: false }).createSchema('ResultsFile');
  const { $schema: _drop, ...rest } = generated as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: RESULTS_SCHEMA_ID,
    title: 'auctionlab results.json',
    description: "The results of auctionlab run --out, compare --out or merge. A figure that has no value (a mean of no runs, NaN in the program) is null, as JSON writes it.",
    ...(nullableNumbers(rest) as Record<string, unknown>),
  };
}

// JSON has no NaN or Infinity: JSON.stringify writes them as null, so every number may be null.
function nullableNumbers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableNumbers);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'type' && v === 'number' ? ['number', 'null'] : nullableNumbers(v);
  return out;
}

/** File name to text, for every published schema. */
export function schemaTexts(): Record<string, string> {
  return {
    'scenario.schema.json': `${JSON.stringify(publishedScenarioSchema(), null, 2)}\n`,
    'results.schema.json': `${JSON.stringify(resultsSchema(), null, 2)}\n`,
  };
}
