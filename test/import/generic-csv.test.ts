// auctionlab's own trace format: fixtures/generic (4 cells, 5 pieces of work).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportProblems } from '../../src/import/csv-table.js';
import { importGenericCsv } from '../../src/import/generic-csv.js';
import { traceScenarioYaml } from '../../src/import/trace.js';
import { parseScenarioText, simulate } from '../../src/sim.js';

const CELLS = 'test/import/fixtures/generic/cells.csv';
const WORK = 'test/import/fixtures/generic/work.csv';
const file = (f: string) => ({ text: readFileSync(f, 'utf8'), file: f });

function problemsOf(cells: string, work: string): string[] {
  const p = new ImportProblems();
  importGenericCsv({ text: cells, file: 'cells.csv' }, { text: work, file: 'work.csv' }, {}, p);
  return p.lines;
}

describe('import csv (the generic format)', () => {
  it('reads cells and work with their defaults, and the scenario runs with everything placed', () => {
    const p = new ImportProblems();
    const made = importGenericCsv(file(CELLS), file(WORK), {}, p)!;
    expect(p.lines).toEqual([]);
    expect(made.trace.cells[0]).toEqual({ id: 'gpu-a', zone: 'z1', memoryMB: 65536, diskMB: 65536, containers: 250, cpuMilli: 16000, gpus: 4, gpuModel: 'T4' });
    expect(made.trace.cells[2]).toEqual({ id: 'big-1', zone: 'z1', memoryMB: 262144, diskMB: 131072, containers: 110, cpuMilli: 64000 });
    expect(made.report).toMatchObject({ cellsRead: 4, workRead: 5, lrps: 3, tasks: 2, leftOut: {} });
    // Requests count every instance: web 6 x 500 m, api 2 x 1000, infer 2 x 4000, train 8000, report 250.
    expect(made.report.readTotals).toEqual({ cpuMilli: 3000 + 2000 + 8000 + 8000 + 250, memoryMiB: 6 * 1024 + 2 * 2048 + 2 * 8192 + 16384 + 512, gpus: 2 + 2, gpuMilli: 2 * 500 + 2 * 1000 });
    const s = parseScenarioText(traceScenarioYaml(made.trace), 'trace.yaml');
    expect(s.apps.map((a) => [a.name, a.instances])).toEqual([['web', 6], ['api', 2], ['infer', 2]]);
    const r = simulate(s);
    expect(r.summary.failed).toBe(0);
    expect(r.summary.tasksCompleted).toBe(2);
    expect(r.summary.desiredAtEnd).toBe(8); // api left at 3,600 s
  });

  it('bad rows: one line each with file, line and column', () => {
    const head = 'name,kind,arrival,departure,memory_mb';
    const cells = 'id,memory_mb,gpus,gpu_model\nc1,1024,2,T4\n';
    expect(problemsOf(cells, `${head}\nw,job,0,,1\n`)).toEqual(['work.csv:2: kind (column 2): expected lrp or task, got "job"']);
    expect(problemsOf(cells, `${head}\nw,lrp,100,50,1\n`)).toEqual(['work.csv:2: departure (column 4): expected a time at or after arrival (100), got 50 (departure before arrival)']);
    expect(problemsOf(cells, `${head}\nw,lrp,0,,-1\n`)).toEqual(['work.csv:2: memory_mb (column 5): expected a whole number from 0 to 2147483647, got "-1"']);
    expect(problemsOf(cells, `${head},gpus,gpu_models\nw,lrp,0,,1,1,V100\n`)).toEqual(['work.csv:2: gpu_models (column 7): unknown GPU model "V100" (the cells have: T4)']);
    expect(problemsOf(cells, `${head},instances\nw,task,0,,1,3\n`)).toEqual(['work.csv:2: instances (column 6): expected 1 or nothing for a task, got 3']);
    expect(problemsOf(cells, 'name,kind,arrival\nw,lrp,0\n')).toEqual(['work.csv:1: missing column "memory_mb" (expected a header with: name, kind, arrival, departure, memory_mb, disk_mb, instances, cpu_milli, gpus, gpu_milli, gpu_models)']);
    expect(problemsOf('id,memory_mb,gpu_model\nc1,1024,T4\n', `${head}\n`)).toEqual(['cells.csv:2: gpu_model (column 3): expected gpus above 0 with a GPU model, got gpus 0']);
    expect(problemsOf('id,memory_mb\nc1,1024\nc1,2048\n', `${head}\n`)).toEqual(['cells.csv:3: id (column 1): duplicate cell "c1" (first on line 2)']);
  });
});

describe('import csv: line endings', () => {
  it('reads CRLF, LF and CR line endings, mixed in one file', () => {
    const p = new ImportProblems();
    const made = importGenericCsv({ text: 'id,memory_mb\r\nc1,1024\nc2,2048\rc3,4096\n', file: 'cells.csv' }, { text: 'name,kind,arrival,memory_mb\r\nw,lrp,0,64\n', file: 'work.csv' }, {}, p);
    expect(p.lines).toEqual([]);
    expect(made!.trace.cells.map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
  });
});
