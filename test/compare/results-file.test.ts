// The published results schema (schemas/results.schema.json, generated from ResultsFile): the
// results.json of every bundled scenario's run, and of a comparison, are valid against it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS } from '../../src/sim.js';
import { runCli } from '../cli/run-cli.js';

const schema = JSON.parse(readFileSync('schemas/results.schema.json', 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false }).compile(schema);
const dir = mkdtempSync(join(tmpdir(), 'auctionlab-results-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problems(file: string): string[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  return validate(doc) ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? e.keyword}`);
}

describe("results.json against schemas/results.schema.json", () => {
  it.each(BUNDLED_SCENARIOS)("a run of %s", (name) => {
    const out = join(dir, name);
    // Diego's 250k drill: its first minute (the cold start) is the same file's shape at a fifth of the time.
    // The OpenB trace: its first ten minutes (the file's shape is the same; few pods have arrived by then).
    const r = runCli(['run', name, '--out', out, ...(name === 'diego-stress-250k' ? ['--duration', '1m'] : name === 'alibaba-openb' ? ['--duration', '10m'] : [])]);
    expect(r.stderr.replace(/^--duration (1m|10m): .*\n/, '')).toBe('');
    expect(problems(join(out, 'results.json'))).toEqual([]);
  }, 60_000);

  it('a comparison, and a file that is not results is refused with a path', () => {
    const out = join(dir, 'compare');
    const r = runCli(['compare', 'default', '--strategies', 'diego,first-fit', '--seeds', '2', '--duration', '2m', '--out', out]);
    expect(r.code).toBe(0);
    expect(problems(join(out, 'results.json'))).toEqual([]);
    expect(validate({ kind: 'auctionlab-run', version: '0' })).toBe(false);
  }, 60_000);
});
