// What a real cell's `GET /state` tells the auctioneer: Diego's cell state, plus this project's
// additions (the cell's boot id, crashes and task results not yet collected), each checked field by
// field, since a cell is another process on the network and its answer is input like any other.
import { parseCellState } from '../core/json/cell-state-json.js';
import { InputError } from '../core/json/problems.js';
import type { CellState } from '../core/model/cell-state.js';

/** An instance that crashed on the cell and waits to be collected. */
export interface CrashedLRP {
  /** The container's guid. */
  instance_guid: string;
  /** The app. */
  process_guid: string;
  /** The index. */
  index: number;
  /** When it crashed (ISO 8601). */
  crashed_at: string;
  /** Exit code, or null when killed by a signal. */
  exit_code: number | null;
  /** The signal that killed it, or null. */
  signal: string | null;
}

/** A task that finished on the cell and waits to be collected. */
export interface CompletedTask {
  /** Task guid. */
  TaskGuid: string;
  /** Whether it failed. */
  failed: boolean;
  /** Why it failed. */
  failure_reason: string;
}

/** A cell's `/state` as the auctioneer reads it. */
export interface CellReport {
  /** Diego's cell state. */
  state: CellState;
  /** The cell's boot id (a new one at every start), or null from a cell that does not send one. */
  bootId: string | null;
  /** Crashes not yet collected. */
  crashed: CrashedLRP[];
  /** Task results not yet collected. */
  completed: CompletedTask[];
  /** Guids of tasks the cell held and cancelled recently (so a task gone from it is known not to be lost in transit). */
  cancelled: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function crashedLRP(v: unknown): CrashedLRP | null {
  if (!isObject(v)) return null;
  const { instance_guid, process_guid, index, crashed_at, exit_code, signal } = v;
  if (typeof instance_guid !== 'string' || typeof process_guid !== 'string' || typeof crashed_at !== 'string') return null;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) return null;
  if (exit_code !== null && (typeof exit_code !== 'number' || !Number.isInteger(exit_code))) return null;
  if (signal !== null && typeof signal !== 'string') return null;
  return { instance_guid, process_guid, index, crashed_at, exit_code, signal };
}

function completedTask(v: unknown): CompletedTask | null {
  if (!isObject(v)) return null;
  const { TaskGuid, failed, failure_reason } = v;
  if (typeof TaskGuid !== 'string' || typeof failed !== 'boolean' || typeof failure_reason !== 'string') return null;
  return { TaskGuid, failed, failure_reason };
}

/**
 * Reads a cell's `/state` answer. Diego's part must parse (an {@link InputError} otherwise, and the
 * cell counts as not answering); malformed entries of the additions are left out, a boot id that is
 * not a non-empty string reads as none.
 */
export function readCellReport(json: unknown): CellReport {
  const state = parseCellState(json);
  if (state.cell_id === '') throw new InputError([{ path: 'cell_id', message: 'expected a non-empty cell id' }]);
  const raw = json as Record<string, unknown>;
  const boot = raw['boot_id'];
  const list = <T>(key: string, read: (v: unknown) => T | null): T[] => {
    const v = Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : undefined;
    if (!Array.isArray(v)) return [];
    const out: T[] = [];
    for (const x of v) {
      const r = read(x);
      if (r !== null) out.push(r);
    }
    return out;
  };
  return {
    state,
    bootId: typeof boot === 'string' && boot !== '' && boot.length <= 128 ? boot : null,
    crashed: list('CrashedLRPs', crashedLRP),
    completed: list('CompletedTasks', completedTask),
    cancelled: list('CancelledTasks', (v) => (typeof v === 'string' ? v : null)),
  };
}
