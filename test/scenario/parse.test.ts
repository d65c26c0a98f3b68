import { describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS, LARGE_BUNDLED_SCENARIOS, loadScenarioFile, parseDuration, parseScenario, parseScenarioText, ScenarioFileError } from '../../src/sim.js';

function lines(text: string, file = 'x.yaml'): readonly string[] {
  try {
    parseScenarioText(text, file);
  } catch (e) {
    if (e instanceof ScenarioFileError) return e.lines;
    throw e;
  }
  throw new Error('expected a ScenarioFileError');
}

describe('scenario files', () => {
  it('durations read as people write them', () => {
    expect([parseDuration('250ms'), parseDuration('30s'), parseDuration('10m'), parseDuration('1h30m'), parseDuration('5m30s')]).toEqual([250, 30_000, 600_000, 5_400_000, 330_000]);
    expect(parseDuration('ten minutes')).toBeUndefined();
  });

  it("fills in Diego's defaults where a field is left out", () => {
    const s = parseScenarioText('cells: [{ count: 2 }]\n', 'tiny.yaml');
    expect(s.name).toBe('tiny');
    expect(s.strategy).toBe('diego');
    expect(s.cells[0]).toMatchObject({ memoryMB: 32768, diskMB: 65536, containers: 250, zones: ['z1'] });
    expect(s.network.timeoutMs).toBe(10_000);
    expect([s.lockTtlMs, s.lockRetryMs, s.convergence.intervalMs, s.evacuationTimeoutMs]).toEqual([15_000, 1_000, 30_000, 600_000]);
    expect(s.convergence.maxTaskRetries).toBe(3);
  });

  it('reports one message per problem, each naming the file and the field path', () => {
    const text = [
      'duration: soon',
      'cells:',
      '  - count: 0',
      '    memoryMb: 100',
      'apps:',
      '  - { name: web, instances: many }',
      'events:',
      '  - { at: 1m, scale: { app: nope, instances: 2 } }',
      '  - { kill: "10%" }',
    ].join('\n');
    expect(lines(text)).toEqual([
      'x.yaml: duration: expected a duration such as 500ms, 30s, 10m, 1h30m (or milliseconds), got "soon"',
      'x.yaml: cells[0].memoryMb: unknown field (expected one of: count, zones, memoryMB, diskMB, containers, stacks, docker, placementTags, optionalPlacementTags, volumeDrivers, proxyMemoryMB, prefix, ids, cpuMilli, gpus, gpuModel)',
      'x.yaml: cells[0].count: expected a whole number from 1 to 100000, got 0',
      'x.yaml: apps[0].instances: expected a whole number from 0 to 100000, got "many"',
      'x.yaml: events[1].at: missing (expected a duration such as 30s or 10m)',
      'x.yaml: events[0].scale.app: no app named "nope" in apps',
    ]);
  });

  it('a YAML syntax error names the line and column', () => {
    expect(lines('cells: [\n  { count: 1\n')[0]).toMatch(/^x\.yaml: invalid YAML at line \d+, column \d+: /);
  });

  it('a missing file is one clear line', () => {
    expect(() => loadScenarioFile('nope.yaml')).toThrow('nope.yaml: cannot read: no such file');
  });

  it.each(BUNDLED_SCENARIOS)('the bundled %s scenario is valid', (name) => {
    const s = loadScenarioFile(`scenarios/${name}.yaml`);
    expect(s.name).toBe(name);
    expect(s.description).not.toBe('');
  });

  it.each(LARGE_BUNDLED_SCENARIOS)('the large bundled %s is valid with allowLarge, and without it refused in one line saying how to lift the limit', (name) => {
    const s = loadScenarioFile(`scenarios/${name}.yaml`, { allowLarge: true });
    expect(s.name).toBe(name);
    expect(s.description).not.toBe('');
    let said = '';
    try {
      loadScenarioFile(`scenarios/${name}.yaml`);
    } catch (e) {
      said = (e as Error).message;
    }
    expect(said.split('\n')).toHaveLength(1);
    expect(said).toMatch(/apps: expected at most 1,000,000 instances in all .*got 2,500,000 .*--allow-large/);
  });

  it('diego-x10 is diego-stress-250k with its cells and app groups ten times as many, and the scheduler untimed', () => {
    const x1 = loadScenarioFile('scenarios/diego-stress-250k.yaml');
    const x10 = loadScenarioFile('scenarios/diego-x10.yaml', { allowLarge: true });
    expect(x10.cells.map((c) => ({ ...c, count: c.count / 10 }))).toEqual(x1.cells);
    expect(x10.apps.map((a) => ({ ...a, count: a.count / 10 }))).toEqual(x1.apps);
    expect(x10.events).toEqual(x1.events);
    expect(x10.serviceTime).toEqual({ ...x1.serviceTime, schedulingPerCellMs: 0, schedulingPerInstanceMs: 0 });
    expect({ ...x10, name: '', description: '', cells: [], apps: [], serviceTime: null }).toEqual({ ...x1, name: '', description: '', cells: [], apps: [], serviceTime: null });
  });
});

