import { describe, expect, it, vi } from 'vitest';
import { PngUnavailableError, writePngs } from '../../src/report/png.js';

// As if the optional package had not installed (another platform, --omit=optional).
vi.mock('@napi-rs/canvas', () => {
  throw new Error("Cannot find package '@napi-rs/canvas'");
});

describe('PNG output without @napi-rs/canvas', () => {
  it('fails with a message saying what to install, before writing anything', async () => {
    const empty = { kind: 'run' as const, title: '', facts: [], reproduce: '', expectations: [], table: null, maps: [], sections: [], digests: [], failureExamples: [], rule: '' };
    const err = await writePngs(empty, '/nonexistent/never-written').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PngUnavailableError);
    expect((err as Error).message).toMatch(/--png needs the optional package @napi-rs\/canvas.*npm install @napi-rs\/canvas/);
  });
});
