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
    const c = canvas.createCanvas(layout.width, Math.ceil(layout.height));
    client.drawMap(c.getContext('2d') as never, map.placement, layout);
    const file = join(dir, `${map.id}.png`);
    writeFileSync(file, c.toBuffer('image/png'));
    out.push(file);
  }
  return out;
}
