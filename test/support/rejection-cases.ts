// The rejection corpus: seeded mutations of every bundled scenario and of a file with every field,
// each with the lines the loader answers. Recorded once (scripts/record-rejections.ts) from the
// hand-written parser the schemas replaced; test/scenario/rejections.test.ts holds the loader to it.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse as parseYAML, stringify } from 'yaml';
import { BUNDLED_SCENARIOS, parseScenarioText, ScenarioFileError } from '../../src/sim.js';
import { mutateAt, VALID_SCENARIO } from './bad-input-scenario.js';
import { Chooser, mutateDocument } from './mutate-input.js';

/** One mutated scenario: its name (base and number), what was changed, and the document. */
export interface RejectionCase {
  readonly id: string;
  readonly what: readonly string[];
  readonly text: string;
}

/**
 * How long a test that reads the whole corpus may take: the OpenB mutations alone parse a megabyte
 * of YAML each (about 1.2 s here, twice that on CI's machine), so the suite's 60 s is too tight.
 */
export const CORPUS_TEST_TIMEOUT_MS = 240_000;

/** How many mutations of each base document. */
// (The OpenB trace is a megabyte of YAML: a few of its mutations say what its fields say.)
const PER_BASE: Record<string, number> = { 'every-field': 600, 'alibaba-openb': 5 };

/** The corpus, built once per process: five mutations of the 1 MB OpenB trace cost seconds each. */
let built: readonly RejectionCase[] | undefined;

/** The corpus's documents, in a fixed order (seeded: the same on every machine). */
export function rejectionCases(): readonly RejectionCase[] {
  return (built ??= buildCases());
}

function buildCases(): RejectionCase[] {
  const bases: [string, string][] = [
    ['every-field', readFileSync(new URL('../scenario/fixtures/every-field.yaml', import.meta.url), 'utf8')],
    ...BUNDLED_SCENARIOS.map((n): [string, string] => [n, readFileSync(new URL(`../../scenarios/${n}.yaml`, import.meta.url), 'utf8')]),
  ];
  const out: RejectionCase[] = [];
  for (const [name, text] of bases) {
    const doc = parseYAML(text) as unknown;
    for (let i = 0; i < (PER_BASE[name] ?? 80); i++) {
      const { doc: mutated, what } = mutateDocument(doc, new Chooser(`rejections:${name}:${i}`));
      out.push({ id: `${name}:${i}`, what, text: stringify(mutated) });
    }
  }
  // Several slips at once (three to six), so that problems of many fields meet: their order.
  const every = parseYAML(bases[0]![1]) as unknown;
  for (let i = 0; i < 200; i++) {
    const c = new Chooser(`rejections:many:${i}`);
    let doc = every;
    const what: string[] = [];
    for (let k = 0, n = 3 + c.int(4); k < n; k++) {
      const m = mutateDocument(doc, c);
      doc = m.doc;
      what.push(...m.what);
    }
    out.push({ id: `many:${i}`, what, text: stringify(doc) });
  }
  // The bad-input property test's own mutations (any JSON value at any path), a seeded sample.
  fc.sample(fc.tuple(fc.nat(), fc.jsonValue()), { seed: 26, numRuns: 400 }).forEach(([pick, value], i) => {
    out.push({ id: `property:${i}`, what: [`slot ${pick} = ${(JSON.stringify(value) ?? 'undefined').slice(0, 60)}`], text: stringify(mutateAt(VALID_SCENARIO, pick, value)) });
  });
  return out;
}

/** The loader's answer to a case: its problem lines, or `null` if it accepted the file. */
export function answer(c: RejectionCase): readonly string[] | null {
  try {
    parseScenarioText(c.text, 'bad.yaml');
    return null;
  } catch (e) {
    if (e instanceof ScenarioFileError) return e.lines;
    throw e;
  }
}
