// ajv's findings as the loader's problems: one line per problem, with the field path people write
// (`cells[0].count`), in the words the schema node says (schema-says.ts), in reading order (each
// object's unknown fields, then its fields in the order it lists them), without knock-on complaints
// about values inside one that is already wrong.
import type { ErrorObject } from 'ajv';
import { childPath } from './reader.js';
import { describeValue, type Problem } from './problems.js';
import { saysOf, type Says } from './schema-says.js';

type Node = Record<string, unknown>;

/** A problem with where it sorts: its path's rank in reading order. */
export interface RankedProblem extends Problem {
  /** The path as keys and indices. */
  readonly at: readonly (string | number)[];
  /** What kind of problem: about the node itself, a missing field, or an unknown one. */
  readonly cls: 'node' | 'missing' | 'unknown';
  /** Fields under `at` that are not read because of it: `all`, some keys, or none. */
  readonly skips?: 'all' | readonly string[];
}

/** The JSON type of a value, as JSON Schema names it (NaN and the infinities are none: ajv's strictNumbers). */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return !Number.isFinite(v) ? 'non-finite number' : Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(type: unknown, v: unknown): boolean {
  const t = jsonType(v);
  const types = Array.isArray(type) ? (type as string[]) : [type as string];
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

/** The branch of an `if {type}` node that `v` takes (the node itself when it has none). */
export function branchFor(node: Node, v: unknown): Node {
  let n = node;
  while (n['if'] !== undefined) {
    const cond = n['if'] as Node;
    const holds = cond['not'] !== undefined ? !typeMatches((cond['not'] as Node)['type'], v) : typeMatches(cond['type'], v);
    n = (holds ? n['then'] : n['else']) as Node;
  }
  return n;
}

/** A field path (`a.b[2]`) from keys and indices. */
export function pathText(at: readonly (string | number)[]): string {
  return at.reduce<string>((p, k) => childPath(p, k), '');
}

function pointer(p: string): string[] {
  return p === '' || p === '#' ? [] : p.replace(/^#/, '').split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(data: unknown, at: readonly (string | number)[]): unknown {
  let v = data;
  for (const k of at) v = v !== null && typeof v === 'object' ? (Object.hasOwn(v, k) ? (v as Record<string | number, unknown>)[k] : undefined) : undefined;
  return v;
}

// The schema nodes along an error's schema path, each with how many data keys lead to it.
function nodesAlong(root: Node, schemaPath: string): { node: Node; depth: number; via: string }[] {
  const segs = pointer(schemaPath);
  const out = [{ node: root, depth: 0, via: '' }];
  let node: unknown = root;
  let depth = 0;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i] as string;
    const parent = node as Node;
    if (s === 'properties' || s === 'patternProperties') {
      const key = segs[++i] as string;
      node = (parent[s] as Node)[key];
      depth++;
    } else if (s === 'items' || s === 'additionalProperties') {
      node = parent[s];
      depth++;
    } else if (s === 'oneOf' || s === 'anyOf' || s === 'allOf') {
      node = (parent[s] as Node[])[Number(segs[++i])];
    } else {
      node = parent[s];
    }
    out.push({ node: node as Node, depth, via: s });
  }
  return out;
}

function expectedText(says: Says, value: unknown): string {
  return typeof says.expected === 'function' ? says.expected(value) : (says.expected ?? 'a valid value');
}

