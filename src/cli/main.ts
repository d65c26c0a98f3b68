#!/usr/bin/env node
// The `auctionlab` executable: everything lives in program.ts so tests can run the CLI in-process.
import { main } from './program.js';

process.exitCode = await main(process.argv.slice(2));
