import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
const s = JSON.parse(readFileSync('schemas/scenario.schema.json', 'utf8'));
const ajv = new Ajv({ strict: false });
const walk = (n: any, p: string) => {
  if (!n || typeof n !== 'object') return;
  if (!Array.isArray(n) && 'default' in n) {
    const { default: d, ...rest } = n;
    const ok = ajv.validate(rest, d);
    if (!ok) console.log('BAD default at', p, JSON.stringify(d), ajv.errorsText());
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'default') walk(v, p + '/' + k);
};
walk(s, '');
console.log('done');
const r = JSON.parse(readFileSync('schemas/results.schema.json', 'utf8'));
console.log(Object.keys(r), JSON.stringify(r.anyOf ?? r.$ref).slice(0, 200));