describe('the cf push fields', () => {
  it('push, droplet, health check, spread and file server: defaults and values', () => {
    const s = parseScenarioText('cells: [{ count: 2 }]\nfileServer: { bandwidthMBps: 50 }\napps:\n  - { name: a, count: 4, over: 1m, push: true, dropletMB: 100, healthCheck: { delay: 3s } }\n  - { name: b }\n', 'push.yaml');
    const [a, b] = s.apps;
    expect(s.fileServerMBps).toBe(50);
    expect(a).toMatchObject({ over: 60_000, dropletMB: 100, healthCheck: { delay: { kind: 'constant', value: 3000 }, failureProbability: 0 } });
    expect(a!.staging).toEqual({ memoryMB: 1024, diskMB: 4096, duration: { kind: 'uniform', min: 30_000, max: 90_000 }, failureProbability: 0 });
    expect(b).toMatchObject({ over: 0, dropletMB: 0, healthCheck: null, staging: null });
  });

  it('deploy styles and the routable floor; bad values name the field', () => {
    const s = parseScenarioText('cells: [{ count: 2 }]\napps: [{ name: a }]\nevents: [{ at: 1m, deploy: { app: a, maxInFlight: 3, style: blue-green, stage: true } }]\nexpect: { routableFloor: 0.9 }\n', 'd.yaml');
    expect(s.events[0]).toMatchObject({ kind: 'deploy', step: 3, style: 'blue-green', stage: true });
    expect(s.expect.routableFloor).toBe(0.9);
    expect(lines('cells: [{ count: 2 }]\napps: [{ name: a, push: { failureProbability: 2 } }]\nevents: [{ at: 1m, deploy: { app: a, style: canary } }]\nexpect: { routableFloor: 1.5 }\n')).toEqual([
      'x.yaml: apps[0].push.failureProbability: expected a number from 0 to 1, got 2',
      'x.yaml: events[0].deploy.style: expected rolling or blue-green, got "canary"',
      'x.yaml: expect.routableFloor: expected a number from 0 to 1, got 1.5',
    ]);
  });
});

