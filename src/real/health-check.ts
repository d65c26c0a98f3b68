// A real cell's health checks of its instances, as Diego's executor runs them in the container: a
// start check every half second until it first passes (not passed within the start timeout: the
// instance is crashed), then a liveness check every interval (a failure: the instance is crashed);
// Diego's restart policy, in the auctioneer, does the rest. Probes: `port`, a TCP connect to the
// instance's port on loopback; `http`, a GET of the endpoint there answered 200; `process`, nothing
// to probe: healthy while the process runs. Figures: cloudfoundry/executor's initializer (healthy
// monitoring interval 30 s, unhealthy 500 ms); Cloud Controller's health_check_timeout (60 s) and
// Diego's 1 s check timeout (assumed where Diego's source names none).
import { request } from 'node:http';
import { connect } from 'node:net';
import type { HealthCheckType } from '../core/health-check.js';


/** How a template's instances are checked. */
export interface HealthCheckSpec {
  /** What is probed. */
  type: HealthCheckType;
  /** The path an `http` check asks for. */
  endpoint: string;
  /** Not healthy this long after the process started: crashed (ms). */
  startTimeoutMs: number;
  /** How often a healthy instance is checked (ms). */
  intervalMs: number;
  /** How long one probe may take (ms). */
  timeoutMs: number;
}

/** The defaults: a port check, 60 s to start, every 30 s, 1 s per probe. */
export const HEALTH_CHECK_DEFAULTS: HealthCheckSpec = { type: 'port', endpoint: '/', startTimeoutMs: 60_000, intervalMs: 30_000, timeoutMs: 1000 };

/** How often a starting instance is probed (the executor's unhealthy monitoring interval). */
export const START_PROBE_MS = 500;

/** One probe's verdict: null when healthy, else why not. */
export type Probe = (spec: HealthCheckSpec, port: number) => Promise<string | null>;

/** What `/state` says of an instance's checks. */
export interface HealthStatus {
  /** The check's type. */
  type: HealthCheckType;
  /** The port probed (0 for a process check). */
  port: number;
  /** Whether its last verdict was healthy (false until the start check passes). */
  healthy: boolean;
  /** Probes so far. */
  checks: number;
  /** Probes that failed (a starting instance's failures included). */
  failures: number;
  /** When the last probe ended (ms since the epoch; null before the first). */
  lastCheckAt: number | null;
  /** Why the last failing probe failed (null: none failed). */
  lastError: string | null;
}

// Go's http.Client, which Diego's checker uses, follows at most 10 redirects.
const MAX_REDIRECTS = 10;

/**
 * Probes `127.0.0.1:port` as the check's type says, all within its timeout: a TCP connect; or a GET
 * as cloudfoundry/healthcheck's HTTPHealthCheck makes it (`User-Agent: diego-healthcheck`,
 * `X-Forwarded-Proto: https`, redirects followed, the body read, 200 wanted), following only
 * redirects that stay on the instance's own port (the cell probes nothing else). Every socket it
 * opens is closed when it ends.
 */
export const probe: Probe = (spec, port) => {
  if (spec.type === 'process') return Promise.resolve(null);
  return new Promise((resolve) => {
    let done = false;
    let close = () => {};
    const end = (why: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      close();
      resolve(why);
    };
    const timer = setTimeout(() => end(`no answer within ${spec.timeoutMs} ms`), spec.timeoutMs);
    if (spec.type === 'port') {
      const s = connect({ host: '127.0.0.1', port });
      close = () => s.destroy();
      s.once('connect', () => end(null));
      s.once('error', (e) => end(`cannot connect to port ${port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      return;
    }
    const get = (path: string, hops: number) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { 'User-Agent': 'diego-healthcheck', 'X-Forwarded-Proto': 'https' } }, (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (status >= 300 && status < 400 && location !== undefined) {
          req.destroy();
          const next = sameInstance(location, path, port);
          if (next === null) return end(`GET ${spec.endpoint} redirected off the instance (to ${JSON.stringify(location.slice(0, 200))})`);
          if (hops >= MAX_REDIRECTS) return end(`GET ${spec.endpoint}: stopped after ${MAX_REDIRECTS} redirects`);
          return get(next, hops + 1);
        }
        // The body is read (as Diego's checker reads it) within the same timeout.
        res.on('data', () => undefined);
        res.once('end', () => end(status === 200 ? null : `GET ${spec.endpoint} answered ${status}`));
        res.once('error', (e) => end(`GET ${spec.endpoint} failed: ${e.message}`));
      });
      close = () => req.destroy();
      req.once('error', (e) => end(`GET ${spec.endpoint} failed: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      req.end();
    };
    get(spec.endpoint, 0);
  });
};

// The path a redirect leads to when it stays on 127.0.0.1:port (or is relative), else null.
function sameInstance(location: string, from: string, port: number): string | null {
  let url: URL;
  try {
    url = new URL(location, `http://127.0.0.1:${port}${from}`);
  } catch {
    return null;
  }
  const local = url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost') && Number(url.port || 80) === port;
  return local ? `${url.pathname}${url.search}` : null;
}

/** The checks of one instance, from its start to its stop. */
export class HealthMonitor {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly startedAt = Date.now();
  private readonly s: HealthStatus;

  /**
   * Checks the instance listening on `port` (0 for a process check): `healthy` once its start check
   * passes, `failed` with the reason when it does not in time or a later check fails (then it stops).
   */
  constructor(
    private readonly spec: HealthCheckSpec,
    port: number,
    private readonly on: { healthy(): void; failed(reason: string): void },
    private readonly check: Probe = probe,
  ) {
    this.s = { type: spec.type, port, healthy: false, checks: 0, failures: 0, lastCheckAt: null, lastError: null };
  }

  /** Starts the start check. */
  start(): void {
    this.next(0);
  }

  /** Stops checking (the instance stopped or crashed). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** What `/state` says of it. */
  status(): HealthStatus {
    return { ...this.s };
  }

  private next(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.run(), ms);
  }

  private async run(): Promise<void> {
    this.timer = null;
    // The start timeout is a deadline: a start probe gets no more than the time left before it.
    const left = this.startedAt + this.spec.startTimeoutMs - Date.now();
    const spec = this.s.healthy ? this.spec : { ...this.spec, timeoutMs: Math.max(1, Math.min(this.spec.timeoutMs, left)) };
    let why = await this.check(spec, this.s.port);
    if (this.stopped) return;
    if (why === null && !this.s.healthy && Date.now() - this.startedAt > this.spec.startTimeoutMs) why = `passed only after ${Date.now() - this.startedAt} ms`;
    this.s.checks++;
    this.s.lastCheckAt = Date.now();
    if (why === null) {
      if (!this.s.healthy) {
        this.s.healthy = true;
        this.on.healthy();
      }
      this.next(this.spec.intervalMs);
      return;
    }
    this.s.failures++;
    this.s.lastError = why;
    if (this.s.healthy) {
      this.s.healthy = false;
      this.stop();
      this.on.failed(`health check failed: ${why}`);
      return;
    }
    if (Date.now() - this.startedAt >= this.spec.startTimeoutMs) {
      this.stop();
      this.on.failed(`health check timed out after ${Math.round(this.spec.startTimeoutMs / 1000)} s: ${why}`);
      return;
    }
    this.next(START_PROBE_MS);
  }
}
