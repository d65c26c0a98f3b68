import { describe, expect, it } from 'vitest';
import { crashCountAfterCrash, lrpTransitionAllowed, mayRestart, restartDelayMs, taskTransitionAllowed } from '../../../src/index.js';

describe('crash restart policy', () => {
  it("follows Diego's backoff table", () => {
    const table = [1, 2, 3, 4, 5, 6, 7, 8, 100, 199, 200, 500].map((n) => restartDelayMs(n) / 1000);
    expect(table).toEqual([0, 0, 30, 60, 120, 240, 480, 960, 960, 960, Infinity, Infinity]);
  });

  it('a crash after more than 5 minutes of running resets the count to 1', () => {
    expect(crashCountAfterCrash(7, 5 * 60_000)).toBe(8);
    expect(crashCountAfterCrash(7, 5 * 60_000 + 1)).toBe(1);
  });

  it('a crashed instance may restart once its backoff has passed', () => {
    expect(mayRestart(3, 1000, 30_999)).toBe(false);
    expect(mayRestart(3, 1000, 31_000)).toBe(true);
    expect(mayRestart(200, 0, 1e12)).toBe(false);
  });

  it('the BBS rejects transitions Diego rejects', () => {
    expect(lrpTransitionAllowed('UNCLAIMED', 'RUNNING')).toBe(false);
    expect(lrpTransitionAllowed('CRASHED', 'RUNNING')).toBe(false);
    expect(lrpTransitionAllowed('CLAIMED', 'RUNNING')).toBe(true);
    expect(taskTransitionAllowed('COMPLETED', 'RUNNING')).toBe(false);
    expect(taskTransitionAllowed('PENDING', 'RUNNING')).toBe(true);
  });
});
