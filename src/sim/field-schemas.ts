// The scenario's field types (durations, distributions, cell selectors, zones): each one's schema
// (what a file may write, with the words a problem is said in) and its reader (the validated value
// as the simulator takes it), shared by the scenario's parts and the event kinds.
import { Type, type TUnsafe } from '@sinclair/typebox';
import type { Reader } from '../core/json/reader.js';
import { childPath } from '../core/json/reader.js';
import { byType, number, object, say, string, strings } from '../core/json/schema-says.js';
import type { Distribution } from './distributions.js';
import type { CellSelector } from './events/selector.js';
import { DURATION_TEXT, parseDuration } from '../core/duration.js';

export { parseDuration } from '../core/duration.js';

/** What a duration is, in a problem's words. */
export const DURATION_SYNTAX = 'a duration such as 500ms, 30s, 10m, 1h30m (or milliseconds)';

/** A duration as a file writes it: milliseconds, or text such as `30s`. */
export type DurationValue = number | string;

/**
 * A duration: milliseconds as a number (0 or more), or text such as `250ms`, `30s`, `10m`, `1h30m`
 * (surrounding spaces allowed, as the reader trims them). `missing` says what a required one is.
 */
export function durationSchema(o: { readonly default?: string | number; readonly description?: string; readonly missing?: string } = {}) {
  return byType<number, string>('number', Type.Number({ minimum: 0 }), Type.String({ pattern: `^\\s*${DURATION_TEXT}\\s*$` }), {
    expected: DURATION_SYNTAX,
    ...(o.missing !== undefined ? { missing: o.missing } : {}),
    ...(o.default !== undefined ? { default: o.default } : {}),
    description: o.description ?? 'A duration: milliseconds, or text such as 500ms, 30s, 10m, 1h30m.',
  });
}

/** A validated duration in milliseconds (`fallback` where a problem left none). */
export function durationMs(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') return parseDuration(value) ?? fallback;
  return fallback;
}

/** A distribution as a file writes it. */
export type DistributionValue = DurationValue | { constant: DurationValue } | { uniform: [DurationValue, DurationValue] } | { exponential: DurationValue };

const DISTRIBUTIONS = ['constant', 'uniform', 'exponential'];

/** What a distribution is, in a problem's words. */
export const DISTRIBUTION_SYNTAX = 'a duration, {constant: d}, {uniform: [min, max]} or {exponential: mean}';

/** Options of a distribution field. */
export interface DistributionOptions {
  /** Its value when left out (editors show it; ajv fills it in). */
  readonly default?: unknown;
  /** What the field is, for editors. */
  readonly description?: string;
}

/** A distribution: a duration (constant), `{constant: d}`, `{uniform: [min, max]}` or `{exponential: mean}`. */
export function distributionSchema(o?: DistributionOptions & { readonly nullable?: false }): TUnsafe<DistributionValue>;
/** The same, where `null` stands for the default (`delay: null` is the default delay). */
export function distributionSchema(o: DistributionOptions & { readonly nullable: true }): TUnsafe<DistributionValue | null>;
/** A distribution, nullable or not. */
export function distributionSchema(o: DistributionOptions & { readonly nullable?: boolean } = {}): TUnsafe<DistributionValue | null> {
  const uniform = say(Type.Unsafe<[DurationValue, DurationValue]>({ type: 'array', minItems: 2, maxItems: 2, items: durationSchema() }), { expected: 'a list [min, max]' });
  const shapes = object(
    { constant: Type.Optional(durationSchema()), uniform: Type.Optional(uniform), exponential: Type.Optional(durationSchema()) },
    {
      expected: DISTRIBUTION_SYNTAX,
      unknown: 'unknown distribution (expected constant, uniform or exponential)',
      exactlyOne: {
        keys: DISTRIBUTIONS,
        skips: 'all',
        // One key that is none of the three is said as an unknown distribution.
        message: (v) => {
          const keys = Object.keys(v);
          return keys.length === 1 ? null : `expected exactly one of constant, uniform, exponential, got ${keys.length === 0 ? 'none' : keys.join(', ')}`;
        },
      },
    },
  );
  // Exactly one key, whichever it is (an unknown one is said as such).
  Object.assign(shapes, { minProperties: 1, maxProperties: 1 });
  const description = o.description ?? 'A duration (always that long), {constant: d}, {uniform: [min, max]} or {exponential: mean}.';
  const dflt = o.default !== undefined ? { default: o.default } : {};
  // A duration is anything but an object, a list, true/false or null: NaN and Infinity (YAML's .nan
  // and .inf) are then said as a bad duration, as the reader before the schemas said them.
  const d = byType<DurationValue, Exclude<DistributionValue, DurationValue>>({ not: ['object', 'array', 'boolean', 'null'] }, durationSchema(), shapes, {
    expected: DISTRIBUTION_SYNTAX,
    ...(o.nullable ? {} : { ...dflt, description }),
  });
  return o.nullable ? byType<null, DistributionValue>('null', Type.Null(), d, { expected: DISTRIBUTION_SYNTAX, ...dflt, description }) : d;
}

