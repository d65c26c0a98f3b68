// A user's strategy module failed while it ran: reported as one line naming the module, where in it
// (file and line), and what it threw, with the exit code of a failed run, never as an internal error.
import { fileURLToPath } from 'node:url';

/** An error thrown by a strategy module's code while an auction ran. */
export class StrategyError extends Error {
  /**
   * `spec` is the module as the user named it; `file` its resolved path; `cause` what it threw. The
   * message says where in the module it came from when the stack shows it.
   */
  constructor(spec: string, file: string, cause: unknown) {
    const what = cause instanceof Error ? `${cause.name === 'Error' ? '' : `${cause.name}: `}${cause.message}` : String(cause);
    const at = cause instanceof Error ? lineIn(cause.stack ?? '', file) : null;
    super(`strategy ${spec} threw${at ? ` at ${at}` : ''}: ${what.split('\n')[0]}`);
    this.name = 'StrategyError';
  }

  /** The module yielded a message the protocol does not have (`detail`: where in the outbox, and what was expected). */
  static malformed(spec: string, detail: string): StrategyError {
    const e = new StrategyError(spec, '', '');
    e.message = `strategy ${spec} sent a malformed message: ${detail}`;
    return e;
  }
}

const KINDS = new Set(['state', 'perform', 'bid', 'reserve', 'release', 'claim']);

/**
 * What is wrong with one message a strategy yielded, or null: a known kind, a cell id, and the work
 * (`perform`) or the auction (`bid`, `reserve`, `release`, `claim`) it carries.
 */
export function malformedMessage(req: unknown, at: string): string | null {
  if (typeof req !== 'object' || req === null) return `${at}: expected a message object, got ${JSON.stringify(req) ?? String(req)}`;
  const m = req as Record<string, unknown>;
  if (typeof m['kind'] !== 'string' || !KINDS.has(m['kind'])) return `${at}.kind: expected one of ${[...KINDS].join(', ')}, got ${JSON.stringify(m['kind']) ?? 'nothing'}`;
  if (typeof m['cell'] !== 'string' || m['cell'] === '') return `${at}.cell: expected a cell id, got ${JSON.stringify(m['cell']) ?? 'nothing'} (fields: ${Object.keys(m).join(', ')})`;
  if (m['kind'] === 'perform') {
    const w = m['work'] as Record<string, unknown> | undefined;
    if (typeof w !== 'object' || w === null || !Array.isArray(w['LRPs']) || !Array.isArray(w['Tasks'])) return `${at}.work: expected {LRPs: [...], Tasks: [...]}`;
  } else if (m['kind'] !== 'state' && (typeof m['auction'] !== 'object' || m['auction'] === null)) return `${at}.auction: expected the auction the message is about`;
  return null;
}

// The first stack frame inside `file`, as `<spec-like path>:line:column`.
function lineIn(stack: string, file: string): string | null {
  for (const line of stack.split('\n')) {
    const m = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const path = m[1]?.startsWith('file://') ? fileURLToPath(m[1]) : (m[1] as string);
    if (path === file) return `${file}:${m[2]}:${m[3]}`;
  }
  return null;
}
