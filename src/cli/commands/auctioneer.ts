import type { Command } from 'commander';
import { resolveSettings } from '../../core/settings.js';
import { InputError } from '../../core/json/problems.js';
import { BBSStore } from '../../real/bbs-store.js';
import { lockFile } from '../../real/pid-lock.js';
import { RealAuctioneer } from '../../real/auctioneer.js';
import { CliError } from '../cli-error.js';
import { collectSetting } from '../options.js';
import { strategyFrom } from '../strategy-option.js';
import { durationFlag, listenAndToken, logger, serveUntilSignal } from './serve-common.js';

interface AuctioneerFlags {
  cells: string;
  listen: string;
  state?: string;
  strategy: string;
  set?: Record<string, number>;
  token?: string;
  tokenFile?: string;
  taskRetention: string;
  convergeEvery: string;
  pollEvery: string;
  presenceTtl: string;
}

/** Registers `auctionlab auctioneer`. */
export function registerAuctioneer(program: Command): void {
  program
    .command('auctioneer')
    .summary('run a real auctioneer over real cells (auction, convergence, journal)')
    .description(
      "Run a real auctioneer: Diego's auctioneer API (POST /v1/lrps, POST /v1/tasks) and a desired-state API " +
        '(PUT /v1/apps/:name, POST /v1/apps/:name/scale, DELETE /v1/apps/:name, POST /v1/task_submissions, GET /v1/actual). ' +
        "It batches like Diego, drives any strategy over HTTP with Diego's 10 s timeouts, polls the cells' state and runs the core's " +
        'convergence rules on it (missing, extra, duplicate and crashed instances with the crash backoff, evacuation, tasks at most once). ' +
        'Its BBS state is journalled to --state (appended and fsynced before every 2xx) so a restart loses nothing acknowledged. See docs/real-cluster.md.',
    )
    .requiredOption('--cells <urls>', 'comma-separated base URLs of the cells (e.g. http://127.0.0.1:1801,http://127.0.0.1:1802)')
    .option('--listen <host:port>', 'where to listen', '127.0.0.1:9016')
    .option('--state <file>', 'journal of the BBS state (desired apps, tasks, crashes); without it a restart forgets everything')
    .option('--strategy <name>', 'auction strategy (any of `auctionlab strategies`, or a module path)', 'diego')
    .option('--set <name=value>', 'a strategy setting, repeatable', collectSetting)
    .option('--token-file <file>', 'read the shared token from the first line of <file> (not visible in `ps`)')
    .option('--token <token>', 'shared token for the API and for calls to the cells (default: $AUCTIONLAB_TOKEN); required off loopback')
    .option('--converge-every <time>', 'time between convergence passes (Diego: 30s)', '30s')
    .option('--poll-every <time>', "time between polls of the cells' state", '2s')
    .option('--presence-ttl <time>', 'a cell silent this long is gone (its instances are auctioned elsewhere)', '10s')
    .option('--task-retention <time>', "how long a completed task is kept before it is deleted and its guid may be used again (Diego's ExpireCompletedTaskDuration: 2m)", '2m')
    .action(async (flags: AuctioneerFlags) => {
      const { host, port, token } = listenAndToken(flags.listen, flags);
      const cells = flags.cells.split(',').map((s) => s.trim()).filter((s) => s !== '');
      for (const c of cells) {
        try {
          const u = new URL(c);
          if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
        } catch {
          throw new CliError([`--cells: expected http:// URLs separated by commas, got ${JSON.stringify(c)}`]);
        }
      }
      if (cells.length === 0) throw new CliError(['--cells: expected at least one cell URL']);
      const strategy = await strategyFrom(flags.strategy);
      let settings;
      try {
        settings = resolveSettings(strategy, flags.set ?? {});
      } catch (e) {
        if (e instanceof InputError) throw new CliError(e.problems.map((p) => `--set ${p.path}: ${p.message}`));
        throw e;
      }
      // Every flag is checked before the journal is locked and opened.
      const timing = {
        convergeEveryMs: durationFlag('--converge-every', flags.convergeEvery),
        pollEveryMs: durationFlag('--poll-every', flags.pollEvery),
        presenceTtlMs: durationFlag('--presence-ttl', flags.presenceTtl),
        taskRetentionMs: durationFlag('--task-retention', flags.taskRetention),
      };
      // One auctioneer per journal: a second one on the same state (say, one whose --listen failed)
      // would collect results and stop instances behind the first one's back.
      const lock = flags.state === undefined ? null : lockFile(`${flags.state}.lock`, { role: 'auctioneer' }, (pid) => `another auctioneer runs with this state (pid ${pid}); stop it or pass another --state`);
      if (typeof lock === 'string') throw new CliError([`--state ${flags.state}: ${lock}`]);
      let store: BBSStore;
      try {
        store = BBSStore.open(flags.state ?? null, { log: logger('auctioneer') });
      } catch (e) {
        lock?.release();
        throw new CliError([`--state ${(e as Error).message}`]);
      }
      const log = logger('auctioneer');
      const a = new RealAuctioneer({
        cells,
        strategy,
        settings,
        store,
        token,
        ...timing,
        log,
      });
      const s = store;
      log(`strategy ${strategy.name}; ${cells.length} cells; state: ${flags.state ?? '(memory only)'} with ${s.desired.size} apps and ${s.tasks.size} tasks`);
      await serveUntilSignal(a.server(), host, port, 'auctioneer', token, {
        onListening: () => a.start(),
        onStop: async () => {
          await a.stop();
          lock?.release();
        },
      });
    });
}
