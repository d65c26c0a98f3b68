import { parseScenarioText as newP } from './src/sim.ts';
import { parseScenarioText as oldP } from '/tmp/old/src/sim.ts';
function run(p: any, text: string) {
  try { p(text, 'x.yaml'); return 'OK'; }
  catch (e: any) { return (e?.name ?? 'ERR') + ': ' + (e?.lines ? e.lines.join(' | ').slice(0, 300) : String(e?.stack).split('\n').slice(0,3).join(' / ')); }
}
const deep = (n: number, open: string, close: string, inner = '1') => open.repeat(n) + inner + close.repeat(n);
const cases: [string, string][] = [
  ['deep list unknown 5000', 'cells: [{count: 1}]\nfoo: ' + deep(5000, '[', ']')],
  ['deep list settings 5000', 'cells: [{count: 1}]\nsettings: {a: ' + deep(5000, '[', ']') + '}'],
  ['deep json 5000 in events', 'cells: [{count: 1}]\nevents: [{at: 1, kill: ' + deep(5000, '{"a":', '}') + '}]'],
  ['deep list 50000', 'cells: [{count: 1}]\nfoo: ' + deep(50000, '[', ']')],
  ['long events list', 'cells: [{count: 1}]\nevents:\n' + Array.from({ length: 200001 }, (_, i) => `- {at: 1, killAuctioneer: true}`).join('\n')],
  ['long bad events list', 'cells: [{count: 1}]\nevents:\n' + Array.from({ length: 20000 }, (_, i) => `- {at: x, kill: 5}`).join('\n')],
  ['long apps', 'cells: [{count: 1}]\napps:\n' + Array.from({ length: 100000 }, (_, i) => `- {name: a${i}}`).join('\n')],
  ['many dup apps', 'cells: [{count: 1}]\napps:\n' + Array.from({ length: 20000 }, (_, i) => `- {name: a}`).join('\n')],
  ['many ids', 'cells: [{count: 1}]\nevents: [{at: 1, kill: {ids: [' + Array.from({ length: 100000 }, (_, i) => `c${i}`).join(',') + ']}}]'],
  ['anchors billion laughs', 'a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\ncells: [{count: 1}]'],
  ['alias shared cell', 'x: &c {count: 1}\ncells: [*c, *c]'],
  ['alias shared cells', 'cells: [&c {count: 1}, *c]'],
  ['alias shared app', 'cells: [{count: 1}]\napps: [&a {name: a, push: true}, *a]'],
  ['alias shared dist', 'cells: [{count: 1}]\nstartup: &d {uniform: [1s, 2s]}\nnetwork: {latency: *d}'],
  ['alias shared bad dist', 'cells: [{count: 1}]\nstartup: &d {uniform: [3s, 2s]}\nnetwork: {latency: *d}'],
  ['alias shared app bad', 'cells: [{count: 1}]\napps: [&a {name: a, count: x}, *a]'],
  ['alias shared events defaults', 'cells: [{count: 1}]\napps: [{name: a}]\nevents: [&e {at: 1s, deploy: {app: a}}, *e]'],
  ['alias shared task', 'cells: [{count: 1}]\nevents: [{at: 1s, task: &t {name: t}}, {at: 2s, task: *t}]'],
  ['recursive alias', 'cells: &c [{count: 1, zones: *c}]'],
  ['dup key', 'cells: [{count: 1}]\ncells: [{count: 2}]'],
  ['merge key', 'base: &b {count: 1}\ncells: [{<<: *b}]'],
  ['merge key 2', 'cells: [{<<: {count: 1}}]'],
  ['tag', 'cells: [{count: !!str 1}]'],
  ['binary', 'cells: [{count: 1}]\nname: !!binary aGVsbG8='],
  ['timestamp', 'cells: [{count: 1}]\nname: !!timestamp 2001-12-14'],
  ['set', 'cells: [{count: 1}]\nsettings: !!set {a}'],
  ['omap', 'cells: [{count: 1}]\nsettings: !!omap [{a: 1}]'],
  ['pairs', 'cells: [{count: 1}]\nsettings: !!pairs [{a: 1}]'],
  ['map key', 'cells: [{count: 1}]\nsettings: {[a]: 1}'],
  ['map key obj', 'cells: [{count: 1}]\nsettings: {{a: 1}: 1}'],
  ['null key', 'cells: [{count: 1}]\nsettings: {~: 1}'],
  ['num key', 'cells: [{count: 1}]\nsettings: {1: 1}'],
  ['key slash tilde', 'cells: [{count: 1}]\nsettings: {"a/b~c": x}'],
  ['unknown key slash', 'cells: [{count: 1}]\n"a/b~1": x'],
  ['unknown key dot', 'cells: [{count: 1, "a.b[0]": 1}]'],
  ['settings key dot bad', 'cells: [{count: 1}]\nsettings: {"a.b": x, "c[0]": y}'],
  ['empty key', 'cells: [{count: 1}]\n"": 1'],
  ['non-ascii key', 'cells: [{count: 1}]\n"ñame": 1\nname: "日本語"'],
  ['emoji name', 'cells: [{count: 1}]\napps: [{name: "😀"}]\nevents: [{at: 1s, scale: {app: "😀", instances: 2}}]'],
  ['lone surrogate', 'cells: [{count: 1}]\nname: "\\ud800"'],
  ['empty doc', ''],
  ['comment only', '# hi'],
  ['multi doc', 'cells: [{count: 1}]\n---\ncells: [{count: 2}]'],
  ['huge number', 'cells: [{count: 1}]\nseed: 123456789012345678901234567890'],
  ['huge dur str', 'cells: [{count: 1}]\nduration: "' + '9'.repeat(400) + 'ms"'],
  ['huge dur str allow', 'cells: [{count: 1}]\nduration: "' + '9'.repeat(400) + 'h"'],
  ['long dur str', 'cells: [{count: 1}]\nduration: "' + '1ms'.repeat(100000) + '"'],
  ['regex dos', 'cells: [{count: 1}]\nduration: "' + '1'.repeat(50000) + 'x"'],
  ['regex dos 2', 'cells: [{count: 1}]\nduration: "' + '1.1'.repeat(20000) + '"'],
  ['long name', 'cells: [{count: 1}]\nname: "' + 'x'.repeat(1000000) + '"'],
  ['percent huge', 'cells: [{count: 1}]\nevents: [{at: 1s, kill: "' + '9'.repeat(400) + '%"}]'],
  ['percent dos', 'cells: [{count: 1}]\nevents: [{at: 1s, kill: "' + '1'.repeat(50000) + 'x"}]'],
];
for (const [n, c] of cases) {
  const t0 = Date.now(); const a = run(oldP, c); const t1 = Date.now(); const b = run(newP, c); const t2 = Date.now();
  console.log((a === b ? 'SAME ' : 'DIFF ') + n + ` (old ${t1 - t0}ms new ${t2 - t1}ms)\n  new: ` + b + (a === b ? '' : '\n  old: ' + a));
}
