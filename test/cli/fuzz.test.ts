// Fuzzing the command line's inputs (#25): the bundled scenarios and batches, mutated by a seeded
// stream (test/support/mutate-input.ts), must give exit 0, 1 or 2 only; on 2, one line per problem
// naming the file (and the field); never a stack trace; every run within a time and a memory bound.
// CI runs a fixed budget; `npm run test:soak` (AUCTIONLAB_SOAK=1) ten times as much.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYAML, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/json/problems.js';
import { parseScheduleInput } from '../../src/core/json/schedule-input.js';
import { scenarioDocument } from '../../src/scenario/write.js';
import { BUNDLED_SCENARIOS, parseScenarioText, ScenarioFileError } from '../../src/sim.js';
import { Chooser, damageText, mutateDocument } from '../support/mutate-input.js';

const SOAK = process.env['AUCTIONLAB_SOAK'] !== undefined;
/** Mutated inputs parsed in process, per bundled file. */
const PARSES = SOAK ? 1000 : 100;
/** Mutated inputs run through the CLI, in all. */
const CLI_RUNS = SOAK ? 300 : 24;
/** The longest a CLI run of a mutated input may take (a bundled scenario takes under a second)... */
const TIME_BOUND_MS = 30_000;
/** ... but the 250,000-instance one (soak only) about 25 s on its own. */
const TIME_BOUND_250K_MS = 180_000;
/** Node's heap for each CLI run: a mutation that fills memory dies here instead of passing. */
const HEAP_MB = 1024;
const SEED = process.env['AUCTIONLAB_FUZZ_SEED'] ?? 'auctionlab-fuzz-1';

const BATCHES = ['default', 'boulders-and-pebbles'];
const scenarioText = (name: string) => readFileSync(`scenarios/${name}.yaml`, 'utf8');
const batchText = (name: string) => readFileSync(`scenarios/batches/${name}.json`, 'utf8');

/** A mutated scenario file's text, and what was done to it. */
function mutatedScenario(name: string, c: Chooser): { text: string; what: string } {
  const { doc, what } = mutateDocument(parseYAML(scenarioText(name)) as unknown, c);
  const damaged = damageText(stringify(doc), c);
  return { text: damaged.text, what: [...what, damaged.what].join('; ') };
}

/** A mutated batch file's text, and what was done to it. */
function mutatedBatch(name: string, c: Chooser): { text: string; what: string } {
  const { doc, what } = mutateDocument(JSON.parse(batchText(name)) as unknown, c);
  const damaged = damageText(JSON.stringify(doc, null, 1), c);
  return { text: damaged.text, what: [...what, damaged.what].join('; ') };
}

/** Problems as the CLI prints them: one line each, naming the file first. */
function expectProblemLines(lines: readonly string[], file: string, what: string): void {
  expect(lines.length, what).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line.includes('\n'), `${what}: one line: ${line}`).toBe(false);
    expect(line.startsWith(`${file}: `), `${what}: names the file: ${line}`).toBe(true);
  }
}

describe('mutated scenarios, parsed', () => {
  it.each(BUNDLED_SCENARIOS)('%s: read or refused in one line per problem; what is read prints back the same', (name) => {
    const c = new Chooser(`${SEED}:parse:${name}`);
    // The OpenB trace is a megabyte of YAML: a few mutations of it (all of them in the soak).
    const parses = name === 'alibaba-openb' && !SOAK ? Math.min(PARSES, 4) : PARSES;
    for (let i = 0; i < parses; i++) {
      const { text, what } = mutatedScenario(name, c);
      let scenario;
      try {
        scenario = parseScenarioText(text, 'fuzz.yaml');
      } catch (e) {
        expect(e, `${name} #${i} (${what}) threw ${String(e)}`).toBeInstanceOf(ScenarioFileError);
        expectProblemLines((e as ScenarioFileError).lines, 'fuzz.yaml', `${name} #${i} (${what})`);
        continue;
      }
      // What passes is a scenario that prints and reads back to itself (run --print-scenario).
      expect(parseScenarioText(stringify(scenarioDocument(scenario)), 'printed.yaml'), `${name} #${i} (${what})`).toEqual(scenario);
    }
  });

  it.each(BATCHES)('batch %s: read or refused with field paths', (name) => {
    const c = new Chooser(`${SEED}:batch:${name}`);
    for (let i = 0; i < PARSES; i++) {
      const { text, what } = mutatedBatch(name, c);
      let value: unknown;
      try {
        value = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch {
        continue; // bad JSON: the CLI's one line, tested below
      }
      try {
        parseScheduleInput(value);
      } catch (e) {
        expect(e, `${name} #${i} (${what}) threw ${String(e)}`).toBeInstanceOf(InputError);
        for (const p of (e as InputError).problems) expect(p.message.includes('\n'), `${name} #${i} (${what}): ${p.message}`).toBe(false);
      }
    }
  });
});

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runCliAsync(args: readonly string[], timeout: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, 'dist/src/cli/main.js', ...args], { timeout, env: { ...process.env, CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 }));
  });
}

/** Runs `jobs` at a time. */
async function inTurns<T>(items: readonly (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      while (next < items.length) {
        const k = next++;
        out[k] = await (items[k] as () => Promise<T>)();
      }
    }),
  );
  return out;
}

