// Writes schemas/scenario.schema.json (from the TypeBox schema the loader checks with) and
// schemas/results.schema.json (from the TypeScript type of results.json, ResultsFile, by
// ts-json-schema-generator). test/schemas/schemas.test.ts fails while either is out of date.
//   npm run schemas   (or: npx tsx scripts/update-schemas.ts --check, to only check)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaTexts } from './schema-texts.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const [file, text] of Object.entries(schemaTexts())) {
  const path = fileURLToPath(new URL(`../schemas/${file}`, import.meta.url));
  let old = '';
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    // Not written yet.
  }
  if (old === text) continue;
  stale++;
  if (check) console.error(`schemas/${file} is out of date: run npx tsx scripts/update-schemas.ts`);
  else {
    writeFileSync(path, text);
    console.log(`wrote schemas/${file}`);
  }
}
process.exit(check && stale > 0 ? 1 : 0);
