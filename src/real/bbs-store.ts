// The real auctioneer's BBS state (desired apps, tasks, crash records, placement errors) and its
// journal: the whole state is written to the --state file after every change, atomically (a temporary
// file renamed over the old one), so a restart, or a crash mid-write, loses nothing.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { CrashRecord, TaskRecord } from '../core/convergence/plan.js';

/** A desired app. */
export interface DesiredApp {
  /** Process guid (the app's name). */
  processGuid: string;
  /** Instances desired. */
  instances: number;
  /** Memory per instance (MB). */
  memoryMB: number;
  /** Disk per instance (MB). */
  diskMB: number;
  /** The process template its instances run. */
  template: string;
  /** Placement tags (isolation segments). */
  placementTags: string[];
}

/** A task as the BBS holds it, with what it runs and its result. */
export interface StoredTask extends TaskRecord {
  /** The process template it runs. */
  template: string;
  /** Memory (MB). */
  memoryMB: number;
  /** Disk (MB). */
  diskMB: number;
  /** Times a cell turned it down. */
  rejections: number;
  /** Whether it failed (once COMPLETED). */
  failed: boolean;
  /** Why it failed. */
  failureReason: string;
  /** Cells it ran on, in order (at most one, if the rules hold). */
  ranOn: string[];
}

/** Everything the auctioneer must not lose. */
export interface BBSState {
  /** File format version. */
  version: 1;
  /** Desired apps by process guid. */
  desired: Record<string, DesiredApp>;
  /** Tasks by guid. */
  tasks: Record<string, StoredTask>;
  /** Latest crash per instance index (`processGuid.index`). */
  crashes: Record<string, CrashRecord>;
  /** Latest placement error per instance index. */
  placementErrors: Record<string, string>;
}

/** An empty BBS. */
export function emptyBBS(): BBSState {
  return { version: 1, desired: {}, tasks: {}, crashes: {}, placementErrors: {} };
}

/** The state and where it is journalled. */
export class BBSStore {
  /** The state; change it, then call {@link BBSStore.commit}. */
  readonly state: BBSState;

  private constructor(private readonly file: string | null, state: BBSState) {
    this.state = state;
  }

  /**
   * Opens the journal at `file` (null: keep state in memory only). A missing file starts empty; a
   * file that is not a journal is an error (it is never overwritten).
   */
  static open(file: string | null): BBSStore {
    if (file === null || !existsSync(file)) return new BBSStore(file, emptyBBS());
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: not an auctionlab state journal (${(e as Error).message}); move it away or pass another --state`, { cause: e });
    }
    const s = parsed as Partial<BBSState>;
    if (typeof s !== 'object' || s === null || s.version !== 1 || typeof s.desired !== 'object' || typeof s.tasks !== 'object') {
      throw new Error(`${file}: not an auctionlab state journal (expected {"version":1,"desired":{...},"tasks":{...}}); move it away or pass another --state`);
    }
    return new BBSStore(file, { ...emptyBBS(), ...s } as BBSState);
  }

  /** Writes the state to the journal, atomically. */
  commit(): void {
    if (this.file === null) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.file);
  }
}
