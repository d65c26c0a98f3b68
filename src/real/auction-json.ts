// The JSON of one auction on the wire, for the 2014 bidding messages (bid, reserve, release, claim)
// that Diego's reps no longer serve: `{"kind":"lrp","id":"web.0","lrp":{...LRP}}` or
// `{"kind":"task","id":"t1","task":{...Task}}`, with Diego's field names inside.
import { lrpToJSON, readLRP, readTask, taskToJSON } from '../core/json/cell-state-json.js';
import { Reader, type JSONObject } from '../core/json/reader.js';
import type { Auction } from '../core/model/auctions.js';

/** Prints an auction for the wire. */
export function auctionToJSON(a: Auction): JSONObject {
  return a.kind === 'lrp' ? { kind: 'lrp', id: a.id, lrp: lrpToJSON(a.lrp) } : { kind: 'task', id: a.id, task: taskToJSON(a.task) };
}

/** Parses an auction from the wire, throwing an InputError naming every bad field. */
export function parseAuction(value: unknown): Auction {
  const r = new Reader();
  const o = r.object(value, '', 'an auction {"kind":"lrp"|"task","id":...,"lrp"|"task":{...}}');
  if (!o) r.throwIfProblems();
  const obj = o as JSONObject;
  const kind = obj['kind'];
  const id = r.string(obj, 'id', '', { nonEmpty: true });
  if (kind === 'lrp') {
    const lrp = readLRP(r, obj['lrp'], 'lrp');
    r.throwIfProblems();
    return { kind: 'lrp', id, lrp: lrp as NonNullable<typeof lrp> };
  }
  if (kind === 'task') {
    const task = readTask(r, obj['task'], 'task');
    r.throwIfProblems();
    return { kind: 'task', id, task: task as NonNullable<typeof task> };
  }
  r.fail('kind', '"lrp" or "task"', kind);
  r.throwIfProblems();
  throw new Error('unreachable');
}
