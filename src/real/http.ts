// HTTP plumbing shared by the real cell and the real auctioneer: bounded JSON bodies, the shared
// token, routing by method and path, and a handler wrapper that turns any failure into a status
// code so that no request can crash the server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { InputError, formatProblem } from '../core/json/problems.js';

/** An error answered with its status and a JSON `{error}` body. */
export class HttpError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** An error with an HTTP status. */
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Largest request body accepted (bytes); bigger ones get 413. */
export const MAX_BODY_BYTES = 1 << 20;

/** Reads a request body as JSON, at most `limit` bytes; 413 if larger, 400 if not JSON. */
export async function readJSON(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, `request body over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'expected a JSON body, got an empty one');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new HttpError(400, `invalid JSON: ${(e as Error).message}`);
  }
}

/** Reads a JSON body and parses it with a core parser; its problems become one 400 naming each field. */
export async function readParsed<T>(req: IncomingMessage, parse: (value: unknown) => T): Promise<T> {
  return parseBody(await readJSON(req), parse);
}

/** Parses a JSON value with a core parser; its problems become one 400 naming each field. */
export function parseBody<T>(value: unknown, parse: (value: unknown) => T): T {
  try {
    return parse(value);
  } catch (e) {
    if (e instanceof InputError) throw new HttpError(400, e.problems.map(formatProblem).join('; '));
    throw e;
  }
}

/** Writes a JSON reply. */
export function sendJSON(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A route handler: gets the request, the path's parameters, and answers with a status and body. */
export type Handler = (req: IncomingMessage, params: string[]) => Promise<{ status: number; body: unknown }> | { status: number; body: unknown };

/** A route: method, path pattern (`:name` segments capture), handler. */
export interface Route {
  /** HTTP method. */
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path pattern such as `/v1/lrps/:process_guid/instances/:instance_guid/stop`. */
  path: string;
  /** What answers it. */
  handler: Handler;
}

/** A path segment that matched a `:name` but is not valid percent-encoding. */
const BAD_ENCODING = Symbol('bad percent-encoding');

function match(pattern: string, path: string): string[] | typeof BAD_ENCODING | null {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return null;
  const params: string[] = [];
  let bad = false;
  for (let i = 0; i < p.length; i++) {
    const seg = p[i] as string;
    const got = s[i] as string;
    if (seg.startsWith(':')) {
      if (got === '') return null;
      try {
        params.push(decodeURIComponent(got));
      } catch {
        bad = true;
      }
    } else if (seg !== got) return null;
  }
  return bad ? BAD_ENCODING : params;
}

/** Where a server listens: `host:port` (host defaults to loopback). */
export function parseListen(text: string, flag: string): { host: string; port: number } {
  const m = /^(?:(.*):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(m?.[2]);
  if (!m || !(port >= 0 && port <= 65535)) throw new HttpError(400, `${flag}: expected host:port (e.g. 127.0.0.1:1801), got ${JSON.stringify(text)}`);
  const host = (m[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '127.0.0.1' : host, port };
}

/**
 * Whether a host is a loopback address: an IPv4 address in 127.0.0.0/8, `::1`, or an IPv4-mapped
 * IPv6 loopback. Names are never loopback here, not even `localhost` (a resolver may say otherwise,
 * and `127.attacker.example` is a name): a name is judged by the address it is bound to, see
 * {@link boundToLoopback}.
 */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) !== 6) return false;
  // The URL parser writes an IPv6 address in its canonical form: `::1`, and IPv4-mapped addresses
  // (`::ffff:127.0.0.1`, `0:0:0:0:0:ffff:7f00:1`) as `::ffff:7f00:1`.
  const canonical = new URL(`http://[${h}]/`).hostname.slice(1, -1);
  if (canonical === '::1') return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(canonical);
  return mapped !== null && parseInt(mapped[1] as string, 16) >> 8 === 127;
}

/** Whether a listening server is bound to a loopback address only (checked after `listen`). */
export function boundToLoopback(server: Server): boolean {
  const addr = server.address();
  return typeof addr === 'object' && addr !== null && isLoopback(addr.address);
}

/** Options for {@link serve}. */
export interface ServeOptions {
  /** Shared token every request must carry as `Authorization: Bearer <token>` (null: none). */
  token: string | null;
  /** Called with one line per request that failed on the server's side (a bug), for the log. */
  onError?: (line: string) => void;
}

/** Whether a request carries the token. Constant-time comparison. */
function authorised(req: IncomingMessage, token: string): boolean {
  const got = req.headers.authorization ?? '';
  const want = `Bearer ${token}`;
  const a = Buffer.from(got);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * An HTTP server over routes: 401 without the token (when one is set), 404 for unknown paths, 405
 * for a known path with another method, the handler's {@link HttpError} as its status, and 500
 * with a generic message for anything else; it never lets an exception escape.
 */
export function serve(routes: readonly Route[], opts: ServeOptions): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const reply = (status: number, body: unknown) => {
      if (!res.headersSent) sendJSON(res, status, body);
      else res.end();
    };
    if (opts.token !== null && !authorised(req, opts.token)) {
      req.resume();
      reply(401, { error: 'missing or wrong token (send Authorization: Bearer <token>)' });
      return;
    }
    let found: Route | undefined;
    let params: string[] = [];
    let pathKnown = false;
    for (const r of routes) {
      const p = match(r.path, path);
      if (!p) continue;
      if (p === BAD_ENCODING) {
        req.resume();
        reply(400, { error: `path ${path.slice(0, 120)}: a parameter is not valid percent-encoding (route ${r.path})` });
        return;
      }
      pathKnown = true;
      if (r.method === req.method) {
        found = r;
        params = p;
        break;
      }
    }
    if (!found) {
      req.resume();
      reply(pathKnown ? 405 : 404, { error: pathKnown ? `method ${req.method} not allowed on ${path}` : `no route ${req.method} ${path}` });
      return;
    }
    Promise.resolve()
      .then(() => (found as Route).handler(req, params))
      .then(({ status, body }) => reply(status, body))
      .catch((e: unknown) => {
        if (e instanceof HttpError) {
          req.resume();
          reply(e.status, { error: e.message });
          return;
        }
        opts.onError?.(`${req.method} ${path}: ${(e as Error)?.stack ?? String(e)}`);
        reply(500, { error: 'internal error' });
      });
  });
}

/** Starts a server listening and resolves with its actual port (useful with port 0). */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
