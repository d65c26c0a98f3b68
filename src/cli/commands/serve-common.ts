// What `auctionlab cell` and `auctionlab auctioneer` share: where to listen, the token rule, the log
// line format, and running until a signal.
import type { Server } from 'node:http';
import { isLoopback, listen, parseListen } from '../../real/http.js';
import { parseDuration } from '../../scenario/parse.js';
import { CliError } from '../cli-error.js';

/** The host and port to listen on, and the token: required (from --token or AUCTIONLAB_TOKEN) off loopback. */
export function listenAndToken(listenFlag: string, token: string | undefined): { host: string; port: number; token: string | null } {
  let addr: { host: string; port: number };
  try {
    addr = parseListen(listenFlag, '--listen');
  } catch (e) {
    throw new CliError([(e as Error).message]);
  }
  const t = token ?? process.env['AUCTIONLAB_TOKEN'] ?? null;
  if (t !== null && t.length < 16) throw new CliError(['--token: use at least 16 characters (e.g. `openssl rand -hex 16`)']);
  if (!isLoopback(addr.host) && t === null) {
    throw new CliError([`--listen ${listenFlag}: off loopback every route needs a shared token: pass --token or set AUCTIONLAB_TOKEN`]);
  }
  return { ...addr, token: t };
}

/** A duration flag in milliseconds. */
export function durationFlag(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new CliError([`${flag}: expected a duration such as 500ms, 5s or 1m, got ${JSON.stringify(value)}`]);
  return ms;
}

/** A log line: ISO time and the component. */
export function logger(component: string): (line: string) => void {
  return (line) => process.stderr.write(`${new Date().toISOString()} ${component}: ${line}\n`);
}

/** Listens, prints where, and resolves when SIGINT or SIGTERM arrives (after `onStop`). */
export async function serveUntilSignal(server: Server, host: string, port: number, what: string, onStop: () => Promise<void>): Promise<void> {
  let actual: number;
  try {
    actual = await listen(server, host, port);
  } catch (e) {
    throw new CliError([`--listen ${host}:${port}: ${(e as Error).message}`]);
  }
  const shown = host.includes(':') ? `[${host}]` : host;
  process.stdout.write(`${what} listening on http://${shown}:${actual}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close();
      server.closeAllConnections?.();
      void onStop().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
