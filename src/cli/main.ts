#!/usr/bin/env -S node --max-semi-space-size=32
// The `auctionlab` executable: everything lives in program.ts so tests can run the CLI in-process.
// Node starts with a young generation of up to 32 MiB a half (V8's default is 16): a big run makes
// millions of short-lived objects, and with the default too many of them outlive two scavenges and
// are copied into the old generation, which grows and is compacted more often (the 250k hour:
// about 8% less wall time and 870-900 MiB of peak RSS instead of 940-1,070, bench/RESULTS.md).
// bench/sim-child.ts reads the flags from this line, so the benchmarks run as the command does.
import { quietOnClosedPipe } from './closed-pipe.js';
import { main } from './program.js';

quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);
process.exitCode = await main(process.argv.slice(2));
