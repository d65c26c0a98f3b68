// fast-check arbitraries for Diego-shaped clusters and batches, shared by the property tests.
import fc from 'fast-check';
import { emptyCellState, type CellState, type LRPStartRequest, type TaskStartRequest } from '../index.js';

const ROOTFS = ['preloaded:cflinuxfs4', 'preloaded:windows2019', 'docker:///app'] as const;

/** A cell with random capacity, usage, zone, stacks, tags and drivers. */
export const cellArb = (id: string): fc.Arbitrary<CellState> =>
  fc
    .record({
      zone: fc.constantFrom('z1', 'z2', 'z3'),
      mem: fc.integer({ min: 1, max: 4096 }),
      disk: fc.integer({ min: 1, max: 4096 }),
      cont: fc.integer({ min: 1, max: 20 }),
      usedFrac: fc.double({ min: 0, max: 1, noNaN: true }),
      starting: fc.integer({ min: 0, max: 5 }),
      windows: fc.boolean(),
      tags: fc.subarray(['seg'], { maxLength: 1 }),
      optional: fc.subarray(['gpu'], { maxLength: 1 }),
      drivers: fc.subarray(['nfs'], { maxLength: 1 }),
      proxy: fc.constantFrom(0, 0, 32),
      index: fc.integer({ min: 0, max: 50 }),
      existing: fc.array(fc.record({ app: fc.constantFrom('app-0', 'app-1', 'old'), idx: fc.integer({ min: 0, max: 9 }) }), { maxLength: 3 }),
    })
    .map((r) => {
      const used = Math.floor(r.mem * r.usedFrac);
      const usedDisk = Math.floor(r.disk * r.usedFrac);
      const usedCont = Math.min(r.cont, r.existing.length);
      return {
        rep_url: '',
        cell_id: id,
        cell_index: r.index,
        RootFSProviders: r.windows
          ? { preloaded: { type: 'fixed_set', set: { windows2019: {} } } }
          : { docker: { type: 'arbitrary' }, preloaded: { type: 'fixed_set', set: { cflinuxfs4: {} } } },
        AvailableResources: { MemoryMB: r.mem - used, DiskMB: r.disk - usedDisk, Containers: r.cont - usedCont },
        TotalResources: { MemoryMB: r.mem, DiskMB: r.disk, Containers: r.cont },
        LRPs: r.existing.slice(0, usedCont).map((e, k) => ({
          instance_guid: `${id}-existing-${k}`,
          process_guid: e.app,
          index: e.idx,
          domain: 'cf-apps',
          PlacementTags: [],
          VolumeDrivers: [],
          RootFs: 'preloaded:cflinuxfs4',
          MemoryMB: 0,
          DiskMB: 0,
          MaxPids: 0,
          state: 'RUNNING',
        })),
        Tasks: [],
        StartingContainerCount: r.starting,
        Zone: r.zone,
        Evacuating: false,
        VolumeDrivers: r.drivers,
        PlacementTags: r.tags,
        OptionalPlacementTags: r.optional,
        ProxyMemoryAllocationMB: r.proxy,
      } satisfies CellState;
    });

/** 1 to `max` cells with ids c0, c1, ... */
export const clusterArb = (max = 12): fc.Arbitrary<CellState[]> =>
  fc.integer({ min: 1, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => cellArb(`c${i}`))));

const constraintArb = fc.record({
  RootFs: fc.constantFrom(...ROOTFS, 'preloaded:cflinuxfs4', 'preloaded:cflinuxfs4'),
  PlacementTags: fc.constantFrom<string[]>([], [], [], ['seg'], ['gpu']),
  VolumeDrivers: fc.constantFrom<string[]>([], [], [], ['nfs']),
}).map((pc) => ({ RootFs: pc.RootFs as string, PlacementTags: [...pc.PlacementTags], VolumeDrivers: [...pc.VolumeDrivers] }));

