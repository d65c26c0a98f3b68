// Folders shipped at the package root (`scenarios/`, `schemas/`), found from src or dist alike.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's folder `name`: the first `<ancestor>/<name>` holding `marker`, walking up from this
 * file (src/io or dist/src/io); the working directory's `name` if none does.
 */
export function packageFolder(name: string, marker: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, marker))) return candidate;
    dir = dirname(dir);
  }
  return join(process.cwd(), name);
}