describe('mutated inputs through the CLI', () => {
  it(
    'exit 0, 1 or 2 only; on 2 one line per problem naming the file; never a stack trace; time and memory bounded',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'auctionlab-fuzz-'));
      const c = new Chooser(`${SEED}:cli`);
      // The 250,000-instance scenario takes half a minute a run: the soak only.
      const scenarios = BUNDLED_SCENARIOS.filter((s) => SOAK || (s !== 'diego-stress-250k' && s !== 'alibaba-openb'));
      // Every sixth a batch for schedule (every other one of those with --explain); the scenarios in
      // turn through run (YAML), run (as JSON), compare (one seed) and run --print-scenario.
      const cases = Array.from({ length: CLI_RUNS }, (_, i) => {
        const batch = i % 6 === 5;
        const name = batch ? c.pick(BATCHES) : c.pick(scenarios);
        const how = batch ? 'schedule' : (['run', 'json', 'compare', 'print', 'run'] as const)[i % 6] ?? 'run';
        const { text, what } = batch ? mutatedBatch(name, c) : mutatedScenario(name, c);
        let body = text;
        if (how === 'json') {
          try {
            body = JSON.stringify(parseYAML(text));
          } catch {
            // Text a YAML reader refuses stays as it is (a .json file of bad JSON).
          }
        }
        const file = join(dir, `${i}-${name}.${batch || how === 'json' ? 'json' : 'yaml'}`);
        writeFileSync(file, body);
        const args =
          how === 'schedule' ? ['schedule', file, ...(i % 12 === 11 ? ['--explain'] : [])] : how === 'compare' ? ['compare', file, '--seeds', '1', '--jobs', '1'] : how === 'print' ? ['run', file, '--print-scenario'] : ['run', file];
        return { file, how, what: `${i} ${name} (${how}): ${what}`, args, timeout: name === 'diego-stress-250k' ? TIME_BOUND_250K_MS : TIME_BOUND_MS };
      });
      const outcomes = await inTurns(cases.map((k) => () => runCliAsync(k.args, k.timeout)), 2);
      outcomes.forEach((o, i) => {
        const k = cases[i]!;
        const said = `${k.what}\n${o.stderr.slice(0, 500)}`;
        expect(o.signal, `${said}: killed (over ${k.timeout} ms?)`).toBeNull();
        expect([0, 1, 2], said).toContain(o.code);
        expect(o.stderr, said).not.toMatch(/^\s+at |Error:|node:internal|FATAL/m);
        if (o.code === 2) expectProblemLines(o.stderr.trimEnd().split('\n'), k.file, said);
        // What a printed scenario says reads back (a file that runs the same).
        else if (k.how === 'print') expect(() => parseScenarioText(o.stdout, 'printed.yaml'), said).not.toThrow();
        else if (k.args.includes('--explain')) expect(o.stdout, said).toMatch(/^\S+ (-> |FAILED: )/);
        else expect(o.stdout, said).toMatch(k.how === 'schedule' ? /Auctions: / : k.how === 'compare' ? /^auctionlab compare / : /Digest: [0-9a-f]{64}/);
      });
    },
    SOAK ? 3_600_000 : 180_000,
  );
});

describe('mutated event logs through auctionlab log', () => {
  it('exit 0 or 2 only; on 2 one line naming the file and the line; never a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auctionlab-fuzz-log-'));
    const source = join(dir, 'events.jsonl');
    const made = await runCliAsync(['run', 'zone-outage', '--duration', '4m', '--log', source], TIME_BOUND_MS);
    expect(made.code).toBe(0);
    const lines = readFileSync(source, 'utf8').trimEnd().split('\n');
    const c = new Chooser(`${SEED}:log`);
    const cases = Array.from({ length: SOAK ? 60 : 6 }, (_, i) => {
      // A few lines of the log, each mutated as a document, then the text damaged.
      const picked = Array.from({ length: 20 }, () => c.pick(lines));
      const mutated = picked.map((l) => JSON.stringify(mutateDocument(JSON.parse(l) as unknown, c).doc));
      const { text, what } = damageText(mutated.join('\n'), c);
      const file = join(dir, `${i}.jsonl`);
      writeFileSync(file, text);
      return { file, what: `log ${i}: ${what}`, args: ['log', file, ...(i % 2 === 1 ? ['--all'] : []), ...(i % 3 === 2 ? ['--app', 'web-0'] : [])] };
    });
    const outcomes = await inTurns(cases.map((k) => () => runCliAsync(k.args, TIME_BOUND_MS)), 2);
    outcomes.forEach((o, i) => {
      const k = cases[i]!;
      const said = `${k.what}\n${o.stderr.slice(0, 300)}`;
      expect([0, 2], said).toContain(o.code);
      expect(o.stderr, said).not.toMatch(/^\s+at |Error:|node:internal|internal error/m);
      if (o.code === 2) {
        const errs = o.stderr.trimEnd().split('\n');
        expect(errs, said).toHaveLength(1);
        expect(errs[0]!.startsWith(`${k.file}:`), said).toBe(true);
      }
    });
  }, SOAK ? 600_000 : 60_000);
});
