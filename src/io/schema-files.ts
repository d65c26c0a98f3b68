// The published JSON Schemas (`schemas/` at the package root, from src or dist).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The names of the published schemas: `schemas/<name>.schema.json`. */
export const SCHEMA_NAMES = ['scenario', 'results'] as const;

/** A published schema's name. */
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** The `schemas/` directory of the package. */
export function schemaDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, 'scenario.schema.json'))) return candidate;
    dir = dirname(dir);
  }
  return join(process.cwd(), 'schemas');
}

/** The text of a published schema. */
export function schemaText(name: SchemaName): string {
  return readFileSync(join(schemaDir(), `${name}.schema.json`), 'utf8');
}
