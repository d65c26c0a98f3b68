// A recurring task's schedule: five-field cron (minute hour day-of-month month day-of-week, the
// nicknames @hourly, @daily, @weekly, @monthly, @yearly) read by croner, a well-kept parser that
// computes the next run from any instant given to it (never the clock); or `@every <duration>`,
// ticks at a fixed period from an origin, as Go's robfig/cron spells it (Kubernetes CronJob's).
// Times are milliseconds on the calendar (UTC): the simulator maps its time onto a fixed day.
import { Cron } from 'croner';

/** Where simulated time 0 falls on the calendar, for cron's calendar fields: Monday 2024-01-01 00:00 UTC (assumed: any fixed day would do; a Monday at midnight keeps the fields easy to read). */
export const CRON_EPOCH_MS = Date.UTC(2024, 0, 1);

const NICKNAMES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** The shortest `@every` period: a shorter one would fill a run with ticks (assumed). */
export const MIN_EVERY_MS = 1000;

/** What a schedule's text means, checked. */
export type ScheduleSpec = { readonly kind: 'every'; readonly everyMs: number } | { readonly kind: 'cron'; readonly fields: string };

/** Each field's range, for messages. */
const FIELD_RULES = 'minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week 0-7 or SUN-SAT (numbers, *, ranges a-b, steps /n, lists a,b)';

/** The syntax, for messages. */
export const SCHEDULE_SYNTAX = "five cron fields (minute hour day-of-month month day-of-week, such as '*/5 * * * *'), a nickname (@hourly, @daily, @weekly, @monthly, @yearly) or '@every <duration>' (such as @every 90s)";

// Durations as @every takes them: a sum of parts such as 1h30m or 90s.
function everyMs(text: string): number | undefined {
  const parts = text.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g);
  if (parts === null || parts.join('') !== text) return undefined;
  let ms = 0;
  for (const p of parts) {
    const m = DURATION.exec(p);
    if (m === null) return undefined;
    ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  }
  return ms;
}

/** Reads a schedule's text: the spec, or what was expected in words. */
export function parseSchedule(text: string): ScheduleSpec | { error: string } {
  const t = text.trim();
  if (t.toLowerCase().startsWith('@every')) {
    const ms = everyMs(t.slice('@every'.length).trim());
    if (ms === undefined) return { error: `expected @every <duration> such as @every 90s or @every 1h30m, got ${JSON.stringify(text)}` };
    if (!Number.isInteger(ms)) return { error: `expected a period of whole milliseconds, got ${JSON.stringify(text)}` };
    if (ms < MIN_EVERY_MS) return { error: `expected a period of at least ${MIN_EVERY_MS / 1000}s, got ${JSON.stringify(text)}` };
    return { kind: 'every', everyMs: Math.round(ms) };
  }
  const fields = t.split(/\s+/);
  if (!(fields.length === 5 || (fields.length === 1 && NICKNAMES.has(t.toLowerCase())))) return { error: `expected ${SCHEDULE_SYNTAX}, got ${JSON.stringify(text)}` };
  // Standard cron only (as Kubernetes' parser takes it): numbers, *, ranges, steps and lists, names
  // of months and days; croner's extensions (L, W, #, ?) are not cron's five fields.
  if (fields.length === 5) {
    const bad = fields.findIndex((f, i) => !(i >= 3 ? /^(?:[0-9*,/-]|[A-Za-z]{3})+$/ : /^[0-9*,/-]+$/).test(f) || /[LW#?]/.test(f.replace(/[A-Za-z]{3}/g, '')));
    if (bad >= 0) return { error: `expected ${FIELD_RULES} in each field, got ${JSON.stringify(fields[bad])} in ${JSON.stringify(text)}` };
  }
  let cron: Cron;
  try {
    cron = new Cron(t, { timezone: 'UTC', paused: true });
  } catch {
    // croner's own words count months and days from 0: the ranges are said here instead.
    return { error: `expected ${FIELD_RULES}, got ${JSON.stringify(text)}` };
  }
  // A day that never comes (30 February) would never tick: said now, not found by waiting.
  if (cron.nextRun(new Date(CRON_EPOCH_MS)) === null) return { error: `expected a schedule that comes due, got ${JSON.stringify(text)} (no such day)` };
  return { kind: 'cron', fields: t };
}

/**
 * A schedule's ticks: `next(after)` is the first tick strictly after `after` (calendar ms), or null
 * when none is left. `@every` ticks at `originMs` plus one or more whole periods.
 */
export class Schedule {
  private readonly cron: Cron | null;

  /** The ticks of `spec`; `originMs` anchors an `@every` period (calendar ms). */
  constructor(
    readonly spec: ScheduleSpec,
    private readonly originMs: number,
  ) {
    this.cron = spec.kind === 'cron' ? new Cron(spec.fields, { timezone: 'UTC', paused: true }) : null;
  }

  /** The first tick strictly after `afterMs` (calendar ms), or null. */
  next(afterMs: number): number | null {
    if (this.spec.kind === 'every') {
      // Ticks at the origin plus one period, two, ...: the first a whole period after the origin.
      const k = afterMs < this.originMs ? 1 : Math.max(1, Math.floor((afterMs - this.originMs) / this.spec.everyMs) + 1);
      return this.originMs + k * this.spec.everyMs;
    }
    const d = (this.cron as Cron).nextRun(new Date(afterMs));
    return d === null ? null : d.getTime();
  }
}