describe('events naming cells, zones and apps', () => {
  const cells = 'cells: [{ count: 4, zones: [z1, z2] }]\napps: [{ name: web }]\n';
  it('names cells and zones that do not exist, bad shares and mixed selectors, each with its event', () => {
    expect(lines(`${cells}events:\n  - { at: 1s, kill: { ids: [cell-00, cell-9] } }\n  - { at: 2s, partition: z9 }\n  - { at: 3s, evacuate: { zone: z3 } }\n`)).toEqual([
      'x.yaml: events[0].kill: no cell named "cell-9" (cells are cell-00 to cell-03)',
      'x.yaml: events[1].partition: no zone named "z9" (zones: z1, z2)',
      'x.yaml: events[2].evacuate: no zone named "z3" (zones: z1, z2)',
    ]);
    expect(lines(`${cells}events: [{ at: 1s, kill: "150%" }]\n`)).toEqual(['x.yaml: events[0].kill: expected a share of the cells from 0% to 100%, got 150%']);
    expect(lines(`${cells}events: [{ at: 1s, kill: { ids: [cell-00], zone: z1 } }]\n`)).toEqual(['x.yaml: events[0].kill: expected one of ids, zone, fraction, got ids and zone']);
    expect(lines(`${cells}events: [{ at: 1s, recover: { ids: [cell-01, cell-01] } }]\n`)).toEqual(['x.yaml: events[0].recover.ids[1]: duplicate cell id "cell-01"']);
  });

  it('names the right event after one that could not be read', () => {
    expect(lines(`${cells}events:\n  - { at: 1s, slowCell: 5 }\n  - { at: 2s, scale: { app: wbe, instances: 2 } }\n`)).toEqual([
      'x.yaml: events[0].slowCell: expected a slowdown {cells, factor, for}, got 5',
      'x.yaml: events[1].scale.app: no app named "wbe" in apps',
    ]);
  });

  it('keeps events of the same instant in file order', () => {
    const s = parseScenarioText(`${cells}events:\n  - { at: 2s, heal: z1 }\n  - { at: 1s, partition: z1 }\n  - { at: 2s, partition: z2 }\n`, 'x.yaml');
    expect(s.events.map((e) => `${e.kind}@${e.at}`)).toEqual(['partition@1000', 'heal@2000', 'partition@2000']);
  });
});

