// The real auctioneer's request checks: fields read as own properties only, guids and template names
// as Diego's BBS accepts them, bounded numbers and lists, and Diego's auctioneer's rules for which
// start requests to drop. Every failure is an HttpError(400) naming the field and what was expected.
import type { IncomingMessage } from 'node:http';
import type { LRPStartRequest, TaskStartRequest } from '../core/model/requests.js';
import { isGuid } from './bbs-store.js';
import { HttpError, readJSON } from './http.js';
import { templateOf, templateRootFS } from './templates.js';

/** Reads a request body that must be a JSON object, or a 400. */
export async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const v = await readJSON(req);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, 'expected a JSON object');
  return v as Record<string, unknown>;
}

/** Most instances one app may desire on real cells (every index is tracked and listed). */
export const MAX_INSTANCES = 10_000;

/** Most placement tags an app may carry, and their longest. */
const MAX_TAGS = 64;
const MAX_TAG_LENGTH = 128;

/**
 * Reads a field of a JSON body as an own property only (a body `{"__proto__":...}` or a missing
 * field never reaches Object.prototype).
 */
export function field(o: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/**
 * A value as an error message shows it: JSON, cut to 80 characters; numbers JSON cannot write
 * (1e400 parses as Infinity) as JavaScript writes them.
 */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v);
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Field `key` as a whole number in [min, max] (default `dflt`), or a 400 naming it. */
export function wholeNumber(o: Record<string, unknown>, key: string, min: number, dflt?: number, max = 2_147_483_647): number {
  const v = field(o, key) ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new HttpError(400, `${key}: expected a whole number from ${min} to ${max}, got ${shown(field(o, key))}`);
  }
  return v;
}

/** A process or task guid as Diego's BBS accepts it, or a 400 naming `key`. */
export function guid(v: unknown, key: string): string {
  if (!isGuid(v)) throw new HttpError(400, `${key}: expected a guid as Diego's BBS accepts it (letters, digits, "_" or "-", 1 to 128), got ${shown(v)}`);
  return v;
}

/** A template name, or a 400 naming `key`. */
export function templateName(v: unknown, key: string): string {
  if (typeof v !== 'string' || templateOf(templateRootFS(v)) !== v) throw new HttpError(400, `${key}: expected a template name (letters, digits, ".", "_", "-"; up to 64), got ${shown(v)}`);
  return v;
}

/** Field `key` as a list of placement tags (bounded in count and length), or a 400. */
export function tags(o: Record<string, unknown>, key: string): string[] {
  const v = field(o, key) ?? [];
  if (!Array.isArray(v) || v.length > MAX_TAGS || v.some((x) => typeof x !== 'string' || x === '' || x.length > MAX_TAG_LENGTH)) {
    throw new HttpError(400, `${key}: expected a list of at most ${MAX_TAGS} non-empty strings of at most ${MAX_TAG_LENGTH} characters`);
  }
  return v as string[];
}

/**
 * Why Diego's auctioneer would drop an LRP start request (bbs `models/auctioneer_types.go` Validate,
 * and bbs `models/desired_lrp.go` for the guid and domain the BBS requires), or null.
 */
export function lrpRequestProblem(q: LRPStartRequest): string | null {
  if (!isGuid(q.process_guid)) return 'process_guid: expected [A-Za-z0-9_-]{1,128}';
  if (q.domain === '') return 'domain: expected a non-empty domain';
  if (q.indices.length === 0) return 'indices: expected at least one index';
  if (q.indices.length > MAX_INSTANCES || q.indices.some((i) => i >= MAX_INSTANCES)) return `indices: expected at most ${MAX_INSTANCES} indices, each below ${MAX_INSTANCES}`;
  if (q.RootFs === '') return 'RootFs: expected a rootfs';
  return null;
}

/** Why Diego's auctioneer would drop a task start request (as {@link lrpRequestProblem}; bbs `models/task.go`), or null. */
export function taskRequestProblem(q: TaskStartRequest): string | null {
  if (!isGuid(q.TaskGuid)) return 'TaskGuid: expected [A-Za-z0-9_-]{1,128}';
  if (q.Domain === '') return 'Domain: expected a non-empty domain';
  if (q.RootFs === '') return 'RootFs: expected a rootfs';
  return null;
}
