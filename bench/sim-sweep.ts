// Question: how does the simulator's cost grow with the cluster? diego-stress-250k scaled from its
// 1,250 cells to 12,500 (the cells and every app group's count times the factor, the drills' shares
// as they are), each run for the same simulated time in a child process of its own (Node's default
// heap): wall time per simulated hour and peak RSS per desired instance. #24 asks that the cost per
// instance grow by at most 1.5x from 1,250 to 12,500 cells.
//
// With the service-time model (the default), Diego's modelled auctioneer falls behind as the cluster
// grows (each auction's scheduling time grows with the instances placed), so the larger runs place
// less of their work; `none` as third argument runs the model-free engine (`serviceTime: none`),
// where every size places everything and the cost per instance compares like for like.
//
// Run: npx tsx bench/sim-sweep.ts [simulated-minutes] [factors] [none]   (defaults 60, 1,2,5,10 and the model; after `npm run build`)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

interface Measured {
  wallMs: number;
  maxRssMiB: number;
  desired: number;
  running: number;
  events: number;
}

/** diego-stress-250k with its cells and app groups `factor` times as many, as YAML. */
export function scaled(factor: number, serviceTime: 'model' | 'none' = 'model'): string {
  const doc = parse(readFileSync('scenarios/diego-stress-250k.yaml', 'utf8')) as { description: string; cells: { count: number }[]; apps: { count: number }[]; serviceTime?: string };
  if (serviceTime === 'none') doc.serviceTime = 'none';
  for (const c of doc.cells) c.count *= factor;
  for (const a of doc.apps) a.count *= factor;
  doc.description = `diego-stress-250k times ${factor}`;
  return stringify(doc);
}

function child(minutes: number, file: string): Measured {
  const script = fileURLToPath(new URL('./sim-stress-child.mjs', import.meta.url));
  const out = spawnSync(process.execPath, [script, String(minutes), file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = out.stdout.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !line.startsWith('{')) throw new Error(`sim-stress child failed (${out.status}): ${out.stderr.slice(-2000)}`);
  return JSON.parse(line) as Measured;
}

/** Runs the sweep and prints a line per size, then the growth of the cost per instance. */
export function run(minutes = 60, factors: readonly number[] = [1, 2, 5, 10], serviceTime: 'model' | 'none' = 'model'): void {
  const dir = mkdtempSync(join(tmpdir(), 'auctionlab-sweep-'));
  try {
    console.log(`## sim-sweep: diego-stress-250k scaled, ${minutes} simulated minutes each, Node's default heap, ${serviceTime === 'none' ? 'serviceTime: none' : 'the service-time model'}`);
    const rows: { factor: number; m: Measured }[] = [];
    for (const factor of factors) {
      const file = join(dir, `x${factor}.yaml`);
      writeFileSync(file, scaled(factor, serviceTime));
      const m = child(minutes, file);
      rows.push({ factor, m });
      const perHour = (m.wallMs / 1000) * (60 / minutes);
      console.log(
        `x${factor}: ${(1250 * factor).toLocaleString('en')} cells, ${m.desired.toLocaleString('en')} desired (${m.running.toLocaleString('en')} running at the end): ` +
          `${(m.wallMs / 1000).toFixed(1)} s wall (${perHour.toFixed(1)} s per simulated hour), peak RSS ${Math.round(m.maxRssMiB).toLocaleString('en')} MiB, ` +
          `${Math.round((m.maxRssMiB * 2 ** 20) / Math.max(1, m.desired)).toLocaleString('en')} bytes and ${((m.wallMs * 1000) / Math.max(1, m.desired)).toFixed(1)} µs of wall per desired instance`,
      );
    }
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (first && last && last !== first) {
      const per = (r: { m: Measured }) => r.m.wallMs / Math.max(1, r.m.desired);
      const bytes = (r: { m: Measured }) => r.m.maxRssMiB / Math.max(1, r.m.desired);
      console.log(`growth per instance from x${first.factor} to x${last.factor}: wall ${(per(last) / per(first)).toFixed(2)}x, peak RSS ${(bytes(last) / bytes(first)).toFixed(2)}x (target: within 1.5x)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) run(Number(process.argv[2] ?? 60), (process.argv[3] ?? '1,2,5,10').split(',').map(Number), process.argv[4] === 'none' ? 'none' : 'model');
