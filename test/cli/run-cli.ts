// Runs the built CLI (dist/, made by `npm test`'s pretest build) as a user would.
import { spawnSync } from 'node:child_process';

/** The result of one CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `auctionlab <args>` from the built bin, Node started with `nodeFlags` (such as a heap limit). */
export function runCli(args: readonly string[], nodeFlags: readonly string[] = []): CliRun {
  const r = spawnSync(process.execPath, [...nodeFlags, 'dist/src/cli/main.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
