import { describe, expect, it } from 'vitest';
import {
  type CellState,
  ERR_ROOTFS,
  EVERY_PROBLEM,
  gpuModelMismatch,
  ERR_VOLUME_DRIVERS,
  filterError,
  filterStage,
  FilterStage,
  insufficientResources,
  matchPlacementTags,
  matchVolumeDrivers,
  placementTagMismatch,
  PROBLEM_CONTAINERS,
  PROBLEM_CPU,
  PROBLEM_DISK,
  PROBLEM_GPU,
  PROBLEM_MEMORY,
  resourceProblems,
} from '../../src/index.js';
import { isConstraintRefusal } from '../../src/core/errors.js';
import { cell } from '../support/fixtures.js';

const pc = (over: Partial<{ RootFs: string; VolumeDrivers: string[]; PlacementTags: string[] }> = {}) => ({
  RootFs: 'preloaded:cflinuxfs4',
  VolumeDrivers: [],
  PlacementTags: [],
  ...over,
});

describe('hard filters', () => {
  it('volume drivers: every requested driver must be on the cell', () => {
    expect(matchVolumeDrivers(['nfs', 'smb'], ['nfs'])).toBe(true);
    expect(matchVolumeDrivers(['nfs'], ['nfs', 'smb'])).toBe(false);
    expect(matchVolumeDrivers([], [])).toBe(true);
  });

  it("placement tags: the cell's required tags must all be among the work's tags", () => {
    expect(matchPlacementTags(['seg'], [], [])).toBe(false);
    expect(matchPlacementTags(['seg'], [], ['seg'])).toBe(true);
  });

  it("placement tags: every work tag must be in the cell's required or optional tags", () => {
    expect(matchPlacementTags([], ['gpu'], ['gpu'])).toBe(true);
    expect(matchPlacementTags([], [], ['gpu'])).toBe(false);
    expect(matchPlacementTags(['seg'], ['gpu'], ['seg', 'gpu'])).toBe(true);
    expect(matchPlacementTags(['seg'], ['gpu'], ['seg', 'ssd'])).toBe(false);
  });

  it('filters run in order: rootfs, then volume drivers, then placement tags', () => {
    const c = cell('c', { VolumeDrivers: ['nfs'], PlacementTags: ['seg'] });
    expect(filterStage(c, pc({ RootFs: 'preloaded:other' , VolumeDrivers: ['x'] }))).toBe(FilterStage.RootFS);
    expect(filterStage(c, pc({ VolumeDrivers: ['x'] }))).toBe(FilterStage.VolumeDrivers);
    expect(filterStage(c, pc({ VolumeDrivers: ['nfs'] }))).toBe(FilterStage.PlacementTags);
    expect(filterStage(c, pc({ VolumeDrivers: ['nfs'], PlacementTags: ['seg'] }))).toBe(FilterStage.Passed);
  });

  it('the most specific filter error wins: the furthest stage any cell reached', () => {
    expect(filterError(FilterStage.RootFS, pc())).toBe(ERR_ROOTFS);
    expect(filterError(FilterStage.VolumeDrivers, pc())).toBe(ERR_VOLUME_DRIVERS);
    expect(filterError(FilterStage.PlacementTags, pc({ PlacementTags: ['a'] }))).toBe('found no compatible cell with placement tag "a"');
    expect(filterError(FilterStage.Passed, pc())).toBeNull();
  });

  it("the placement-tag error names the work's tags as Diego does", () => {
    expect(placementTagMismatch([])).toBe('found no compatible cell with no placement tags');
    expect(placementTagMismatch(['a'])).toBe('found no compatible cell with placement tag "a"');
    expect(placementTagMismatch(['a', 'b'])).toBe('found no compatible cell with placement tags "a" and "b"');
    expect(placementTagMismatch(['a', 'b', 'c'])).toBe('found no compatible cell with placement tags "a", "b" and "c"');
  });

  it('resources: free memory and disk must cover the ask and one container must be free', () => {
    const a = { MemoryMB: 100, DiskMB: 100, Containers: 1 };
    expect(resourceProblems(a, 100, 100)).toBe(0);
    expect(resourceProblems(a, 101, 100)).toBe(PROBLEM_MEMORY);
    expect(resourceProblems(a, 100, 101)).toBe(PROBLEM_DISK);
    expect(resourceProblems({ ...a, Containers: 0 }, 1, 1)).toBe(PROBLEM_CONTAINERS);
  });

  it('insufficient resources names its problems sorted, and none when the set is empty', () => {
    expect(insufficientResources(PROBLEM_MEMORY | PROBLEM_DISK | PROBLEM_CONTAINERS)).toBe('insufficient resources: containers, disk, memory');
    expect(insufficientResources(PROBLEM_MEMORY)).toBe('insufficient resources: memory');
    expect(insufficientResources(0)).toBe('insufficient resources');
  });
});

