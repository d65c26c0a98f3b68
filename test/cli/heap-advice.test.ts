import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEAP_SHARE_ADVISED, heapAdvice, LIVE_BYTES_PER_INSTANCE } from '../../src/cli/heap-advice.js';
import { runCli } from './run-cli.js';

const MIB = 1024 * 1024;

describe('heapAdvice', () => {
  it("says nothing for Diego's scale under Node's default limit here (4,144 MiB)", () => {
    expect(heapAdvice('diego-stress-250k.yaml', 250_000, 4144 * MIB)).toBeUndefined();
  });

  it("warns for diego-x10 under a 2 GiB limit, naming the file, the figures and the flag that fits", () => {
    const line = heapAdvice('scenarios/diego-x10.yaml', 2_500_000, 2096 * MIB);
    expect(line).toBe(
      "scenarios/diego-x10.yaml: 2,500,000 desired instances, about 2,861 MiB of live heap (1,200 bytes each, estimated), near or past Node's heap limit of 2,096 MiB: " +
        'the run may crawl or run out of memory; give it NODE_OPTIONS=--max-old-space-size=6144',
    );
    expect(line).not.toContain('\n');
  });

  it("says nothing for diego-x10 under the README's 6 GiB, nor under Node's default here", () => {
    expect(heapAdvice('x10', 2_500_000, 6144 * MIB)).toBeUndefined();
    expect(heapAdvice('x10', 2_500_000, 4144 * MIB)).toBeUndefined();
  });

  it('warns from just past the advised share of the limit, not at it', () => {
    const limit = 1000 * LIVE_BYTES_PER_INSTANCE;
    const atShare = limit * HEAP_SHARE_ADVISED / LIVE_BYTES_PER_INSTANCE;
    expect(heapAdvice('f', atShare, limit)).toBeUndefined();
    expect(heapAdvice('f', atShare + 1, limit)).toBeDefined();
  });

  it('says nothing for no instances, or a limit it cannot read', () => {
    expect(heapAdvice('f', 0, 64 * MIB)).toBeUndefined();
    for (const bad of [0, -1, Number.NaN]) expect(heapAdvice('f', 1_000_000, bad)).toBeUndefined();
  });

  it('never warns again under the limit it advises, and that limit is whole GiB', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), fc.integer({ min: 1, max: 64 * 1024 }), (instances, limitMiB) => {
        const line = heapAdvice('f', instances, limitMiB * MIB);
        if (line === undefined) return;
        const advised = Number(/--max-old-space-size=(\d+)$/.exec(line)?.[1]);
        expect(advised % 1024).toBe(0);
        expect(heapAdvice('f', instances, advised * MIB)).toBeUndefined();
      }),
    );
  });
});

describe('the warning before a run (built CLI, a 67 MiB heap)', () => {
  // 60,000 instances pushed over 25 minutes, run for 10 s: the estimate (69 MiB) is past the small
  // heap's limit, while what the short run holds is not, so every command finishes.
  const dir = mkdtempSync(join(tmpdir(), 'heap-advice-'));
  const file = join(dir, 'big.yaml');
  writeFileSync(
    file,
    [
      'duration: 10s',
      'cells:',
      '  - { count: 300, zones: [z1], memoryMB: 32768, diskMB: 65536, containers: 250 }',
      'apps:',
      '  - { name: a, count: 60000, over: 25m, instances: 1, memoryMB: 32, diskMB: 32 }',
      '',
    ].join('\n'),
  );
  const small = ['--max-old-space-size=64', '--max-semi-space-size=1'];
  const warning = `${file}: 60,000 desired instances, about 69 MiB of live heap`;

  it.each([
    ['run', ['run', file, '--no-safety']],
    ['compare', ['compare', file, '--seeds', '1', '--jobs', '1']],
    ['check --scenario', ['check', 'diego', '--scenario', file, '--runs', '1']],
  ])('%s prints it once on stderr, first, and still runs', (_name, args) => {
    const r = runCli(args, small);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toContain(warning);
    expect(lines[0]).toContain('NODE_OPTIONS=--max-old-space-size=1024');
    expect(lines.filter((l) => l.includes('desired instances')).length).toBe(1);
    expect(r.stdout).not.toContain('desired instances');
  }, 60_000);

  it("run says nothing with Node's default heap, nor when it only prints the scenario", () => {
    expect(runCli(['run', file, '--no-safety']).stderr).not.toContain('desired instances');
    expect(runCli(['run', file, '--print-scenario'], small).stderr).not.toContain('desired instances');
  }, 60_000);
});
