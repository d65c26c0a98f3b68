import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
const schema = JSON.parse(readFileSync('schemas/results.schema.json', 'utf8'));
const ajv = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false });
const v = ajv.compile(schema);
for (const f of process.argv.slice(2)) {
  const doc = JSON.parse(readFileSync(f, 'utf8'));
  const ok = v(doc);
  // anyOf at root: show errors for branch matching kind
  const errs = (v.errors ?? []).filter((e) => !(e.keyword === 'anyOf' && e.instancePath === ''));
  console.log(f, ok ? 'VALID' : 'INVALID ' + JSON.stringify(errs.slice(0, 12).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)} [${e.schemaPath}]`), null, 1));
}
