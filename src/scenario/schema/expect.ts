// What a run must show at its end: the schema of a scenario's expectations and its reader.
import { Type } from '@sinclair/typebox';
import { boolean, integer, number, object } from '../../core/json/schema-says.js';
import type { Expectations } from '../../sim/scenario-types.js';

/** The expectations, as a scenario file writes them. */
export const expectSchema = object(
  {
    converged: Type.Optional(boolean({ description: "Every fault's instances back, and nothing missing or extra at the end." })),
    safe: Type.Optional(boolean({ description: "Diego's safety properties held at every check." })),
    noTaskRanTwice: Type.Optional(boolean({ description: 'No task ran twice.' })),
    maxMissingAtEnd: Type.Optional(integer({ min: 0, description: 'At most this many desired instances missing at the end.' })),
    maxFailedAuctions: Type.Optional(integer({ min: 0, description: 'At most this many auctions failed in all.' })),
    routableFloor: Type.Optional(number({ min: 0, max: 1, description: 'Every app keeps at least this share of its instances routable.' })),
  },
  { expected: 'expectations {converged, safe, noTaskRanTwice, maxMissingAtEnd, maxFailedAuctions, routableFloor}', description: 'What the run must show: a broken expectation is exit 1.' },
);

/** Checked expectations (null: not expected). */
export function readExpect(value: unknown): Expectations {
  const o = (value ?? {}) as Record<string, unknown>;
  const or = <T>(k: string): T | null => (o[k] === undefined ? null : (o[k] as T));
  return { converged: or('converged'), safe: or('safe'), noTaskRanTwice: or('noTaskRanTwice'), maxMissingAtEnd: or('maxMissingAtEnd'), maxFailedAuctions: or('maxFailedAuctions'), routableFloor: or('routableFloor') };
}
