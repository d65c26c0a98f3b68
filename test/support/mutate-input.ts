// Seeded mutations of input documents for the fuzz tests: the values and names an attacker or a
// tired user types (empty, huge, negative, non-ASCII, `..`, prototype names), structural slips
// (a field dropped, renamed, duplicated, wrapped) and damaged text (cut short, a byte-order mark,
// stray bytes).
import seedrandom from 'seedrandom';

/** A seeded stream of choices. */
export class Chooser {
  private readonly rng: seedrandom.PRNG;

  /** A stream for `seed`. */
  constructor(seed: string) {
    this.rng = seedrandom(seed);
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.rng() * n);
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.rng() < p;
  }
}

/** Values that break careless parsers. */
export const NASTY_VALUES: readonly unknown[] = [
  '', ' ', '..', '../../etc/passwd', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'ünïcødé-✓', '😀', '\u0000', 'x'.repeat(10_000),
  -1, 0, 0.5, 1, 3, 99_999, 1e12, -1e12, 2 ** 53, 1e308,
  'NaN', 'Infinity', '-5s', '0ms', '0.001ms', '1e400', '150%', '-10%', '10m', '99h', '1h30m',
  null, true, false, [], {}, [[]], [null], { '': 1 }, { __proto__: null, constructor: 1 },
];

/** Keys that break careless code (prototype names among them). */
export const NASTY_KEYS: readonly string[] = ['__proto__', 'constructor', 'toString', 'prototype', '', ' ', 'ü', '..', 'count ', 'Count'];

type Json = unknown;

/** Every path (keys and indices) of a document's nodes, the root excluded. */
function paths(doc: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(doc)) {
    doc.forEach((v, i) => {
      out.push([...prefix, i]);
      // Long lists (a batch's cells) are sampled, not walked whole.
      if (i < 20) paths(v, [...prefix, i], out);
    });
  } else if (doc !== null && typeof doc === 'object') {
    for (const k of Object.keys(doc)) {
      out.push([...prefix, k]);
      paths((doc as Record<string, Json>)[k], [...prefix, k], out);
    }
  }
  return out;
}

function parentOf(doc: Json, path: readonly (string | number)[]): { parent: Record<string | number, Json>; key: string | number } {
  let node = doc as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  return { parent: node, key: path[path.length - 1] as string | number };
}

// Sets an own property, even one named __proto__ (plain assignment would change the prototype).
function define(o: object, key: string | number, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One structural mutation of `doc` (in place), described in a few words. */
function mutateOnce(doc: Json, c: Chooser): string {
  const all = paths(doc);
  if (all.length === 0) return 'nothing to mutate';
  const path = c.pick(all);
  const { parent, key } = parentOf(doc, path);
  const at = path.join('.');
  const value = parent[key];
  switch (c.int(7)) {
    case 0: {
      const v = c.pick(NASTY_VALUES);
      define(parent, key, v);
      return `${at} = ${JSON.stringify(v)?.slice(0, 40)}`;
    }
    case 1:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return `delete ${at}`;
    case 2: {
      if (Array.isArray(parent)) return `keep ${at}`;
      const k = c.pick(NASTY_KEYS);
      delete parent[key];
      define(parent, k, value);
      return `rename ${at} to ${JSON.stringify(k)}`;
    }
    case 3:
      if (Array.isArray(parent)) {
        const times = c.pick([1, 2, 50]);
        parent.splice(key as number, 0, ...Array.from({ length: times }, () => structuredClone(value)));
        return `repeat ${at} x${times}`;
      }
      define(parent, key, [value]);
      return `wrap ${at} in a list`;
    case 4:
      if (typeof value === 'number') {
        const v = c.pick([-value, value * 1000, value + 0.5, value * 1e9, -0]);
        define(parent, key, v);
        return `${at} = ${v}`;
      }
      define(parent, key, { value });
      return `wrap ${at} in an object`;
    case 5:
      if (typeof value === 'string') {
        const v = c.pick([`${value}x`, value.toUpperCase(), ` ${value}`, value.slice(0, -1), `${value}/../..`]);
        define(parent, key, v);
        return `${at} = ${JSON.stringify(v).slice(0, 40)}`;
      }
      define(parent, key, value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));
      return `${at} as a string`;
    default:
      define(parent, key, c.pick([null, undefined, 'none']));
      return `${at} emptied`;
  }
}

/** A mutated copy of `doc`: one or two structural mutations, and what they were. */
export function mutateDocument(doc: Json, c: Chooser): { doc: Json; what: string[] } {
  const copy = structuredClone(doc);
  const what: string[] = [];
  const n = 1 + c.int(2);
  for (let i = 0; i < n; i++) what.push(mutateOnce(copy, c));
  return { doc: copy, what };
}

/** Damaged text: cut short, a byte-order mark, stray bytes, a line repeated (or, half the time, left alone). */
export function damageText(text: string, c: Chooser): { text: string; what: string } {
  switch (c.int(8)) {
    case 0: {
      const at = c.int(text.length);
      return { text: text.slice(0, at), what: `cut at ${at}` };
    }
    case 1:
      return { text: `\uFEFF${text}`, what: 'byte-order mark' };
    case 2: {
      const at = c.int(text.length);
      const junk = c.pick(['\u0000', '\uFFFD', '{{', ': :', '\t', '"', '&a *b', '!!js/function x']);
      return { text: text.slice(0, at) + junk + text.slice(at), what: `${JSON.stringify(junk)} at ${at}` };
    }
    case 3: {
      const lines = text.split('\n');
      const i = c.int(lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return { text: lines.join('\n'), what: `line ${i + 1} twice` };
    }
    default:
      return { text, what: 'text intact' };
  }
}
