// A user's strategy that throws: one line naming the module, the line in it and what it threw; exit 1.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('a strategy module that throws', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'auctionlab-boom-')), 'boom.js');
  writeFileSync(
    file,
    [
      'export default {',
      "  name: 'boom', summary: 'throws', settings: [],",
      '  *auction(batch, ctx) {',
      "    const replies = yield ctx.cells.map((cell) => ({ kind: 'state', cell }));",
      "    if (replies.length > 0) throw new RangeError('boom');",
      '    return { placed: [], failed: [], cellsScored: 0 };',
      '  },',
      '};',
    ].join('\n'),
  );
  const line = `strategy ${file} threw at ${file}:5:35: RangeError: boom\n`;

  it.each([
    ['run', ['run', 'zone-outage', '--strategy', file]],
    ['schedule', ['schedule', 'scenarios/batches/default.json', '--strategy', file]],
    ['compare (in a worker thread)', ['compare', 'zone-outage', '--strategies', file, '--seeds', '2', '--duration', '1m', '--jobs', '2']],
  ])('%s: exit 1 and one line with the file and line', (_name, args) => {
    const r = runCli(args);
    expect([r.code, r.stderr]).toEqual([1, line]);
  });
});

describe('a strategy module that sends a malformed message', () => {
  it('is stopped at the boundary with one line saying which field, exit 1 (it ran on, placing nothing)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'auctionlab-typo-')), 'typo.js');
    writeFileSync(
      file,
      "export default { name: 'typo', summary: 'cel for cell', settings: [], *auction(batch, ctx) { yield ctx.cells.map((cell) => ({ kind: 'state', cel: cell })); return { placed: [], failed: [], cellsScored: 0 }; } };\n",
    );
    const r = runCli(['run', 'zone-outage', '--strategy', file]);
    expect([r.code, r.stderr]).toEqual([1, `strategy ${file} sent a malformed message: outbox[0].cell: expected a cell id, got nothing (fields: kind, cel)\n`]);
  });
});

describe('a strategy module that never ends', () => {
  it('yielding only empty outboxes is stopped with one line, exit 1, in memory and in the simulator', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'auctionlab-idle-')), 'idle.js');
    writeFileSync(file, "export default { name: 'idle', summary: 'waits forever', settings: [], *auction() { for (;;) yield []; } };\n");
    const line = 'strategy idle yielded 10,000 empty outboxes in a row (each step must send a message, or return its outcome)\n';
    const s = runCli(['schedule', 'scenarios/batches/default.json', '--strategy', file]);
    expect([s.code, s.stderr]).toEqual([1, line]);
    const r = runCli(['run', 'default', '--strategy', file]);
    expect([r.code, r.stderr]).toEqual([1, line]);
  });
});

describe('a strategy module with bad settings specs', () => {
  it('is refused when loaded, one line per problem, exit 2', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'auctionlab-spec-')), 'spec.js');
    writeFileSync(
      file,
      "export default { name: 'spec', summary: 'bad specs', settings: [{ name: 'x', default: 5, min: 0, max: 1, integer: false, description: 'd' }, { name: 'x', default: 0.5, min: 0, max: 1, integer: true }], *auction() { return { placed: [], failed: [], cellsScored: 0 }; } };\n",
    );
    const r = runCli(['schedule', 'scenarios/batches/default.json', '--strategy', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `--strategy: ${file}: settings[0].default: expected a value from min (0) to max (1), got 5`,
      `--strategy: ${file}: settings[1].name: x is already a setting`,
      `--strategy: ${file}: settings[1].description: expected one line of text, got nothing`,
      `--strategy: ${file}: settings[1].default: expected a whole number (integer: true), got 0.5`,
    ]);
  });
});
