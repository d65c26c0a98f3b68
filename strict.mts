import { createGenerator } from 'ts-json-schema-generator';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
const g = createGenerator({ path: 'src/compare/results-file.ts', tsconfig: 'tsconfig.json', type: 'ResultsFile', skipTypeCheck: true, additionalProperties: false, sortProps: false }).createSchema('ResultsFile') as any;
delete g.$schema;
const nn = (n: any): any => Array.isArray(n) ? n.map(nn) : n && typeof n === 'object' ? Object.fromEntries(Object.entries(n).map(([k, v]) => [k, k === 'type' && v === 'number' ? ['number', 'null'] : nn(v)])) : n;
const v = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false }).compile(nn(g));
for (const f of process.argv.slice(2)) {
  const doc = JSON.parse(readFileSync(f, 'utf8'));
  const ok = v(doc);
  const errs = (v.errors ?? []).filter((e) => !(e.keyword === 'anyOf' && e.instancePath === ''));
  const uniq = new Map<string, string>();
  for (const e of errs) { const k = e.instancePath.replace(/\/\d+/g, '/N') + ' ' + e.message + ' ' + JSON.stringify(e.params); if (!uniq.has(k)) uniq.set(k, e.schemaPath); }
  console.log(f, ok ? 'VALID' : 'INVALID\n  ' + [...uniq].slice(0, 15).map(([k, s]) => k + ' [' + s + ']').join('\n  '));
}
