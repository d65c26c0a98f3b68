import { parseScenarioText } from './src/sim.ts';
for (const n of [500, 1000, 1500, 2000, 2500, 3000, 4000]) {
  let d: any = 1; for (let i = 0; i < n; i++) d = { a: d };
  let e = 'ok'; try { structuredClone(d); } catch (x: any) { e = x.name + ' ' + x.message; }
  const text = 'cells: [{count: 1}]\nfoo: ' + JSON.stringify(d);
  let p = ''; try { parseScenarioText(text, 'x.json'); } catch (x: any) { p = x.lines ? x.lines.join(' | ').slice(0, 160) : 'CRASH ' + x; }
  console.log(n, 'clone:', e, '\n   parse:', p);
}