describe('CPU, GPUs and GPU models (auctionlab dimensions beyond Diego)', () => {
  const gpuCell = (over: Partial<CellState> = {}) =>
    cell('g', { TotalResources: { MemoryMB: 1024, DiskMB: 1024, Containers: 10, CpuMilli: 4000, GpuMilli: [1000, 1000] }, AvailableResources: { MemoryMB: 1024, DiskMB: 1024, Containers: 10, CpuMilli: 500, GpuMilli: [1000, 300] }, GpuModel: 'T4', ...over });
  const pc = { PlacementTags: [], VolumeDrivers: [], RootFs: 'preloaded:cflinuxfs4' };

  it('CPU is checked only where both the cell and the work carry it', () => {
    expect(resourceProblems(gpuCell().AvailableResources, 10, 10, { CpuMilli: 600 })).toBe(PROBLEM_CPU);
    expect(resourceProblems(gpuCell().AvailableResources, 10, 10, { CpuMilli: 500 })).toBe(0);
    expect(resourceProblems(gpuCell().AvailableResources, 10, 10, {})).toBe(0);
    expect(resourceProblems(cell('diego').AvailableResources, 10, 10, { CpuMilli: 1_000_000 })).toBe(0);
  });

  it('GPUs: whole devices, shares of one device, and a cell without GPUs has none', () => {
    const free = gpuCell().AvailableResources;
    expect(resourceProblems(free, 10, 10, { GpuCount: 2 })).toBe(PROBLEM_GPU);
    expect(resourceProblems(free, 10, 10, { GpuCount: 1 })).toBe(0);
    expect(resourceProblems(free, 10, 10, { GpuCount: 1, GpuMilli: 300 })).toBe(0);
    expect(resourceProblems(cell('diego').AvailableResources, 10, 10, { GpuCount: 1, GpuMilli: 1 })).toBe(PROBLEM_GPU);
    expect(resourceProblems(free, 2000, 10, { CpuMilli: 600, GpuCount: 2 })).toBe(PROBLEM_CPU | PROBLEM_GPU | PROBLEM_MEMORY);
  });

  it("problems read in Diego's words and order; the intersection over no cell reads as Diego's three", () => {
    expect(insufficientResources(PROBLEM_CPU | PROBLEM_GPU | PROBLEM_MEMORY | PROBLEM_CONTAINERS)).toBe('insufficient resources: containers, cpu, gpu, memory');
    expect(insufficientResources(PROBLEM_GPU)).toBe('insufficient resources: gpu');
    expect(insufficientResources(EVERY_PROBLEM)).toBe('insufficient resources: containers, disk, memory');
  });

  it('GPU models filter after Diego three filters, with a text in their style', () => {
    expect(filterStage(gpuCell(), { ...pc, GpuModels: ['T4', 'P100'] })).toBe(FilterStage.Passed);
    expect(filterStage(gpuCell(), { ...pc, GpuModels: [] })).toBe(FilterStage.Passed);
    expect(filterStage(gpuCell(), { ...pc, GpuModels: ['V100M16'] })).toBe(FilterStage.GpuModel);
    expect(filterStage(cell('diego'), { ...pc, GpuModels: ['T4'] })).toBe(FilterStage.GpuModel);
    expect(filterStage(gpuCell(), { ...pc, RootFs: 'preloaded:windows', GpuModels: ['V100M16'] })).toBe(FilterStage.RootFS);
    expect(filterError(FilterStage.GpuModel, { ...pc, GpuModels: ['V100M16'] })).toBe('found no compatible cell with gpu model "V100M16"');
    expect(gpuModelMismatch(['A', 'B', 'C'])).toBe('found no compatible cell with gpu model "A", "B" or "C"');
    expect(isConstraintRefusal(gpuModelMismatch(['A']))).toBe(true);
  });
});
