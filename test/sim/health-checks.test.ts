// Custom health checks (apps[].healthCheck), the simulated side of Diego's lifecycle: a start check
// with a start timeout (not healthy in time: the instance crashes, and Diego's restart policy and
// backoff apply), a liveness check every interval (failing after running: a crash), and readiness
// (routable only while ready; a spell of not being ready crashes nothing).
import { describe, expect, it } from 'vitest';
import { parseScenarioText, simulate } from '../../src/sim.js';
import { scenarioProblems as bad } from './scenario-problems.js';

const CELLS = `
name: hc
duration: 30m
cells: [{ count: 4, zones: [z1, z2], memoryMB: 8192 }]
`;
const run = (apps: string, opts: { log?: (line: string) => void } = {}) => simulate(parseScenarioText(`${CELLS}apps:\n${apps}`, 'hc.yaml'), { safety: true, ...opts });

// The times (ms) of the log's events of one kind for one instance.
function times(lines: readonly string[], kind: string, lrp: string): number[] {
  return lines.map((l) => JSON.parse(l) as { t: number; note?: string; lrp?: string }).filter((e) => e.note === kind && e.lrp === lrp).map((e) => e.t);
}

describe('health checks', () => {
  it('a slow-starting app past its start timeout crash-loops with Diego\'s backoff (restarted at once twice, then after 30 s, 60 s, 120 s, ...)', () => {
    const lines: string[] = [];
    const r = run('  - { name: slow, instances: 1, healthCheck: { delay: 90s, startTimeout: 60s } }\n', { log: (l) => lines.push(l) });
    const out = times(lines, 'health-check-timed-out', 'slow.0');
    expect(out.length).toBeGreaterThanOrEqual(5);
    // Each timeout is 60 s after its process started; the gaps between them grow with the backoff.
    const gaps = out.slice(1).map((t, i) => t - (out[i] as number));
    expect(gaps[0]).toBeLessThan(80_000);
    expect(gaps[1]).toBeLessThan(80_000);
    expect(gaps[2]).toBeGreaterThanOrEqual(90_000);
    expect(gaps[3]).toBeGreaterThan(gaps[2] as number);
    expect(r.summary.crashes).toBe(out.length);
    expect(r.summary.routes['slow']?.minRoutable ?? 0).toBe(0);
    expect(r.summary.crashingAtEnd).toBe(1);
    expect(r.safety?.violations).toEqual([]);
  });

  it('an app whose check passes within its start timeout runs; a process check passes at once', () => {
    const r = run('  - { name: ok, instances: 2, healthCheck: { type: http, endpoint: /health, delay: 20s, startTimeout: 60s } }\n  - { name: worker, instances: 2, healthCheck: { type: process, startTimeout: 1s } }\n');
    expect(r.summary.crashes).toBe(0);
    expect(r.summary.missingAtEnd).toBe(0);
  });

  it('a running instance that stops answering is crashed by the liveness check after, and restarted', () => {
    const lines: string[] = [];
    const r = run('  - { name: web, instances: 1, healthCheck: { delay: 1s, interval: 30s, liveness: { probability: 1, after: 45s } } }\n', { log: (l) => lines.push(l) });
    const failed = times(lines, 'health-check-failed', 'web.0');
    expect(failed.length).toBeGreaterThan(3);
    // Found by the check after it stopped answering: 60 s after it ran (checks at 30 s and 60 s).
    const ran = lines.map((l) => JSON.parse(l) as { t: number; event?: string; work?: string }).filter((e) => e.event === 'cell.container-running' && e.work === 'web.0').map((e) => e.t);
    expect(failed[0]! - ran[0]!).toBeCloseTo(60_000, 0);
    expect(r.summary.crashes).toBe(failed.length);
    expect(r.safety?.violations).toEqual([]);
  });

  it('an unready instance is not routable and is not crashed; it is routable again when ready', () => {
    const r = run('  - { name: web, instances: 4, healthCheck: { readiness: { interval: 5s, probability: 1, after: { uniform: [1m, 3m] }, lasting: 20s } } }\n');
    expect(r.summary.crashes).toBe(0);
    const low = r.summary.routes['web']!;
    expect(low.minRoutable).toBeLessThan(4);
    // Routable again: at the end (a spell lasts 20 s, comes every 1-3 min) most are routable.
    expect(r.series.some((s) => s.t > 10 * 60_000 && s.routes['web'] === 4)).toBe(true);
    expect(r.summary.missingAtEnd).toBe(0);
  });

  it('refuses a bad check in one line each', () => {
    const app = (hc: string) => `${CELLS}apps:\n  - { name: web, healthCheck: ${hc} }\n`;
    expect(bad(app('{ type: tcp }'))).toEqual(['bad.yaml: apps[0].healthCheck.type: expected port, http or process, got "tcp"']);
    expect(bad(app('{ type: port, endpoint: /x }'))).toEqual(['bad.yaml: apps[0].healthCheck.endpoint: only an http check asks for an endpoint (type is port)']);
    expect(bad(app('{ type: http, endpoint: health }'))[0]).toMatch(/^bad\.yaml: apps\[0\]\.healthCheck\.endpoint: expected a path starting with \//);
    expect(bad(app('{ type: process, delay: 5s }'))).toEqual(['bad.yaml: apps[0].healthCheck.delay: a process check has no delay: the instance is healthy once its process runs (startup: sets that)']);
    expect(bad(app('{ startTimeout: 0s }'))).toEqual(['bad.yaml: apps[0].healthCheck.startTimeout: expected a duration above 0, got 0ms']);
    expect(bad(app('{ liveness: { probability: 1 } }'))[0]).toMatch(/^bad\.yaml: apps\[0\]\.healthCheck\.liveness\.after: missing/);
    // A duration the schema refuses is said once.
    expect(bad(app('{ startTimeout: -1s }'))).toHaveLength(1);
    expect(bad(app('{ type: http, endpoint: "/a b" }'))).toEqual(['bad.yaml: apps[0].healthCheck.endpoint: expected a path starting with / (printable ASCII, no spaces, at most 1024), got "/a b"']);
    // null is none, as for healthCheck itself.
    expect(bad(app('{ liveness: null, readiness: null }'))).toEqual([]);
  });
});
