import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.js';
import { InstancePeaks } from '../../src/scenario/instance-peaks.js';

const peaks = (apps: unknown[], events: unknown[] = []) => {
  const s = parseScenario({ cells: [{ count: 1 }], apps, events }, 'x', { allowLarge: true });
  return new InstancePeaks(s.apps, s.events);
};

describe('the most instances each app ever has', () => {
  it('a group counts each member at its own peak: the group scale, and a member scaled on its own', () => {
    const p = peaks([{ name: 'web', count: 10, instances: 10 }], [{ at: '1m', scale: { app: 'web', instances: 20 } }, { at: '2m', scale: { app: 'web-3', instances: 100 } }]);
    expect(p.of('web-3')).toBe(100);
    expect(p.of('web-4')).toBe(20);
    // 9 members at 20, one at 100 (hand-counted).
    expect(p.total()).toBe(9 * 20 + 100);
  });

  it('a scale of another app whose name starts like a group is not the group\'s', () => {
    // web-api is its own app: its 100,000 do not reach the ten members of web.
    const p = peaks([{ name: 'web', count: 10, instances: 10 }, { name: 'web-api', instances: 1 }], [{ at: '1m', scale: { app: 'web-api', instances: 100_000 } }]);
    expect(p.of('web-api')).toBe(100_000);
    expect(p.of('web-1')).toBe(10);
    expect(p.total()).toBe(100 + 100_000);
  });

  it('a name that is no app, or a member past the group, has no peak', () => {
    const p = peaks([{ name: 'web', count: 2, instances: 1 }]);
    expect([p.of('web-2'), p.of('web-01'), p.of('db'), p.of('web')]).toEqual([null, null, null, null]);
  });
});
