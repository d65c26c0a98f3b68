import { describe, expect, it } from 'vitest';
import { distributionValue, durationText, selectorValue } from '../../src/sim/field-writers.js';
import { parseDuration } from '../../src/scenario/parse.js';

describe('scenario fields written back', () => {
  it('durations print in the units people write, and read back exactly', () => {
    expect([0, 250, 30_000, 90_000, 5_400_000, 3_723_004].map(durationText)).toEqual(['0s', '250ms', '30s', '1m30s', '1h30m', '1h2m3s4ms']);
    for (const ms of [1, 999, 1000, 59_999, 3_600_001, 86_400_000]) expect(parseDuration(durationText(ms) as string)).toBe(ms);
  });

  it('fractions of a millisecond, and times past 2^53 ms, stay numbers (2.7e+301h reads as nothing)', () => {
    expect([durationText(0.00164), durationText(1e305), durationText(-1)]).toEqual([0.00164, 1e305, -1]);
  });

  it('distributions and cell selectors in the file syntax', () => {
    expect(distributionValue({ kind: 'constant', value: 2000 })).toBe('2s');
    expect(distributionValue({ kind: 'uniform', min: 30_000, max: 90_000 })).toEqual({ uniform: ['30s', '1m30s'] });
    expect(distributionValue({ kind: 'exponential', mean: 500 })).toEqual({ exponential: '500ms' });
    expect([selectorValue({ kind: 'ids', ids: ['a'] }), selectorValue({ kind: 'zone', zone: 'z1' }), selectorValue({ kind: 'fraction', fraction: 0.125 })]).toEqual([{ ids: ['a'] }, { zone: 'z1' }, { fraction: 0.125 }]);
  });
});
