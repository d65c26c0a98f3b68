// Runs a core strategy's protocol against real cells over HTTP: each outbox goes out in parallel,
// each request with Diego's 10 s timeout; a timeout or a connection error is a lost message, as in
// the simulator, so the strategy treats real and simulated networks alike.
import { parseCellState } from '../core/json/cell-state-json.js';
import { parseWork, workToJSON } from '../core/json/requests-json.js';
import type { Reply, Request } from '../core/protocol/messages.js';
import { emptyOutboxesMessage, MAX_EMPTY_OUTBOXES, type AuctionOutcome, type AuctionProtocol } from '../core/strategy.js';
import { auctionToJSON } from './auction-json.js';

/** Diego's timeout for a call to a rep (ms). */
export const REP_TIMEOUT_MS = 10_000;

/** How to reach the cells. */
export interface HttpDriverOptions {
  /** Base URL per cell id. */
  urls: ReadonlyMap<string, string>;
  /** Token sent as `Authorization: Bearer`, or null. */
  token: string | null;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
  /** Called before a request is sent (e.g. to journal tasks about to be placed). */
  beforeSend?: (req: Request) => void;
  /** The strategy's name, for the error that stops one yielding nothing forever. */
  strategy?: string;
}

/** How a protocol ran over HTTP. */
export interface HttpDriveResult {
  /** What the strategy decided. */
  outcome: AuctionOutcome;
  /** Requests sent. */
  messages: number;
  /** Outboxes (round trips on the critical path). */
  rounds: number;
}

/** Calls a cell; resolves to the parsed JSON reply and its status, or throws on network failure. */
export async function callCell(url: string, method: 'GET' | 'POST', path: string, body: unknown, token: string | null, timeoutMs = REP_TIMEOUT_MS): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = { error: text.slice(0, 200) };
  }
  return { status: res.status, json };
}

const errorOf = (json: unknown, status: number) => (json && typeof json === 'object' && typeof (json as { error?: unknown }).error === 'string' ? (json as { error: string }).error : `HTTP ${status}`);

/** Sends one protocol request to its cell and turns the answer into a {@link Reply}. */
export async function sendRequest(req: Request, o: HttpDriverOptions): Promise<Reply> {
  const url = o.urls.get(req.cell);
  if (!url) return { kind: req.kind, ok: false, error: 'no such cell', lost: true };
  try {
    o.beforeSend?.(req);
    if (req.kind === 'state') {
      const { status, json } = await callCell(url, 'GET', '/state', undefined, o.token, o.timeoutMs);
      if (status !== 200) return { kind: 'state', ok: false, error: errorOf(json, status), lost: false };
      return { kind: 'state', ok: true, state: parseCellState(json) };
    }
    if (req.kind === 'perform') {
      const { status, json } = await callCell(url, 'POST', '/work', workToJSON(req.work), o.token, o.timeoutMs);
      if (status !== 200) return { kind: 'perform', ok: false, error: errorOf(json, status), lost: false };
      return { kind: 'perform', ok: true, failed: parseWork(json) };
    }
    const { status, json } = await callCell(url, 'POST', `/v1/auction/${req.kind}`, auctionToJSON(req.auction), o.token, o.timeoutMs);
    if (status !== 200) return { kind: req.kind, ok: false, error: errorOf(json, status), lost: false };
    if (req.kind === 'bid') {
      const bid = (json as { bid?: unknown }).bid;
      return typeof bid === 'number' ? { kind: 'bid', ok: true, bid } : { kind: 'bid', ok: false, error: 'bad bid reply', lost: false };
    }
    // A reservation may carry the rep's recast bid.
    const recast = req.kind === 'reserve' ? (json as { bid?: unknown } | null)?.bid : undefined;
    return typeof recast === 'number' && Number.isFinite(recast) ? { kind: 'reserve', ok: true, bid: recast } : { kind: req.kind, ok: true };
  } catch (e) {
    // Timeout, refused connection, reset, or a reply the core cannot parse: the exchange is lost.
    return { kind: req.kind, ok: false, error: (e as Error).message, lost: true };
  }
}

/** Runs a strategy's protocol against real cells. */
export async function driveHttp(protocol: AuctionProtocol, o: HttpDriverOptions): Promise<HttpDriveResult> {
  let messages = 0;
  let rounds = 0;
  let empty = 0;
  let step = protocol.next([]);
  while (!step.done) {
    rounds++;
    const outbox = step.value;
    // An outbox of nothing resolves at once: a strategy yielding only those would starve the
    // auctioneer's event loop (its HTTP server included).
    empty = outbox.length === 0 ? empty + 1 : 0;
    if (empty >= MAX_EMPTY_OUTBOXES) throw new Error(emptyOutboxesMessage(o.strategy ?? 'strategy'));
    messages += outbox.length;
    const inbox = await Promise.all(outbox.map((req) => sendRequest(req, o)));
    step = protocol.next(inbox);
  }
  return { outcome: step.value, messages, rounds };
}
