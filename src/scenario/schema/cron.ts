// A scenario's recurring tasks (`cron:`): the schema of one entry and its reader. The simulator's
// controller is sim/cron.ts; the schedule's syntax is core/cron/schedule.ts.
import { Type } from '@sinclair/typebox';
import type { Reader } from '../../core/json/reader.js';
import { childPath } from '../../core/json/reader.js';
import { integer, list, object, say, string, withDefaults } from '../../core/json/schema-says.js';
import { parseSchedule, SCHEDULE_SYNTAX } from '../../core/cron/schedule.js';
import { durationMs, durationSchema } from '../../sim/field-schemas.js';
import type { CronConcurrency, CronSpec } from '../../sim/scenario-types.js';
import { checkWorkResources } from '../../sim/work-resource-schema.js';
import { readTaskShape, taskShapeFields } from './tasks.js';

const CONCURRENCY = ['allow', 'forbid', 'replace'] as const;
const CRON_NAME = /^[A-Za-z0-9_-]{1,100}$/;

/** One recurring task, as a scenario file writes it. */
export const cronEntrySchema = object(
  {
    name: string({ nonEmpty: true, description: 'The entry: its tasks are <name>-<tick time> (report-20240101T000500Z).' }),
    schedule: say(Type.String({ minLength: 1, description: `When it ticks: ${SCHEDULE_SYNTAX}. Simulated time 0 is Monday 2024-01-01 00:00 UTC.` }), { expected: 'a schedule such as "*/5 * * * *" or "@every 90s"' }),
    concurrency: Type.Optional(
      say(Type.Unsafe<CronConcurrency>({ type: 'string', enum: [...CONCURRENCY], default: 'allow', description: "A tick while the previous tick's task is pending or running: allow (run both), forbid (skip the new tick), replace (cancel the old task)." }), {
        expected: (v) => (typeof v === 'string' ? 'allow, forbid or replace' : 'a string'),
      }),
    ),
    startingDeadline: Type.Optional(durationSchema({ description: 'A tick whose task has not started this long after its time is cancelled and counted missed (none when absent).' })),
    historyLimit: Type.Optional(integer({ min: 0, max: 10_000, default: 3, description: 'Completed tick tasks kept in the BBS; older ones are deleted (Kubernetes keeps 3).' })),
    lateAfter: Type.Optional(durationSchema({ default: '10s', description: 'A tick whose task started within this of its time is on time; later, late.' })),
    from: Type.Optional(durationSchema({ default: '0s', description: 'Ticks from (an @every period counts from here).' })),
    until: Type.Optional(durationSchema({ description: 'Ticks until (default: the end of the run).' })),
    ...taskShapeFields(),
  },
  { expected: 'a cron entry {name, schedule, concurrency, ...}' },
);

/** The cron entries. */
export const cronSchema = list(cronEntrySchema, { nullable: true, description: 'Recurring tasks: one task per tick of a schedule.' });

/** A checked cron entry as the simulator takes it (`endMs`: the run's end, its default `until`). */
export function readCronEntry(r: Reader, value: unknown, path: string, endMs: number): CronSpec | undefined {
  if (value === undefined) return undefined;
  const o = withDefaults(cronEntrySchema, value);
  checkWorkResources(r, o, path);
  // Names as the real auctioneer takes them, so its tasks' guids are Diego's (letters, digits, _ and -).
  if (typeof o.name === 'string' && o.name !== '' && !CRON_NAME.test(o.name)) r.report(childPath(path, 'name'), `expected letters, digits, "_" or "-" (1 to 100: its tasks are <name>-<tick time>), got ${JSON.stringify(o.name.length > 40 ? `${o.name.slice(0, 40)}…` : o.name)}`);
  const deadlineMs = o.startingDeadline === undefined ? null : durationMs(o.startingDeadline, 0);
  if (deadlineMs !== null && deadlineMs <= 0) r.report(childPath(path, 'startingDeadline'), `expected a duration above 0 (a task cannot start at the instant of its tick), got ${deadlineMs}ms`);
  // A schedule missing or empty is the schema's to say.
  const parsed = typeof o.schedule === 'string' && o.schedule !== '' ? parseSchedule(o.schedule) : null;
  if (parsed !== null && 'error' in parsed) r.report(childPath(path, 'schedule'), parsed.error);
  return {
    name: o.name,
    schedule: o.schedule,
    concurrency: o.concurrency ?? 'allow',
    startingDeadlineMs: deadlineMs,
    historyLimit: o.historyLimit!,
    lateAfterMs: durationMs(o.lateAfter, 0),
    from: durationMs(o.from, 0),
    until: durationMs(o.until, endMs),
    ...readTaskShape(r, o, path),
  };
}
