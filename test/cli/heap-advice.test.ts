import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { HEAP_SHARE_ADVISED, heapAdvice, kbText, LIVE_BYTES_PER_INSTANCE } from '../../src/cli/heap-advice.js';
import { runCli } from './run-cli.js';

const MIB = 1024 * 1024;

describe('heapAdvice', () => {
  it("says nothing for Diego's scale under Node's default limit here (4,144 MiB)", () => {
    expect(heapAdvice('diego-stress-250k.yaml', 250_000, 4144 * MIB)).toBeUndefined();
  });

  it("warns for diego-x10 under a 2 GiB limit, naming the file, the figures and the flag that fits", () => {
    const line = heapAdvice('scenarios/diego-x10.yaml', 2_500_000, 2096 * MIB);
    expect(line).toBe(
      "scenarios/diego-x10.yaml: 2,500,000 instances at the scenario's peak, about 2,861 MiB of live heap (1,200 bytes each, estimated), near or past Node's heap limit of 2,096 MiB (old and young generations): " +
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

  it('gives the help texts their figures', () => {
    expect(kbText(1_200)).toBe('1.2 KB');
    expect(kbText(2_400)).toBe('2.4 KB');
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

describe('the warning before a run (built CLI, small heaps)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heap-advice-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, lines: string[]): string => {
    const file = join(dir, name);
    writeFileSync(file, [...lines, ''].join('\n'));
    return file;
  };
  // 60,000 instances pushed over 25 minutes, run for 10 s: the estimate (69 MiB) is past a 67 MiB
  // heap's limit, while what the short run holds is not, so every command finishes.
  const cells = ['cells:', '  - { count: 300, zones: [z1], memoryMB: 32768, diskMB: 65536, containers: 250 }'];
  const pushed = write('pushed.yaml', ['duration: 10s', ...cells, 'apps:', '  - { name: a, count: 60000, over: 25m, instances: 1, memoryMB: 32, diskMB: 32 }']);
  // One instance, scaled to 60,000 at 5 s: the same peak, reached by an event.
  const scaled = write('scaled.yaml', ['duration: 10s', ...cells, 'apps:', '  - { name: a, instances: 1, memoryMB: 32, diskMB: 32 }', 'events:', '  - { at: 5s, scale: { app: a, instances: 60000 } }']);
  const small = ['--max-old-space-size=64', '--max-semi-space-size=1'];
  const warningOf = (file: string): string => `${file}: 60,000 instances at the scenario's peak, about 69 MiB of live heap`;
  const warnings = (stderr: string): number => stderr.split('\n').filter((l) => l.includes("at the scenario's peak")).length;

  it.each([
    ['run', ['run', pushed, '--no-safety']],
    ['compare (two seeds, two jobs)', ['compare', pushed, '--seeds', '2', '--jobs', '2']],
    ['check --scenario (two runs)', ['check', 'diego', '--scenario', pushed, '--runs', '2']],
  ])('%s prints it once on stderr, first, and still runs', (_name, args) => {
    const r = runCli(args, small);
    expect(r.code).toBe(0);
    const first = r.stderr.split('\n')[0] ?? '';
    expect(first).toContain(warningOf(pushed));
    expect(first).toContain('NODE_OPTIONS=--max-old-space-size=1024');
    expect(warnings(r.stderr)).toBe(1);
    expect(r.stdout).not.toContain("at the scenario's peak");
  }, 60_000);

  it('counts the instances a scale event reaches, as the size limit does', () => {
    const r = runCli(['run', scaled, '--no-safety'], small);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toContain(warningOf(scaled));
  }, 60_000);

  it('comes before the crash of a run that does outgrow the heap, and its flag makes the run fit', () => {
    const all = write('all-at-once.yaml', ['duration: 10s', 'cells:', '  - { count: 2000, zones: [z1], memoryMB: 32768, diskMB: 65536, containers: 250 }', 'apps:', '  - { name: a, count: 200000, instances: 1, memoryMB: 32, diskMB: 32 }']);
    const crashed = runCli(['run', all, '--no-safety'], ['--max-old-space-size=48', '--max-semi-space-size=1']);
    expect(crashed.code).not.toBe(0);
    expect(crashed.stderr.startsWith(`${all}: 200,000 instances at the scenario's peak`)).toBe(true);
    expect(crashed.stderr.indexOf('heap out of memory')).toBeGreaterThan(0);
    const advised = /--max-old-space-size=(\d+)/.exec(crashed.stderr)?.[1];
    expect(advised).toBe('1024');
    const fits = runCli(['run', all, '--no-safety'], [`--max-old-space-size=${advised}`]);
    expect(fits.code).toBe(0);
    expect(warnings(fits.stderr)).toBe(0);
  }, 60_000);

  it("run says nothing with Node's default heap, nor when it only prints the scenario", () => {
    expect(warnings(runCli(['run', pushed, '--no-safety']).stderr)).toBe(0);
    expect(warnings(runCli(['run', pushed, '--print-scenario'], small).stderr)).toBe(0);
  }, 60_000);
});
