// A scenario's timed events: `{at, <kind>: <body>}` with exactly one kind, each kind's body its own
// schema (sim/events/, one file per kind; the registry lists them).
import { Type, type TOptional, type TSchema, type TUnknown } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Problem } from '../../core/json/problems.js';
import { Reader } from '../../core/json/reader.js';
import { schemaProblems, withFallbacks } from '../../core/json/schema-problems.js';
import type { EventKind } from '../../sim/events/kind.js';
import { childPath } from '../../core/json/reader.js';
import { list, object } from '../../core/json/schema-says.js';
import { EVENT_KINDS, findEventKind, type EventKindName, type ScenarioEvent } from '../../sim/events/registry.js';
import { durationMs, durationSchema } from '../../sim/field-schemas.js';
import { AJV_OPTIONS } from './ajv-options.js';

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

const bodyChecks = new WeakMap<EventKind, ValidateFunction>();

/**
 * One event body on its own (a property plan's, say), checked against its kind's schema and read:
 * the body, or undefined, and every problem with its path under `path`.
 */
export function readEventBody<B extends object>(kind: EventKind<string, B>, value: unknown, path: string): { body: B | undefined; problems: Problem[] } {
  let check = bodyChecks.get(kind as EventKind);
  if (!check) {
    check = new Ajv({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code } }).compile(kind.schema);
    bodyChecks.set(kind as EventKind, check);
  }
  const doc = structuredClone(value);
  const problems: Problem[] = [];
  let usable = doc;
  if (!check(doc)) {
    const found = schemaProblems(kind.schema as unknown as Record<string, unknown>, doc, check.errors ?? []);
    problems.push(...found.map((p) => ({ path: p.path === '' ? path : p.path.startsWith('[') ? `${path}${p.path}` : `${path}.${p.path}`, message: p.message })));
    usable = withFallbacks(kind.schema as unknown as Record<string, unknown>, doc, found);
  }
  const r = new Reader();
  const body = kind.read(r, usable, path);
  return { body, problems: [...problems, ...r.problems] };
}
