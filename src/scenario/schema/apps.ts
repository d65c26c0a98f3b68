// A scenario's apps (DesiredLRPs, or groups of them): the schema of one app, with its crash
// behaviour, health check and `cf push` staging, and its reader.
import { Type } from '@sinclair/typebox';
import type { Reader } from '../../core/json/reader.js';
import { childPath } from '../../core/json/reader.js';
import { defaultOf, integer, list, number, object, orAlso, say, string, strings, stringsOf, withDefaults } from '../../core/json/schema-says.js';
import { distributionOf, distributionSchema, durationMs, durationSchema } from '../../sim/field-schemas.js';
import type { AppSpec, CrashBehaviour, HealthCheck, StagingSpec } from '../../sim/scenario-types.js';
import { checkWorkResources, readWorkResources, workResourceFields } from '../../sim/work-resource-schema.js';

// `null` (or, for push, false) is none: the same as leaving the field out.
const crashSchema = orAlso<ReturnType<typeof crashObject>, null>(crashObject(), ['null']);
const CRASH = crashObject();
function crashObject() {
  return object(
    {
      probability: Type.Optional(number({ min: 0, max: 1, default: 1, description: 'Chance that one start ends in a crash.' })),
      after: distributionSchema({ description: 'Time from running to the crash.' }),
    },
    { expected: 'a crash behaviour {probability, after}', description: 'How its instances crash (none when absent).' },
  );
}

const healthCheckSchema = orAlso<ReturnType<typeof healthCheckObject>, null>(healthCheckObject(), ['null']);
const HEALTH_CHECK = healthCheckObject();
function healthCheckObject() {
  return object(
    {
      delay: Type.Optional(distributionSchema({ default: '2s', nullable: true, description: 'Time from the process starting to the check passing.' })),
      failureProbability: Type.Optional(number({ min: 0, max: 1, default: 0, description: 'Chance that the check fails: the instance then crashes.' })),
    },
    { expected: 'a health check {delay, failureProbability}', description: 'A health check before an instance counts as running.' },
  );
}

const pushSchema = orAlso<ReturnType<typeof pushObject>, boolean | null>(pushObject(), ['boolean', 'null']);
const PUSH = pushObject();
function pushObject() {
  return object(
    {
      memoryMB: Type.Optional(integer({ min: 0, max: 2_147_483_647, default: 1024, description: 'Memory of the staging task (MB).' })),
      diskMB: Type.Optional(integer({ min: 0, max: 2_147_483_647, default: 4096, description: 'Disk of the staging task (MB).' })),
      duration: Type.Optional(distributionSchema({ default: { uniform: ['30s', '90s'] }, nullable: true, description: 'How long staging runs.' })),
      failureProbability: Type.Optional(number({ min: 0, max: 1, default: 0, description: 'Chance that staging fails: the app is then never desired.' })),
    },
    { expected: 'true, or staging {memoryMB, diskMB, duration, failureProbability}', description: "Pushed with cf push: staged first (true: Diego's staging task sizes)." },
  );
}

/** One app, or a group of identical apps (`count`), as a scenario file writes it. */
export const appSchema = object(
  {
    name: string({ nonEmpty: true, description: 'Process guid, or the prefix of a group (<name>-<n>).' }),
    count: Type.Optional(integer({ min: 1, max: 10_000_000, default: 1, description: 'How many such apps.' })),
    instances: Type.Optional(integer({ min: 0, max: 100_000, default: 1, description: 'Instances of each.' })),
    memoryMB: Type.Optional(integer({ min: 0, max: 2_147_483_647, default: 256, description: 'Memory per instance (MB).' })),
    diskMB: Type.Optional(integer({ min: 0, max: 2_147_483_647, default: 256, description: 'Disk per instance (MB).' })),
    rootfs: Type.Optional(string({ nonEmpty: true, default: 'preloaded:cflinuxfs4', description: 'Root file system URL.' })),
    placementTags: Type.Optional(strings('Placement tags.')),
    volumeDrivers: Type.Optional(strings('Volume drivers.')),
    crash: Type.Optional(crashSchema),
    at: Type.Optional(durationSchema({ default: '0s', description: 'When the apps are desired (or pushed).' })),
    over: Type.Optional(durationSchema({ default: '0s', description: "The group's apps are desired evenly over this window after at." })),
    healthCheck: Type.Optional(healthCheckSchema),
    dropletMB: Type.Optional(number({ min: 0, max: 1_000_000, default: 0, description: 'Droplet size (MB), downloaded before each instance starts.' })),
    push: Type.Optional(pushSchema),
    ...workResourceFields(),
    runningOn: Type.Optional(
      list(say(orAlso<ReturnType<typeof string>, null>(string({ nonEmpty: true }), ['null']), { expected: 'a cell id or null' }), {
        nullable: true,
        description: 'Instances already running when the app is desired (an imported foundation): the cell of each index in turn, null for one not running (auctioned).',
      }),
    ),
  },
  { expected: 'an app {name, instances, memoryMB, ...}' },
);

