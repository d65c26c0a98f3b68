import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { storyLine, storyMatches, type LogLine, type StoryFilter } from '../story.js';

interface LogFlags {
  app?: string;
  cell?: string;
  kind?: string;
  all?: boolean;
}

/** Registers `auctionlab log`. */
export function registerLog(program: Command): void {
  program
    .command('log')
    .summary('print an event log (run --log) as a story a person can follow')
    .description(
      'Print the event log that `auctionlab run --log <file>` wrote as one sentence per line: what happened to which work on which cell, and why ' +
        '(placed on a cell, failed with Diego\'s reason, claimed, running, crashed and when it restarts, what the converger did to an instance and why, faults). ' +
        'Bookkeeping events (lock renewals, samples, syncs) are left out unless --all. <events.jsonl> may be - for stdin.',
    )
    .argument('<events.jsonl>', 'the log file, or - for stdin')
    .option('--app <name>', 'only lines about this app: its process guid, group members (web-3), versions and instances (web-3.0)')
    .option('--cell <id>', 'only lines about this cell')
    .option('--kind <kinds>', 'only these kinds, comma-separated (placed, failed, crash, converger, claimed, ... or an event name)')
    .option('--all', 'also the bookkeeping events, as their fields')
    .action(async (file: string, flags: LogFlags) => {
      const filter: StoryFilter = {
        ...(flags.app !== undefined ? { app: flags.app } : {}),
        ...(flags.cell !== undefined ? { cell: flags.cell } : {}),
        ...(flags.kind !== undefined ? { kinds: new Set(flags.kind.split(',').map((k) => k.trim()).filter((k) => k !== '')) } : {}),
      };
      const input = file === '-' ? process.stdin : createReadStream(file);
      const opened = new Promise<void>((resolve, reject) => {
        if (file === '-') resolve();
        input.once('open', () => resolve());
        input.once('error', (e: NodeJS.ErrnoException) => reject(new CliError([`${file}: cannot read: ${e.code === 'ENOENT' ? 'no such file' : e.message}`])));
      });
      await opened;
      try {
        await printStory(input, file, filter, flags.all === true);
      } catch (e) {
        if (e instanceof CliError) throw e;
        const err = e as NodeJS.ErrnoException;
        throw new CliError([`${file}: cannot read: ${err.code === 'EISDIR' ? 'a directory, not a log file' : err.message}`]);
      }
    });
}

// Prints each line of the log that passes the filter as its sentence; a line that is no log line
// is one error naming the file and the line.
async function printStory(input: NodeJS.ReadableStream, file: string, filter: StoryFilter, all: boolean): Promise<void> {
  let n = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    if (text.trim() === '') continue;
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      throw new CliError([`${file}:${n}: not a JSON line of an auctionlab event log`]);
    }
    if (typeof line !== 'object' || line === null || Array.isArray(line) || typeof line.t !== 'number') throw new CliError([`${file}:${n}: expected an event log line {"t": ..., "event"|"note"|"story": ...}`]);
    if (!storyMatches(line, filter)) continue;
    const s = storyLine(line, all);
    if (s !== null) process.stdout.write(`${s}\n`);
  }
}
