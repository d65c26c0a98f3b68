// Question: does the report's placement map stay fast at Diego's scale target (1,000 cells,
// 250,000 instances), and what does drawing into one pixel buffer buy over the obvious canvas
// code (a fillRect per instance, its colour set each time)?
//
// Run: npx tsx bench/report-map.ts
import { createCanvas } from '@napi-rs/canvas';
import { appColour, drawMap, layoutMap } from '../src/report/client/report-client.js';
import { bigPlacement } from '../test/support/big-placement.js';
import { bestOf, fmtMs } from './timing.js';

type Ctx = Parameters<typeof drawMap>[0];

/** The baseline: each instance a filled rectangle of its share of the box's rows. */
function naive(ctx: Ctx, p: ReturnType<typeof bigPlacement>, layout: ReturnType<typeof layoutMap>): number {
  const s = layout.size;
  for (let k = 0; k < layout.order.length; k++) {
    const x = layout.boxes[4 * k]!;
    const y = layout.boxes[4 * k + 1]!;
    const cell = p.cells[layout.boxes[4 * k + 3]!]!;
    ctx.fillStyle = '#e8e8e8';
    ctx.fillRect(x, y, s, s);
    let acc = 0;
    for (const a of cell.lrps) {
      const h = (p.apps[a]!.memoryMB / cell.memoryMB) * s;
      ctx.fillStyle = appColour(a);
      ctx.fillRect(x, y + s - acc - h, s, h);
      acc += h;
    }
  }
  return layout.order.length;
}

/** Runs the benchmark and returns its lines. */
export function run(): string[] {
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  const p = bigPlacement();
  const instances = p.cells.reduce((n, c) => n + c.lrps.length, 0);
  const layout = layoutMap(p, 1240, 560);
  const canvas = createCanvas(layout.width, Math.ceil(layout.height));
  const ctx = canvas.getContext('2d') as unknown as Ctx;
  say(`## report-map — placement map of ${p.cells.length} cells, ${instances.toLocaleString('en')} instances, ${layout.width}x${Math.ceil(layout.height)} px (@napi-rs/canvas)`);
  const ours = bestOf(3, () => drawMap(ctx, p, layout));
  const base = bestOf(3, () => naive(ctx, p, layout));
  say(`pixel buffer (the report's drawMap): ${fmtMs(ours.ms)} best of 3, ${ours.value} cells drawn`);
  say(`baseline, a fillRect per instance: ${fmtMs(base.ms)}: ratio ${(base.ms / ours.ms).toFixed(1)}x`);
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) run();
