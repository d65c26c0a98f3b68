import { copyFileSync, linkSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const NODES = 'test/import/fixtures/openb/nodes-sample.csv';
const PODS = 'test/import/fixtures/openb/pods-sample.csv';
const NODE_HEAD = 'sn,cpu_milli,memory_mib,gpu,model';
const POD_HEAD = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time';

// Writes a machine list and a pod list, imports them, and returns the run.
function importOf(nodes: string, pods: string, flags: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'import-'));
  writeFileSync(join(dir, 'nodes.csv'), nodes);
  writeFileSync(join(dir, 'pods.csv'), pods);
  const r = runCli(['import', 'openb', join(dir, 'nodes.csv'), join(dir, 'pods.csv'), '-o', join(dir, 'out.yaml'), ...flags]);
  return { ...r, stderr: r.stderr.replaceAll(`${dir}/`, ''), dir };
}

const NODES_OK = `${NODE_HEAD}\nm0,32000,262144,8,T4\nm1,96000,393216,0,\n`;
const pod = (fields: Partial<Record<string, string>>) => {
  const f = { name: 'p0', cpu_milli: '1000', memory_mib: '2048', num_gpu: '1', gpu_milli: '500', gpu_spec: '', qos: 'LS', pod_phase: 'Running', creation_time: '0', deletion_time: '100', scheduled_time: '0', ...fields };
  return `${POD_HEAD}\n${Object.values(f).join(',')}\n`;
};

