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

/** The kinds of check, as Cloud Foundry names its health check types. */
export const HEALTH_CHECK_TYPES = ['port', 'http', 'process'] as const;

/** A kind of check. */
export type HealthCheckKind = (typeof HEALTH_CHECK_TYPES)[number];

/** How a template's instances are checked. */
export interface HealthCheckSpec {
  /** What is probed. */
  type: HealthCheckKind;
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
  type: HealthCheckKind;
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

/** Probes `127.0.0.1:port` as the check's type says, within its timeout. */
export const probe: Probe = (spec, port) => {
  if (spec.type === 'process') return Promise.resolve(null);
  return new Promise((resolve) => {
    let done = false;
    const end = (why: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(why);
    };
    const timer = setTimeout(() => end(`no answer within ${spec.timeoutMs} ms`), spec.timeoutMs);
    if (spec.type === 'port') {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        end(null);
      });
      s.once('error', (e) => end(`cannot connect to port ${port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      return;
    }
    const req = request({ host: '127.0.0.1', port, path: spec.endpoint, method: 'GET', timeout: spec.timeoutMs }, (res) => {
      res.resume();
      end(res.statusCode === 200 ? null : `GET ${spec.endpoint} answered ${res.statusCode}`);
    });
    req.once('error', (e) => end(`GET ${spec.endpoint} failed: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    req.end();
  });
};

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
    const why = await this.check(this.spec, this.s.port);
    if (this.stopped) return;
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
