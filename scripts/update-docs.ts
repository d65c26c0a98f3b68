// Rewrites the generated parts of the docs: the event kinds table in scenarios/README.md, from the
// registry in src/sim/events. `npm run docs`; test/sim/events/docs.test.ts fails while it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { withEventKindsTable } from '../src/sim/events/docs.js';

const file = 'scenarios/README.md';
const next = withEventKindsTable(readFileSync(file, 'utf8'));
if (next === undefined) {
  console.error(`${file}: the event kinds markers are missing`);
  process.exit(1);
}
writeFileSync(file, next);
console.log(`${file}: event kinds table written`);
