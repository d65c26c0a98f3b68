// `import cfdot`: a Diego foundation's dumps (JSON lines of the BBS models) into a scenario whose work
// already runs where the dumps say; every bad record one line naming the file, the line and the field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CfdotFiles, importCfdot } from '../../src/import/cfdot.js';
import { ImportProblems } from '../../src/import/csv-table.js';
import { traceScenarioYaml } from '../../src/import/trace.js';
import { parseScenarioText, startSimulation } from '../../src/sim.js';

const DIR = 'test/import/fixtures/cfdot';
const fixture = (name: string) => ({ text: readFileSync(`${DIR}/${name}`, 'utf8'), file: name });
const FILES: CfdotFiles = { cells: fixture('cells.json'), desired: fixture('desired-lrps.json'), actual: fixture('actual-lrps.json'), tasks: fixture('tasks.json') };
const OPTS = { taskDurationMs: 300_000 };

const CELL = '0e776c46-fd44-48f4-83ea-06b1dd13ca4b';
const ISO = 'e41b6a93-2f8c-4d05-a7b1-3c9e60f8d215';
const WEB = '1b2f7e40-9d3c-4a6b-8e51-2c7f0d9a4b36-6e1a8c2d-4f0b-4b7e-9a35-1d2c8e7f6a90';
const PAY = 'd9e8f7a6-b5c4-4d3e-82f1-0a9b8c7d6e5f-5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c';

function imported(files: CfdotFiles = FILES) {
  const problems = new ImportProblems();
  const made = importCfdot(files, OPTS, problems);
  return { made, problems: problems.lines };
}

// The problem lines of a foundation with one file replaced.
function problemsWith(which: keyof CfdotFiles, text: string): string[] {
  const r = imported({ ...FILES, [which]: { text, file: `${which}.json` } });
  expect(r.made).toBeNull();
  return r.problems;
}

const line = (o: unknown) => `${JSON.stringify(o)}\n`;
const cell = (o: Record<string, unknown> = {}) =>
  line({ cell_id: 'c1', zone: 'z1', capacity: { memory_mb: 4096, disk_mb: 8192, containers: 10 }, rootfs_provider_list: [{ name: 'preloaded', properties: ['cflinuxfs4'] }], ...o });
const desiredLrp = (o: Record<string, unknown> = {}) => line({ process_guid: 'app', instances: 1, memory_mb: 256, disk_mb: 256, rootfs: 'preloaded:cflinuxfs4', ...o });

