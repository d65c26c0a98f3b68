import { describe, expect, it } from 'vitest';
import { cellStateToJSON, InputError, parseCellState, parseScheduleInput, parseWork, workToJSON } from '../../../src/index.js';
import { cell, running } from '../../support/fixtures.js';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected an InputError');
}

// A rep /state document as a real Diego rep serialises it (Go: nil slices are null).
const realDump = {
  rep_url: 'https://cell-1.cell.service.cf.internal:1801',
  cell_id: 'cell-1',
  cell_index: 3,
  RootFSProviders: { docker: { type: 'arbitrary' }, preloaded: { type: 'fixed_set', set: { cflinuxfs4: {} } } },
  AvailableResources: { MemoryMB: 30000, DiskMB: 60000, Containers: 249 },
  TotalResources: { MemoryMB: 32768, DiskMB: 65536, Containers: 250 },
  LRPs: [{ instance_guid: 'i1', process_guid: 'p1', index: 0, domain: 'cf-apps', PlacementTags: null, VolumeDrivers: null, RootFs: 'preloaded:cflinuxfs4', MemoryMB: 256, DiskMB: 1024, MaxPids: 1024, state: 'RUNNING' }],
  Tasks: null,
  StartingContainerCount: 0,
  Zone: 'z1',
  Evacuating: false,
  VolumeDrivers: null,
  PlacementTags: null,
  OptionalPlacementTags: null,
  ProxyMemoryAllocationMB: 32,
  SomeFutureField: 'ignored',
};

describe('cell state JSON', () => {
  it("parses a real rep's /state dump as it is (nulls are empty lists, unknown fields ignored)", () => {
    const s = parseCellState(realDump);
    expect(s.cell_id).toBe('cell-1');
    expect(s.Tasks).toEqual([]);
    expect(s.LRPs[0]!.PlacementTags).toEqual([]);
    expect(s.ProxyMemoryAllocationMB).toBe(32);
  });

  it("prints Diego's exact field names and parses its own output back", () => {
    const c = cell('c1');
    c.LRPs.push(running('app', 0));
    const printed = cellStateToJSON(c);
    expect(Object.keys(printed)).toEqual([
      'rep_url', 'cell_id', 'cell_index', 'RootFSProviders', 'AvailableResources', 'TotalResources', 'LRPs', 'Tasks',
      'StartingContainerCount', 'Zone', 'Evacuating', 'VolumeDrivers', 'PlacementTags', 'OptionalPlacementTags', 'ProxyMemoryAllocationMB',
    ]);
    expect(Object.keys((printed['LRPs'] as object[])[0]!)).toEqual([
      'instance_guid', 'process_guid', 'index', 'domain', 'PlacementTags', 'VolumeDrivers', 'RootFs', 'MemoryMB', 'DiskMB', 'MaxPids', 'state',
    ]);
    expect(parseCellState(JSON.parse(JSON.stringify(printed)))).toEqual(c);
  });

  it('reports the exact field path of a wrong type', () => {
    expect(problems(() => parseCellState({ ...realDump, AvailableResources: { MemoryMB: 'lots', DiskMB: 1, Containers: 1 } }))).toEqual([
      'AvailableResources.MemoryMB: expected a whole number from 0 to 2147483647, got "lots"',
    ]);
  });

  it('reports a missing required field', () => {
    const { cell_id: _, ...noId } = realDump;
    expect(problems(() => parseCellState(noId))).toEqual(['cell_id: missing (expected a non-empty string)']);
  });

  it('reports every problem at once, with list positions', () => {
    const bad = { ...realDump, TotalResources: { MemoryMB: 0, DiskMB: 1, Containers: 1 }, LRPs: [{ index: -1 }] };
    expect(problems(() => parseCellState(bad))).toEqual([
      'TotalResources.MemoryMB: expected a whole number from 1 to 2147483647, got 0',
      'LRPs[0].process_guid: missing (expected a non-empty string)',
      'LRPs[0].index: expected a whole number from 0 to 2147483647, got -1',
      'LRPs[0].MemoryMB: missing (expected a whole number from 0 to 2147483647)',
      'LRPs[0].DiskMB: missing (expected a whole number from 0 to 2147483647)',
    ]);
  });

  it('rejects available resources above the total', () => {
    expect(problems(() => parseCellState({ ...realDump, AvailableResources: { MemoryMB: 40000, DiskMB: 1, Containers: 1 } }))).toEqual([
      'AvailableResources.MemoryMB: expected at most TotalResources.MemoryMB (32768), got 40000',
    ]);
  });

  it('rejects an unknown rootfs provider type', () => {
    expect(problems(() => parseCellState({ ...realDump, RootFSProviders: { x: { type: 'magic' } } }))).toEqual([
      'RootFSProviders.x.type: expected "arbitrary" or "fixed_set", got "magic"',
    ]);
  });

  it('parses and prints work', () => {
    const w = { LRPs: [realDump.LRPs[0]], Tasks: [], cell_id: 'cell-1' };
    expect(workToJSON(parseWork(w))).toEqual({ ...w, LRPs: [{ ...realDump.LRPs[0], PlacementTags: [], VolumeDrivers: [] }] });
  });
});