/** The apps. */
export const appsSchema = list(appSchema, { nullable: true, description: 'Apps (DesiredLRPs), desired at their time.' });

function crash(r: Reader, value: unknown, path: string): CrashBehaviour | null {
  if (value === undefined || value === null) return null;
  const o = withDefaults(CRASH, value);
  return { probability: o.probability!, after: distributionOf(r, o.after, childPath(path, 'after'), { kind: 'constant', value: 60_000 }) };
}

function healthCheck(r: Reader, value: unknown, path: string): HealthCheck | null {
  if (value === undefined || value === null) return null;
  const o = withDefaults(HEALTH_CHECK, value);
  return { delay: distributionOf(r, o.delay ?? defaultOf(HEALTH_CHECK, 'delay'), childPath(path, 'delay'), { kind: 'constant', value: 2000 }), failureProbability: o.failureProbability! };
}

// Diego stages with a 1 GiB, 4 GiB-disk task that runs for a minute or two (pushObject's defaults).
function staging(r: Reader, value: unknown, path: string): StagingSpec | null {
  if (value === undefined || value === null || value === false) return null;
  const o = withDefaults(PUSH, value === true ? {} : value);
  return {
    memoryMB: o.memoryMB!,
    diskMB: o.diskMB!,
    duration: distributionOf(r, o.duration ?? defaultOf(PUSH, 'duration'), childPath(path, 'duration'), { kind: 'uniform', min: 30_000, max: 90_000 }),
    failureProbability: o.failureProbability!,
  };
}

// Instances running from the start belong to one app desired directly: a group's members would share
// one list, and a pushed app has no instances until it is staged.
function runningOn(r: Reader, o: { count?: number | undefined; instances?: number | undefined; push?: unknown; runningOn?: (string | null)[] | null | undefined }, path: string): { runningOn?: (string | null)[] } {
  const cells = o.runningOn;
  if (cells === undefined || cells === null || cells.length === 0) return {};
  const at = childPath(path, 'runningOn');
  if ((o.count ?? 1) !== 1) r.report(at, `expected an app of count 1 with it (each index runs on one cell), got count ${o.count}`);
  if (o.push !== undefined && o.push !== null && o.push !== false) r.report(at, 'expected an app desired directly with it, not pushed (a pushed app runs nothing until it is staged)');
  const instances = o.instances ?? 1;
  if (cells.length > instances) r.report(at, `expected at most ${instances} cell${instances === 1 ? '' : 's'} (one per instance), got ${cells.length}`);
  return { runningOn: [...cells] };
}

/** A checked app as the simulator takes it; reports what the schema cannot say to `r`. */
export function readApp(r: Reader, value: unknown, path: string): AppSpec | undefined {
  if (value === undefined) return undefined;
  const o = withDefaults(appSchema, value);
  checkWorkResources(r, o, path);
  return {
    name: o.name,
    count: o.count!,
    instances: o.instances!,
    memoryMB: o.memoryMB!,
    diskMB: o.diskMB!,
    rootfs: o.rootfs!,
    placementTags: stringsOf(o.placementTags),
    volumeDrivers: stringsOf(o.volumeDrivers),
    crash: crash(r, o.crash, childPath(path, 'crash')),
    at: durationMs(o.at, 0),
    over: durationMs(o.over, 0),
    healthCheck: healthCheck(r, o.healthCheck, childPath(path, 'healthCheck')),
    dropletMB: o.dropletMB!,
    staging: staging(r, o.push, childPath(path, 'push')),
    ...readWorkResources(o),
    ...runningOn(r, o, path),
  };
}
