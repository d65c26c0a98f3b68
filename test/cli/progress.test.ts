import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatEta, ProgressBar, type ProgressStream } from '../../src/cli/progress.js';
import { findStrategy } from '../../src/core/strategies/index.js';
import { checkStrategy } from '../../src/testing/check-strategy.js';

/** A terminal stand-in that keeps what was drawn, and a clock the test moves. */
function terminal(columns = 200) {
  const writes: string[] = [];
  let t = 0;
  const stream: ProgressStream = { isTTY: true, columns, write: (s: string) => writes.push(s) };
  return { writes, stream, now: () => t, at: (ms: number) => (t = ms) };
}

describe('progress on a terminal', () => {
  it('says how much of how much is done, and about how long is left once a second has passed', () => {
    const term = terminal();
    const bar = new ProgressBar('comparing on default', { stream: term.stream, now: term.now, enabled: true, amount: (d, t) => `${d} of ${t} runs` });
    bar.update(0, 40);
    expect(term.writes.at(-1)).toBe('\rcomparing on default [....................]   0% 0 of 40 runs');
    term.at(500);
    bar.update(5, 40);
    // Too early to guess how long the rest takes.
    expect(term.writes.at(-1)).toBe('\rcomparing on default [###.................]  12% 5 of 40 runs');
    term.at(2000);
    bar.update(10, 40);
    expect(term.writes.at(-1)).toBe('\rcomparing on default [#####...............]  25% 10 of 40 runs, about 6s left');
    // Redrawn at most every 100 ms, but always when the work is done.
    term.at(2050);
    bar.update(11, 40);
    expect(term.writes).toHaveLength(3);
    bar.update(40, 40);
    // Padded over what the longer line before it left on the screen.
    expect(term.writes.at(-1)).toBe(`\rcomparing on default [####################] 100% 40 of 40 runs${' '.repeat(15)}`);
    bar.done();
    expect(term.writes.at(-1)).toMatch(/^\r {20,}\r$/);
  });

  it('never wraps a narrow terminal (a wrapped line cannot be redrawn with \\r)', () => {
    const term = terminal(30);
    const bar = new ProgressBar('simulating diego-stress-250k', { stream: term.stream, now: term.now, enabled: true });
    bar.update(1, 2);
    expect(term.writes[0]!.length).toBeLessThanOrEqual(30);
  });

  it('draws nothing off a terminal', () => {
    const writes: string[] = [];
    const bar = new ProgressBar('x', { stream: { isTTY: false, write: (s: string) => writes.push(s) } });
    bar.update(1, 2);
    bar.done();
    expect(writes).toEqual([]);
  });

  it('wall time left reads as people say it', () => {
    expect([0, 4_600, 65_000, 3_725_000].map(formatEta)).toEqual(['0s', '5s', '1m05s', '1h02m']);
  });
});

describe('checkStrategy progress', () => {
  it('counts every run of every property, and changes nothing it finds', () => {
    const diego = findStrategy('diego')!;
    const calls: [number, number, string][] = [];
    const watched = checkStrategy(diego, { runs: 3, seed: 5, onProgress: (d, t, p) => calls.push([d, t, p]) });
    const plain = checkStrategy(diego, { runs: 3, seed: 5 });
    expect(watched).toEqual(plain);
    const total = plain.properties.length * 3;
    expect(calls.map((c) => c[0])).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(calls.map((c) => c[1]))).toEqual(new Set([total]));
    expect(calls[0]![2]).toBe(plain.properties[0]!.name);
  }, 60_000);
});

describe('the CLI on a terminal', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.runIf(hasScript)('compare draws its progress on a terminal stderr, and clears it before the results', () => {
    // `script` gives the command a terminal; CI must not be set for the bar to draw.
    const env = { ...process.env };
    delete env['CI'];
    const r = spawnSync('script', ['-qec', 'node dist/src/cli/main.js compare default --seeds 2 --jobs 1 --duration 2m >/dev/null', '/dev/null'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('comparing on default [');
    expect(r.stdout).toContain('2 of 2 runs');
    expect(r.stdout.endsWith('\r')).toBe(true);
  });
});
