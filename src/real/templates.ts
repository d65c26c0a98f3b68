// Process templates: what a real cell may run, read from a local file at start. Work names a
// template through its rootfs (`template:<name>`), never a command, so nothing sent over the network
// can make a cell run anything its operator did not list.
import { parse as parseYAML } from 'yaml';
import { InputError, type Problem } from '../core/json/problems.js';
import { parseDuration } from '../core/duration.js';
import { HEALTH_CHECK_ENDPOINT, HEALTH_CHECK_ENDPOINT_RULE, HEALTH_CHECK_TYPES } from '../core/health-check.js';
import { HEALTH_CHECK_DEFAULTS, type HealthCheckSpec } from './health-check.js';

/** One template: a command with arguments and extra environment. */
export interface ProcessTemplate {
  /** Executable (looked up on PATH). */
  command: string;
  /** Arguments. */
  args: string[];
  /** Extra environment variables. */
  env: Record<string, string>;
  /** How its instances are checked (null: none, running means started; tasks are never checked). */
  healthCheck?: HealthCheckSpec | null;
}

/** Templates by name. */
export type Templates = ReadonlyMap<string, ProcessTemplate>;

/** The rootfs scheme that names a template. */
export const TEMPLATE_SCHEME = 'template';

/**
 * Diego's rootfs scheme for a stack preloaded on the cell (`preloaded:cflinuxfs4`; the rep's
 * `RootFSProviders`). Real cells map it to the template of the stack's name, so Diego's clients can
 * submit work unchanged once the operator names a template `cflinuxfs4`. (`preloaded+layer:` and
 * `docker:` name images, which real cells do not run.)
 */
export const PRELOADED_SCHEME = 'preloaded';

/** The rule, as said in errors and docs. */
export const ROOTFS_RULE = 'template:<name>, or Diego\'s preloaded:<stack> (runs the template named <stack>)';

/** The rootfs a workload gives to run template `name`. */
export function templateRootFS(name: string): string {
  return `${TEMPLATE_SCHEME}:${name}`;
}

/**
 * The template a rootfs names, or null if it names none: `template:<name>` and `preloaded:<name>`
 * name `<name>`; anything else (`docker:///...`, `preloaded+layer:...`) none. The name must be a
 * template name.
 */
export function templateOf(rootfs: string): string | null {
  const m = /^(template|preloaded):(.*)$/s.exec(rootfs);
  if (!m) return null;
  const name = m[2] as string;
  return NAME.test(name) ? name : null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Whether `v` is a template name: letters, digits, ".", "_" or "-" (up to 64), starting with a letter or digit. */
export function isTemplateName(v: unknown): v is string {
  return typeof v === 'string' && NAME.test(v);
}

/**
 * Parses a templates file's text (YAML or JSON):
 * `templates: { <name>: { command: <string>, args: [<string>...], env: { <NAME>: <string> } } }`.
 * Every problem is reported with its field path.
 */
export function parseTemplates(text: string): Map<string, ProcessTemplate> {
  let doc: unknown;
  try {
    doc = parseYAML(text);
  } catch (e) {
    throw new InputError([{ path: '(file)', message: `not YAML or JSON: ${(e as Error).message.split('\n')[0]}` }]);
  }
  const problems: Problem[] = [];
  const out = new Map<string, ProcessTemplate>();
  const root = doc as { templates?: unknown } | null;
  if (typeof root !== 'object' || root === null || typeof root.templates !== 'object' || root.templates === null || Array.isArray(root.templates)) {
    throw new InputError([{ path: 'templates', message: 'expected a mapping of template names to {command, args, env}' }]);
  }
  for (const [name, raw] of Object.entries(root.templates as Record<string, unknown>)) {
    const at = `templates.${name}`;
    if (!NAME.test(name)) problems.push({ path: at, message: 'a template name is letters, digits, ".", "_" or "-" (up to 64), starting with a letter or digit' });
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push({ path: at, message: 'expected {command, args, env}' });
      continue;
    }
    const t = raw as Record<string, unknown>;
    for (const k of Object.keys(t)) if (!['command', 'args', 'env', 'healthCheck'].includes(k)) problems.push({ path: `${at}.${k}`, message: 'unknown field (expected command, args, env or healthCheck)' });
    if (typeof t['command'] !== 'string' || t['command'] === '') problems.push({ path: `${at}.command`, message: 'expected a non-empty string' });
    const args = t['args'] ?? [];
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) problems.push({ path: `${at}.args`, message: 'expected a list of strings' });
    const env = t['env'] ?? {};
    if (typeof env !== 'object' || env === null || Array.isArray(env) || Object.values(env).some((v) => typeof v !== 'string')) {
      problems.push({ path: `${at}.env`, message: 'expected a mapping of names to strings' });
    }
    const healthCheck = t['healthCheck'] === undefined || t['healthCheck'] === null ? null : readHealthCheck(t['healthCheck'], `${at}.healthCheck`, problems);
    if (problems.length === 0) out.set(name, { command: t['command'] as string, args: args as string[], env: env as Record<string, string>, healthCheck });
  }
  if (problems.length > 0) throw new InputError(problems);
  return out;
}

