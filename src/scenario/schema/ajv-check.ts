// The loader's ajv: how it is set up, and a document checked against a schema with it (the whole
// scenario, or one event body on its own), each schema compiled once.
import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import { schemaProblems, withFallbacks, type RankedProblem } from '../../core/json/schema-problems.js';

/**
 * The ajv options of the loader: every error, defaults filled in, finite numbers only. The generated
 * code is not optimised: that halves the compile every command pays once (110 -> 60 ms) and costs
 * nothing measurable in checking (bench/scenario-parse.ts).
 */
export const AJV_OPTIONS = Object.freeze({ allErrors: true, useDefaults: true, strictNumbers: true, strictTypes: false, strictTuples: false, code: Object.freeze({ optimize: false }) });

/** A checked document: the schema's problems, and the value as the readers may use it. */
export interface CheckedDocument {
  /** Problems found by the schema, with where they sort. */
  readonly problems: readonly RankedProblem[];
  /** The document with schema defaults, and fallbacks where a problem was found. */
  readonly value: unknown;
}

const compiled = new WeakMap<TSchema, ValidateFunction>();

/** Checks `doc` (modified: ajv fills in defaults) against `schema`. */
export function checkAgainst(schema: TSchema, doc: unknown): CheckedDocument {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = new Ajv({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code } }).compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(doc)) return { problems: [], value: doc };
  const node = schema as unknown as Record<string, unknown>;
  const problems = schemaProblems(node, doc, validate.errors ?? []);
  return { problems, value: withFallbacks(node, doc, problems) };
}

