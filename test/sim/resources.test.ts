// CPU, GPUs and GPU models in a simulated run: cells and work that carry them, from a scenario file.
import { describe, expect, it } from 'vitest';
import { parseScenarioText, scenarioDocument, simulate, startSimulation } from '../../src/sim.js';
import { stringify } from 'yaml';
import { scenarioProblems as bad } from './scenario-problems.js';

const SCENARIO = `
name: gpus
duration: 5m
cells:
  - { count: 2, ids: [machine-a, machine-b], memoryMB: 65536, cpuMilli: 8000, gpus: 3, gpuModel: T4 }
  - { count: 2, prefix: cpu, memoryMB: 65536, cpuMilli: 4000 }
apps:
  - { name: web, instances: 4, memoryMB: 256, cpuMilli: 1000 }
  - { name: infer, instances: 3, memoryMB: 256, cpuMilli: 500, gpus: 1, gpuMilli: 500 }
events:
  - { at: 10s, task: { name: train, memoryMB: 1024, cpuMilli: 2000, gpus: 2, gpuModels: [T4], duration: 1m } }
  - { at: 10s, task: { name: wrong-model, memoryMB: 1024, gpus: 1, gpuModels: [V100M16], duration: 1m } }
  - { at: 10s, task: { name: too-many, memoryMB: 1024, gpus: 4, duration: 1m } }
`;