// A template's `healthCheck: { type, endpoint, startTimeout, interval, timeout }`, every problem with its path.
function readHealthCheck(raw: unknown, at: string, problems: Problem[]): HealthCheckSpec | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ path: at, message: 'expected {type, endpoint, startTimeout, interval, timeout}' });
    return null;
  }
  const h = raw as Record<string, unknown>;
  const before = problems.length;
  for (const k of Object.keys(h)) if (!['type', 'endpoint', 'startTimeout', 'interval', 'timeout'].includes(k)) problems.push({ path: `${at}.${k}`, message: 'unknown field (expected type, endpoint, startTimeout, interval or timeout)' });
  const type = h['type'] ?? HEALTH_CHECK_DEFAULTS.type;
  if (typeof type !== 'string' || !(HEALTH_CHECK_TYPES as readonly string[]).includes(type)) problems.push({ path: `${at}.type`, message: `expected port, http or process, got ${JSON.stringify(type)}` });
  const endpoint = h['endpoint'] ?? HEALTH_CHECK_DEFAULTS.endpoint;
  // A path on the instance's own loopback port: no scheme, host or control characters to smuggle in.
  if (typeof endpoint !== 'string' || !HEALTH_CHECK_ENDPOINT.test(endpoint)) problems.push({ path: `${at}.endpoint`, message: `expected ${HEALTH_CHECK_ENDPOINT_RULE}, got ${JSON.stringify(endpoint)}` });
  else if (h['endpoint'] !== undefined && type !== 'http') problems.push({ path: `${at}.endpoint`, message: `only an http check asks for an endpoint (type is ${String(type)})` });
  const ms = (key: 'startTimeout' | 'interval' | 'timeout', fallback: number, min: number): number => {
    const v = h[key];
    if (v === undefined) return fallback;
    const parsed = typeof v === 'string' ? parseDuration(v) : undefined;
    if (parsed === undefined || parsed < min || parsed > 3_600_000) {
      problems.push({ path: `${at}.${key}`, message: `expected a duration from ${min} ms to 1h such as 500ms, 30s or 2m, got ${JSON.stringify(v)}` });
      return fallback;
    }
    return parsed;
  };
  const spec: HealthCheckSpec = {
    type: type as HealthCheckSpec['type'],
    endpoint: endpoint as string,
    startTimeoutMs: ms('startTimeout', HEALTH_CHECK_DEFAULTS.startTimeoutMs, 100),
    intervalMs: ms('interval', HEALTH_CHECK_DEFAULTS.intervalMs, 100),
    timeoutMs: ms('timeout', HEALTH_CHECK_DEFAULTS.timeoutMs, 10),
  };
  // A probe longer than the start timeout or the interval would outlast the deadline or the next probe.
  if (problems.length === before && spec.timeoutMs > Math.min(spec.startTimeoutMs, spec.intervalMs)) problems.push({ path: `${at}.timeout`, message: `expected at most startTimeout (${spec.startTimeoutMs} ms) and interval (${spec.intervalMs} ms), got ${spec.timeoutMs} ms` });
  return problems.length === before ? spec : null;
}
