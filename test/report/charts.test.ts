// Charts a stranger can read: nothing drawn when there is nothing to draw, single points visible,
// whiskers inside the axis, long labels whole.
import { describe, expect, it } from 'vitest';
import { barChart, hasData, orSay, timeChart, wrapLabel } from '../../src/report/charts.js';

describe('charts with nothing to draw', () => {
  const flat = timeChart([{ label: 'tasks', points: [{ x: 0, y: 0 }, { x: 1, y: 0 }] }], 'tasks', []);
  const gaps = timeChart([{ label: 'wait', points: [{ x: 0, y: null }, { x: 1, y: null }] }], 'wait (s)', []);
  const waits = timeChart([{ label: 'wait', points: [{ x: 0, y: 0 }, { x: 1, y: null }] }], 'wait (s)', []);

  it('zeros and gaps only: replaced by the line given', () => {
    expect(hasData(flat)).toBe(false);
    expect(orSay({ id: 't', title: 'Tasks', caption: 'c', config: flat }, 'No task ran.').empty).toBe('No task ran.');
    expect(orSay({ id: 'b', title: 'B', caption: 'c', config: barChart([], [{ label: 'x', data: [] }], 'a', 'b') }, 'None.').empty).toBe('None.');
  });

  it('a figure for which 0 is a value (a wait): only gaps are nothing', () => {
    expect(orSay({ id: 'w', title: 'W', caption: 'c', config: waits }, 'none', true).empty).toBeUndefined();
    expect(orSay({ id: 'w', title: 'W', caption: 'c', config: gaps }, 'none', true).empty).toBe('none');
  });

  it('a chart with data is kept as it is', () => {
    const some = timeChart([{ label: 'x', points: [{ x: 0, y: 0 }, { x: 1, y: 2 }] }], 'x', []);
    const spec = { id: 'x', title: 'X', caption: 'c', config: some };
    expect(orSay(spec, 'none')).toBe(spec);
  });
});

describe('single points', () => {
  it('a value with no neighbour gets a dot; values on a line do not', () => {
    const c = timeChart([{ label: 'p99', points: [{ x: 0, y: null }, { x: 1, y: 5 }, { x: 2, y: null }, { x: 3, y: 1 }, { x: 4, y: 2 }] }], 'wait (s)', []);
    expect(c.data.datasets[0]!['pointRadius']).toEqual([0, 3, 0, 0, 0]);
    const one = timeChart([{ label: 'p99', points: [{ x: 0, y: 7 }] }], 'wait (s)', []);
    expect(one.data.datasets[0]!['pointRadius']).toEqual([3]);
  });
});

describe('whiskers', () => {
  it('the value axis reaches the highest interval end', () => {
    const c = barChart(['a', 'b'], [{ label: 'm', data: [10, 20] }], 'strategy', 'm', { interval: { lo: [5, 15], hi: [40, 25] } });
    expect((c.options['scales'] as { y: { suggestedMax: number } }).y.suggestedMax).toBeCloseTo(42);
    const plain = barChart(['a'], [{ label: 'm', data: [1] }], 's', 'm');
    expect((plain.options['scales'] as { y: Record<string, unknown> }).y['suggestedMax']).toBeUndefined();
  });
});

describe('long labels', () => {
  it('are split into lines at spaces, never cut', () => {
    const reason = 'found no compatible cell with placement tag "gpu"';
    const lines = wrapLabel(reason) as string[];
    expect(lines.join(' ')).toBe(reason);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(28);
    expect(wrapLabel('diego')).toBe('diego');
    expect(barChart([reason], [{ label: 'n', data: [1] }], 'r', 'n', { horizontal: true }).data.labels).toEqual([lines]);
  });
});
