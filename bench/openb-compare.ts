// Question: how long does the bundled alibaba-openb comparison take (the Alibaba OpenB trace's 8,152
// pods on its 1,523 machines, six strategies)? Target: under a minute of wall time on this machine.
//
// Run: npx tsx bench/openb-compare.ts [runs] [seeds]   (defaults 3 and 3; `npm run build` first)
//
// It times, through the built CLI as a user runs it, `compare alibaba-openb` of diego, kubernetes,
// nomad, best-fit, worst-fit and first-fit (worker threads: one per core), and as the baseline
// measured in the same run one `run alibaba-openb --no-safety` of diego alone; and the import that
// makes the scenario from the trace's files (when ../shared/traces is there).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STRATEGIES = 'diego,kubernetes,nomad,best-fit,worst-fit,first-fit';
const TRACE = '../shared/traces/alibaba-openb-2023';

function timed(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`auctionlab ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs the benchmark, prints its lines and returns them. */
export function run(runs = 3, seeds = 3): string[] {
  if (!existsSync('dist/src/cli/main.js')) throw new Error('bench/openb-compare runs the built CLI: run `npm run build` first');
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  say(`## openb-compare: compare alibaba-openb, 6 strategies x ${seeds} seeds (target: under 60 s wall), median of ${runs}`);
  const out = mkdtempSync(join(tmpdir(), 'openb-bench-'));
  const one: number[] = [];
  const cmp: number[] = [];
  for (let i = 0; i < runs; i++) {
    one.push(timed(['run', 'alibaba-openb', '--no-safety', '--json']));
    cmp.push(timed(['compare', 'alibaba-openb', '--strategies', STRATEGIES, '--seeds', String(seeds), '--out', join(out, `c${i}`)]));
  }
  say(`baseline: one run of diego (no safety checks): ${s(median(one))}`);
  say(`compare: ${s(median(cmp))} (${(median(cmp) / median(one)).toFixed(2)}x one run; all: ${cmp.map(s).join(', ')})`);
  if (existsSync(TRACE)) {
    const imp = timed(['import', 'openb', `${TRACE}/openb_node_list_all_node.csv`, `${TRACE}/openb_pod_list_default.csv`, '--time-scale', '0.0002', '--no-departures', '-o', join(out, 'openb.yaml')]);
    say(`import openb of the full trace: ${s(imp)}`);
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) run(Number(process.argv[2] ?? 3), Number(process.argv[3] ?? 3));
