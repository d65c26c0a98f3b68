import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('auctionlab schema', () => {
  it('prints the scenario and results schemas, the same as the files in schemas/', () => {
    for (const name of ['scenario', 'results']) {
      const r = runCli(['schema', name]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(readFileSync(`schemas/${name}.schema.json`, 'utf8'));
      expect(JSON.parse(r.stdout)).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#' });
    }
    const p = runCli(['schema', 'results', '--path']);
    expect(p.stdout.trim()).toMatch(/schemas\/results\.schema\.json$/);
  });

  it.each(['bogus', '', '__proto__', '../scenario', 'constructor'])('refuses %j in one line, exit 2', (name) => {
    const r = runCli(['schema', name]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(/^error: command-argument value '.*' is invalid for argument 'name'\. Allowed choices are scenario, results\.$/);
  });
});
