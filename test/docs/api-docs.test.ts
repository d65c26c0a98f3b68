// `npm run docs:api` (TypeDoc over the four entry points, typedoc.json) builds without errors. It
// writes to a temporary folder here, not docs/api/. Warnings (types referenced but not exported,
// the missing git remote) are allowed; an error (a type error, a bad option) fails the test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('typedoc generates the API reference without errors', () => {
  const out = mkdtempSync(join(tmpdir(), 'auctionlab-api-'));
  try {
    const r = spawnSync(process.execPath, ['node_modules/typedoc/bin/typedoc', '--out', out], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\[error\]/);
    expect(r.status).toBe(0);
    for (const page of ['index.html', 'functions/index.filterStage.html', 'functions/testing.checkStrategy.html']) expect(existsSync(join(out, page)), page).toBe(true);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