describe('CPU and GPUs in a simulated run', () => {
  it('places GPU work only on GPU cells of its model, shares devices, and names the cells by their own ids', () => {
    const sim = startSimulation(parseScenarioText(SCENARIO, 'gpus.yaml'));
    sim.runUntil(20_000);
    const cells = new Map(sim.world.cells.map((c) => [c.id, c.rep.state]));
    expect([...cells.keys()].sort()).toEqual(['cpu-00', 'cpu-01', 'machine-a', 'machine-b']);
    for (const [id, s] of cells) {
      for (const l of s.LRPs) if (l.process_guid === 'infer') expect(id).toMatch(/^machine-/);
      expect(s.AvailableResources.CpuMilli).toBeGreaterThanOrEqual(0);
      for (const free of s.AvailableResources.GpuMilli ?? []) expect(free).toBeGreaterThanOrEqual(0);
    }
    const infer = [...cells.values()].flatMap((s) => s.LRPs.filter((l) => l.process_guid === 'infer'));
    expect(infer).toHaveLength(3);
    // Three halves of a device and a two-device task on six devices: every device accounted for.
    const used = [...cells.values()].reduce((n, s) => n + (s.AvailableResources.GpuMilli ?? []).reduce((m, f) => m + (1000 - f), 0), 0);
    expect(used).toBe(3 * 500 + 2 * 1000);
    const r = sim.finish();
    expect(r.summary.taskFailures).toEqual({ 'found no compatible cell with gpu model "V100M16"': 1, 'insufficient resources: gpu': 1 });
    expect(r.summary.tasksCompleted).toBe(1);
    expect(r.summary.missingAtEnd).toBe(0);
    // CPU and GPU figures: the run's own, and over time; a cluster without them has none.
    expect(r.summary.resources).toBeDefined();
    expect(r.summary.resources!.gpuAllocation).toBeCloseTo(1500 / 6000, 10);
    expect(r.summary.resources!.cpuAllocation).toBeCloseTo((4 * 1000 + 3 * 500) / (2 * 8000 + 2 * 4000), 10);
    expect(r.series.some((x) => x.gpuAllocation !== undefined && x.gpuAllocation > 0.5)).toBe(true);
    expect(r.metrics['gpuAllocation']).toBe(r.summary.resources!.gpuAllocation);
    const plain = simulate(parseScenarioText('cells: [{ count: 2 }]\napps: [{ name: a, instances: 2 }]', 'plain.yaml'));
    expect(plain.summary.resources).toBeUndefined();
    expect(plain.series.every((x) => x.gpuAllocation === undefined)).toBe(true);
  });

  it('strands GPUs on cells that cannot take one more of the most common GPU work', () => {
    const text = `
cells:
  - { count: 2, memoryMB: 4096, cpuMilli: 4000, gpus: 2 }
apps:
  - { name: share, count: 2, instances: 1, memoryMB: 1024, cpuMilli: 1000, gpus: 1, gpuMilli: 600 }
  - { name: cpu-hog, instances: 1, memoryMB: 256, cpuMilli: 3000 }
`;
    const r = simulate(parseScenarioText(text, 'stranded.yaml'));
    // The most common GPU work asks 1000 m CPU and 600 thousandths of a device: the cell that also
    // runs cpu-hog has no CPU left for it, so its free GPU capacity (1.4 devices) is stranded.
    const res = r.summary.resources!;
    expect(res.strandedGpus).toBeCloseTo(1.4, 10);
  });

  it('prints the scenario with its CPU, GPU and ids fields, and the printed file runs to the same digest', () => {
    const s = parseScenarioText(SCENARIO, 'gpus.yaml');
    const printed = stringify(scenarioDocument(s));
    expect(printed).toContain('ids:');
    expect(printed).toContain('gpuModel: T4');
    expect(printed).toContain('gpuMilli: 500');
    // Every default filled in: whole devices say so.
    expect(printed).toMatch(/name: train[^]*?gpus: 2\n\s+gpuMilli: 1000/);
    expect(simulate(parseScenarioText(printed, 'printed.yaml')).digest).toBe(simulate(s).digest);
  });

  it('refuses ids that do not match count, duplicate cell ids and a share without devices, one line each', () => {
    expect(bad('cells: [{ count: 2, ids: [a] }]')).toEqual(['bad.yaml: cells[0].ids: expected 2 ids (one per cell, as count says), got 1']);
    expect(bad('cells: [{ count: 1, ids: [a] }, { count: 1, ids: [a] }]')).toEqual(['bad.yaml: cells[1].ids[0]: duplicate cell id "a" (also in cells[0])']);
    expect(bad('cells: [{ count: 2, prefix: x }, { count: 2, prefix: x }]')).toEqual(['bad.yaml: cells[1].prefix: duplicate cell id "x-00" (also in cells[0])']);
    expect(bad('cells: [{ count: 1 }]\napps: [{ name: a, gpuMilli: 500 }]')).toEqual(['bad.yaml: apps[0].gpuMilli: expected gpus with it (gpuMilli is the share of each of those devices)']);
    expect(bad('cells: [{ count: 1, gpus: -1 }]')).toEqual(['bad.yaml: cells[0].gpus: expected a whole number from 0 to 1024, got -1']);
    expect(bad('cells: [{ count: 1, cpuMilli: 0 }]')).toEqual(['bad.yaml: cells[0].cpuMilli: expected a whole number from 1 to 2147483647, got 0']);
    expect(bad('cells: [{ count: 1 }]\nevents: [{ at: 1s, task: { name: t, gpus: 1, gpuMilli: 1001 } }]')).toEqual(['bad.yaml: events[0].task.gpuMilli: expected a whole number from 1 to 1000, got 1001']);
  });
});

describe('CPU and GPU fields: what the schema cannot say', () => {
  it('an empty GPU model, and a GPU model on cells without GPUs, are one line each', () => {
    expect(bad('cells: [{ count: 1, gpus: 1 }]\napps: [{ name: a, gpus: 1, gpuModels: [T4, ""] }]')).toEqual(['bad.yaml: apps[0].gpuModels[1]: expected a non-empty string, got ""']);
    expect(bad('cells: [{ count: 1, gpuModel: T4 }]')).toEqual(['bad.yaml: cells[0].gpuModel: expected gpus above 0 with a GPU model']);
  });
});

describe('CPU and GPUs in the CSV tables', () => {
  it('series.csv has allocation columns for a cluster with CPU and GPUs, and none for a Diego cluster', async () => {
    const { runTables } = await import('../../src/report/csv.js');
    const gpu = simulate(parseScenarioText(SCENARIO, 'gpus.yaml'));
    const head = runTables(gpu).series[0] as string[];
    expect(head).toContain('cpu_allocation');
    expect(head).toContain('gpu_allocation');
    const plain = simulate(parseScenarioText('cells: [{ count: 2 }]\napps: [{ name: a }]', 'plain.yaml'));
    expect(runTables(plain).series[0]).not.toContain('gpu_allocation');
  });
});
