import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The executable's first line starts Node with the flags the benchmarks measure (bench/sim-child.ts
// reads them from it): it must stay one `env -S` line that Linux and macOS split, with flags Node takes.
const SHEBANG = /^#!\/usr\/bin\/env -S node((?: --[a-z-]+=\S+)+)$/;

describe('the auctionlab executable', () => {
  const first = readFileSync('src/cli/main.ts', 'utf8').split('\n', 1)[0] ?? '';
  const flags = (SHEBANG.exec(first)?.[1] ?? '').trim();

  it('starts Node through `env -S` with its flags, and the build keeps that line', () => {
    expect(first).toMatch(SHEBANG);
    expect(flags).toContain('--max-semi-space-size=');
    expect(readFileSync('dist/src/cli/main.js', 'utf8').split('\n', 1)[0]).toBe(first);
  });

  it('runs as its first line says: env splits it, Node takes the flags, the command answers', () => {
    const count = flags.split(' ').length;
    const r = spawnSync('/usr/bin/env', ['-S', `${process.execPath} ${flags} -p process.execArgv.slice(0,${count}).join(String.fromCharCode(32))`], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(flags);
    const line = first.slice('#!'.length).replace(/ node /, ` ${process.execPath} `);
    const version = spawnSync('/bin/sh', ['-c', `${line} dist/src/cli/main.js --version`], { encoding: 'utf8', timeout: 30_000 });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
