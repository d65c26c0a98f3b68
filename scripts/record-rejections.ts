// Records the rejection corpus's answers (test/scenario/fixtures/rejections.json) from the loader
// as it is. Run it only when a message changes on purpose, and say why in the commit.
//   npx tsx scripts/record-rejections.ts
import { writeFileSync } from 'node:fs';
import { answer, rejectionCases } from '../test/support/rejection-cases.js';

const cases = rejectionCases();
const answers = cases.map((c) => ({ id: c.id, what: c.what, lines: answer(c) }));
writeFileSync(new URL('../test/scenario/fixtures/rejections.json', import.meta.url), `[\n${answers.map((a) => JSON.stringify(a)).join(',\n')}\n]\n`);
const rejected = answers.filter((a) => a.lines !== null).length;
console.log(`${answers.length} cases, ${rejected} rejected, ${answers.length - rejected} accepted`);
