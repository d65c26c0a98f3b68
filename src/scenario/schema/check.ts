// Checks a scenario document against its schema with ajv: every problem, with its field path, in
// the words and order of the loader (core/json/schema-problems.ts).
import { rankOf, type RankedProblem } from '../../core/json/schema-problems.js';
import { checkAgainst, type CheckedDocument } from './ajv-check.js';
import { scenarioSchema } from './scenario.js';

/** Checks `doc` (modified: ajv fills in defaults) against the scenario schema. */
export function checkScenarioDocument(doc: unknown): CheckedDocument {
  return checkAgainst(scenarioSchema, doc);
}

/** The rank in reading order of a problem at `at` of `doc`. */
export function scenarioRank(doc: unknown, at: readonly (string | number)[], cls: RankedProblem['cls'] = 'node'): number[] {
  return rankOf(scenarioSchema as unknown as Record<string, unknown>, doc, at, cls);
}