/**
 * A validated distribution as the simulator draws from it (`fallback` where a problem left none);
 * a uniform range whose minimum is above its maximum is reported to `r` at `path`.
 */
export function distributionOf(r: Reader, value: unknown, path: string, fallback: Distribution): Distribution {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' || typeof value === 'string') return { kind: 'constant', value: durationMs(value, 0) };
  const o = value as Record<string, unknown>;
  if ('constant' in o) return { kind: 'constant', value: durationMs(o['constant'], 0) };
  if ('exponential' in o) return { kind: 'exponential', mean: durationMs(o['exponential'], 0) };
  const u = o['uniform'];
  if (!Array.isArray(u) || u.length !== 2) return fallback;
  const min = durationMs(u[0], 0);
  const max = durationMs(u[1], 0);
  if (max < min) r.report(childPath(path, 'uniform'), `expected min <= max, got [${min}ms, ${max}ms]`);
  return { kind: 'uniform', min, max };
}

// A share of the cells as text: `10%`, `2.5%`.
const PERCENT = '^\\d+(\\.\\d+)?%$';
const PERCENT_TEXT = new RegExp(PERCENT);

/** The selector's syntax, for errors and docs. */
export const SELECTOR_SYNTAX = 'cells to act on: {ids: [...]}, {zone: z1}, {fraction: 0.1} or "10%"';

/** A cell selector as a file writes it. */
export type SelectorValue = string | { ids?: string[] | null; zone?: string; fraction?: number };

/** A cell selector: `{ids: [...]}`, `{zone: z1}`, `{fraction: 0.1}` or `"10%"`. */
export function selectorSchema(description = 'The cells to act on: {ids: [...]}, {zone: z1}, {fraction: 0.1} or "10%".') {
  return byType<string, Exclude<SelectorValue, string>>(
    'string',
    Type.String({ pattern: PERCENT }),
    object(
      {
        ids: Type.Optional(strings('Cell ids, such as cell-00.')),
        zone: Type.Optional(string({ nonEmpty: true, description: 'Every cell of a zone.' })),
        fraction: Type.Optional(number({ min: 0, max: 1, description: 'A share of the cells, chosen at random (seeded).' })),
      },
      { expected: SELECTOR_SYNTAX },
    ),
    { expected: SELECTOR_SYNTAX, description },
  );
}

/** A validated cell selector; a share past 100% and more or fewer than one way of choosing are reported to `r`. */
export function selectorOf(r: Reader, value: unknown, path: string): CellSelector {
  if (typeof value === 'string') {
    const percent = Number(value.slice(0, -1));
    if (!PERCENT_TEXT.test(value)) return { kind: 'ids', ids: [] };
    if (percent > 100) r.report(path, `expected a share of the cells from 0% to 100%, got ${value}`);
    return { kind: 'fraction', fraction: Math.min(percent, 100) / 100 };
  }
  if (value === undefined || value === null || typeof value !== 'object') return { kind: 'ids', ids: [] };
  const o = value as Record<string, unknown>;
  const given = ['ids', 'zone', 'fraction'].filter((k) => o[k] !== undefined);
  if (given.length > 1) r.report(path, `expected one of ids, zone, fraction, got ${given.join(' and ')}`);
  if (o['ids'] !== undefined) {
    const ids = Array.isArray(o['ids']) ? (o['ids'] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) r.report(`${path}.ids[${i}]`, `duplicate cell id ${JSON.stringify(id)}`);
      seen.add(id);
    });
    return { kind: 'ids', ids: [...seen] };
  }
  if (o['zone'] !== undefined) return { kind: 'zone', zone: typeof o['zone'] === 'string' ? o['zone'] : '' };
  if (o['fraction'] !== undefined) return { kind: 'fraction', fraction: typeof o['fraction'] === 'number' ? o['fraction'] : 0 };
  r.report(path, 'expected one of ids, zone, fraction');
  return { kind: 'ids', ids: [] };
}

const ZONE_SYNTAX = 'a zone name or {zone: name}';

/** A zone as a file writes it: its name, or `{zone}`. */
export type ZoneValue = string | { zone: string };

/** A zone, bare or as `{zone}`. */
export function zoneSchema(description = 'A zone: its name, or {zone: name}.') {
  return byType<string, { zone: string }>(
    'string',
    Type.String({ minLength: 1 }),
    object({ zone: string({ nonEmpty: true }) }, { expected: ZONE_SYNTAX }),
    { expected: ZONE_SYNTAX, description },
  );
}

/** A validated zone's name (`''` where a problem left none). */
export function zoneOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const z = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)['zone'] : undefined;
  return typeof z === 'string' ? z : '';
}
