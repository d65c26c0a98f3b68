// `task`: one task is submitted (desired in the BBS and sent to the auction).
import { distributionValue } from '../field-writers.js';
import { childPath } from '../../core/json/reader.js';
import type { Distribution } from '../distributions.js';
import { Type } from '@sinclair/typebox';
import { defaultOf, integer, object, string, strings, stringsOf, withDefaults } from '../../core/json/schema-says.js';
import { desireRunningTask } from '../initial-placement.js';
import { distributionOf, distributionSchema } from '../field-schemas.js';
import { eventKind } from './kind.js';
import type { WorkResources } from '../scenario-types.js';
import { checkWorkResources, readWorkResources, workResourceFields, writeWorkResources } from '../work-resource-schema.js';

/** The body of a `task` event. */
export interface TaskEventBody extends WorkResources {
  /** Task guid. */
  name: string;
  /** Memory (MB). */
  memoryMB: number;
  /** Disk (MB). */
  diskMB: number;
  /** Root file system URL. */
  rootfs: string;
  /** How long it runs. */
  duration: Distribution;
  /** Placement tags. */
  placementTags: string[];
  /** The cell it is already running on when submitted (an imported foundation's task); absent: it is auctioned. */
  runningOn?: string;
}

const TASK = object(
  {
    name: string({ nonEmpty: true, description: 'The task guid (a second task of one name is refused by the BBS, as in Diego).' }),
    memoryMB: Type.Optional(integer({ min: 0, max: 2_147_483_647, default: 256 })),
    diskMB: Type.Optional(integer({ min: 0, max: 2_147_483_647, default: 256 })),
    rootfs: Type.Optional(string({ nonEmpty: true, default: 'preloaded:cflinuxfs4' })),
    duration: Type.Optional(distributionSchema({ default: '30s', nullable: true, description: 'How long it runs once started (from the event, for one already running).' })),
    placementTags: Type.Optional(strings('Placement tags.')),
    ...workResourceFields(),
    runningOn: Type.Optional(string({ nonEmpty: true, description: 'The cell it is already running on (an imported foundation); absent: it is auctioned.' })),
  },
  { expected: 'a task {name, memoryMB, diskMB, rootfs, duration}' },
);

/** `task: {name, memoryMB, diskMB, rootfs, duration}`. */
export const task = eventKind<'task', TaskEventBody, false>({
  kind: 'task',
  fault: false,
  docs: {
    what: '`{ name, memoryMB, diskMB, rootfs, duration, placementTags, cpuMilli, gpus, gpuMilli, gpuModels, runningOn }`',
    effect: 'submits one task; with `runningOn: <cell>` it is already running there (an imported foundation\'s), for `duration` from the event',
  },
  schema: TASK,
  read(r, value, path) {
    if (value === undefined) return undefined;
    const t = withDefaults(TASK, value);
    checkWorkResources(r, t, path);
    return {
      name: t.name,
      memoryMB: t.memoryMB!,
      diskMB: t.diskMB!,
      rootfs: t.rootfs!,
      duration: distributionOf(r, t.duration ?? defaultOf(TASK, 'duration'), childPath(path, 'duration'), { kind: 'constant', value: 30_000 }),
      placementTags: stringsOf(t.placementTags),
      ...readWorkResources(t),
      ...(t.runningOn !== undefined ? { runningOn: t.runningOn } : {}),
    };
  },
  write: (e) => ({
    name: e.name,
    memoryMB: e.memoryMB,
    diskMB: e.diskMB,
    rootfs: e.rootfs,
    duration: distributionValue(e.duration),
    placementTags: [...e.placementTags],
    ...writeWorkResources(e),
    ...(e.runningOn !== undefined ? { runningOn: e.runningOn } : {}),
  }),
  cellsOf: (e) => ({ kind: 'ids', ids: e.runningOn !== undefined ? [e.runningOn] : [] }),
  describe: (e) => `task ${e.name}`,
  apply(e, { w }) {
    const t = { guid: e.name, memoryMB: e.memoryMB, diskMB: e.diskMB, rootfs: e.rootfs, placementTags: e.placementTags, duration: e.duration, ...readWorkResources(e) };
    if (e.runningOn !== undefined) desireRunningTask(w, t, e.runningOn);
    else if (w.bbs.tasks.desire(t)) w.requestTask(e.name);
  },
  plan: {
    weight: 3,
    arbitrary: (fc, ctx) =>
      fc.record({ name: fc.constantFrom(...ctx.tasks), memoryMB: fc.constantFrom(64, 256), durationS: fc.integer({ min: 1, max: 60 }) }).map((t) => ({
        body: { name: t.name, memoryMB: t.memoryMB, diskMB: t.memoryMB, duration: `${t.durationS}s` },
      })),
    // The plan must wait out its longest task.
    boundMs: (events) => Math.max(0, ...events.map((e) => longest(e.duration))),
  },
});

function longest(d: Distribution): number {
  if (d.kind === 'constant') return d.value;
  if (d.kind === 'uniform') return d.max;
  return Number.POSITIVE_INFINITY;
}
