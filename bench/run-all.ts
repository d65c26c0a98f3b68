// npm run bench: runs every benchmark in bench/ (one script per question) and prints its figures.
// Each script also runs alone: npx tsx bench/<name>.ts. Two only run alone, for their length:
// bench/sim-sweep.ts (cost growth from 1,250 to 12,500 cells) and bench/sim-x10.ts (diego-x10, about
// half an hour on a 2-core machine).
import { arch, cpus, totalmem } from 'node:os';
import { run as auctioneerPost } from './auctioneer-post.js';
import { run as journalWrite } from './journal-write.js';
import { run as kernelHold } from './kernel-hold.js';
import { run as openbCompare } from './openb-compare.js';
import { run as placement } from './placement.js';
import { run as reportMap } from './report-map.js';
import { run as simStress } from './sim-stress.js';

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`# auctionlab benchmarks — node ${process.version}, ${arch()}, ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
console.log('');
placement();
console.log('');
kernelHold();
console.log('');
reportMap();
console.log('');
simStress();
console.log('');
journalWrite();
console.log('');
await auctioneerPost();
console.log('');
openbCompare();
