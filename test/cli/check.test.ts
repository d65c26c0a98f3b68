import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('auctionlab check', () => {
  it('a sound strategy passes every property (exit 0)', () => {
    const r = runCli(['check', 'diego', '--runs', '15', '--seed', '4']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^ok {5}/gm)).toHaveLength(3);
  });

  it('a strategy that ignores the container limit is caught: exit 1, seed, counterexample file and replay command', () => {
    const r = runCli(['check', './examples/broken/ignores-container-limit.js', '--runs', '40', '--seed', '3']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('BROKEN simulated-safety-and-liveness');
    expect(r.stdout).toContain('not converged');
    expect(r.stdout).toContain('replay with --seed 3');
    const file = /counterexample: (\S+\.yaml)/.exec(r.stdout)?.[1];
    expect(file && existsSync(file)).toBe(true);
    expect(readFileSync(file!, 'utf8')).toContain('# Replay: auctionlab run');
    expect(r.stdout).toContain(`replay: auctionlab run ${file} --strategy ./examples/broken/ignores-container-limit.js`);
    // The counterexample replays as a scenario.
    expect(runCli(['run', file!, '--strategy', './examples/broken/ignores-container-limit.js']).stdout).toMatch(/\d+ missing/);
  });

  it('a strategy that places an auction twice is caught with the cells and workload that show it', () => {
    const r = runCli(['check', './examples/broken/double-place.js', '--runs', '40', '--seed', '3', '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const broken = report.properties.find((p: { name: string }) => p.name === 'placement-accounting');
    expect(broken.ok).toBe(false);
    expect(broken.error).toMatch(/auctions not each resolved exactly once: expected (\S+), got \1 \1/);
    expect(JSON.parse(broken.counterexample)).toHaveLength(4);
  });

  it('bad input: exit 2', () => {
    const a = runCli(['check', 'diego', '--faults', 'meteor']);
    expect([a.code, a.stderr]).toEqual([2, '--faults: unknown fault kind "meteor" (expected: crash, kill, evacuate, partition, killAuctioneer)\n']);
    const b = runCli(['check', 'nope']);
    expect(b.code).toBe(2);
  });
});
