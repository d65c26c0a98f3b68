// `auctionlab ... | head`: the reader goes away early; the command ends quietly with exit 0.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const piped = (args: string) => {
  // bash reports the first command's exit code of the pipeline in PIPESTATUS.
  const r = spawnSync('bash', ['-c', `"${process.execPath}" dist/src/cli/main.js ${args} | head -c 100 > /dev/null; echo "rc=\${PIPESTATUS[0]}"`], { encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr };
};

describe('a closed pipe', () => {
  it.each(['run zone-outage --json', 'run default', 'compare zone-outage --seeds 2 --duration 2m --json', 'schedule scenarios/batches/default.json --json'])('`auctionlab %s | head` exits 0 with nothing on stderr', (args) => {
    const r = piped(args);
    expect(r.stdout.trim()).toBe('rc=0');
    expect(r.stderr).toBe('');
  });
});

// Linux's /dev/full fails every write with ENOSPC (a machine without it cannot show this).
describe.skipIf(!existsSync('/dev/full'))('a device that cannot take the output', () => {
  it.each(['schema scenario', 'run zone-outage --json'])('`auctionlab %s > /dev/full` says so in one line and exits 1, never a stack trace', (args) => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" dist/src/cli/main.js ${args} > /dev/full`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('auctionlab: cannot write to standard output: no space left on the device (ENOSPC)\n');
  });
});
