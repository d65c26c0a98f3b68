import { parseScenarioText } from './src/sim.ts';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
const schema = JSON.parse(readFileSync('schemas/scenario.schema.json', 'utf8'));
const ajv = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false });
const v = ajv.compile(schema);
const cases: string[] = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
for (const c of cases) {
  let loader: string;
  try { parseScenarioText(c, 'x.yaml'); loader = 'accept'; } catch (e: any) { loader = 'refuse: ' + (e.lines ?? [String(e)]).join(' | ').slice(0, 200); }
  const doc = parse(c);
  const ok = v(doc);
  const sch = ok ? 'accept' : 'refuse: ' + JSON.stringify(v.errors?.slice(0, 3).map((e) => e.instancePath + ' ' + e.message));
  const flag = loader === 'accept' && !ok ? 'STRICTER ' : loader !== 'accept' && ok ? 'looser   ' : '         ';
  console.log(flag + JSON.stringify(c) + '\n     loader: ' + loader + '\n     schema: ' + sch);
}
