import { describe, expect, it } from 'vitest';
import { storyLine, storyMatches, storySentence } from '../../src/cli/story.js';

describe('log lines as sentences', () => {
  it('says what happened to whom and why', () => {
    expect(storySentence({ t: 1, note: 'crash', lrp: 'web-1.2', cell: 'cell-03', restart: 'backoff' })).toBe('web-1.2 CRASHED on cell-03: restart after its backoff');
    expect(storySentence({ t: 1, story: 'failed', work: 'big.0', reason: 'insufficient resources: memory' })).toBe('auction: big.0 FAILED: insufficient resources: memory');
    expect(storySentence({ t: 1, event: 'net.timeout', message: 'perform', cell: 'cell-9', work: 'web.0' })).toBe('no reply from cell-9 in time (perform web.0): lost');
    expect(storyLine({ t: 212_345, story: 'placed', work: 'web.0', cell: 'c', confirmed: false })).toBe('   3.5 min  auction: web.0 placed on c (the cell never confirmed it)');
    expect(storySentence({ t: 1, story: 'placed', work: 'web.0', cell: 'c', score: 0.25, runnerUp: 'd', runnerUpScore: 0.5 })).toBe('auction: web.0 placed on c (score 0.2500; runner-up d 0.5000)');
    expect(storySentence({ t: 1, story: 'placed', work: 'web.0', cell: 'c', score: 0.25 })).toBe('auction: web.0 placed on c (score 0.2500; no other cell could take it)');
  });

  it('leaves bookkeeping out unless asked, then shows its fields', () => {
    expect(storySentence({ t: 0, event: 'metrics.sample', a: 0, b: 0 })).toBeNull();
    expect(storySentence({ t: 0, event: 'metrics.sample', a: 0, b: 0 }, true)).toBe('metrics.sample a=0 b=0');
  });

  it('an app filter matches the app, its group members, versions and instances, and every id of a perform', () => {
    const matches = (line: Record<string, unknown>) => storyMatches({ t: 0, ...line }, { app: 'web' });
    expect([matches({ note: 'desire', app: 'web' }), matches({ note: 'desire', app: 'web-3' }), matches({ note: 'claimed', lrp: 'web@v2.0' }), matches({ event: 'net.deliver', work: 'api.0 web-1.1' })]).toEqual([true, true, true, true]);
    expect([matches({ note: 'desire', app: 'webapp' }), matches({ note: 'partition', zone: 'z1' })]).toEqual([false, false]);
    // Another app whose name starts alike is not this one (diego-stress-250k has tiny and tiny-x4).
    expect(storyMatches({ t: 0, note: 'desire', app: 'tiny-x4-3' }, { app: 'tiny' })).toBe(false);
    expect(storyMatches({ t: 0, note: 'desire', app: 'tiny-x4-3' }, { app: 'tiny-x4' })).toBe(true);
  });

  it('a kind named like an object prototype property is no known kind', () => {
    expect(storySentence({ t: 0, note: '__proto__' })).toBeNull();
    expect(storySentence({ t: 0, story: 'constructor' })).toBeNull();
    expect(storySentence({ t: 0, note: 'hasOwnProperty' }, true)).toBe('hasOwnProperty');
  });
});
