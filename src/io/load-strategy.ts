import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../core/json/problems.js';
import { findStrategy, STRATEGIES } from '../core/strategies/index.js';
import type { Strategy } from '../core/strategy.js';

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
  return candidate;
}
