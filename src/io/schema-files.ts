// The published JSON Schemas (`schemas/` at the package root, from src or dist).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageFolder } from './package-folder.js';

/** The names of the published schemas: `schemas/<name>.schema.json`. */
export const SCHEMA_NAMES = ['scenario', 'results'] as const;

/** A published schema's name. */
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** The `schemas/` directory of the package. */
export function schemaDir(): string {
  return packageFolder('schemas', 'scenario.schema.json');
}

/** The text of a published schema. */
export function schemaText(name: SchemaName): string {
  return readFileSync(join(schemaDir(), `${name}.schema.json`), 'utf8');
}
