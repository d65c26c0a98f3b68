// `auctionlab ... | head`: the reader goes away early; the command ends quietly with exit 0.
import { spawnSync } from 'node:child_process';
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