/** ajv's errors (allErrors) on `data` against `root`, as the loader's problems, ranked. */
export function schemaProblems(root: Node, data: unknown, errors: readonly ErrorObject[]): RankedProblem[] {
  const out: RankedProblem[] = [];
  const seen = new Set<string>();
  const add = (p: RankedProblem) => {
    const key = `${pathText(p.at)}\u0000${p.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const inst = pointer(e.instancePath).map((s, i, all) => (Array.isArray(valueAt(data, all.slice(0, i))) ? Number(s) : s));
    const along = nodesAlong(root, e.schemaPath);
    const last = along[along.length - 1] as { node: Node; depth: number };
    // A `required` or `oneOf` inside an exactly-one check is that check's to say.
    const oneOfAt = along.findIndex((x) => x.via === 'oneOf');
    if (oneOfAt > 0 && saysOf(along[oneOfAt - 1]?.node)?.exactlyOne) continue;
    if (e.keyword === 'required') {
      const field = (e.params as { missingProperty: string }).missingProperty;
      const prop = ((last.node['properties'] as Node | undefined)?.[field] ?? {}) as Node;
      const says = saysOf(prop) ?? {};
      add({ at: [...inst, field], cls: 'missing', path: pathText([...inst, field]), message: `missing (expected ${says.missing ?? expectedText(says, undefined)})` });
      continue;
    }
    if (e.keyword === 'additionalProperties') {
      const field = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((last.node['properties'] as Node | undefined) ?? {});
      const says = saysOf(last.node) ?? {};
      add({ at: [...inst, field], cls: 'unknown', path: pathText([...inst, field]), message: says.unknown ?? `unknown field (expected one of: ${known.join(', ')})` });
      continue;
    }
    const said = [...along].reverse().find((x) => saysOf(x.node) !== undefined) ?? along[0]!;
    const says = saysOf(said.node) ?? {};
    const at = inst.slice(0, said.depth);
    const value = valueAt(data, at);
    if ((e.keyword === 'oneOf' || e.keyword === 'minProperties' || e.keyword === 'maxProperties') && says.exactlyOne) {
      // (On a value that is not an object, `required` holds in every branch: the type says it.)
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      const message = says.exactlyOne.message(value as Record<string, unknown>);
      if (message !== null) add({ at, cls: 'node', path: pathText(at), message, skips: says.exactlyOne.skips === 'all' ? 'all' : says.exactlyOne.keys });
      continue;
    }
    // (A library caller's list may hold undefined: said as missing, as the reader before the schemas did.)
    const message = value === undefined ? `missing (expected ${says.missing ?? expectedText(says, value)})` : `expected ${expectedText(says, value)}, got ${describeValue(value)}`;
    add({ at, cls: 'node', path: pathText(at), message, skips: 'all' });
  }
  // Fields inside a value that is itself wrong are not read: no knock-on problems about them. (By
  // the paths above each problem, not pair by pair: a file may have 100,000 problems.)
  const skipping = new Map<string, 'all' | readonly string[]>();
  for (const q of out) if (q.skips !== undefined) skipping.set(pathText(q.at), q.skips);
  if (skipping.size === 0) return out;
  return out.filter((p) => {
    let path = '';
    for (let i = 0; i < p.at.length; i++) {
      const skips = skipping.get(path);
      if (skips === 'all' || skips?.includes(String(p.at[i]))) return false;
      path = childPath(path, p.at[i] as string | number);
    }
    return true;
  });
}

// Each object's keys by their place in it, made once per object: ranking 20,000 unknown fields
// must not look each one up in a list of 20,000.
const keyPlaces = new WeakMap<object, Map<string, number>>();
function placeOf(value: unknown, key: string): number {
  if (value === null || typeof value !== 'object') return 0;
  let places = keyPlaces.get(value);
  if (!places) {
    places = new Map(Object.keys(value).map((k, i) => [k, i]));
    keyPlaces.set(value, places);
  }
  return places.get(key) ?? 0;
}

/**
 * The rank of a problem at `at` in reading order: per object, the position its `order` gives the
 * field (unknown fields by their place in the document), per list the index.
 */
export function rankOf(root: Node, data: unknown, at: readonly (string | number)[], cls: RankedProblem['cls']): number[] {
  const rank: number[] = [];
  let node = root;
  let value = data;
  for (let i = 0; i < at.length; i++) {
    node = branchFor(node, value);
    const key = at[i] as string | number;
    const props = node['properties'] as Node | undefined;
    if (props !== undefined) {
      const order = saysOf(node)?.order ?? ['$unknown', '$self', ...Object.keys(props)];
      if (!Object.hasOwn(props, key)) {
        rank.push(order.indexOf('$unknown'), placeOf(value, String(key)));
        return rank;
      }
      const rest = at.length - i - 1;
      const own = (rest === 0 && cls === 'node') || (rest === 1 && cls === 'unknown');
      const slot = own && order.includes(`${key}/$node`) ? `${key}/$node` : String(key);
      rank.push(order.indexOf(slot));
      node = props[key] as Node;
    } else if (node['items'] !== undefined) {
      rank.push(Number(key));
      node = node['items'] as Node;
    } else if (node['additionalProperties'] !== undefined && typeof node['additionalProperties'] === 'object') {
      rank.push(placeOf(value, String(key)));
      node = node['additionalProperties'] as Node;
    } else {
      return rank;
    }
    value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
  }
  node = branchFor(node, value);
  const order = saysOf(node)?.order;
  if (node['properties'] !== undefined) rank.push((order ?? ['$unknown', '$self']).indexOf('$self'));
  return rank;
}

/** Compares two ranks: element by element, a prefix first. */
export function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/**
 * The value as the reading pass may use it: where a problem was found, a field falls back to its
 * schema default (or a neutral value: 0 within its bounds, `''`, false, an empty list), and an
 * object (or a value an exactly-one check refused) to `undefined`. Lists keep their length, so
 * later checks name the right index; an item that is wrong is `undefined`.
 */
export function withFallbacks(root: Node, data: unknown, problems: readonly RankedProblem[]): unknown {
  const nodeAt = new Set(problems.filter((p) => p.cls === 'node').map((p) => pathText(p.at)));
  const unknownAt = new Set(problems.filter((p) => p.cls === 'unknown').map((p) => pathText(p.at)));
  const missingAt = new Set(problems.filter((p) => p.cls === 'missing').map((p) => pathText(p.at)));
  const below = new Set<string>();
  for (const p of problems) for (let i = 0; i <= p.at.length; i++) below.add(pathText(p.at.slice(0, i)));
  const visit = (schema: Node, v: unknown, at: (string | number)[]): unknown => {
    const path = pathText(at);
    if (!below.has(path)) return v;
    const node = branchFor(schema, v);
    if (nodeAt.has(path)) return fallback(schema, node);
    // A list keeps its length (later checks name items by index); an item that is wrong is undefined.
    if (Array.isArray(v)) return v.map((x, i) => (nodeAt.has(pathText([...at, i])) ? undefined : visit(node['items'] as Node, x, [...at, i])));
    if (v !== null && typeof v === 'object') {
      const props = (node['properties'] ?? {}) as Node;
      const extra = typeof node['additionalProperties'] === 'object' ? (node['additionalProperties'] as Node) : undefined;
      const copy: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (unknownAt.has(pathText([...at, k]))) continue;
        const s = (Object.hasOwn(props, k) ? props[k] : extra) as Node | undefined;
        Object.defineProperty(copy, k, { value: s ? visit(s, x, [...at, k]) : x, enumerable: true, writable: true, configurable: true });
      }
      // A required field that is missing reads as its neutral value ('' for a name), as before.
      for (const [k, s] of Object.entries(props)) if (missingAt.has(pathText([...at, k]))) copy[k] = fallback(s as Node, branchFor(s as Node, undefined));
      return copy;
    }
    return v;
  };
  return visit(root, data, []);
}

function fallback(schema: Node, node: Node): unknown {
  // A whole number that is wrong counts as 0 within its bounds, not its default (the reader before
  // the schemas did so: checks that follow, such as a crash's index below the app's instances, say
  // what they said then).
  if (node['type'] === 'integer') return Math.min(Math.max(0, node['minimum'] as number), node['maximum'] as number);
  if (schema['default'] !== undefined) return structuredClone(schema['default']);
  if (node['default'] !== undefined) return structuredClone(node['default']);
  if (saysOf(schema)?.exactlyOne || node['properties'] !== undefined) return undefined;
  const t = node['type'];
  const has = (x: string) => t === x || (Array.isArray(t) && t.includes(x));
  if (has('integer') || has('number')) return Math.min(Math.max(0, (node['minimum'] as number | undefined) ?? -Infinity), (node['maximum'] as number | undefined) ?? Infinity);
  if (has('array')) return [];
  if (has('string')) return '';
  if (has('boolean')) return false;
  return undefined;
}
