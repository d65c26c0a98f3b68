import type { Command } from 'commander';
import { InputError, formatProblem } from '../../core/json/problems.js';
import { readTextFile } from '../../io/read-text.js';
import { RealCell } from '../../real/cell.js';
import { MemoryLimits } from '../../real/executor.js';
import { parseTemplates, type ProcessTemplate } from '../../real/templates.js';
import { CliError } from '../cli-error.js';
import { wholeNumber } from '../options.js';
import { listenAndToken, logger, serveUntilSignal } from './serve-common.js';

interface CellFlags {
  id: string;
  zone: string;
  memory: number;
  disk: number;
  containers: number;
  listen: string;
  templates?: string;
  token?: string;
  logs?: string;
  url?: string;
}

/** The templates a cell runs when given no --templates file: Node itself, so they work anywhere. */
export const DEFAULT_TEMPLATES: ReadonlyMap<string, ProcessTemplate> = new Map([
  ['sleeper', { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1 << 30)'], env: {} }],
  ['noop', { command: process.execPath, args: ['-e', ''], env: {} }],
]);

function loadTemplates(file: string | undefined): ReadonlyMap<string, ProcessTemplate> {
  if (file === undefined) return DEFAULT_TEMPLATES;
  const read = readTextFile(file);
  if ('reason' in read) throw new CliError([`${file}: cannot read: ${read.reason}`]);
  try {
    return parseTemplates(read.text);
  } catch (e) {
    if (e instanceof InputError) throw new CliError(e.problems.map((p) => `${file}: ${formatProblem(p)}`));
    throw e;
  }
}

/** Registers `auctionlab cell`. */
export function registerCell(program: Command): void {
  program
    .command('cell')
    .summary('run a real cell: a rep serving Diego\'s routes over OS processes')
    .description(
      "Run a real cell: serve Diego's rep routes (GET /state, POST /work, POST /v1/lrps/:process_guid/instances/:instance_guid/stop, " +
        'POST /v1/tasks/:task_guid/cancel, GET /ping, POST /evacuate, and the 2014 bidding messages under /v1/auction/) and run the work ' +
        'the auction places here as OS processes from named templates in a local file (work names a template by its rootfs, ' +
        'template:<name>; never a command). A crashed instance is reported, not restarted: the auctioneer decides. ' +
        'Listens on loopback unless told otherwise; elsewhere every request needs the shared token. See docs/real-cluster.md.',
    )
    .requiredOption('--id <id>', 'cell id')
    .option('--zone <zone>', 'availability zone', 'z1')
    .option('--memory <MB>', 'memory to offer (MB)', wholeNumber(1), 4096)
    .option('--disk <MB>', 'disk to offer (MB)', wholeNumber(0), 8192)
    .option('--containers <n>', 'processes to run at most', wholeNumber(1), 50)
    .option('--listen <host:port>', 'where to listen', '127.0.0.1:1801')
    .option('--templates <file>', 'YAML/JSON file of process templates (default: sleeper and noop, both run node)')
    .option('--token <token>', 'shared token every request must carry (default: $AUCTIONLAB_TOKEN); required off loopback')
    .option('--logs <dir>', 'write each process\'s output to <dir>/<guid>.log')
    .option('--url <url>', 'the URL other machines reach this cell at (default: from --listen)')
    .action(async (flags: CellFlags) => {
      const { host, port, token } = listenAndToken(flags.listen, flags.token);
      const templates = loadTemplates(flags.templates);
      const log = logger(`cell ${flags.id}`);
      const limits = MemoryLimits.open(flags.id);
      if (typeof limits === 'string') log(`memory limits not enforced (${limits}); resources are accounted by declared sizes`);
      else log('memory limits enforced through cgroup v2 (memory.max per process)');
      const cell = new RealCell({
        id: flags.id,
        zone: flags.zone,
        memoryMB: flags.memory,
        diskMB: flags.disk,
        containers: flags.containers,
        repUrl: flags.url ?? `http://${host}:${port}`,
        templates,
        logDir: flags.logs ?? null,
        limits: typeof limits === 'string' ? null : limits,
        log,
      });
      log(`templates: ${[...templates.keys()].join(', ')}`);
      await serveUntilSignal(cell.server(token), host, port, `cell ${flags.id}`, () => cell.shutdown());
    });
}