describe("timings that cannot work", () => {
  const cells = 'cells: [{ count: 2 }]\n';
  it('are one line each: a zero bulk sync, a presence refresh not below its TTL, a lock retry not below its TTL', () => {
    expect(lines(`${cells}repPolling: 0\n`)).toEqual(['x.yaml: repPolling: expected a duration above 0']);
    expect(lines(`${cells}presenceRefresh: 1m\n`)).toEqual(['x.yaml: presenceRefresh: expected a duration below presenceTtl (15000ms), got 60000ms']);
    expect(lines(`${cells}lock: { ttl: 1s, retry: 5s }\n`)).toEqual(['x.yaml: lock.retry: expected a duration below lock.ttl (1000ms), got 5000ms']);
    expect(lines(`${cells}serviceTime: { scheduling: { perCel: 1 } }\n`)).toEqual(['x.yaml: serviceTime.scheduling.perCel: unknown field (expected one of: perAuction, perCell, perInstance)']);
    expect(lines(`${cells}serviceTime: nothing\n`)[0]).toMatch(/^x\.yaml: serviceTime: expected none, or \{scheduling/);
    expect(lines(`${cells}serviceTime: { bbs: { write: -5 } }\n`)).toEqual(['x.yaml: serviceTime.bbs.write: expected a duration such as 500ms, 30s, 10m, 1h30m (or milliseconds), got -5']);
    expect(lines(`${cells}serviceTime: { rep: { allocation: 2h } }\n`)).toEqual(['x.yaml: serviceTime.rep.allocation: expected at most 1h, got 2h']);
    expect(lines(`${cells}serviceTime: { rep: { __proto__: 1 } }\n`)).toEqual(['x.yaml: serviceTime.rep.__proto__: unknown field (expected one of: allocation)']);
  });

  it('reads the BBS write and the rep allocation, with their assumed defaults', () => {
    const st = (extra: string) => parseScenarioText(`${cells}${extra}`, 'x.yaml').serviceTime;
    expect([st('')!.bbsWriteMs, st('')!.repAllocationMs]).toEqual([5, 0.1]);
    expect([st('serviceTime: { bbs: { write: 20ms }, rep: { allocation: 0.5 } }\n')!.bbsWriteMs, st('serviceTime: { rep: { allocation: 0.5 } }\n')!.repAllocationMs]).toEqual([20, 0.5]);
  });
});

describe('task streams', () => {
  it('run 30 s by default, as the docs say (the field was required)', () => {
    const s = parseScenarioText(`cells: [{ count: 2 }]\ntasks: [{ name: job, perSecond: 1 }]\n`, 'x.yaml');
    expect(s.tasks[0]!.duration).toEqual({ kind: 'constant', value: 30_000 });
  });
});

describe('a run of no length', () => {
  it('is refused in one line', () => {
    expect(lines('duration: 0\ncells: [{ count: 1 }]\n')).toEqual(['x.yaml: duration: expected a duration above 0']);
  });
});

describe('scenarios that would never end or fill the memory', () => {
  const cells = 'cells: [{ count: 2 }]\nduration: 1m\n';
  it('are refused in one line each, naming the field and the bound', () => {
    expect(lines(`${cells}sampleInterval: 0.001ms\n`)).toEqual(['x.yaml: sampleInterval: expected at least 1ms (at most 100000 samples a run), got 0.001ms']);
    expect(lines(`${cells}convergence: { interval: 0.001ms }\n`)).toEqual(['x.yaml: convergence.interval: expected at least 100ms (Diego runs a pass every 30 s), got 0.001ms']);
    expect(lines(`${cells}evacuation: { poll: 0 }\n`)).toEqual(["x.yaml: evacuation.poll: expected at least 100ms (Diego's draining reps poll every 10 s), got 0ms"]);
    expect(lines(`${cells}lock: { retry: 0 }\n`)).toEqual(['x.yaml: lock.retry: expected at least 10ms (Diego retries every 1 s), got 0ms']);
    expect(lines(`${cells}tasks: [{ name: t, perSecond: 1000000 }]\n`)).toEqual(['x.yaml: tasks: expected at most 1,000,000 tasks over the run, got about 60,000,000; tasks[0] alone submits about 60,000,000 (--allow-large lifts this limit)']);
    expect(lines(`${cells}apps: [{ name: web, instances: 2 }]\nevents: [{ at: 1s, deploy: { app: web, every: 0 } }]\n`)).toEqual(['x.yaml: events[0].deploy.every: expected at least 100ms, got 0ms']);
  });

  it('count the totals: many streams, app groups with their scales, events', () => {
    const streams = Array.from({ length: 3 }, (_, i) => `{ name: t${i}, perSecond: 6000 }`).join(', ');
    expect(lines(`${cells}tasks: [${streams}]\n`)).toEqual(['x.yaml: tasks: expected at most 1,000,000 tasks over the run, got about 1,080,000; tasks[0] alone submits about 360,000 (--allow-large lifts this limit)']);
    // 11 apps of 1,000 instances are fine, and so is one member scaled to 100,000 on its own;
    // a scale of the whole group to 100,000 is 1,100,000.
    const group = `${cells}apps: [{ name: web, count: 11, instances: 1000 }]\n`;
    expect(() => parseScenarioText(group, 'x.yaml')).not.toThrow();
    expect(() => parseScenarioText(`${group}events: [{ at: 1s, scale: { app: web-3, instances: 100000 } }]\n`, 'x.yaml')).not.toThrow();
    expect(lines(`${group}events: [{ at: 1s, scale: { app: web, instances: 100000 } }]\n`)).toEqual(['x.yaml: apps: expected at most 1,000,000 instances in all (count x instances of every app), got 1,100,000 (--allow-large lifts this limit)']);
    // 200,000 streams: the largest is found without spreading them into one call (which overflowed the stack).
    const many = { cells: [{ count: 2 }], tasks: Array.from({ length: 200_000 }, (_, i) => ({ name: `t${i}`, perSecond: 1 })) };
    expect(() => parseScenario(many)).toThrow(expect.objectContaining({ problems: [{ path: 'tasks', message: 'expected at most 1,000,000 tasks over the run, got about 120,000,000; tasks[0] alone submits about 600 (--allow-large lifts this limit)' }] }));
    // As a parsed document: YAML text of 100,001 events takes seconds to read.
    const doc = { cells: [{ count: 2 }], duration: '1m', events: Array.from({ length: 100_001 }, () => ({ at: '1s', killAuctioneer: true })) };
    expect(() => parseScenario(doc)).toThrow(expect.objectContaining({ problems: [{ path: 'events', message: 'expected at most 100,000 events, got 100,001 (--allow-large lifts this limit)' }] }));
    expect(() => parseScenario(doc, 'x', { allowLarge: true })).not.toThrow();
  });

  it('a run of years is refused; a day is the limit --allow-large lifts, up to 30 days', () => {
    expect(lines('duration: 1000000000000\nsampleInterval: 10000000000\ncells: [{ count: 2 }]\n')).toEqual(['x.yaml: duration: expected at most 720h (30 days), got 1000000000000']);
    expect(lines('duration: 25h\ncells: [{ count: 2 }]\n')).toEqual(['x.yaml: duration: expected at most 24h, got "25h" (--allow-large lifts this limit)']);
    // One line however the value was written, and no knock-on complaint about the sample interval.
    expect(lines('duration: "800h\\n"\ncells: [{ count: 2 }]\n')).toEqual(['x.yaml: duration: expected at most 720h (30 days), got "800h\\n"']);
    expect(parseScenarioText('duration: 25h\ncells: [{ count: 2 }]\n', 'x.yaml', { allowLarge: true }).durationMs).toBe(90_000_000);
    expect(parseScenarioText('duration: 24h\ncells: [{ count: 2 }]\n', 'x.yaml').durationMs).toBe(86_400_000);
  });

  it('keep every bundled scenario and Diego-sized setting valid', () => {
    expect(() => parseScenarioText(`${cells}sampleInterval: 1s\nconvergence: { interval: 1s }\nlock: { retry: 50ms }\ntasks: [{ name: t, perSecond: 1000 }]\n`, 'x.yaml')).not.toThrow();
    for (const name of BUNDLED_SCENARIOS) expect(() => loadScenarioFile(`scenarios/${name}.yaml`)).not.toThrow();
  });
});

describe('YAML syntax errors', () => {
  it('say the position once, in one line, without the parser\'s trailing "at line ..., column ...:"', () => {
    expect(lines('cells: [\n')).toEqual(['x.yaml: invalid YAML at line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]']);
  });
});

describe('a crash of an index the app never has', () => {
  it('is refused, unless a scale gives the app that many', () => {
    const base = 'cells: [{ count: 2 }]\napps: [{ name: web, instances: 2 }]\n';
    expect(lines(`${base}events: [{ at: 1s, crash: { app: web, index: 7 } }]\n`)).toEqual(['x.yaml: events[0].crash.index: expected an index below 2 (web has at most 2 instances), got 7']);
    expect(() => parseScenarioText(`${base}events: [{ at: 1s, scale: { app: web, instances: 9 } }, { at: 2s, crash: { app: web, index: 7 } }]\n`, 'x.yaml')).not.toThrow();
  });
});

describe('distributions as the reader before the schemas said them', () => {
  it('NaN and Infinity are bad durations; a known key with another is not exactly one', () => {
    const cells = 'cells: [{ count: 2 }]\n';
    expect(lines(`${cells}startup: .inf\n`)).toEqual(['x.yaml: startup: expected a duration such as 500ms, 30s, 10m, 1h30m (or milliseconds), got Infinity']);
    expect(lines(`${cells}network: { latency: .nan }\n`)).toEqual(['x.yaml: network.latency: expected a duration such as 500ms, 30s, 10m, 1h30m (or milliseconds), got NaN']);
    expect(lines(`${cells}startup: { constant: 1, foo: 1 }\n`)).toEqual(['x.yaml: startup: expected exactly one of constant, uniform, exponential, got constant, foo']);
    expect(lines(`${cells}startup: { uniform: [1s, {}], x: 1 }\n`)).toEqual(['x.yaml: startup: expected exactly one of constant, uniform, exponential, got uniform, x']);
    expect(lines(`${cells}startup: { foo: 1 }\n`)).toEqual(['x.yaml: startup.foo: unknown distribution (expected constant, uniform or exponential)']);
    expect(lines(`${cells}startup: {}\n`)).toEqual(['x.yaml: startup: expected exactly one of constant, uniform, exponential, got none']);
  });

  it('a library caller\'s list with a hole says the item is missing', () => {
    expect(() => parseScenario({ cells: [{ count: 1 }, undefined] })).toThrow('cells[1]: missing (expected a cell group {count, zones, memoryMB, ...})');
  });
});

