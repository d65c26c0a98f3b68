import { Command, CommanderError } from 'commander';
import { CliError, EXIT_BAD_INPUT, EXIT_RUN_FAILED } from './cli-error.js';
import { StrategyError } from '../io/strategy-error.js';
import { registerAuctioneer } from './commands/auctioneer.js';
import { registerCell } from './commands/cell.js';
import { registerCheck } from './commands/check.js';
import { registerCompare } from './commands/compare.js';
import { registerDiff } from './commands/diff.js';
import { registerImport } from './commands/import.js';
import { registerLog } from './commands/log.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerSchedule } from './commands/schedule.js';
import { registerSchema } from './commands/schema.js';
import { registerStrategies } from './commands/strategies.js';
import { packageVersion } from '../io/version.js';

/** Builds the `auctionlab` command line (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('auctionlab');
  program
    .description("A deterministic research engine for cluster auctions, modelled on Cloud Foundry Diego's batch auction.")
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureHelp({ sortSubcommands: true });
  registerSchedule(program);
  registerRun(program);
  registerStrategies(program);
  registerSchema(program);
  registerCompare(program);
  registerDiff(program);
  registerImport(program);
  registerLog(program);
  registerCheck(program);
  registerReport(program);
  registerCell(program);
  registerAuctioneer(program);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError('(add --help for usage)');
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    // A command may have set a failing exit code (a broken expectation) without throwing.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Asked-for help and version exit 0; commander has already printed its message for the rest
      // (including the help it shows when no command is given, a usage error).
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      // `auctionlab help <command>` asked for help (exit 0); the help shown when no command is given is a usage error.
      if (e.code === 'commander.help' && e.exitCode === 0) return 0;
      return EXIT_BAD_INPUT;
    }
    if (e instanceof CliError) {
      for (const line of e.lines) process.stderr.write(`${line}\n`);
      return e.exitCode;
    }
    // A user's strategy failed while it ran (in this thread, or in a compare worker, whose error
    // comes back as its message): the run failed, and the line says where.
    if (e instanceof StrategyError || (e instanceof Error && /^strategy \S+ (threw|sent a malformed message|yielded [0-9,]+ empty outboxes)/.test(e.message))) {
      process.stderr.write(`${(e as Error).message}\n`);
      return EXIT_RUN_FAILED;
    }
    const err = e as Error;
    process.stderr.write(`auctionlab: internal error: ${err.message}\n`);
    if (process.env['AUCTIONLAB_DEBUG']) process.stderr.write(`${err.stack ?? ''}\n`);
    return 70;
  }
}