/** LRP start requests for apps app-0.., with duplicates now and then. */
export const lrpRequestsArb: fc.Arbitrary<LRPStartRequest[]> = fc.array(
  fc.record({
    app: fc.integer({ min: 0, max: 8 }),
    n: fc.integer({ min: 1, max: 6 }),
    mem: fc.integer({ min: 0, max: 700 }),
    disk: fc.integer({ min: 0, max: 700 }),
    pc: constraintArb,
  }).map((r) => ({
    process_guid: `app-${r.app}`,
    domain: 'cf-apps',
    indices: Array.from({ length: r.n }, (_, i) => i),
    ...r.pc,
    MemoryMB: r.mem,
    DiskMB: r.disk,
    MaxPids: 0,
  })),
  { maxLength: 8 },
);

/** Task start requests. */
export const taskRequestsArb: fc.Arbitrary<TaskStartRequest[]> = fc.array(
  fc.record({ id: fc.integer({ min: 0, max: 20 }), mem: fc.integer({ min: 0, max: 700 }), disk: fc.integer({ min: 0, max: 700 }), pc: constraintArb }).map((r) => ({
    TaskGuid: `task-${r.id}`,
    Domain: 'cf-tasks',
    ...r.pc,
    MemoryMB: r.mem,
    DiskMB: r.disk,
    MaxPids: 0,
  })),
  { maxLength: 6 },
);

/** Diego settings across their interesting range. */
export const diegoSettingsArb = fc.record({
  startingContainerWeight: fc.constantFrom(0, 0.25, 1),
  binPackFirstFitWeight: fc.constantFrom(0, 0, 0.1, 5),
  startingContainerCountMaximum: fc.constantFrom(0, 0, 10, 25),
});

/** Plain linux cells of random capacity in up to 3 zones: every cell can take every plain workload. */
export const plainClusterArb = (max = 8): fc.Arbitrary<CellState[]> =>
  fc.array(fc.record({ mem: fc.integer({ min: 256, max: 4096 }), cont: fc.integer({ min: 1, max: 20 }), zone: fc.constantFrom('z1', 'z2', 'z3') }), { minLength: 1, maxLength: max }).map((specs) =>
    specs.map((r, i) => emptyCellState({ cell_id: `p${i}`, cell_index: i, zone: r.zone, memoryMB: r.mem, diskMB: r.mem, containers: r.cont, docker: false })),
  );

/** LRP requests with no constraints beyond the default stack. */
export const plainLRPRequestsArb: fc.Arbitrary<LRPStartRequest[]> = fc.array(
  fc.record({ app: fc.integer({ min: 0, max: 8 }), n: fc.integer({ min: 1, max: 6 }), mem: fc.integer({ min: 1, max: 300 }) }).map((r) => ({
    process_guid: `app-${r.app}`,
    domain: 'cf-apps',
    indices: Array.from({ length: r.n }, (_, i) => i),
    PlacementTags: [],
    VolumeDrivers: [],
    RootFs: 'preloaded:cflinuxfs4',
    MemoryMB: r.mem,
    DiskMB: r.mem,
    MaxPids: 0,
  })),
  { minLength: 1, maxLength: 6 },
);

const GPU_MODELS = ['T4', 'V100'] as const;

/**
 * A cell with auctionlab's optional dimensions: CPU now and then, GPUs (0-8 devices of a model,
 * partly in use) now and then, on top of Diego's three; plain linux, empty of instances.
 */
