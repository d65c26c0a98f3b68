// A scenario's timed events: `{at, <kind>: <body>}` with exactly one kind, each kind's body its own
// schema (sim/events/, one file per kind; the registry lists them).
import { Type, type TOptional, type TSchema, type TUnknown } from '@sinclair/typebox';
import type { Problem } from '../../core/json/problems.js';
import { Reader } from '../../core/json/reader.js';
import type { EventKind } from '../../sim/events/kind.js';
import { childPath } from '../../core/json/reader.js';
import { list, object } from '../../core/json/schema-says.js';
import { EVENT_KINDS, findEventKind, type EventKindName, type ScenarioEvent } from '../../sim/events/registry.js';
import { durationMs, durationSchema } from '../../sim/field-schemas.js';
import { checkAgainst } from './ajv-check.js';

const EVENT_NAMES = EVENT_KINDS.map((k) => k.kind);

// Each kind's body, by its name (typed by name: a body's own type is its kind's business).
function kindSchemas(): { [K in EventKindName]: TOptional<TUnknown> } {
  const out: Record<string, TSchema> = {};
  // A copy with the kind's docs as its description (hover text in editors).
  for (const k of EVENT_KINDS) out[k.kind] = Type.Optional({ ...k.schema, description: `${k.docs.what}: ${k.docs.effect}` });
  return out as { [K in EventKindName]: TOptional<TUnknown> };
}

/** One timed event, as a scenario file writes it. */
export const eventSchema = (() => {
  const schema = object(
    { at: durationSchema({ missing: 'a duration such as 30s or 10m', description: 'When the event happens (from the start of the run).' }), ...kindSchemas() },
    {
      expected: `an event {at, <action>} with one action of: ${EVENT_NAMES.join(', ')}`,
      exactlyOne: {
        keys: EVENT_NAMES,
        skips: 'keys',
        message: (v) => {
          const actions = EVENT_NAMES.filter((k) => v[k] !== undefined);
          return `expected exactly one action (${EVENT_NAMES.join(', ')}), got ${actions.length === 0 ? 'none' : actions.join(', ')}`;
        },
      },
      order: ['$unknown', 'at', '$self', ...EVENT_NAMES],
    },
  );
  (schema as unknown as Record<string, unknown>)['oneOf'] = EVENT_NAMES.map((k) => ({ required: [k] }));
  return schema;
})();

/** The events. */
export const eventsSchema = list(eventSchema, { nullable: true, description: 'Timed events: faults, scaling, deploys, tasks.' });

/** A checked event as the simulator takes it; undefined if it has no usable action. */
export function readEvent(r: Reader, value: unknown, path: string): ScenarioEvent | undefined {
  if (value === undefined) return undefined;
  const o = value as Record<string, unknown>;
  const at = durationMs(o['at'], 0);
  const actions = EVENT_NAMES.filter((k) => o[k] !== undefined);
  if (actions.length !== 1) return undefined;
  const name = actions[0] as string;
  const body = findEventKind(name)?.read(r, o[name], childPath(path, name));
  return body === undefined ? undefined : ({ at, kind: name, ...body } as ScenarioEvent);
}

/**
 * One event body on its own (a property plan's, say), checked against its kind's schema and read:
 * the body, or undefined, and every problem with its path under `path`.
 */
export function readEventBody<B extends object>(kind: EventKind<string, B>, value: unknown, path: string): { body: B | undefined; problems: Problem[] } {
  const checked = checkAgainst(kind.schema, structuredClone(value));
  const problems: Problem[] = checked.problems.map((p) => ({ path: p.at.reduce<string>((q, k) => childPath(q, k), path), message: p.message }));
  const r = new Reader();
  const body = kind.read(r, checked.value, path);
  return { body, problems: [...problems, ...r.problems] };
}