describe('import cfdot', () => {
  it('reads the fixture foundation: every record counted, what each became said', () => {
    const { made, problems } = imported();
    expect(problems).toEqual([]);
    const r = made!.report;
    expect(r.read).toEqual({ cells: 5, desired: 5, actual: 13, tasks: 3 });
    expect([r.cells, r.apps, r.instances, r.running, r.tasks, r.runningTasks]).toEqual([5, 5, 10, 8, 2, 1]);
    expect(r.leftOut).toEqual({
      'actual LRPs with no desired LRP (extras the converger would stop)': 1,
      'actual LRPs at an index the desired LRP no longer has (extras)': 1,
      'completed tasks (done: nothing to place)': 1,
    });
    expect(r.readAs).toEqual({
      'CLAIMED instances taken as running on their cell (starting there)': 1,
      'evacuating copies taken as the instance (running on their cell while it has no other)': 1,
      'instances auctioned at the start (UNCLAIMED)': 1,
      'instances auctioned at the start (CRASHED)': 1,
      'preloaded+layer rootfs read as preloaded (the same stacks)': 1,
    });
  });

  it("writes a scenario whose instances run at t=0 on the foundation's own cells, under its own process guids", () => {
    const { made } = imported();
    const s = parseScenarioText(traceScenarioYaml(made!.trace), 'foundation.yaml');
    const web = s.apps.find((a) => a.name === WEB)!;
    expect([web.rootfs, web.runningOn]).toEqual(['preloaded:cflinuxfs4', [CELL, '3b1f0a5e-7c2d-4e8a-9f61-2d4c8b7e1a90', '9a2c4e61-5b3d-4f7e-8c1a-6e0d2b9f4c37']]);
    // The isolation segment's cell keeps its tag; every cell has the drivers the apps mount.
    expect(s.cells.map((g) => [g.count, g.placementTags, g.volumeDrivers, g.stacks, g.docker])).toEqual([
      [4, [], ['nfsv3driver'], ['cflinuxfs4'], true],
      [1, ['payments'], ['nfsv3driver'], ['cflinuxfs4'], true],
    ]);
    const sim = startSimulation(s);
    sim.runUntil(0);
    const onIso = sim.world.cellById.get(ISO)!.rep.state.LRPs.map((l) => `${l.process_guid}.${l.index}:${l.state}`).sort();
    expect(onIso).toEqual([`${PAY}.0:RUNNING`, `${PAY}.1:RUNNING`]);
    expect(sim.world.bbs.tasks.get('2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b')).toMatchObject({ state: 'RUNNING', cell: '9a2c4e61-5b3d-4f7e-8c1a-6e0d2b9f4c37' });
    const r = sim.finish();
    expect(r.summary.initial).toMatchObject({ instances: 8, tasks: 1, refused: 0 });
    expect([r.summary.missingAtEnd, r.summary.extraAtEnd]).toEqual([0, 0]);
  });

  it('reads the nested key shape, a JSON array, and enum numbers as the flat lines, names and all', () => {
    const flat = `${line({ process_guid: 'app', index: 0, instance_guid: 'i0', cell_id: 'c1', state: 'RUNNING' })}${line({ process_guid: 'app', index: 1, cell_id: 'c1', state: 'RUNNING', presence: 'EVACUATING' })}`;
    const nested = JSON.stringify([
      { actual_lrp_key: { process_guid: 'app', index: 0 }, actual_lrp_instance_key: { instance_guid: 'i0', cell_id: 'c1' }, state: 'RUNNING', presence: 0 },
      { actualLrpKey: { process_guid: 'app', index: 1 }, actualLrpInstanceKey: { cell_id: 'c1' }, state: 'running', presence: 1 },
    ]);
    const of = (actual: string) => {
      const r = imported({ cells: { text: cell(), file: 'c' }, desired: { text: desiredLrp({ instances: 2 }), file: 'd' }, actual: { text: actual, file: 'a' } });
      expect(r.problems).toEqual([]);
      return r.made!.trace.work.map((w) => w.runningOn);
    };
    expect(of(nested)).toEqual(of(flat));
    expect(of(flat)).toEqual([['c1', 'c1']]);
    // Task states by number (Task.State: Pending 1, Running 2).
    const tasks = `${line({ task_guid: 't1', state: 2, cell_id: 'c1', rootfs: 'preloaded:cflinuxfs4', memory_mb: 64, disk_mb: 64 })}${line({ task_guid: 't2', state: 1, task_definition: { rootfs: 'preloaded:cflinuxfs4', memory_mb: 64, disk_mb: 64 } })}`;
    const r = imported({ cells: { text: cell(), file: 'c' }, desired: { text: '', file: 'd' }, actual: { text: '', file: 'a' }, tasks: { text: tasks, file: 't' } });
    expect(r.made!.trace.work.map((w) => [w.name, w.runningOn])).toEqual([
      ['t1', ['c1']],
      ['t2', undefined],
    ]);
  });

  it('a copy beside the instance taken is left out and counted; a running task on a cell the dump lacks is left out (Diego fails it)', () => {
    const actual = `${line({ process_guid: 'app', index: 0, cell_id: 'c1', state: 'RUNNING' })}${line({ process_guid: 'app', index: 0, cell_id: 'c1', state: 'RUNNING', presence: 'SUSPECT' })}${line({ process_guid: 'app', index: 1, cell_id: 'gone', state: 'RUNNING', presence: 'EVACUATING' })}`;
    const tasks = line({ task_guid: 't', state: 'Running', cell_id: 'gone', rootfs: 'preloaded:cflinuxfs4', memory_mb: 1, disk_mb: 1 });
    const r = imported({ cells: { text: cell(), file: 'c' }, desired: { text: desiredLrp({ instances: 2 }), file: 'd' }, actual: { text: actual, file: 'a' }, tasks: { text: tasks, file: 't' } });
    expect(r.problems).toEqual([]);
    expect(r.made!.report.leftOut).toEqual({
      'suspect copies beside the instance taken (Diego stops them once it runs)': 1,
      'evacuating copies beside an instance not running (Diego stops them once it runs)': 1,
      'running tasks on a cell not in the cells dump (the converger fails them: cell disappeared before completion)': 1,
    });
    expect(r.made!.report.readAs).toEqual({ 'instances auctioned at the start (no ordinary record, and no copy running on a cell in the dump)': 1 });
    expect(r.made!.trace.work.map((w) => [w.name, w.runningOn])).toEqual([['app', ['c1']]]);
  });

  it('bad records: one line each, naming the file, the line and the field', () => {
    expect(problemsWith('cells', `${cell()}{"cell_id": "c2",\n`)).toEqual(['cells.json:2: expected a JSON object (cfdot prints one per line), got "{\\"cell_id\\": \\"c2\\","']);
    expect(problemsWith('cells', `${cell()}${cell()}`)).toEqual(['cells.json:2: cell_id: duplicate cell "c1" (first at cells.json:1)']);
    expect(problemsWith('cells', cell({ zone: '' }))).toEqual(['cells.json:1: zone: expected a non-empty string without control characters, got ""']);
    expect(problemsWith('cells', cell({ capacity: { memory_mb: -1, disk_mb: 1, containers: 1 } }))).toEqual(['cells.json:1: capacity.memory_mb: expected a whole number from 1 to 2147483647, got -1']);
    // Go omits a zero: an absent capacity is a cell that could run nothing.
    expect(problemsWith('cells', cell({ capacity: { memory_mb: 4096, containers: 250 } }))).toEqual(['cells.json:1: capacity.disk_mb: expected a whole number from 1 to 2147483647, got nothing']);
    expect(problemsWith('cells', cell({ capacity: { memory_mb: 4096, disk_mb: 1, containers: 200_000 } }))).toEqual(['cells.json:1: capacity.containers: expected a whole number from 1 to 100000, got 200000']);
    expect(problemsWith('cells', cell({ cell_id: 'c\u0085x' }))).toEqual(['cells.json:1: cell_id: expected a non-empty string without control characters, got "c\\u0085x"']);
    expect(problemsWith('cells', cell({ capacity: undefined }))).toEqual(['cells.json:1: capacity: expected an object, got nothing']);
    expect(problemsWith('cells', cell({ rootfs_provider_list: [{ properties: ['cflinuxfs4'] }] }))).toEqual(['cells.json:1: rootfs_provider_list[0].name: expected a non-empty string without control characters, got nothing']);
    expect(problemsWith('cells', '[1, {"cell_id": "c1"}]')).toEqual(['cells.json: item 1: expected a JSON object, got 1', 'cells.json: item 2: zone: expected a non-empty string without control characters, got nothing', 'cells.json: item 2: capacity: expected an object, got nothing']);
    expect(problemsWith('desired', desiredLrp({ memory_mb: 1.5 }))).toEqual(['desired.json:1: memory_mb: expected a whole number from 0 to 2147483647, got 1.5']);
    expect(problemsWith('desired', desiredLrp({ instances: 100_001 }))).toEqual(['desired.json:1: instances: expected a whole number from 0 to 100000, got 100001']);
    expect(problemsWith('desired', `${desiredLrp()}${desiredLrp()}`)).toEqual(['desired.json:2: process_guid: duplicate desired LRP "app" (first at desired.json:1)']);
    expect(problemsWith('desired', desiredLrp({ process_guid: 'a\nb' }))).toEqual(['desired.json:1: process_guid: expected a non-empty string without control characters, got "a\\nb"']);
    expect(problemsWith('desired', desiredLrp({ volume_mounts: [{ mode: 'rw' }] }))).toEqual(['desired.json:1: volume_mounts[0].driver: expected a non-empty string without control characters, got nothing']);
    expect(problemsWith('actual', line({ process_guid: 'app', index: 0, cell_id: 'c1', state: 'STARTED' }))).toEqual(['actual.json:1: state: expected one of UNCLAIMED, CLAIMED, RUNNING, CRASHED, got "STARTED"']);
    expect(problemsWith('actual', line({ process_guid: 'app', index: -1, cell_id: 'c1', state: 'RUNNING' }))).toEqual(['actual.json:1: index: expected a whole number from 0 to 99999, got -1']);
    expect(problemsWith('actual', line({ process_guid: 'app', index: 0, state: 'RUNNING' }))).toEqual(['actual.json:1: cell_id: expected a non-empty string without control characters, got nothing']);
    expect(problemsWith('actual', line({ process_guid: 'app', index: 0, cell_id: 'c1', state: 'RUNNING', presence: 7 }))).toEqual(['actual.json:1: presence: expected one of ORDINARY, EVACUATING, SUSPECT, got 7']);
    expect(problemsWith('tasks', line({ task_guid: 't', state: 0, rootfs: 'preloaded:cflinuxfs4', memory_mb: 1, disk_mb: 1 }))).toEqual(['tasks.json:1: state: expected one of Pending, Running, Completed, Resolving, got 0']);
    // Nested keys are named in the path; one that is not an object is one line.
    expect(problemsWith('actual', line({ actual_lrp_key: { process_guid: 'app', index: -1 }, actual_lrp_instance_key: { cell_id: 'c1' }, state: 'RUNNING' }))).toEqual([
      'actual.json:1: actual_lrp_key.index: expected a whole number from 0 to 99999, got -1',
    ]);
    expect(problemsWith('actual', line({ actual_lrp_key: 'junk', state: 'RUNNING' }))).toEqual(['actual.json:1: actual_lrp_key: expected an object, got "junk"']);
    expect(problemsWith('tasks', line({ task_guid: 't', state: 'Pending', task_definition: { rootfs: 'preloaded:cflinuxfs4', memory_mb: 1 } }))).toEqual([
      'tasks.json:1: task_definition.disk_mb: expected a whole number from 0 to 2147483647, got nothing',
    ]);
    // Nested thousands deep: one line, no stack overflow.
    const deep = `{"process_guid":${'['.repeat(5000)}${']'.repeat(5000)},"instances":1,"memory_mb":1,"disk_mb":1,"rootfs":"preloaded:cflinuxfs4"}\n`;
    expect(problemsWith('desired', deep)).toEqual(['desired.json:1: process_guid: expected a non-empty string without control characters, got a list']);
  });

  it('prototype names and non-ASCII are names like any other; __proto__ as a field name is not a field', () => {
    const cells = `${cell({ cell_id: '__proto__' })}${cell({ cell_id: 'zelle-ü', zone: 'zone-ä' })}`;
    const desired = `${desiredLrp({ process_guid: 'constructor', instances: 2 })}${desiredLrp({ process_guid: 'toString' })}`;
    const actual = `${line({ process_guid: 'constructor', index: 0, cell_id: '__proto__', state: 'RUNNING' })}${line({ process_guid: 'constructor', index: 1, cell_id: 'zelle-ü', state: 'RUNNING' })}`;
    const r = imported({ cells: { text: cells, file: 'c' }, desired: { text: desired, file: 'd' }, actual: { text: actual, file: 'a' } });
    expect(r.problems).toEqual([]);
    const s = parseScenarioText(traceScenarioYaml(r.made!.trace), 'x.yaml');
    expect(s.apps.map((a) => [a.name, a.runningOn])).toEqual([
      ['constructor', ['__proto__', 'zelle-ü']],
      ['toString', undefined],
    ]);
    const sim = startSimulation(s);
    sim.runUntil(0);
    expect(sim.world.routableOf('constructor')).toBe(2);
    // A JSON object whose key is "__proto__" has that own field; it is not the object's prototype.
    expect(problemsWith('cells', '{"__proto__": {"cell_id": "x", "zone": "z"}, "capacity": {"memory_mb": 1, "disk_mb": 1, "containers": 1}}\n')).toEqual([
      'cells.json:1: cell_id: expected a non-empty string without control characters, got nothing',
      'cells.json:1: zone: expected a non-empty string without control characters, got nothing',
    ]);
  });
});