describe('auctionlab import openb', () => {
  it('imports the sample, says what it read, made and left out, and the scenario runs naming machines and pods', () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-'));
    const out = join(dir, 'openb.yaml');
    const r = runCli(['import', 'openb', NODES, PODS, '-o', out, '--time-scale', '0.0001', '--no-departures']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^read 305 machines \(.*nodes-sample.csv\) and 408 pods \(.*pods-sample.csv\)\nwrote .*openb.yaml: 305 cells, 215 LRPs, 193 tasks, /);
    expect(r.stderr).toContain('left out: no pods');
    expect(readFileSync(out, 'utf8')).toMatch(/^# alibaba-openb: the Alibaba OpenB GPU-cluster trace/);
    const run = runCli(['run', out, '--out', dir, '--no-safety']);
    expect(run.code).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { timeline: { cells: { id: string }[]; apps: { names?: string[] } } };
    expect(results.timeline.cells.map((c) => c.id)).toContain('openb-node-0000');
    expect(JSON.stringify(results.timeline.apps)).toContain('openb-pod-0000');
  });

  it('writes to standard output without -o, and the same input gives the same file', () => {
    const a = runCli(['import', 'openb', NODES, PODS, '--time-scale', '0.0001', '--sample', '0.5', '--seed', '3']);
    const b = runCli(['import', 'openb', NODES, PODS, '--time-scale', '0.0001', '--sample', '0.5', '--seed', '3']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('cells:');
  });

  it('bad rows: one line each with file, line and column, exit 2', () => {
    const cases: [string, string, string][] = [
      [NODES_OK, pod({}).replace('cpu_milli,', ''), 'pods.csv:1: missing column "cpu_milli" (expected a header with: name, cpu_milli, memory_mib, num_gpu, gpu_milli, gpu_spec, qos, pod_phase, creation_time, deletion_time, scheduled_time)'],
      [NODES_OK, pod({ cpu_milli: 'lots' }), 'pods.csv:2: cpu_milli (column 2): expected a whole number >= 0, got "lots"'],
      [NODES_OK, pod({ memory_mib: '-5' }), 'pods.csv:2: memory_mib (column 3): expected a whole number >= 0, got "-5"'],
      [`${NODE_HEAD}\nm0,-1,262144,8,T4\n`, pod({}), 'nodes.csv:2: cpu_milli (column 2): expected a whole number >= 1, got "-1"'],
      [NODES_OK, pod({ gpu_spec: 'V100M16' }), 'pods.csv:2: gpu_spec (column 6): unknown GPU model "V100M16" (the machines have: T4)'],
      [NODES_OK, pod({ creation_time: '500', deletion_time: '100' }), 'pods.csv:2: deletion_time (column 10): expected a time at or after creation_time (500), got 100 (departure before arrival)'],
      [NODES_OK, pod({ qos: 'Gold' }), 'pods.csv:2: qos (column 7): expected one of LS, Guaranteed, Burstable, BE, got "Gold"'],
      [NODES_OK, pod({ num_gpu: '0', gpu_milli: '500' }), 'pods.csv:2: gpu_milli (column 5): expected 0 when num_gpu is 0, got 500'],
      [NODES_OK, pod({ gpu_milli: '1001' }), 'pods.csv:2: gpu_milli (column 5): expected a whole number from 0 to 1000, got "1001"'],
      [NODES_OK, pod({ cpu_milli: '99999999999999999999' }), 'pods.csv:2: cpu_milli (column 2): expected a whole number >= 0, got "99999999999999999999"'],
      [`${NODE_HEAD}\nm0,32000,262144,8,T4\nm0,32000,262144,8,T4\n`, pod({}), 'nodes.csv:3: sn (column 1): duplicate machine "m0" (first on line 2)'],
      [NODES_OK, `${POD_HEAD}\np0,1\n`, 'pods.csv:2: expected 11 fields (as the header has), got 2'],
      ['', pod({}), 'nodes.csv: empty (expected a header line: sn, cpu_milli, memory_mib, gpu, model)'],
      [NODES_OK, `${POD_HEAD}\n"p0,1000\n`, 'pods.csv:2: column 1: expected a closing quote (a quoted field runs to the end of the file)'],
      [NODES_OK, `${POD_HEAD}\np0,1"000\n`, 'pods.csv:2: column 2: expected a quote only at the start of a field'],
      [NODES_OK, `${POD_HEAD}\n"p\n0",1000,2048,1,500,,LS,Running,0,100,0\n`, 'pods.csv:3: name (column 1): expected text without line breaks or other control characters, got "p\\n0"'],
      [NODES_OK, `${POD_HEAD},name\np0,1000,2048,1,500,,LS,Running,0,100,0,p1\n`, 'pods.csv:1: column "name" twice (columns 1 and 12)'],
      [NODE_HEAD, pod({}), 'nodes.csv: no machines (expected at least one row after the header)'],
    ];
    for (const [nodes, pods, line] of cases) {
      const r = importOf(nodes, pods);
      expect([r.code, r.stderr]).toEqual([2, `${line}\n`]);
      expect(r.stdout).toBe('');
    }
  });

  it('prototype names, non-ASCII and .. are names like any other', () => {
    const nodes = `${NODE_HEAD}\n__proto__,32000,262144,8,T4\nconstructor,32000,262144,0,\nü-機械,16000,65536,2,T4\n..,16000,65536,0,\n`;
    const pods = `${POD_HEAD}\ntoString,1000,2048,1,500,T4,LS,Running,0,100,0\n__proto__,1000,2048,0,0,,BE,Running,0,100,0\n`;
    const r = importOf(nodes, pods, ['--no-departures']);
    expect([r.code, r.stderr.split('\n')[1]]).toEqual([0, expect.stringMatching(/: 4 cells, 1 LRP, 1 task, /)]);
    const run = runCli(['run', join(r.dir, 'out.yaml'), '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary.failed).toBe(0);
  });

  it('bad flags and files: one line, exit 2', () => {
    const bad = (args: string[]) => runCli(['import', 'openb', ...args]);
    expect(bad([NODES, 'nope.csv'])).toMatchObject({ code: 2, stderr: 'nope.csv: no such file (<pods.csv>)\n' });
    expect(bad([NODES, 'test'])).toMatchObject({ code: 2, stderr: 'test: is a directory (<pods.csv>)\n' });
    expect(bad([NODES, PODS, '--sample', '0']).stderr).toMatch(/--sample <fraction>' argument '0' is invalid. expected a fraction above 0 and at most 1, got "0"/);
    expect(bad([NODES, PODS, '--time-scale', '-1']).stderr).toMatch(/expected a number above 0/);
    expect(bad([NODES, PODS, '--from', 'yesterday']).stderr).toMatch(/expected seconds of the trace, or a time such as 90s, 30m, 12h, 115d, got "yesterday"/);
    expect(bad([NODES, PODS, '--from', '10d', '--to', '5d'])).toMatchObject({ code: 2, stderr: '--to: expected a time after --from (864000 s), got 432000 s\n' });
    const long = bad([NODES, PODS]);
    expect([long.code, long.stderr]).toEqual([2, 'the trace runs 3,584 h of simulated time, more than 24h: shorten it with --time-scale or --from/--to (--time-scale 0.0066 fits), or pass --allow-large\n']);
    // The scale it suggests fits, and a scale already given is taken into account.
    const dir = mkdtempSync(join(tmpdir(), 'import-'));
    expect(bad([NODES, PODS, '--time-scale', '0.0066', '-o', join(dir, 'a.yaml')]).code).toBe(0);
    expect(bad([NODES, PODS, '--time-scale', '0.1', '--to', '2000000']).stderr).toMatch(/\(--time-scale 0\.043 fits\)/);
    expect(bad([NODES, PODS, '--to', '0'])).toMatchObject({ code: 2, stderr: '--to: expected a time after --from (0 s), got 0 s\n' });
    expect(bad([NODES, PODS, '-o', PODS])).toMatchObject({ code: 2, stderr: `--out ${PODS}: expected a file other than the inputs (it would overwrite the trace)\n` });
    expect(bad([NODES, PODS, '--name', 'a\nb']).stderr).toMatch(/--name <name>' argument 'a\nb' is invalid. expected a name without line breaks or other control characters/);
  });

  it('import csv: the generic format, with what it read on stderr; a bad row is one line, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-csv-'));
    const out = join(dir, 'trace.yaml');
    const r = runCli(['import', 'csv', 'test/import/fixtures/generic/cells.csv', 'test/import/fixtures/generic/work.csv', '-o', out, '--name', 'mine']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').slice(0, 3)).toEqual([
      'read 4 cells (test/import/fixtures/generic/cells.csv) and 5 pieces of work (test/import/fixtures/generic/work.csv)',
      `wrote ${out}: 4 cells, 3 LRPs, 2 tasks, 1h1m of simulated time`,
      'left out: no pieces of work',
    ]);
    expect(readFileSync(out, 'utf8')).toMatch(/^# mine: imported by\n# {3}auctionlab import csv cells.csv work.csv --name "mine"\n/);
    expect(runCli(['run', out, '--no-safety']).code).toBe(0);
    writeFileSync(join(dir, 'bad.csv'), 'name,kind,arrival,memory_mb\nw,lrp,soon,1\n');
    const bad = runCli(['import', 'csv', 'test/import/fixtures/generic/cells.csv', join(dir, 'bad.csv')]);
    expect([bad.code, bad.stderr]).toEqual([2, `${join(dir, 'bad.csv')}:2: arrival (column 3): expected a whole number >= 0, got "soon"\n`]);
  });
});

const CFDOT = 'test/import/fixtures/cfdot';
const CFDOT_FILES = ['--cells', `${CFDOT}/cells.json`, '--desired', `${CFDOT}/desired-lrps.json`, '--actual', `${CFDOT}/actual-lrps.json`];

describe('auctionlab import cfdot', () => {
  it('imports the fixture foundation, says what it read and made, and run and compare replay a zone outage on it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfdot-'));
    const out = join(dir, 'foundation.yaml');
    const r = runCli(['import', 'cfdot', ...CFDOT_FILES, '--tasks', `${CFDOT}/tasks.json`, '-o', out, '--event', '{ at: 2m, partition: us-central1-b }']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe(`read 5 cells (${CFDOT}/cells.json), 5 desired LRPs (${CFDOT}/desired-lrps.json), 13 actual LRPs (${CFDOT}/actual-lrps.json), 3 tasks (${CFDOT}/tasks.json)`);
    expect(lines[1]).toBe(`wrote ${out}: 5 cells, 5 apps with 10 instances (8 running on their cells, 2 auctioned at the start), 2 tasks (1 running), 10m of simulated time, 1 event added`);
    expect(lines[2]).toMatch(/^left out: /);
    expect(lines[3]).toMatch(/^read as: CLAIMED instances taken as running on their cell \(starting there\): 1; /);
    expect(readFileSync(out, 'utf8')).toMatch(/^# foundation: a Diego foundation imported by\n# {3}auctionlab import cfdot --cells cells.json/);
    const run = runCli(['run', out, '--out', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Running from the start (runningOn): 8 instances, 1 task on their cells');
    expect(run.stdout).toContain('Fault at 2.0 min: partition (us-central1-b): 4 instances displaced');
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { timeline: { cells: { id: string }[] }; summary: { initial: unknown } };
    expect(results.timeline.cells.map((c) => c.id)).toContain('e41b6a93-2f8c-4d05-a7b1-3c9e60f8d215');
    expect(results.summary.initial).toEqual({ instances: 8, tasks: 1, refused: 0, refusals: [] });
    const cmp = runCli(['compare', out, '--strategies', 'diego,best-fit', '--seeds', '1']);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(/best-fit/);
  });

  it('a file name with a line break stays in its comment line: the scenario is what the dumps say', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfdot-'));
    const odd = join(dir, 'c\nseed: 77 #\u2028x.json');
    copyFileSync(`${CFDOT}/cells.json`, odd);
    const r = runCli(['import', 'cfdot', '--cells', odd, '--desired', `${CFDOT}/desired-lrps.json`, '--actual', `${CFDOT}/actual-lrps.json`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--cells c\\u000aseed: 77 #\\u2028x.json --desired');
    expect(r.stdout).not.toMatch(/^seed:/m);
  });

  it('writes to standard output without -o, the same each time', () => {
    const a = runCli(['import', 'cfdot', ...CFDOT_FILES]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(runCli(['import', 'cfdot', ...CFDOT_FILES]).stdout);
    expect(a.stdout).toContain('runningOn: [ 0e776c46-fd44-48f4-83ea-06b1dd13ca4b');
  });

  it('bad flags, files and records: one line, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfdot-'));
    writeFileSync(join(dir, 'actual.json'), '{"process_guid":"x","index":0,"cell_id":"c","state":"RUNNING"}\nnot json\n');
    writeFileSync(join(dir, 'empty.json'), '');
    const cases: [string[], string][] = [
      [['--event', '{ at: 2m, partition: z9 }'], `--event '{ at: 2m, partition: z9 }': partition: no zone named "z9" (zones: us-central1-a, us-central1-b)`],
      [['--event', '{ at: 20m, kill: { zone: us-central1-a } }'], `--event '{ at: 20m, kill: { zone: us-central1-a } }': expected a time within --duration (10m), got 20m`],
      [['--event', 'kill'], `error: option '--event <yaml>' argument 'kill' is invalid. expected a scenario event in YAML, such as '{ at: 2m, partition: z2 }' or '{ at: 1m, kill: { zone: z1 } }' (an object with at), got "kill"`],
      [['--duration', '-1m'], `error: option '--duration <time>' argument '-1m' is invalid. expected a duration above 0 such as 90s, 10m or 1h30m, got "-1m"`],
      [['--actual', join(dir, 'actual.json')], `${join(dir, 'actual.json')}:2: expected a JSON object (cfdot prints one per line), got "not json"`],
      [['--cells', join(dir, 'empty.json')], `${join(dir, 'empty.json')}: no cells (expected one JSON object per cell, as \`cfdot cells\` prints)`],
      [['--tasks', join(dir, 'nope.json')], `${join(dir, 'nope.json')}: no such file (--tasks)`],
      [['-o', `${CFDOT}/cells.json`], `--out ${CFDOT}/cells.json: expected a file other than the inputs (it would overwrite the dump)`],
    ];
    for (const [flags, line] of cases) {
      const r = runCli(['import', 'cfdot', ...CFDOT_FILES, ...flags]);
      expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, line]);
      expect(r.stdout).toBe('');
    }
    // An input reached through a link is the input: -o may not overwrite it.
    const inputs = mkdtempSync(join(tmpdir(), 'cfdot-'));
    copyFileSync(`${CFDOT}/actual-lrps.json`, join(inputs, 'actual.json'));
    symlinkSync(join(inputs, 'actual.json'), join(inputs, 'soft.json'));
    linkSync(join(inputs, 'actual.json'), join(inputs, 'hard.json'));
    for (const link of ['soft.json', 'hard.json']) {
      const r = runCli(['import', 'cfdot', '--cells', `${CFDOT}/cells.json`, '--desired', `${CFDOT}/desired-lrps.json`, '--actual', join(inputs, 'actual.json'), '-o', join(inputs, link)]);
      expect([r.code, r.stderr]).toEqual([2, `--out ${join(inputs, link)}: expected a file other than the inputs (it would overwrite the dump)\n`]);
    }
    expect(readFileSync(join(inputs, 'actual.json'), 'utf8')).toBe(readFileSync(`${CFDOT}/actual-lrps.json`, 'utf8'));
    // A device that never ends is read up to the limit, and refused in one line.
    symlinkSync('/dev/zero', join(inputs, 'zero.json'));
    const zero = runCli(['import', 'cfdot', ...CFDOT_FILES, '--tasks', join(inputs, 'zero.json')]);
    expect([zero.code, zero.stderr]).toEqual([2, `${join(inputs, 'zero.json')}: expected at most 256 MiB (--tasks), got more\n`]);
    const long = runCli(['import', 'cfdot', ...CFDOT_FILES, '--duration', '25h']);
    expect([long.code, long.stderr]).toEqual([2, '--duration: expected at most 24h (--allow-large lifts this limit), got 25h\n']);
    const missing = runCli(['import', 'cfdot', '--cells', `${CFDOT}/cells.json`]);
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([2, "error: required option '--desired <file>' not specified"]);
  });
});
