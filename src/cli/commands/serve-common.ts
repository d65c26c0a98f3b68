// What `auctionlab cell` and `auctionlab auctioneer` share: where to listen, the token rule, the log
// line format, and running until a signal.
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { boundToLoopback, isLoopback, listen, parseListen } from '../../real/http.js';
import { parseDuration } from '../../scenario/parse.js';
import { CliError } from '../cli-error.js';

/** Where the shared token may come from: a flag (visible in `ps`), a file, or the environment. */
export interface TokenFlags {
  /** `--token <token>`. */
  token?: string;
  /** `--token-file <file>`: the token is the file's first line. */
  tokenFile?: string;
}

/** The token from `--token-file`, `--token` or `AUCTIONLAB_TOKEN` (in that order), or null. */
export function readToken(flags: TokenFlags): string | null {
  if (flags.token !== undefined && flags.tokenFile !== undefined) throw new CliError(['--token and --token-file: pass one of them, not both']);
  let t: string | null;
  if (flags.tokenFile !== undefined) {
    try {
      t = (readFileSync(flags.tokenFile, 'utf8').split(/\r?\n/)[0] ?? '').trim();
    } catch (e) {
      throw new CliError([`--token-file ${flags.tokenFile}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
    }
    if (t === '') throw new CliError([`--token-file ${flags.tokenFile}: expected the token on the first line, got an empty line`]);
  } else t = flags.token ?? process.env['AUCTIONLAB_TOKEN'] ?? null;
  const source = flags.tokenFile !== undefined ? `--token-file ${flags.tokenFile}` : '--token';
  if (t !== null && t.length < 16) throw new CliError([`${source}: use at least 16 characters (e.g. \`openssl rand -hex 16\`)`]);
  if (t !== null && !/^[\x21-\x7e]+$/.test(t)) throw new CliError([`${source}: expected printable ASCII without spaces (it is sent in an HTTP header)`]);
  return t;
}

/**
 * The host and port to listen on, and the token: required (from --token-file, --token or
 * AUCTIONLAB_TOKEN) unless the address is a loopback address. A host name is checked again once
 * bound ({@link serveUntilSignal}), since only the address tells.
 */
export function listenAndToken(listenFlag: string, flags: TokenFlags): { host: string; port: number; token: string | null } {
  let addr: { host: string; port: number };
  try {
    addr = parseListen(listenFlag, '--listen');
  } catch (e) {
    throw new CliError([(e as Error).message]);
  }
  const t = readToken(flags);
  if (isIP(addr.host) !== 0 && !isLoopback(addr.host) && t === null) {
    throw new CliError([`--listen ${listenFlag}: off loopback every route needs a shared token: pass --token-file, --token or set AUCTIONLAB_TOKEN`]);
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

/** What a server's command does around its server's life. */
export interface ServeHooks {
  /** Starts the loops behind the server: called only once it listens, so a failed listen starts nothing. */
  onListening?: () => void;
  /** Stops everything (also called when listening fails, after onListening was not called). */
  onStop: () => Promise<void>;
}

/**
 * Listens, prints where, and resolves when SIGINT or SIGTERM arrives (after `onStop`). Signals that
 * arrive while stopping are logged and do not cut the stop short (a second Ctrl-C used to end the
 * process before its workloads were stopped).
 */
export async function serveUntilSignal(server: Server, host: string, port: number, what: string, token: string | null, hooks: ServeHooks): Promise<void> {
  let actual: number;
  try {
    actual = await listen(server, host, port);
  } catch (e) {
    await hooks.onStop();
    throw new CliError([`--listen ${host}:${port}: ${(e as Error).message}`]);
  }
  if (token === null && !boundToLoopback(server)) {
    // A name (even "localhost") is loopback only if it bound to a loopback address.
    const addr = server.address();
    server.close();
    await hooks.onStop();
    throw new CliError([`--listen ${host}:${port}: bound to ${typeof addr === 'object' && addr ? addr.address : '?'}, not a loopback address: every route then needs a shared token: pass --token-file, --token or set AUCTIONLAB_TOKEN`]);
  }
  hooks.onListening?.();
  const shown = host.includes(':') ? `[${host}]` : host;
  process.stdout.write(`${what} listening on http://${shown}:${actual}\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`${new Date().toISOString()} ${what}: ${signal} while stopping: still stopping (workloads get their grace period, then SIGKILL)\n`);
        return;
      }
      stopping = true;
      server.close();
      server.closeAllConnections?.();
      void hooks
        .onStop()
        .catch((e: unknown) => process.stderr.write(`${new Date().toISOString()} ${what}: stopping failed: ${(e as Error)?.message ?? String(e)}\n`))
        .then(() => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
