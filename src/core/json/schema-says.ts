// What a schema node says when a value fails it. The schemas are TypeBox types (so JSON Schema,
// which ajv checks and editors read); each node that has a message of its own carries it under a
// symbol, which JSON.stringify and ajv both ignore, so the published schema stays plain JSON Schema
// while the loader's messages stay the ones people had before the schemas (test/scenario/rejections).
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** The key under which a schema node keeps what it says. */
export const SAYS: unique symbol = Symbol.for('auctionlab.says');

/** What a schema node says when its value fails, and how its problems are ordered. */
export interface Says {
  /** What was expected, for `expected <this>, got <value>` (a function: it depends on the value). */
  readonly expected?: string | ((value: unknown) => string);
  /** What a missing required value was expected to be, when not `expected`. */
  readonly missing?: string;
  /** An unknown field's message, when not `unknown field (expected one of: <properties>)`. */
  readonly unknown?: string;
  /**
   * For a node whose `oneOf` requires exactly one of some keys: the message for the value (or null
   * when another problem says it already), and which fields are not read when it fails (`all`, or
   * those keys).
   */
  readonly exactlyOne?: { readonly message: (value: Record<string, unknown>) => string | null; readonly skips: 'all' | 'keys'; readonly keys: readonly string[] };
  /**
   * The order in which an object's problems are listed: its property names, `$unknown` (fields it
   * does not know), `$self` (the node itself), and `<key>/$node` (a child's own and unknown-field
   * problems, listed ahead of its fields). Default: unknown fields, the node, then the properties.
   */
  readonly order?: readonly string[];
}

/** A JSON type's name, as JSON Schema says it. */
export type JsonTypeName = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' | 'integer';

/** Attaches `says` to `schema` (in place) and returns it. */
export function say<T extends TSchema>(schema: T, says: Says): T {
  (schema as unknown as Record<symbol, Says>)[SAYS] = says;
  return schema;
}

/** What `schema` says, if it says anything. */
export function saysOf(schema: unknown): Says | undefined {
  return schema !== null && typeof schema === 'object' ? (schema as Record<symbol, Says | undefined>)[SAYS] : undefined;
}

