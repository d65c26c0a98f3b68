import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../core/json/problems.js';
import { findStrategy, STRATEGIES } from '../core/strategies/index.js';
import type { Inbox, Outbox } from '../core/protocol/messages.js';
import type { AuctionOutcome, Strategy } from '../core/strategy.js';
import { malformedMessage, StrategyError } from './strategy-error.js';

/** Whether a `--strategy` value names a module file rather than a built-in strategy. */
export function isStrategyModule(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(m?js|cjs)$/.test(spec);
}

function looksLikeStrategy(x: unknown): x is Strategy {
  const s = x as Partial<Strategy> | null;
  return !!s && typeof s === 'object' && typeof s.name === 'string' && typeof s.auction === 'function' && Array.isArray(s.settings);
}

/**
 * Resolves a `--strategy` value: a built-in name, or a path to an ES module whose default export
 * (or any named export) is a strategy object `{ name, summary, settings, auction }`.
 * Problems are an {@link InputError} on the path `strategy`.
 */
export async function loadStrategy(spec: string, cwd = process.cwd()): Promise<Strategy> {
  if (!isStrategyModule(spec)) {
    const found = findStrategy(spec);
    if (!found) throw new InputError([{ path: 'strategy', message: `unknown strategy ${JSON.stringify(spec)} (expected one of: ${[...STRATEGIES.keys()].join(', ')}, or a path to a strategy module)` }]);
    return found;
  }
  const file = resolve(cwd, spec);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ERR_MODULE_NOT_FOUND' ? 'no such module' : (e as Error).message.split('\n')[0];
    throw new InputError([{ path: 'strategy', message: `cannot load ${spec}: ${why}` }]);
  }
  const candidate = [mod['default'], ...Object.values(mod)].find(looksLikeStrategy);
  if (!candidate) throw new InputError([{ path: 'strategy', message: `${spec} exports no strategy (expected an object with name, summary, settings and an auction generator)` }]);
  const bad = settingsProblems(candidate);
  if (bad.length > 0) throw new InputError(bad.map((message) => ({ path: 'strategy', message: `${spec}: ${message}` })));
  return guarded(candidate, spec, file);
}

const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);

// What is wrong with a module's settings specs: each must be `{name, default, description, min,
// max, integer}` with min <= default <= max (a whole default when integer), names unique. A bad one
// would otherwise surface as a puzzling error about a --set the user never gave.
function settingsProblems(s: Strategy): string[] {
  const out: string[] = [];
  const names = new Set<string>();
  const oneLine = (v: unknown) => typeof v === 'string' && !/[\r\n]/.test(v);
  if (!oneLine((s as Partial<Strategy>).summary)) out.push(`summary: expected one line of text, got ${JSON.stringify(s.summary) ?? 'nothing'}`);
  s.settings.forEach((spec: unknown, i) => {
    const at = `settings[${i}]`;
    const o = spec as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null) return void out.push(`${at}: expected {name, default, description, min, max, integer}, got ${JSON.stringify(spec) ?? String(spec)}`);
    const name = o['name'];
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) out.push(`${at}.name: expected a name of letters, digits and _, got ${JSON.stringify(name) ?? 'nothing'}`);
    // Settings are kept in plain objects, where these names are the prototype's, not values.
    else if (RESERVED_NAMES.has(name)) out.push(`${at}.name: ${name} cannot name a setting`);
    else if (names.has(name)) out.push(`${at}.name: ${name} is already a setting`);
    else names.add(name);
    const num = (k: string) => (typeof o[k] === 'number' && !Number.isNaN(o[k]) ? (o[k] as number) : null);
    for (const k of ['default', 'min', 'max']) if (num(k) === null) out.push(`${at}.${k}: expected a number, got ${JSON.stringify(o[k]) ?? 'nothing'}`);
    if (typeof o['integer'] !== 'boolean') out.push(`${at}.integer: expected true or false, got ${JSON.stringify(o['integer']) ?? 'nothing'}`);
    if (!oneLine(o['description'])) out.push(`${at}.description: expected one line of text, got ${JSON.stringify(o['description']) ?? 'nothing'}`);
    const [d, min, max] = [num('default'), num('min'), num('max')];
    if (d !== null && min !== null && max !== null && (d < min || d > max)) out.push(`${at}.default: expected a value from min (${min}) to max (${max}), got ${d}`);
    if (d !== null && o['integer'] === true && !Number.isInteger(d)) out.push(`${at}.default: expected a whole number (integer: true), got ${d}`);
  });
  return out;
}

// A user's strategy whose errors say where they came from: whatever its auction throws (when it
// starts, or at any step) becomes a StrategyError naming the module and the line.
function guarded(s: Strategy, spec: string, file: string): Strategy {
  return {
    ...s,
    *auction(batch, ctx, settings) {
      let gen: ReturnType<Strategy['auction']>;
      try {
        gen = s.auction(batch, ctx, settings);
      } catch (e) {
        throw new StrategyError(spec, file, e);
      }
      let input: Inbox = [];
      for (;;) {
        let step: IteratorResult<Outbox, AuctionOutcome>;
        try {
          step = gen.next(input);
        } catch (e) {
          throw new StrategyError(spec, file, e);
        }
        if (step.done) return step.value;
        // Checked at the boundary: a typo (`cel:` for `cell:`) is the strategy's error, said once,
        // not a run that quietly places nothing.
        if (!Array.isArray(step.value)) throw StrategyError.malformed(spec, `expected an array of messages, got ${typeof step.value}`);
        step.value.forEach((req, i) => {
          const bad = malformedMessage(req, `outbox[${i}]`);
          if (bad) throw StrategyError.malformed(spec, bad);
        });
        input = yield step.value;
      }
    },
  };
}