describe('batch file', () => {
  it('reports bad requests by path, and unknown top-level fields', () => {
    const input = {
      cells: [realDump],
      lrps: [{ process_guid: 'a', indices: [0, 'x'], RootFs: '', MemoryMB: 1, DiskMB: 1 }],
      task: [],
    };
    expect(problems(() => parseScheduleInput(input))).toEqual([
      'task: unknown field (expected one of: cells, lrps, tasks)',
      'lrps[0].indices[1]: expected a whole number from 0 to 2147483647, got "x"',
      'lrps[0].RootFs: expected a non-empty string, got ""',
    ]);
  });

  it('requires cells and rejects duplicate cell ids', () => {
    expect(problems(() => parseScheduleInput({}))).toEqual(['cells: missing (expected a list)']);
    expect(problems(() => parseScheduleInput({ cells: [realDump, realDump] }))).toEqual(['cells[1].cell_id: duplicate cell id "cell-1" (also cells[0])']);
  });

  it('rejects a document that is not an object', () => {
    expect(problems(() => parseScheduleInput([]))).toEqual([': expected an object {"cells": [...], "lrps": [...], "tasks": [...]}, got an array']);
  });
});

describe('cell state JSON: CPU and GPUs', () => {
  const gpuState = () => ({
    ...cellStateToJSON(cell('g')),
    AvailableResources: { MemoryMB: 512, DiskMB: 1024, Containers: 10, CpuMilli: 3000, GpuMilli: [1000, 540] },
    TotalResources: { MemoryMB: 1024, DiskMB: 1024, Containers: 10, CpuMilli: 8000, GpuMilli: [1000, 1000] },
    GpuModel: 'T4',
    LRPs: [{ ...running('a', 0), CpuMilli: 500, GpuCount: 1, GpuMilli: 460, GpuModels: ['T4'], GpuDevices: [1] }],
  });

  it('reads and prints them, and a cell without them prints as Diego prints it', () => {
    const s = parseCellState(gpuState());
    expect(s.TotalResources).toEqual({ MemoryMB: 1024, DiskMB: 1024, Containers: 10, CpuMilli: 8000, GpuMilli: [1000, 1000] });
    expect(s.GpuModel).toBe('T4');
    expect(s.LRPs[0]).toMatchObject({ CpuMilli: 500, GpuCount: 1, GpuMilli: 460, GpuModels: ['T4'], GpuDevices: [1] });
    expect(parseCellState(JSON.parse(JSON.stringify(cellStateToJSON(s))))).toEqual(s);
    expect(Object.keys(cellStateToJSON(cell('plain')))).not.toContain('GpuModel');
    expect(Object.keys(cellStateToJSON(cell('plain')).AvailableResources as object)).toEqual(['MemoryMB', 'DiskMB', 'Containers']);
  });

  it('refuses free above total, one side only, a device count that differs, and shares out of range', () => {
    const bad = (patch: (o: ReturnType<typeof gpuState>) => void) => {
      const o = gpuState();
      patch(o);
      try {
        parseCellState(o);
      } catch (e) {
        return (e as InputError).problems.map((p) => `${p.path}: ${p.message}`);
      }
      return [];
    };
    expect(bad((o) => (o.AvailableResources.CpuMilli = 9000))).toEqual(['AvailableResources.CpuMilli: expected at most TotalResources.CpuMilli (8000), got 9000']);
    expect(bad((o) => delete (o.TotalResources as { CpuMilli?: number }).CpuMilli)).toEqual(['AvailableResources.CpuMilli: expected CpuMilli in both AvailableResources and TotalResources or in neither']);
    expect(bad((o) => (o.AvailableResources.GpuMilli = [1000]))).toEqual(['AvailableResources.GpuMilli: expected one entry per device (2), got 1']);
    expect(bad((o) => (o.AvailableResources.GpuMilli = [1000, 1001]))[0]).toMatch(/^AvailableResources\.GpuMilli\[1\]: expected a whole number/);
    expect(bad((o) => (o.LRPs[0]!.GpuMilli = 0))[0]).toMatch(/^LRPs\[0\]\.GpuMilli: expected a whole number/);
  });
});
