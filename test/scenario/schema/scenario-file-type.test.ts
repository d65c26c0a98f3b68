// ScenarioFile, the TypeScript type of a scenario file, comes from the same schema the loader
// checks: a file typed with it is what the loader accepts (typecheck enforces the @ts-expect-error lines).
import { describe, expect, it } from 'vitest';
import { parseScenario, type ScenarioFile } from '../../../src/sim.js';

describe('ScenarioFile', () => {
  it('types a scenario file as the schema says', () => {
    const file: ScenarioFile = {
      duration: '5m',
      cells: [{ count: 4, zones: ['z1', 'z2'], memoryMB: 8192 }],
      apps: [{ name: 'web', instances: 3, crash: { probability: 0.1, after: { uniform: ['10s', 60_000] } } }],
      events: [{ at: '1m', kill: { ids: ['cell-00'] } }, { at: '2m', partition: 'z2' }],
    };
    // @ts-expect-error: a cell group's count is a number
    const wrong: ScenarioFile = { cells: [{ count: 'four' }] };
    // @ts-expect-error: cells are required
    const none: ScenarioFile = { duration: '1m' };
    // @ts-expect-error: no event kind is named kil
    const typo: ScenarioFile = { cells: [{ count: 1 }], events: [{ at: '1m', kil: { ids: ['cell-00'] } }] };
    // null and false are none where the loader takes them so.
    const nones: ScenarioFile = {
      cells: [{ count: 1, stacks: null }],
      apps: [
        { name: 'a', push: true, crash: null, healthCheck: null },
        { name: 'b', push: false, healthCheck: { delay: null } },
        { name: 'c', push: null },
      ],
      tasks: null,
      events: null,
    };
    expect(parseScenario(nones).apps.map((x) => x.staging === null)).toEqual([false, true, true]);
    // @ts-expect-error: a crash's time to crash is required and has no default
    const noAfter: ScenarioFile = { cells: [{ count: 1 }], apps: [{ name: 'a', crash: { after: null } }] };
    expect(() => parseScenario(noAfter)).toThrow('apps[0].crash.after: expected a duration, {constant: d}, {uniform: [min, max]} or {exponential: mean}, got null');
    expect(parseScenario(file).cells[0]!.count).toBe(4);
    expect(() => parseScenario(wrong)).toThrow('cells[0].count: expected a whole number from 1 to 100000, got "four"');
    expect(() => parseScenario(none)).toThrow('cells: missing (expected a list)');
    expect(() => parseScenario(typo)).toThrow('events[0].kil: unknown field (expected one of: at, kill,');
  });
});
