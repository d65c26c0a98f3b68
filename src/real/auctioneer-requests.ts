// The real auctioneer's request checks: fields read as own properties only, guids and template names
// as Diego's BBS accepts them, bounded numbers and lists, and Diego's auctioneer's rules for which
// start requests to drop. Every failure is an HttpError(400) naming the field and what was expected.
import type { IncomingMessage } from 'node:http';
import type { LRPStartRequest, TaskStartRequest } from '../core/model/requests.js';
import { MAX_INSTANCES, isGuid, shown } from './names.js';
import { HttpError, readJSON } from './http.js';
import { isTemplateName } from './templates.js';

/** Reads a request body that must be a JSON object, or a 400. */
export async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const v = await readJSON(req);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, 'expected a JSON object');
  return v as Record<string, unknown>;
}


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
  if (!isTemplateName(v)) throw new HttpError(400, `${key}: expected a template name (letters, digits, ".", "_", "-"; up to 64), got ${shown(v)}`);
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
 * Why the BBS would refuse a parsed LRP start request (bbs `models/desired_lrp.go`: the process guid
 * pattern), or why this auctioneer cannot track it (index caps), or null. What Diego's auctioneer
 * drops before (empty fields, no indices) is screened out by {@link screenStartRequests}.
 */
export function lrpRequestProblem(q: LRPStartRequest): string | null {
  if (!isGuid(q.process_guid)) return 'process_guid: expected [A-Za-z0-9_-]{1,128}';
  if (q.indices.length > MAX_INSTANCES || q.indices.some((i) => i >= MAX_INSTANCES)) return `indices: expected at most ${MAX_INSTANCES} indices, each below ${MAX_INSTANCES}`;
  return null;
}

/** Why the BBS would refuse a parsed task start request (bbs `models/task.go`: the task guid pattern), or null. */
export function taskRequestProblem(q: TaskStartRequest): string | null {
  if (!isGuid(q.TaskGuid)) return 'TaskGuid: expected [A-Za-z0-9_-]{1,128}';
  return null;
}

/** The start requests of a body worth parsing, and those Diego's auctioneer would drop unparsed. */
export interface Screened {
  /** Elements to parse, with their index in the body (strictly: a wrong type is still a 400 for the body, as Go's decoder fails). */
  kept: { index: number; value: unknown }[];
  /** Elements dropped, with why (logged by the caller; the answer stays 202). */
  dropped: { guid: string; problem: string }[];
}

/**
 * Sorts the elements of a `POST /v1/lrps` or `/v1/tasks` body into those to parse and those that
 * Diego's auctioneer drops one by one after decoding them (bbs `models/auctioneer_types.go`
 * Validate: an empty guid, domain or rootfs, no indices, negative resources). A body that is not a
 * list has no elements (the caller's parser answers 400 for it).
 */
export function screenStartRequests(value: unknown, kind: 'lrp' | 'task'): Screened {
  if (!Array.isArray(value)) return { kept: [], dropped: [] };
  const out: Screened = { kept: [], dropped: [] };
  const [guidKey, domainKey] = kind === 'lrp' ? ['process_guid', 'domain'] : ['TaskGuid', 'Domain'];
  for (const [index, e] of value.entries()) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      out.kept.push({ index, value: e });
      continue;
    }
    const o = e as Record<string, unknown>;
    const problem =
      field(o, guidKey) === '' ? `${guidKey}: expected a non-empty guid` :
      (field(o, domainKey) ?? '') === '' ? `${domainKey}: expected a non-empty domain` :
      kind === 'lrp' && Array.isArray(field(o, 'indices')) && (field(o, 'indices') as unknown[]).length === 0 ? 'indices: expected at least one index' :
      (field(o, 'RootFs') ?? '') === '' ? 'RootFs: expected a rootfs' :
      ['MemoryMB', 'DiskMB', 'MaxPids'].some((k) => typeof field(o, k) === 'number' && (field(o, k) as number) < 0) ? 'MemoryMB, DiskMB and MaxPids: expected >= 0' :
      null;
    if (problem === null) out.kept.push({ index, value: e });
    else out.dropped.push({ guid: typeof field(o, guidKey) === 'string' ? (field(o, guidKey) as string) : '', problem });
  }
  return out;
}