/** `a whole number from 1 to 10`, `a number >= 0`, `a number` (the Reader's words for a range). */
export function rangeText(what: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${what} from ${min} to ${max}`;
  if (min !== undefined) return `${what} >= ${min}`;
  if (max !== undefined) return `${what} <= ${max}`;
  return what;
}

/** Options of a number field. */
export interface NumberOptions {
  /** The least value allowed. */
  readonly min?: number;
  /** The greatest value allowed. */
  readonly max?: number;
  /** The value when the field is left out (editors show it; ajv fills it in). */
  readonly default?: number;
  /** What the field is, for editors. */
  readonly description?: string;
}

/** A whole number within [min, max] (JavaScript's safe integers when a bound is left out). */
export function integer(o: NumberOptions = {}) {
  return say(
    Type.Integer({
      minimum: o.min ?? Number.MIN_SAFE_INTEGER,
      maximum: o.max ?? Number.MAX_SAFE_INTEGER,
      ...(o.default !== undefined ? { default: o.default } : {}),
      ...(o.description !== undefined ? { description: o.description } : {}),
    }),
    { expected: rangeText('a whole number', o.min, o.max) },
  );
}

/** A finite number within [min, max]. */
export function number(o: NumberOptions = {}) {
  return say(
    Type.Number({
      ...(o.min !== undefined ? { minimum: o.min } : {}),
      ...(o.max !== undefined ? { maximum: o.max } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
      ...(o.description !== undefined ? { description: o.description } : {}),
    }),
    { expected: rangeText('a number', o.min, o.max) },
  );
}

/** A string (non-empty if asked). */
export function string(o: { readonly nonEmpty?: boolean; readonly default?: string; readonly description?: string } = {}) {
  return say(
    Type.String({
      ...(o.nonEmpty ? { minLength: 1 } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
      ...(o.description !== undefined ? { description: o.description } : {}),
    }),
    { expected: o.nonEmpty ? 'a non-empty string' : 'a string' },
  );
}

/** True or false. */
export function boolean(o: { readonly default?: boolean; readonly description?: string } = {}) {
  return say(
    Type.Boolean({ ...(o.default !== undefined ? { default: o.default } : {}), ...(o.description !== undefined ? { description: o.description } : {}) }),
    { expected: 'true or false' },
  );
}

/** A list of `items`. */
export function list<T extends TSchema>(items: T, o?: ListOptions & { readonly nullable?: false }): TUnsafe<Static<T>[]>;
/** A list of `items`, `null` counting as empty. */
export function list<T extends TSchema>(items: T, o: ListOptions & { readonly nullable: true }): TUnsafe<Static<T>[] | null>;
/** A list of `items`, nullable or not. */
export function list<T extends TSchema>(items: T, o: ListOptions & { readonly nullable?: boolean } = {}): TUnsafe<Static<T>[] | null> {
  const schema = Type.Unsafe<Static<T>[] | null>({
    type: o.nullable ? ['array', 'null'] : 'array',
    items,
    ...(o.default !== undefined ? { default: o.default } : {}),
    ...(o.description !== undefined ? { description: o.description } : {}),
  });
  return say(schema, { expected: 'a list' });
}

/** Options of a list field. */
export interface ListOptions {
  /** What the field is, for editors. */
  readonly description?: string;
  /** Its value when left out. */
  readonly default?: unknown[];
}

/** `schema`, or also values of the JSON types `also` (`null`: none), which the reader takes as none. */
export function orAlso<T extends TSchema, A>(schema: T, also: readonly JsonTypeName[]): TUnsafe<Static<T> | A> {
  const widened = Type.Unsafe<Static<T> | A>(schema);
  (widened as unknown as Record<string, unknown>)['type'] = [schema['type'] as string, ...also];
  return widened;
}

/** A list of strings, `null` being empty (and absent: `dflt`, or empty). */
export function strings(description?: string, dflt?: readonly string[]) {
  return say(
    Type.Unsafe<string[] | null>({ type: ['array', 'null'], items: string(), ...(description !== undefined ? { description } : {}), ...(dflt !== undefined ? { default: [...dflt] } : {}) }),
    { expected: 'a list' },
  );
}

/**
 * An object of `properties` and no other field (people write these files by hand: a typo is an
 * unknown field, said). `expected` says what it is when the value is not an object.
 */
export function object<P extends Record<string, TSchema>>(properties: P, says: Says & { readonly description?: string } = {}) {
  const { description, ...rest } = says;
  return say(Type.Object(properties, { additionalProperties: false, ...(description !== undefined ? { description } : {}) }), { expected: 'an object', ...rest });
}

/**
 * `then` for values of JSON type `type` (or of none of the types `{not}` lists), `otherwise` for
 * the rest: a union that ajv and editors check branch by branch, so a problem is said about the
 * branch the value is in.
 */
export function byType<A, B>(type: JsonTypeName | readonly JsonTypeName[] | { readonly not: readonly JsonTypeName[] }, then: TSchema, otherwise: TSchema, says: Says & { readonly description?: string; readonly default?: unknown } = {}) {
  const { description, default: dflt, ...rest } = says;
  const cond = typeof type === 'object' && 'not' in type ? { not: { type: [...type.not] } } : { type: Array.isArray(type) ? [...(type as readonly string[])] : type };
  return say(
    Type.Unsafe<A | B>({
      if: cond,
      then,
      else: otherwise,
      ...(description !== undefined ? { description } : {}),
      ...(dflt !== undefined ? { default: dflt } : {}),
    }),
    rest,
  );
}

/** The strings of a checked list of strings (items a problem left undefined are skipped; null is empty). */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * `value`, an object the schema checked, with each property's schema default where the property is
 * absent (ajv fills them in as it checks, but not into an object the reader makes itself, such as
 * `push: true`'s): readers take defaults from the schema, where each is written once.
 */
export function withDefaults<T extends TSchema>(schema: T, value: unknown): Static<T> {
  const props = (schema as { properties?: Record<string, { default?: unknown }> }).properties ?? {};
  const out: Record<string, unknown> = value !== null && typeof value === 'object' ? { ...(value as Record<string, unknown>) } : {};
  for (const [k, p] of Object.entries(props)) if (out[k] === undefined && p.default !== undefined) out[k] = structuredClone(p.default);
  return out as Static<T>;
}

/** The schema default of an object schema's property `key` (where null, too, means the default). */
export function defaultOf(schema: TSchema, key: string): unknown {
  return structuredClone((schema as { properties?: Record<string, { default?: unknown }> }).properties?.[key]?.default);
}

