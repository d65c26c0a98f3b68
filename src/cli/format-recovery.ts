// One fault's recovery in words, for `run`'s text output.
import type { FaultRecovery } from '../results/run-result.js';
import { formatDuration as d } from './format-duration.js';

/**
 * What a fault displaced and how it came back, e.g. `200 instances displaced, noticed after 27.3 s;
 * placed again p50 31.0 s, max 35.2 s; running again p50 33.1 s, max 37.9 s; all back after 37.9 s`.
 */
export function recoveryLine(f: FaultRecovery): string {
  if (f.displaced === 0) return 'nothing displaced';
  if (f.back === 0 && f.noLongerDesired === f.displaced) return `${f.displaced} instance${f.displaced === 1 ? '' : 's'} displaced, none left to bring back (no longer desired)`;
  const parts = [`${f.displaced} instance${f.displaced === 1 ? '' : 's'} displaced, ${f.noticedAfterMs === null ? 'never noticed' : f.noticedAfterMs === 0 ? 'noticed at once' : `noticed after ${d(f.noticedAfterMs)}`}`];
  if (f.placedAfterMs.count > 0) parts.push(`placed again p50 ${d(f.placedAfterMs.p50)}, max ${d(f.placedAfterMs.max)}`);
  if (f.runningAfterMs.count > 0) parts.push(`running again p50 ${d(f.runningAfterMs.p50)}, max ${d(f.runningAfterMs.max)}`);
  const gone = f.noLongerDesired > 0 ? ` (${f.noLongerDesired} no longer desired)` : '';
  if (f.recoveredAfterMs !== null) parts.push(`all back after ${d(f.recoveredAfterMs)}${gone}`);
  else {
    const open = Object.values(f.notBack).reduce((a, n) => a + n, 0);
    const why = Object.entries(f.notBack).map(([reason, n]) => `${n} ${reason}`).join(', ');
    parts.push(`${f.back} back, ${open} not back by the end: ${why}${gone}`);
  }
  return parts.join('; ');
}
