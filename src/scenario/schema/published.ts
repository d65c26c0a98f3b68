// The scenario schema as it is published (schemas/scenario.schema.json, `auctionlab schema
// scenario`): plain JSON Schema (draft-07, which editors read best), without the loader's messages (kept under a symbol).
import { scenarioSchema } from './scenario.js';

/** The published scenario schema's `$id` (a name, not an address: editors find the file by the path a scenario gives). */
export const SCENARIO_SCHEMA_ID = 'urn:auctionlab:schema:scenario';

/** The scenario file's JSON Schema, as editors and other tools read it. */
export function publishedScenarioSchema(): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(scenarioSchema)) as Record<string, unknown>;
  // A JSON scenario may name this schema in the file, as JSON editors expect; the loader ignores it.
  plain['properties'] = { $schema: { type: 'string', description: 'The JSON Schema this file follows, for editors (auctionlab ignores it).' }, ...(plain['properties'] as object) };
  // No title: yaml-language-server names every untitled part by the root's title in its messages.
  return { $schema: 'http://json-schema.org/draft-07/schema#', $id: SCENARIO_SCHEMA_ID, ...plain };
}
