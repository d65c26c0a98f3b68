import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Argument, type Command } from 'commander';
import { CliError } from '../cli-error.js';
import { SCHEMA_NAMES, schemaDir, schemaText, type SchemaName } from '../../io/schema-files.js';

/** Registers `auctionlab schema`. */
export function registerSchema(program: Command): void {
  program
    .command('schema')
    .summary('print the JSON Schema of scenario files or of results.json')
    .description(
      'Print a JSON Schema (draft-07): `scenario` for scenario files (editors complete and check them with it: ' +
        'the bundled scenarios start with a `# yaml-language-server: $schema=...` line), `results` for the results.json ' +
        'that `run --out`, `compare --out` and `merge` write. The same files are in the package\'s schemas/ folder.',
    )
    .addArgument(new Argument('<name>', 'which schema').choices(SCHEMA_NAMES))
    .option('--path', "print the schema file's path instead of its text")
    .action((name: SchemaName, flags: { path?: boolean }) => {
      const file = join(schemaDir(), `${name}.schema.json`);
      // (An installation without its schemas/ folder is damaged: say where it looked.)
      if (!existsSync(file)) throw new CliError([`auctionlab schema: cannot find ${name}.schema.json (looked in ${schemaDir()}); reinstall auctionlab`]);
      process.stdout.write(flags.path ? `${file}\n` : schemaText(name));
    });
}