export const dimensionalCellArb = (id: string): fc.Arbitrary<CellState> =>
  fc
    .record({
      zone: fc.constantFrom('z1', 'z2'),
      mem: fc.integer({ min: 64, max: 4096 }),
      cont: fc.integer({ min: 1, max: 12 }),
      used: fc.double({ min: 0, max: 1, noNaN: true }),
      cpu: fc.option(fc.integer({ min: 1000, max: 16_000 }), { freq: 3 }),
      gpus: fc.option(fc.array(fc.integer({ min: 0, max: 100 }).map((x) => x * 10), { minLength: 1, maxLength: 8 }), { freq: 3 }),
      model: fc.option(fc.constantFrom(...GPU_MODELS), { freq: 4 }),
    })
    .map((r) => {
      const s = emptyCellState({ cell_id: id, zone: r.zone, memoryMB: r.mem, diskMB: r.mem, containers: r.cont, docker: false });
      s.AvailableResources.MemoryMB -= Math.floor(r.mem * r.used);
      if (r.cpu !== null) {
        s.TotalResources.CpuMilli = r.cpu;
        s.AvailableResources.CpuMilli = r.cpu - Math.floor(r.cpu * r.used);
      }
      if (r.gpus !== null) {
        s.TotalResources.GpuMilli = r.gpus.map(() => 1000);
        s.AvailableResources.GpuMilli = [...r.gpus];
        if (r.model !== null) s.GpuModel = r.model;
      }
      return s;
    });

/** 1 to `max` cells with CPU and GPUs now and then, ids d0, d1, ... */
export const dimensionalClusterArb = (max = 8): fc.Arbitrary<CellState[]> =>
  fc.integer({ min: 1, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => dimensionalCellArb(`d${i}`))));

// CPU, GPU and GPU-model asks: none, a share of one device, or whole devices.
const dimensionalAskArb = fc.record({
  cpu: fc.option(fc.integer({ min: 0, max: 6000 }), { freq: 2 }),
  gpu: fc.oneof(fc.constant(null), fc.record({ count: fc.constant(1), milli: fc.integer({ min: 1, max: 100 }).map((x) => x * 10) }), fc.record({ count: fc.integer({ min: 1, max: 4 }), milli: fc.constant(1000) })),
  models: fc.constantFrom<string[]>([], [], ['T4'], ['T4', 'V100']),
});

function withAsk<T extends object>(base: T, ask: { cpu: number | null; gpu: { count: number; milli: number } | null; models: string[] }): T {
  const out: T & { CpuMilli?: number; GpuCount?: number; GpuMilli?: number; GpuModels?: string[] } = { ...base };
  if (ask.cpu !== null) out.CpuMilli = ask.cpu;
  if (ask.gpu !== null) {
    out.GpuCount = ask.gpu.count;
    out.GpuMilli = ask.gpu.milli;
  }
  if (ask.models.length > 0) out.GpuModels = [...ask.models];
  return out;
}

/** LRP start requests asking for CPU, GPUs and GPU models now and then. */
export const dimensionalLRPRequestsArb: fc.Arbitrary<LRPStartRequest[]> = fc.array(
  fc.record({ app: fc.integer({ min: 0, max: 6 }), n: fc.integer({ min: 1, max: 4 }), mem: fc.integer({ min: 1, max: 600 }), ask: dimensionalAskArb }).map((r) =>
    withAsk({ process_guid: `app-${r.app}`, domain: 'cf-apps', indices: Array.from({ length: r.n }, (_, i) => i), PlacementTags: [], VolumeDrivers: [], RootFs: 'preloaded:cflinuxfs4', MemoryMB: r.mem, DiskMB: r.mem, MaxPids: 0 }, r.ask),
  ),
  { maxLength: 6 },
);

/** Task start requests asking for CPU, GPUs and GPU models now and then. */
export const dimensionalTaskRequestsArb: fc.Arbitrary<TaskStartRequest[]> = fc.array(
  fc.record({ id: fc.integer({ min: 0, max: 20 }), mem: fc.integer({ min: 1, max: 600 }), ask: dimensionalAskArb }).map((r) =>
    withAsk({ TaskGuid: `task-${r.id}`, Domain: 'cf-tasks', PlacementTags: [], VolumeDrivers: [], RootFs: 'preloaded:cflinuxfs4', MemoryMB: r.mem, DiskMB: r.mem, MaxPids: 0 }, r.ask),
  ),
  { maxLength: 6 },
);
