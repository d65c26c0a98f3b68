// Bad input as a property: whatever the document, the loaders answer with precise problems
// (an InputError or a ScenarioFileError), never another exception, never a hang.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InputError, parseScheduleInput } from '../../src/index.js';
import { parseScenarioText, ScenarioFileError } from '../../src/sim.js';
import { cell, lrps, task } from '../support/fixtures.js';

const RUNS = process.env['AUCTIONLAB_SOAK'] ? 2000 : 200;

const validScenario = {
  duration: '1m',
  cells: [{ count: 2, zones: ['z1', 'z2'], memoryMB: 1024 }],
  apps: [{ name: 'web', instances: 2, crash: { probability: 0.5, after: { uniform: ['10s', '20s'] } } }],
  tasks: [{ name: 'job', perSecond: 1, duration: { exponential: '5s' } }],
  events: [{ at: '30s', kill: { ids: ['cell-00'] } }, { at: '40s', scale: { app: 'web', instances: 3 } }],
  expect: { converged: true },
};
const validBatch = { cells: [cell('a'), cell('b')], lrps: [lrps('web', 2)], tasks: [task('t')] };

/** Replaces the value at a random path of `doc` with `value`. */
function mutate(doc: unknown, pick: number, value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) {
      x.forEach((v, i) => {
        slots.push([x, i]);
        walk(v);
      });
    } else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        slots.push([x as Record<string, unknown>, k]);
        walk(v);
      }
    }
  };
  walk(copy);
  const [holder, key] = slots[pick % slots.length]!;
  (holder as Record<string | number, unknown>)[key] = value;
  return copy;
}

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
        answersCleanly(() => parseScenarioText(stringify(mutate(validScenario, pick, value)), 'bad.yaml'));
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
        answersCleanly(() => parseScheduleInput(mutate(validBatch, pick, value)));
        answersCleanly(() => parseScheduleInput(value));
      }),
      { numRuns: RUNS },
    );
  });
});
