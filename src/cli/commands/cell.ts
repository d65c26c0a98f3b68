import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, formatProblem } from '../../core/json/problems.js';
import { readTextFile } from '../../io/read-text.js';
import { RealCell } from '../../real/cell.js';
import { MemoryLimits } from '../../real/executor.js';
import { defaultWorkDir, lockWorkDir, reapLeftovers } from '../../real/work-dir.js';
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
  tokenFile?: string;
  logs?: string;
  url?: string;
  index: number;
  workDir?: string;
  passEnv?: string;
  runAs?: string;
}

/**
 * The uid and gid of `--run-as`: `<uid>[:<gid>]` in numbers, or a user name from /etc/passwd (with
 * its primary group).
 */
function runAsFlag(value: string): { uid: number; gid: number } {
  const n = /^(\d{1,10})(?::(\d{1,10}))?$/.exec(value);
  let id: { uid: number; gid: number } | null = null;
  if (n) id = { uid: Number(n[1]), gid: Number(n[2] ?? n[1]) };
  else if (/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(value)) {
    let passwd = '';
    try {
      passwd = readFileSync('/etc/passwd', 'utf8');
    } catch {
      // No passwd file: names cannot be resolved.
    }
    const line = passwd.split('\n').find((l) => l.split(':')[0] === value);
    const f = line?.split(':');
    if (f && /^\d+$/.test(f[2] ?? '') && /^\d+$/.test(f[3] ?? '')) id = { uid: Number(f[2]), gid: Number(f[3]) };
    else throw new CliError([`--run-as: no user ${JSON.stringify(value)} in /etc/passwd (give <uid>[:<gid>] in numbers)`]);
  }
  if (!id || id.uid > 4_294_967_294 || id.gid > 4_294_967_294) throw new CliError([`--run-as: expected a user name or <uid>[:<gid>], got ${JSON.stringify(value)}`]);
  const own = process.getuid?.();
  if (own !== undefined && own !== 0 && own !== id.uid) throw new CliError([`--run-as ${value}: running workloads as another user needs the cell to run as root`]);
  return id;
}

/** A cell id: it names the cell's work directory and appears in URLs and logs. */
const CELL_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

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
      "Run a real cell: serve Diego's rep routes (GET /state, POST /work, PUT /v2/lrps/:process_guid/instances/:instance_guid and its /v1 form, " +
        'POST /v1/lrps/:process_guid/instances/:instance_guid/stop, POST /v1/tasks/:task_guid/cancel, GET /container_metrics, POST /sim/reset, ' +
        'GET /ping, POST /evacuate, and the 2014 bidding messages under /v1/auction/) and run the work the auction places here as OS processes, ' +
        'each in its own process group, from named templates in a local file (work names a template by its rootfs, template:<name> or ' +
        "preloaded:<name>; never a command). A crashed instance is reported, not restarted: the auctioneer decides. A cell started again " +
        'with the same --work-dir first stops what its killed previous life left running. ' +
        'Listens on loopback unless told otherwise; elsewhere every request needs the shared token. See docs/real-cluster.md.',
    )
    .requiredOption('--id <id>', 'cell id')
    .option('--zone <zone>', 'availability zone', 'z1')
    .option('--memory <MB>', 'memory to offer (MB)', wholeNumber(1), 4096)
    .option('--disk <MB>', 'disk to offer (MB)', wholeNumber(0), 8192)
    .option('--containers <n>', 'processes to run at most', wholeNumber(1), 50)
    .option('--listen <host:port>', 'where to listen', '127.0.0.1:1801')
    .option('--templates <file>', 'YAML/JSON file of process templates, {command, args, env, healthCheck} each (default: sleeper and noop, both run node, unchecked)')
    .option('--token-file <file>', 'read the shared token from the first line of <file> (not visible in `ps`)')
    .option('--token <token>', 'shared token every request must carry (default: $AUCTIONLAB_TOKEN); required off loopback')
    .option('--logs <dir>', 'write each process\'s output to <dir>/<guid>.log (a hashed name for guids that are not plain)')
    .option('--url <url>', 'the URL other machines reach this cell at (default: from --listen)')
    .option('--index <n>', "Diego's cell_index, reported in /state", wholeNumber(0), 0)
    .option('--work-dir <dir>', 'where the cell keeps PID files of its work, to stop what a killed cell left running when it starts again (default: <tmpdir>/auctionlab-cell-<id>)')
    .option('--run-as <user>', 'run workloads as this user (a name, or <uid>[:<gid>]); the cell must run as root. Without it workloads run as the cell\'s user and can read its environment and files through /proc')
    .option('--pass-env <names>', 'comma-separated environment variables workloads inherit (besides PATH, HOME, LANG, LC_ALL, LC_CTYPE, TZ, TMPDIR); never the token')
    .action(async (flags: CellFlags) => {
      if (!CELL_ID.test(flags.id)) throw new CliError([`--id: expected letters, digits, ".", "_" or "-" (up to 128, starting with a letter or digit), got ${JSON.stringify(flags.id)}`]);
      const passEnv = (flags.passEnv ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      for (const n of passEnv) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) throw new CliError([`--pass-env: expected environment variable names separated by commas, got ${JSON.stringify(n)}`]);
        if (n === 'AUCTIONLAB_TOKEN') throw new CliError(['--pass-env: AUCTIONLAB_TOKEN is the shared secret and never passed to workloads']);
      }
      const { host, port, token } = listenAndToken(flags.listen, flags);
      const runAs = flags.runAs === undefined ? null : runAsFlag(flags.runAs);
      const templates = loadTemplates(flags.templates);
      const log = logger(`cell ${flags.id}`);
      const workDir = flags.workDir ?? defaultWorkDir(flags.id);
      const lock = lockWorkDir(workDir, flags.id);
      if (typeof lock === 'string') throw new CliError([`--work-dir: ${lock}`]);
      // Diego's executor destroys every container it finds at start; so does this cell with what a
      // killed life of it left running (never adopted: the auctioneer knows it as gone).
      const left = reapLeftovers(workDir);
      if (left.length > 0) log(`stopped ${left.filter((l) => l.killed).length} of ${left.length} processes its previous life left (${left.map((l) => `${l.guid.slice(0, 40)}:${l.pid}${l.killed ? '' : ' (gone or not ours)'}`).join(', ')})`);
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
        index: flags.index,
        workDir,
        inheritEnv: passEnv,
        runAs,
      });
      log(`templates: ${[...templates.keys()].join(', ')}; work dir ${workDir}; workloads run as ${runAs ? `uid ${runAs.uid}, gid ${runAs.gid}` : "the cell's own user (they can read its environment: see --run-as)"}; boot ${cell.bootId}`);
      await serveUntilSignal(cell.server(token), host, port, `cell ${flags.id}`, token, {
        onStop: async () => {
          await cell.shutdown();
          lock.release();
        },
      });
    });
}
