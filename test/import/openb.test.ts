// Importing the Alibaba OpenB trace: the sample in fixtures/openb (every 5th machine, every 20th pod).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ImportProblems } from '../../src/import/csv-table.js';
import { importOpenb, type OpenbOptions } from '../../src/import/openb.js';
import { traceScenarioYaml } from '../../src/import/trace.js';
import { parseScenarioText } from '../../src/sim.js';

const NODES = 'test/import/fixtures/openb/nodes-sample.csv';
const PODS = 'test/import/fixtures/openb/pods-sample.csv';
const files = () => ({ nodes: { text: readFileSync(NODES, 'utf8'), file: NODES }, pods: { text: readFileSync(PODS, 'utf8'), file: PODS } });
const csv = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];

function imported(opts: OpenbOptions = {}) {
  const { nodes, pods } = files();
  const problems = new ImportProblems();
  const made = importOpenb(nodes, pods, opts, problems);
  expect(problems.lines).toEqual([]);
  return made!;
}

describe('import openb', () => {
  it('reads every machine and pod, and the requests add up to the files\' own sums', () => {
    const { report, trace } = imported();
    const pods = csv(PODS);
    expect(report.cellsRead).toBe(csv(NODES).length);
    expect(report.workRead).toBe(pods.length);
    expect(report.readTotals.cpuMilli).toBe(pods.reduce((t, p) => t + Number(p['cpu_milli']), 0));
    expect(report.readTotals.memoryMiB).toBe(pods.reduce((t, p) => t + Number(p['memory_mib']), 0));
    // LS, Guaranteed and Burstable pods are LRPs, BE pods tasks; none is left out in this sample.
    expect(report.lrps).toBe(pods.filter((p) => p['qos'] !== 'BE').length);
    expect(report.tasks).toBe(pods.filter((p) => p['qos'] === 'BE').length);
    expect(report.leftOut).toEqual({});
    expect(report.importedTotals).toEqual(report.readTotals);
    expect(trace.cells.map((c) => c.id)).toEqual(csv(NODES).map((n) => n['sn']));
  });

  it('maps machines and pods field by field: CPU, memory, GPUs, shares, zones round-robin', () => {
    const { trace } = imported({ zones: 2 });
    const node = csv(NODES).find((n) => Number(n['gpu']) > 0)!;
    const cell = trace.cells.find((c) => c.id === node['sn'])!;
    expect(cell).toMatchObject({ cpuMilli: Number(node['cpu_milli']), memoryMB: Number(node['memory_mib']), gpus: Number(node['gpu']), gpuModel: node['model'] });
    expect(trace.cells.slice(0, 4).map((c) => c.zone)).toEqual(['z1', 'z2', 'z1', 'z2']);
    const share = csv(PODS).find((p) => p['num_gpu'] === '1' && p['gpu_milli'] !== '1000')!;
    const w = trace.work.find((x) => x.name === share['name'])!;
    expect(w).toMatchObject({ gpus: 1, gpuMilli: Number(share['gpu_milli']), cpuMilli: Number(share['cpu_milli']), memoryMB: Number(share['memory_mib']) });
    expect(w.arrivalMs).toBe(Number(share['creation_time']) * 1000);
    expect(w.departureMs).toBe(Number(share['deletion_time']) * 1000);
  });

  it('cuts a window, scales time, samples and keeps a subset of machines, all seeded and counted', () => {
    const day = 86_400;
    const w = imported({ fromS: 120 * day, toS: 130 * day, timeScale: 0.001 });
    const inWindow = csv(PODS).filter((p) => Number(p['creation_time']) >= 120 * day && Number(p['creation_time']) < 130 * day);
    expect(w.report.lrps + w.report.tasks).toBe(inWindow.length);
    expect(w.report.leftOut['outside --from/--to']).toBe(csv(PODS).length - inWindow.length);
    expect(w.trace.durationMs).toBe(10 * day);
    for (const x of w.trace.work) expect(x.arrivalMs).toBeLessThan(10 * day);
    const s = imported({ sample: 0.5, seed: 7 });
    expect(s.report.lrps + s.report.tasks + s.report.leftOut['not in the sample (--sample)']!).toBe(csv(PODS).length);
    expect(imported({ sample: 0.5, seed: 7 }).trace).toEqual(s.trace);
    expect(imported({ sample: 0.5, seed: 8 }).trace).not.toEqual(s.trace);
    const c = imported({ cells: 61 });
    expect(c.report.cells).toBe(61);
    const kept = c.report.lrps + c.report.tasks;
    expect(kept).toBeGreaterThan(408 * 0.1);
    expect(kept).toBeLessThan(408 * 0.3);
  });

  it('without departures, nothing leaves; the scenario loads and names machines and pods as the trace does', () => {
    const { trace } = imported({ departures: false, timeScale: 0.0001 });
    expect(trace.work.every((w) => w.departureMs === null)).toBe(true);
    const s = parseScenarioText(traceScenarioYaml(trace), 'openb.yaml');
    expect(s.cells.flatMap((g) => g.ids ?? [])).toEqual(csv(NODES).map((n) => n['sn']));
    expect(s.apps.map((a) => a.name)).toContain('openb-pod-0000');
    expect(s.events.filter((e) => e.kind === 'delete')).toEqual([]);
  });
});
