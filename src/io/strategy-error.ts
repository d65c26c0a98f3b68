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
