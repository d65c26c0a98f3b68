#!/usr/bin/env node
// The `auctionlab` executable: everything lives in program.ts so tests can run the CLI in-process.
import { quietOnClosedPipe } from './closed-pipe.js';
import { main } from './program.js';

quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);
process.exitCode = await main(process.argv.slice(2));
