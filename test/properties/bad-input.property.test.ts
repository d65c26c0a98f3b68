// Bad input as a property: whatever the document, the loaders answer with precise problems
// (an InputError or a ScenarioFileError), never another exception, never a hang.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InputError, parseScheduleInput } from '../../src/index.js';
import { parseScenarioText, ScenarioFileError } from '../../src/sim.js';
import { mutateAt, VALID_SCENARIO } from '../support/bad-input-scenario.js';
import { cell, lrps, task } from '../support/fixtures.js';

const RUNS = process.env['AUCTIONLAB_SOAK'] ? 2000 : 200;

const validBatch = { cells: [cell('a'), cell('b')], lrps: [lrps('web', 2)], tasks: [task('t')] };

function answersCleanly(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) expect(e.problems.length).toBeGreaterThan(0);
    else if (e instanceof ScenarioFileError) expect(e.lines.every((l) => l.startsWith('bad.yaml: '))).toBe(true);
    else throw e;
  }
}

describe('bad input never crashes the loaders', () => {
  it('scenario files: a mutated field anywhere gets a precise answer', () => {
    fc.assert(
      fc.property(fc.nat(), fc.jsonValue(), (pick, value) => {
        answersCleanly(() => parseScenarioText(stringify(mutateAt(VALID_SCENARIO, pick, value)), 'bad.yaml'));
      }),
      { numRuns: RUNS },
    );
  });

  it('scenario files: arbitrary text gets a precise answer', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.jsonValue().map((v) => stringify(v))), (text) => {
        answersCleanly(() => parseScenarioText(text, 'bad.yaml'));
      }),
      { numRuns: RUNS },
    );
  });

  it('batch files: a mutated field anywhere, or any JSON at all, gets a precise answer', () => {
    fc.assert(
      fc.property(fc.nat(), fc.jsonValue(), (pick, value) => {
        answersCleanly(() => parseScheduleInput(mutateAt(validBatch, pick, value)));
        answersCleanly(() => parseScheduleInput(value));
      }),
      { numRuns: RUNS },
    );
  });
});
