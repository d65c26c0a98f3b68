// Cron schedules on the calendar: five fields and nicknames read by croner, @every by its period;
// every bad text one line saying what was expected.
import { describe, expect, it } from 'vitest';
import { CRON_EPOCH_MS, parseSchedule, Schedule, type ScheduleSpec } from '../../../src/core/cron/schedule.js';

const MIN = 60_000;
const ticks = (text: string, n: number, originMs = CRON_EPOCH_MS) => {
  const spec = parseSchedule(text) as ScheduleSpec;
  const s = new Schedule(spec, originMs);
  const out: number[] = [];
  let t = originMs;
  for (let i = 0; i < n; i++) {
    const next = s.next(t);
    if (next === null) break;
    out.push((next - CRON_EPOCH_MS) / MIN);
    t = next;
  }
  return out;
};

describe('cron schedules', () => {
  it('five fields, nicknames and @every tick where they say, strictly after the instant asked', () => {
    expect(ticks('*/5 * * * *', 3)).toEqual([5, 10, 15]);
    expect(ticks('@hourly', 2)).toEqual([60, 120]);
    expect(ticks('30 2 * * *', 2)).toEqual([150, 150 + 24 * 60]);
    // The epoch is a Monday: "weekdays at 09:00" skips Saturday and Sunday.
    expect(ticks('0 9 * * 1-5', 6).map((m) => Math.floor(m / (24 * 60)))).toEqual([0, 1, 2, 3, 4, 7]);
    expect(ticks('@every 90s', 3)).toEqual([1.5, 3, 4.5]);
    expect(ticks('@every 1h30m', 2, CRON_EPOCH_MS + 10 * MIN)).toEqual([100, 190]);
    // Asked from inside a period: the next tick of the same grid.
    expect(new Schedule(parseSchedule('@every 2m') as ScheduleSpec, 0).next(3 * MIN + 1)).toBe(4 * MIN);
  });

  it('bad schedules: one line each saying what was expected', () => {
    expect(parseSchedule('61 * * * *')).toEqual({ error: expect.stringMatching(/^expected minute 0-59, .* got "61 \* \* \* \*"$/) });
    // Months count from 1 (croner's own message would say 12 for 13).
    expect(parseSchedule('0 0 1 13 *')).toEqual({ error: expect.stringMatching(/month 1-12 .* got "0 0 1 13 \*"$/) });
    // Standard cron only: croner's L, W, # and ? are refused, the field named.
    expect(parseSchedule('0 1 * * 1#1')).toEqual({ error: expect.stringMatching(/ in each field, got "1#1" in "0 1 \* \* 1#1"$/) });
    expect(parseSchedule('0 0 L * *')).toEqual({ error: expect.stringMatching(/got "L"/) });
    expect(parseSchedule('0 9 * JAN MON-FRI')).toEqual({ kind: 'cron', fields: '0 9 * JAN MON-FRI' });
    expect(parseSchedule('@EVERY 5m')).toEqual({ kind: 'every', everyMs: 300_000 });
    expect(parseSchedule('@every 1.0004s')).toEqual({ error: 'expected a period of whole milliseconds, got "@every 1.0004s"' });
    expect(parseSchedule('* * *')).toEqual({ error: expect.stringMatching(/^expected five cron fields .* got "\* \* \*"$/) });
    expect(parseSchedule('0 0 * * * *')).toEqual({ error: expect.stringMatching(/^expected five cron fields/) });
    expect(parseSchedule('0 0 30 2 *')).toEqual({ error: 'expected a schedule that comes due, got "0 0 30 2 *" (no such day)' });
    expect(parseSchedule('@every soon')).toEqual({ error: 'expected @every <duration> such as @every 90s or @every 1h30m, got "@every soon"' });
    expect(parseSchedule('@every 10ms')).toEqual({ error: 'expected a period of at least 1s, got "@every 10ms"' });
    expect(parseSchedule('@reboot')).toEqual({ error: expect.stringMatching(/^expected five cron fields/) });
    expect(parseSchedule('')).toEqual({ error: expect.stringMatching(/^expected five cron fields/) });
    expect(parseSchedule('__proto__')).toEqual({ error: expect.stringMatching(/^expected five cron fields/) });
  });
});
