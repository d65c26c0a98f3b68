// Checks a scenario document against its schema with ajv: every problem, with its field path, in
// the words and order of the loader (core/json/schema-problems.ts).
import { Ajv, type ValidateFunction } from 'ajv';
import { rankOf, schemaProblems, withFallbacks, type RankedProblem } from '../../core/json/schema-problems.js';
import { AJV_OPTIONS } from './ajv-options.js';
import { scenarioSchema } from './scenario.js';

let validate: ValidateFunction | undefined;

/** A checked document: the value with its defaults, the schema's problems, and the value as the reader may use it. */
export interface CheckedScenario {
  /** Problems found by the schema, ranked. */
  readonly problems: readonly RankedProblem[];
  /** The document with schema defaults, and fallbacks where a problem was found. */
  readonly value: unknown;
}

/** Checks `doc` (modified: ajv fills in defaults) against the scenario schema. */
export function checkScenarioDocument(doc: unknown): CheckedScenario {
  validate ??= new Ajv({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code } }).compile(scenarioSchema);
  if (validate(doc)) return { problems: [], value: doc };
  const problems = schemaProblems(scenarioSchema as unknown as Record<string, unknown>, doc, validate.errors ?? []);
  return { problems, value: withFallbacks(scenarioSchema as unknown as Record<string, unknown>, doc, problems) };
}

/** The rank in reading order of a problem at `at` of `doc`. */
export function scenarioRank(doc: unknown, at: readonly (string | number)[], cls: RankedProblem['cls'] = 'node'): number[] {
  return rankOf(scenarioSchema as unknown as Record<string, unknown>, doc, at, cls);
}
