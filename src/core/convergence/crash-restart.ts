/**
 * Diego's crash restart policy (BBS `RestartCalculator`): a crash increments the crash count (back
 * to 1 if the instance had run for more than 5 minutes); counts 1 and 2 restart at once, 3 waits
 * 30 s, each further crash doubles the wait up to 16 minutes, and from 200 crashes on the instance
 * is never restarted.
 * @module
 */

/** Running this long resets the crash count on the next crash. */
export const CRASH_RESET_AFTER_MS = 5 * 60_000;
/** From this many crashes on, an instance is never restarted. */
export const MAX_CRASHES = 200;
const MINUTE = 60_000;

/** The crash count after a crash, given the count before and how long the instance had run. */
export function crashCountAfterCrash(previous: number, ranForMs: number): number {
  return ranForMs > CRASH_RESET_AFTER_MS ? 1 : previous + 1;
}

/**
 * How long after a crash the instance may be restarted, by crash count: 0 for 1-2, 30 s for 3,
 * 1, 2, 4, 8 minutes for 4-7, 16 minutes for 8-199, +Infinity (never) from 200.
 */
export function restartDelayMs(crashCount: number): number {
  if (crashCount >= MAX_CRASHES) return Infinity;
  if (crashCount <= 2) return 0;
  if (crashCount === 3) return 30_000;
  if (crashCount >= 8) return 16 * MINUTE;
  return MINUTE * 2 ** (crashCount - 4); // 4: 1 m, 5: 2 m, 6: 4 m, 7: 8 m
}

/** Whether a CRASHED instance may be restarted now. */
export function mayRestart(crashCount: number, crashedAtMs: number, nowMs: number): boolean {
  const delay = restartDelayMs(crashCount);
  return delay !== Infinity && nowMs - crashedAtMs >= delay;
}
