// A scenario's task streams (Poisson arrivals): the schema of one stream and its reader.
import { Type } from '@sinclair/typebox';
import type { Reader } from '../../core/json/reader.js';
import { childPath } from '../../core/json/reader.js';
import { defaultOf, integer, list, number, object, string, strings, stringsOf, withDefaults } from '../../core/json/schema-says.js';
import { distributionOf, distributionSchema, durationMs, durationSchema } from '../../sim/field-schemas.js';
import type { TaskShape, TaskStream } from '../../sim/scenario-types.js';
import { checkWorkResources, readWorkResources, workResourceFields } from '../../sim/work-resource-schema.js';

/** The fields of each task a stream or a cron entry makes (size, constraints, how long it runs), for an object schema. */
export function taskShapeFields() {
  return {
    memoryMB: Type.Optional(integer({ min: 0, max: 2_147_483_647, default: 256, description: 'Memory per task (MB).' })),
    diskMB: Type.Optional(integer({ min: 0, max: 2_147_483_647, default: 256, description: 'Disk per task (MB).' })),
    rootfs: Type.Optional(string({ nonEmpty: true, default: 'preloaded:cflinuxfs4', description: 'Root file system URL.' })),
    placementTags: Type.Optional(strings('Placement tags.')),
    // 30 s when not given, as scenarios/README.md says.
    duration: Type.Optional(distributionSchema({ default: '30s', nullable: true, description: 'How long a task runs.' })),
    ...workResourceFields(),
  };
}

/** One stream of tasks, as a scenario file writes it. */
export const taskStreamSchema = object(
  {
    name: string({ nonEmpty: true, description: 'Task guid prefix.' }),
    perSecond: number({ min: 0, max: 1_000_000, description: 'Mean arrivals per second.' }),
    from: Type.Optional(durationSchema({ default: '0s', description: 'First possible arrival.' })),
    until: Type.Optional(durationSchema({ description: 'Last possible arrival (default: the end of the run).' })),
    ...taskShapeFields(),
  },
  { expected: 'a task stream {name, perSecond, duration, ...}' },
);

/** The task shape of a checked stream or cron entry, as the simulator takes it (`path`: the object's, for a bad duration). */
export function readTaskShape(r: Reader, o: TaskShapeRead, path: string): TaskShape {
  return {
    memoryMB: o.memoryMB!,
    diskMB: o.diskMB!,
    rootfs: o.rootfs!,
    placementTags: stringsOf(o.placementTags),
    duration: distributionOf(r, o.duration ?? defaultOf(taskStreamSchema, 'duration'), childPath(path, 'duration'), { kind: 'constant', value: 30_000 }),
    ...readWorkResources(o),
  };
}

/** A checked object's task fields as withDefaults gives them. */
type TaskShapeRead = Parameters<typeof readWorkResources>[0] & { memoryMB?: number; diskMB?: number; rootfs?: string; placementTags?: string[] | null; duration?: unknown };

/** The task streams. */
export const tasksSchema = list(taskStreamSchema, { nullable: true, description: 'Streams of tasks arriving at random (a Poisson process).' });

/** A checked task stream as the simulator takes it (`endMs`: the run's end, its default `until`). */
export function readTaskStream(r: Reader, value: unknown, path: string, endMs: number): TaskStream | undefined {
  if (value === undefined) return undefined;
  const o = withDefaults(taskStreamSchema, value);
  checkWorkResources(r, o, path);
  return {
    name: o.name,
    perSecond: o.perSecond,
    from: durationMs(o.from, 0),
    until: durationMs(o.until, endMs),
    ...readTaskShape(r, o, path),
  };
}
