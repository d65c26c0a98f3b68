// PNG output: the report's charts drawn by Chart.js and its placement maps drawn by the shared
// client code, on @napi-rs/canvas. Both are imported only here and only when PNGs are asked for,
// so library users and HTML-only reports never load a native module.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportModel } from './build.js';

/** Raised when PNG output cannot be made (the optional canvas package is missing). */
export class PngUnavailableError extends Error {}

/** The subset of @napi-rs/canvas this module uses. */
interface CanvasModule {
  createCanvas(width: number, height: number): { getContext(kind: '2d'): unknown; toBuffer(mime: 'image/png'): Buffer };
}

async function loadCanvas(): Promise<CanvasModule> {
  try {
    // A variable specifier keeps bundlers and the type checker from requiring the optional package.
    const name = '@napi-rs/canvas';
    return (await import(name)) as CanvasModule;
  } catch (e) {
    throw new PngUnavailableError(
      `--png needs the optional package @napi-rs/canvas, which is not installed here (${(e as Error).message.split('\n')[0]}). ` +
        'Install it with `npm install @napi-rs/canvas` (its binary ships inside the npm package) and run again.',
    );
  }
}

/** The 2D context calls the map's frame uses (a subset of both canvases'). */
interface PngContext {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  font: string;
  textBaseline: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  drawImage(image: unknown, x: number, y: number): void;
}

/** Chart size in PNG files (pixels). */
export const PNG_CHART_SIZE = { width: 1000, height: 500 };

/**
 * Draws every chart and placement map of a report into `dir` as PNG files named by their ids.
 * Returns the files written.
 */
export async function writePngs(m: ReportModel, dir: string): Promise<string[]> {
  const canvas = await loadCanvas();
  const { Chart, registerables } = await import('chart.js');
  const client = await import('./client/report-client.js');
  Chart.register(...registerables, client.faultMarkersPlugin, client.errorBarsPlugin, client.whiteBackgroundPlugin);
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const section of m.sections) {
    for (const spec of section.charts) {
      // Nothing to draw: the HTML says so in a line; no file.
      if (spec.empty !== undefined) continue;
      const c = canvas.createCanvas(PNG_CHART_SIZE.width, PNG_CHART_SIZE.height);
      const options = { ...spec.config.options, responsive: false, animation: false, devicePixelRatio: 1, plugins: { ...(spec.config.options.plugins as object), title: { display: true, text: spec.title } } };
      // Chart.js takes the canvas's context; in Node it uses its basic platform (no DOM, no resize).
      const chart = new Chart(c.getContext('2d') as never, { ...spec.config, options } as never);
      const file = join(dir, `${spec.id}.png`);
      writeFileSync(file, c.toBuffer('image/png'));
      chart.destroy();
      out.push(file);
    }
  }
  for (const map of m.maps) {
    const layout = client.layoutMap(map.placement, 1200, m.maps.length > 1 ? 400 : 700);
    // The map between a title (its name: the run's strategy or the comparison's point) and a
    // legend, so the file reads on its own.
    const plain = canvas.createCanvas(layout.width, Math.ceil(layout.height));
    client.drawMap(plain.getContext('2d') as never, map.placement, layout);
    const top = 34;
    const bottom = 30;
    const c = canvas.createCanvas(layout.width, Math.ceil(layout.height) + top + bottom);
    const ctx = c.getContext('2d') as unknown as PngContext;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, layout.width, Math.ceil(layout.height) + top + bottom);
    ctx.fillStyle = '#1d1d1d';
    ctx.font = 'bold 16px sans-serif';
    ctx.textBaseline = 'top';
    const instances = map.placement.cells.reduce((n, cell) => n + cell.lrps.length, 0);
    ctx.fillText(`${map.title} (${map.placement.cells.length} cells, ${instances} instances)`, 0, 8);
    ctx.drawImage(plain, 0, top);
    let x = 0;
    const y = top + Math.ceil(layout.height) + 10;
    ctx.font = '12px sans-serif';
    // The same legend as the page's, for the colouring the map starts with.
    for (const { label, colour, frame } of client.legendEntries(map.placement)) {
      ctx.fillStyle = frame ? '#ffffff' : colour;
      ctx.fillRect(x, y, 12, 12);
      if (frame) {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 2;
        ctx.strokeRect(x + 1, y + 1, 10, 10);
      }
      ctx.fillStyle = '#333333';
      ctx.fillText(label, x + 16, y);
      x += 16 + ctx.measureText(label).width + 14;
    }
    const file = join(dir, `${map.id}.png`);
    writeFileSync(file, c.toBuffer('image/png'));
    out.push(file);
  }
  return out;
}
