import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventKindsTable, withEventKindsTable } from '../../../src/sim/events/docs.js';
import { ANY_EVENT_KINDS } from '../../../src/sim/events/registry.js';

describe('the event kinds docs table', () => {
  it('in scenarios/README.md is the one the registry generates (run `npm run docs` after adding a kind)', () => {
    const text = readFileSync('scenarios/README.md', 'utf8');
    expect(withEventKindsTable(text)).toBe(text);
  });

  it('has a row per kind, faults marked', () => {
    const rows = eventKindsTable().split('\n').slice(2);
    expect(rows).toHaveLength(ANY_EVENT_KINDS.length);
    expect(rows.find((r) => r.startsWith('| `slowCell`'))).toMatch(/\| yes \|$/);
    expect(rows.find((r) => r.startsWith('| `scale`'))).toMatch(/\| {2}\|$/);
  });

  it('is not written into a file without its markers', () => {
    expect(withEventKindsTable('# no markers here')).toBeUndefined();
  });
});
