import type { LRPStartRequest, TaskStartRequest, Work } from '../model/requests.js';
import { workFields } from '../model/work-fields.js';
import {
  INT32_MAX,
  lrpToJSON,
  readLRP,
  readPlacementConstraint,
  readResourceRequest,
  readTask,
  taskToJSON,
} from './cell-state-json.js';
import { childPath, type JSONObject, Reader } from './reader.js';

/** Reads one LRP start request (an element of the body of `POST /v1/lrps`). */
export function readLRPStartRequest(r: Reader, value: unknown, path: string): LRPStartRequest | undefined {
  const o = r.object(value, path, 'an LRP start request object');
  if (!o) return undefined;
  const indicesPath = childPath(path, 'indices');
  const indices = r.list(o, 'indices', path, (v, p) => r.integerValue(v, p, { min: 0, max: INT32_MAX }));
  if (Array.isArray(o['indices']) && indices.length === 0) r.report(indicesPath, 'expected at least one index');
  return {
    process_guid: r.string(o, 'process_guid', path, { nonEmpty: true }),
    domain: r.string(o, 'domain', path, { default: '' }),
    indices,
    ...readPlacementConstraint(r, o, path, true),
    ...readResourceRequest(r, o, path),
  };
}

/** Reads one task start request (an element of the body of `POST /v1/tasks`). */
export function readTaskStartRequest(r: Reader, value: unknown, path: string): TaskStartRequest | undefined {
  const o = r.object(value, path, 'a task start request object');
  if (!o) return undefined;
  return {
    TaskGuid: r.string(o, 'TaskGuid', path, { nonEmpty: true }),
    Domain: r.string(o, 'Domain', path, { default: '' }),
    ...readPlacementConstraint(r, o, path, true),
    ...readResourceRequest(r, o, path),
  };
}

/** Parses the body of `POST /v1/lrps`: a list of LRP start requests. */
export function parseLRPStartRequests(value: unknown): LRPStartRequest[] {
  return parseList(value, readLRPStartRequest, 'a list of LRP start requests');
}

/** Parses the body of `POST /v1/tasks`: a list of task start requests. */
export function parseTaskStartRequests(value: unknown): TaskStartRequest[] {
  return parseList(value, readTaskStartRequest, 'a list of task start requests');
}

function parseList<T>(value: unknown, each: (r: Reader, v: unknown, p: string) => T | undefined, what: string): T[] {
  const r = new Reader();
  const out: T[] = [];
  if (!Array.isArray(value)) r.fail('', what, value);
  else
    value.forEach((v, i) => {
      const x = each(r, v, childPath('', i));
      if (x !== undefined) out.push(x);
    });
  r.throwIfProblems();
  return out;
}

/** Reads a `POST /work` body (or its reply: the work that failed). */
export function readWork(r: Reader, value: unknown, path: string): Work | undefined {
  const o = r.object(value, path, 'a work object {"LRPs":[],"Tasks":[],"cell_id":""}');
  if (!o) return undefined;
  return {
    LRPs: r.list(o, 'LRPs', path, (v, p) => readLRP(r, v, p), { default: [] }),
    Tasks: r.list(o, 'Tasks', path, (v, p) => readTask(r, v, p), { default: [] }),
    cell_id: r.string(o, 'cell_id', path, { default: '' }),
  };
}

/** Parses a `POST /work` body. */
export function parseWork(value: unknown): Work {
  const r = new Reader();
  const w = readWork(r, value, '');
  r.throwIfProblems();
  return w as Work;
}

/** Prints work in Diego's JSON shape. */
export function workToJSON(w: Work): JSONObject {
  return { LRPs: w.LRPs.map(lrpToJSON), Tasks: w.Tasks.map(taskToJSON), cell_id: w.cell_id };
}

/** Prints an LRP start request in the auctioneer's JSON shape. */
export function lrpStartRequestToJSON(q: LRPStartRequest): JSONObject {
  return {
    process_guid: q.process_guid,
    domain: q.domain,
    indices: [...q.indices],
    ...workFields(q),
  };
}

/** Prints a task start request in the auctioneer's JSON shape. */
export function taskStartRequestToJSON(q: TaskStartRequest): JSONObject {
  return {
    TaskGuid: q.TaskGuid,
    Domain: q.Domain,
    ...workFields(q),
  };
}
