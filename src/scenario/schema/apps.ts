// A scenario's apps (DesiredLRPs, or groups of them): the schema of one app, with its crash
// behaviour, health check and `cf push` staging, and its reader.
import { Type, type TSchema } from '@sinclair/typebox';
import type { Reader } from '../../core/json/reader.js';
import { childPath } from '../../core/json/reader.js';
import { defaultOf, integer, list, number, object, orAlso, say, string, strings, stringsOf, withDefaults } from '../../core/json/schema-says.js';
import { HEALTH_CHECK_ENDPOINT_PATTERN, HEALTH_CHECK_ENDPOINT_RULE, HEALTH_CHECK_TYPES, type HealthCheckType } from '../../core/health-check.js';
import { distributionOf, distributionSchema, durationMs, durationSchema, parseDuration } from '../../sim/field-schemas.js';
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

// An object schema that also takes null (none), as healthCheck and crash do.
const orNull = <T extends TSchema>(schema: T) => orAlso<T, null>(schema, ['null']);
const healthCheckSchema = orAlso<ReturnType<typeof healthCheckObject>, null>(healthCheckObject(), ['null']);
const HEALTH_CHECK = healthCheckObject();
function healthCheckObject() {
  return object(
    {
      type: Type.Optional(
        say(Type.Unsafe<HealthCheckType>({ type: 'string', enum: [...HEALTH_CHECK_TYPES], default: 'port', description: "What the check probes: port (a TCP connect to the app's port, Cloud Foundry's default), http (a GET of endpoint), process (only that the process runs)." }), {
          expected: (v) => (typeof v === 'string' ? 'port, http or process' : 'a string'),
        }),
      ),
      endpoint: Type.Optional(say(Type.String({ pattern: HEALTH_CHECK_ENDPOINT_PATTERN, description: 'The path an http check asks for (default /).' }), { expected: HEALTH_CHECK_ENDPOINT_RULE })),
      // No default in the schema (2s, in the reader): a process check refuses a delay written, which a filled-in default would hide.
      delay: Type.Optional(distributionSchema({ nullable: true, description: 'Time from the process starting to the check passing (2s when absent; port and http checks).' })),
      failureProbability: Type.Optional(number({ min: 0, max: 1, default: 0, description: 'Chance that the check never passes: the instance then crashes.' })),
      startTimeout: Type.Optional(durationSchema({ description: "A check not passed this long after the process started crashes the instance (none when absent; Cloud Controller's default is 60s)." })),
      interval: Type.Optional(durationSchema({ default: '30s', description: "How often the liveness check runs once the instance is running (Diego's executor: 30s)." })),
      liveness: Type.Optional(
        orNull(object(
          {
            probability: Type.Optional(number({ min: 0, max: 1, default: 1, description: 'Chance that a running instance stops answering its check.' })),
            after: distributionSchema({ description: 'Time from running to the check failing.' }),
          },
          { expected: 'a liveness failure {probability, after}', description: 'When running instances stop answering their check: they crash at the check after (none when absent or null).' },
        )),
      ),
      readiness: Type.Optional(
        orNull(object(
          {
            interval: Type.Optional(durationSchema({ default: '5s', description: 'How often the readiness check runs (assumed).' })),
            probability: Type.Optional(number({ min: 0, max: 1, default: 1, description: 'Chance that a spell of not being ready comes (again).' })),
            after: distributionSchema({ description: 'Time from running (or from the last spell) to a spell.' }),
            lasting: distributionSchema({ description: 'How long a spell lasts.' }),
          },
          { expected: 'a readiness check {interval, probability, after, lasting}', description: 'Spells when instances are not ready: running but not routable (none when absent or null).' },
        )),
      ),
    },
    { expected: 'a health check {type, delay, failureProbability, startTimeout, interval, liveness, readiness}', description: 'The health checks an instance passes before it counts as running, and after.' },
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
  const delayWritten = o.delay !== undefined && o.delay !== null;
  const type = o.type ?? 'port';
  if (o.endpoint !== undefined && type !== 'http') r.report(childPath(path, 'endpoint'), `only an http check asks for an endpoint (type is ${type})`);
  // A process check has nothing to pass or fail: the instance is healthy once its process runs.
  if (type === 'process' && delayWritten) r.report(childPath(path, 'delay'), 'a process check has no delay: the instance is healthy once its process runs (startup: sets that)');
  if (type === 'process' && o.failureProbability! > 0) r.report(childPath(path, 'failureProbability'), 'a process check has nothing to fail (use crash: for processes that exit)');
  const startTimeoutMs = o.startTimeout === undefined ? null : durationMs(o.startTimeout, 0);
  // A value the schema refused is said once, there; only a valid duration of 0 is said here.
  const startTimeoutValid = (typeof o.startTimeout === 'number' && Number.isFinite(o.startTimeout) && o.startTimeout >= 0) || (typeof o.startTimeout === 'string' && parseDuration(o.startTimeout) !== undefined);
  if (startTimeoutValid && startTimeoutMs !== null && startTimeoutMs <= 0) r.report(childPath(path, 'startTimeout'), `expected a duration above 0, got ${startTimeoutMs}ms`);
  const intervalMs = durationMs(o.interval, 30_000);
  if (intervalMs < 100) r.report(childPath(path, 'interval'), `expected at least 100ms, got ${intervalMs}ms`);
  const live = o.liveness;
  const ready = o.readiness;
  const readyMs = ready ? durationMs(ready.interval, 5000) : 0;
  if (ready && readyMs < 100) r.report(childPath(childPath(path, 'readiness'), 'interval'), `expected at least 100ms, got ${readyMs}ms`);
  return {
    type,
    endpoint: type === 'http' ? (o.endpoint ?? '/') : null,
    delay: type === 'process' ? { kind: 'constant', value: 0 } : distributionOf(r, o.delay ?? '2s', childPath(path, 'delay'), { kind: 'constant', value: 2000 }),
    failureProbability: o.failureProbability!,
    startTimeoutMs,
    intervalMs,
    liveness: live ? { probability: live.probability ?? 1, after: distributionOf(r, live.after, childPath(childPath(path, 'liveness'), 'after'), { kind: 'constant', value: 60_000 }) } : null,
    readiness: ready
      ? {
          intervalMs: readyMs,
          probability: ready.probability ?? 1,
          after: distributionOf(r, ready.after, childPath(childPath(path, 'readiness'), 'after'), { kind: 'constant', value: 60_000 }),
          lasting: distributionOf(r, ready.lasting, childPath(childPath(path, 'readiness'), 'lasting'), { kind: 'constant', value: 10_000 }),
        }
      : null,
  };
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
