// Opens generated HTML reports in headless Chromium (Debian's, driven by playwright-core) and checks
// what a reader would see: no console errors, no network request, every chart drawn, the placement
// map showing every cell, a layout that fits a phone. Run by `npm run test:browser` (and .ci/run).
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGrid, runSpecs } from '../../src/compare/grid.js';
import { assemble } from '../../src/compare/results.js';
import { runOne } from '../../src/compare/run-compare.js';
import type { Strategy } from '../../src/core/strategy.js';
import { findStrategy } from '../../src/index.js';
import { loadScenarioFile, simulate } from '../../src/sim.js';
import { writeReport } from '../../src/report/write.js';
import { renderHtml } from '../../src/report/html.js';
import { diffReport } from '../../src/report/diff-report.js';
import { diffResults, diffSide } from '../../src/compare/diff.js';
import { bigPlacement, bigTimeline } from '../support/big-placement.js';

// The page's globals as far as these checks use them (the project does not load the DOM types).
interface PageCanvas {
  id: string;
  width: number;
  height: number;
  parentElement: { id: string } | null;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
declare const document: {
  querySelectorAll(selector: 'canvas'): Iterable<PageCanvas>;
  getElementById(id: string): { textContent: string | null; dataset: Record<string, string | undefined> } | null;
  documentElement: { scrollWidth: number };
};

// What the report embeds for its map, as far as the click-through checks read it.
interface EmbeddedMap {
  placement: { cells: { id: string; lrps: number[] }[] };
  reasons: { instances: Record<string, { atMs: number; why: { placedOn: string; runnerUp?: { cell: string } } }> } | null;
}
const embeddedMap = (page: Page): Promise<EmbeddedMap> => page.evaluate(() => (JSON.parse(document.getElementById('report-data')!.textContent!) as { maps: EmbeddedMap[] }).maps[0]!);

const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
const OUT = resolve('reports/browser');
let browser: Browser;

interface Seen {
  errors: string[];
  requests: string[];
  timings: Record<string, number>;
}

async function open(page: Page, file: string): Promise<Seen> {
  const seen: Seen = { errors: [], requests: [], timings: {} };
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') seen.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) seen.requests.push(r.url());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  seen.timings = JSON.parse((await page.getAttribute('body', 'data-timings')) ?? '{}');
  return seen;
}

/** Per canvas: its id (or the map's), and how many distinct colours a sample of its pixels has. */
function canvasColours(page: Page): Promise<{ id: string; colours: number; width: number }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('canvas')].map((c) => {
      const ctx = c.getContext('2d')!;
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < px.length && seen.size < 10; i += 4 * 13) seen.add((px[i + 3]! << 24) | (px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
      return { id: c.id || (c.parentElement?.id ?? ''), colours: seen.size, width: c.width };
    }),
  );
}

/** Moves a range input (a timeline's slider) to `value`, as dragging it does: its value, then an input event. */
function slide(page: Page, selector: string, value: number): Promise<void> {
  return page.evaluate(
    ([sel, v]) => {
      const input = (document as unknown as { querySelector(s: string): { value: string; dispatchEvent(e: unknown): void } }).querySelector(sel as string);
      input.value = String(v);
      input.dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('input'));
    },
    [selector, value] as const,
  );
}

/** Each map's id, how many cells it drew, and how many cells the embedded data has. */
function mapCounts(page: Page): Promise<{ id: string; drawn: number; cells: number }[]> {
  return page.evaluate(() => {
    // A map with a timeline is embedded as its timeline (its placement is the last frame).
    const data = JSON.parse(document.getElementById('report-data')!.textContent!) as { maps: { id: string; placement: { cells: unknown[] } | null; timeline: { cells: unknown[] } | null }[] };
    return data.maps.map((m) => ({ id: m.id, drawn: Number(document.getElementById(m.id)!.dataset['cellsDrawn']), cells: (m.placement ?? m.timeline!).cells.length }));
  });
}

const files: Record<'run' | 'compare' | 'big' | 'explained' | 'timeline' | 'bigTimeline' | 'old' | 'diff' | 'stress', string> = { run: '', compare: '', big: '', explained: '', timeline: '', bigTimeline: '', old: '', diff: '', stress: '' };

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set CHROMIUM to a Chromium binary`);
  mkdirSync(OUT, { recursive: true });
  const scenario = loadScenarioFile('scenarios/default.yaml');
  const run = { ...simulate(scenario), version: 'test' };
  files.run = (await writeReport(run, join(OUT, 'run'))).html;
  const points = buildGrid(['diego', 'first-fit', 'worst-fit'], []);
  const runs = runSpecs(points.length, [1, 2]).map((s) => runOne(scenario, points[s.point]!, findStrategy(points[s.point]!.strategy) as Strategy, s, 300_000));
  files.compare = (await writeReport(assemble(scenario, 300_000, [1, 2], points, runs, null), join(OUT, 'compare'))).html;
  files.big = (await writeReport({ ...run, placement: bigPlacement() }, join(OUT, 'big'))).html;
  // zone-outage with its timeline, as `run --report` saves it: z1 partitioned at 3 min, healed at 8.
  const outage = simulate(loadScenarioFile('scenarios/zone-outage.yaml'), { timeline: true, explain: { placements: true } });
  files.timeline = (await writeReport({ ...outage, version: 'test' }, join(OUT, 'timeline'))).html;
  // 250,000 instances over 1,000 cells and 61 frames: a tenth of the cells die at frame 20 and
  // their instances move to the others, and instances start and run (as the 250k drill does).
  files.bigTimeline = (await writeReport({ ...run, placement: bigPlacement(), timeline: bigTimeline() }, join(OUT, 'big-timeline'))).html;
  // diego-stress-250k as `run diego-stress-250k --report` saves it: its hour, timeline and explanations.
  const stress = simulate(loadScenarioFile('scenarios/diego-stress-250k.yaml'), { timeline: true, explain: { placements: true } });
  files.stress = (await writeReport({ ...stress, version: 'test' }, join(OUT, 'stress'))).html;
  // The diff of zone-outage under diego and first-fit, as `diff a b --report` writes it.
  const other = { ...simulate(loadScenarioFile('scenarios/zone-outage.yaml'), { timeline: true, strategy: 'first-fit' }), version: 'test', kind: 'auctionlab-run' as const };
  const mine = { ...outage, version: 'test', kind: 'auctionlab-run' as const };
  mkdirSync(join(OUT, 'diff'), { recursive: true });
  files.diff = join(OUT, 'diff', 'report.html');
  writeFileSync(files.diff, renderHtml(diffReport(diffResults(diffSide(mine), diffSide(other)), { label: 'a.json', run: mine }, { label: 'b.json', run: other })));
  // Results saved before instances' states and indices were recorded.
  const old = { ...run, placement: { ...run.placement, cells: run.placement.cells.map(({ states: _s, indices: _i, ...c }) => c) } };
  files.old = (await writeReport(old as unknown as typeof run, join(OUT, 'old'))).html;
  // 1,000 cells with every placement explained, as `run --report` saves them.
  const thousand = simulate(loadScenarioFile('test/browser/fixtures/thousand-cells.yaml'), { explain: { placements: true } });
  files.explained = (await writeReport({ ...thousand, version: 'test' }, join(OUT, 'explained'))).html;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
}, 300_000);

/** Opens a big report at 1280 px, asserting (loosely) and printing its size and how soon it is ready. */
async function openBig(file: string, label: string, readyWithinMs: number): Promise<{ page: Page; seen: Seen }> {
  const bytes = statSync(file).size;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const t0 = Date.now();
  const seen = await open(page, file);
  const readyMs = Date.now() - t0;
  console.log(`${label}: ${(bytes / 1e6).toFixed(1)} MB, ready in ${readyMs} ms (${JSON.stringify(seen.timings)})`);
  expect(bytes).toBeLessThan(20e6);
  expect(readyMs).toBeLessThan(readyWithinMs);
  return { page, seen };
}

afterAll(async () => {
  await browser?.close();
});

describe('HTML report in headless Chromium', () => {
  for (const kind of ['run', 'compare'] as const) {
    it(`${kind} report: no console error, no request, every canvas drawn, every cell on the map`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const seen = await open(page, files[kind]);
      expect(seen.errors).toEqual([]);
      expect(seen.requests).toEqual([]);
      const canvases = await canvasColours(page);
      // A canvas per chart with something to draw and per map; the others are a line of text.
      const { charts, maps, said } = await page.evaluate(() => {
        const data = JSON.parse(document.getElementById('report-data')!.textContent!) as { sections: { charts: unknown[] }[]; maps: unknown[] };
        return { charts: data.sections.reduce((n, s) => n + s.charts.length, 0), maps: data.maps.length, said: [...document.querySelectorAll('canvas')].length };
      });
      expect(canvases.length).toBe(charts + maps);
      expect(said).toBe(canvases.length);
      expect(charts).toBeGreaterThan(kind === 'run' ? 6 : 12);
      for (const c of canvases) expect(c.colours, `canvas ${c.id} is blank`).toBeGreaterThanOrEqual(3);
      for (const m of await mapCounts(page)) expect(m.drawn, m.id).toBe(m.cells);
      await page.screenshot({ path: join(OUT, `${kind}-desktop.png`), fullPage: true });
      await page.close();
    });
  }

  it('colour by size, zone or state, with the legend; one app highlighted on every map', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = await open(page, files.compare);
    // The default scenario has more than forty apps: the maps start by size.
    expect(await page.getAttribute('#placement-0', 'data-colour-by')).toBe('size');
    expect(await page.locator('#map-legend').innerText()).toMatch(/instances up to 256 MB/);
    await page.selectOption('#colour-by', 'zone');
    expect(await page.getAttribute('#placement-0', 'data-colour-by')).toBe('zone');
    expect(await page.locator('#map-legend').innerText()).toMatch(/instances in z1.*instances in z2/s);
    await page.selectOption('#colour-by', 'state');
    expect(await page.locator('#map-legend').innerText()).toMatch(/running.*starting/s);
    // A highlighted app: every map marks it, and the note says where it is on each.
    // The first app the highlight box suggests.
    const guid = (await page.locator('#app-guids option').first().getAttribute('value'))!;
    await page.fill('#highlight-app', guid);
    for (const id of ['placement-0', 'placement-1']) expect(await page.getAttribute(`#${id}`, 'data-highlight')).toBe(guid);
    expect(await page.locator('#highlight-note').innerText()).toMatch(new RegExp(`^${guid}: .*\\d+ instances? on \\d+ cells?`));
    expect(await page.locator('#map-legend').innerText()).toContain(guid);
    // A name no map has changes nothing; clearing the box clears the highlight.
    await page.fill('#highlight-app', 'no-such-app');
    expect(await page.getAttribute('#placement-0', 'data-highlight')).toBe(guid);
    await page.fill('#highlight-app', '');
    expect(await page.getAttribute('#placement-0', 'data-highlight')).toBe('');
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it('older results: no colour by state (not recorded), instances counted, no error', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = await open(page, files.old);
    expect(await page.locator('#colour-by option[value=state]').isDisabled()).toBe(true);
    await page.locator('#placement canvas').click({ position: { x: 30, y: 30 } });
    expect(await page.locator('#placement-panel').innerText()).toMatch(/× \d+/);
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it('the comparison tables fit 1280 px: no box scrolls sideways', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await open(page, files.compare);
    const boxes = await page.evaluate(() => [...(document as unknown as { querySelectorAll(s: string): Iterable<{ scrollWidth: number; clientWidth: number }> }).querySelectorAll('.scroll')].map((b) => [b.scrollWidth, b.clientWidth]));
    expect(boxes.length).toBe(2); // the figures and the paired differences
    for (const [scroll, client] of boxes) expect(scroll).toBeLessThanOrEqual(client!);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.close();
  });

  it('fits a phone: nothing wider than the screen; each point of the tables a card of labelled figures', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const seen = await open(page, files.compare);
    expect(seen.errors).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The header row is hidden; every figure says its name beside it.
    expect(await page.locator('table.compare thead').first().isHidden()).toBe(true);
    const labels = await page.evaluate(() => {
      const w = globalThis as unknown as { getComputedStyle(e: unknown, pseudo: string): { content: string } };
      const cells = [...(document as unknown as { querySelectorAll(s: string): Iterable<unknown> }).querySelectorAll('table.compare tbody tr:first-child td')];
      return cells.map((td) => w.getComputedStyle(td, '::before').content);
    });
    expect(labels).toContain('"Distribution score"');
    expect(labels).toContain('"Wait for placement, p99 (ms)"');
    for (const m of await mapCounts(page)) expect(m.drawn, m.id).toBe(m.cells);
    await page.screenshot({ path: join(OUT, 'compare-phone.png') });
    await page.close();
  });

  it("the run report's facts fit a phone: each value has room beside its label (the longest label wraps)", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const seen = await open(page, files.run);
    expect(seen.errors).toEqual([]);
    const widths = await page.evaluate(() => {
      const doc = document as unknown as { querySelectorAll(s: string): Iterable<{ getBoundingClientRect(): { width: number } }> };
      return [...doc.querySelectorAll('dl.facts dd')].map((d) => d.getBoundingClientRect().width);
    });
    expect(widths.length).toBeGreaterThan(5);
    expect(Math.min(...widths)).toBeGreaterThan(390 * 0.4);
    await page.close();
  });

  it('click-through at 1,000 cells: a cell shows its instances, an instance why it is there, a failure reason its example', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = await open(page, files.explained);
    expect(seen.errors).toEqual([]);
    const map = await embeddedMap(page);
    expect(map.placement.cells.length).toBe(1000);
    // The first box of z1 is a cell's: its panel names it and lists its instances as buttons.
    await page.locator('#placement canvas').click({ position: { x: 5, y: 22 } });
    const panel = page.locator('#placement-panel');
    const cellId = (await panel.getAttribute('data-cell'))!;
    expect(await panel.innerText()).toMatch(new RegExp(`^${cellId} · z1 · live`));
    const buttons = panel.locator('button.inst');
    const onCell = map.placement.cells.find((c) => c.id === cellId)!;
    expect(await buttons.count()).toBe(onCell.lrps.length);
    expect(onCell.lrps.length).toBeGreaterThan(0);
    // Each instance's explanation is of the auction that put it on this cell.
    for (let k = 0; k < (await buttons.count()); k++) {
      const b = buttons.nth(k);
      const id = (await b.getAttribute('data-id'))!;
      await b.click();
      expect(await b.getAttribute('aria-pressed')).toBe('true');
      const why = await panel.locator('.why').innerText();
      const embedded = map.reasons!.instances[id]!;
      expect(embedded.why.placedOn).toBe(cellId);
      expect(why).toContain(`${id} → ${cellId}`);
      expect(why).toMatch(/Best cells \(lower score wins/);
      if (embedded.why.runnerUp) expect(why).toContain(embedded.why.runnerUp.cell);
      expect(why).toMatch(/won; runner-up|tied at|the only cell/);
    }
    // Another cell replaces the panel; the selection is outlined.
    await page.locator('#placement canvas').click({ position: { x: 40, y: 22 } });
    expect(await panel.getAttribute('data-cell')).not.toBe(cellId);
    expect(await page.locator('#placement .selected').isVisible()).toBe(true);
    // Failures by reason: a click on a bar opens its example, explained.
    const failures = page.locator('#failures');
    await failures.scrollIntoViewIfNeeded();
    const fbox = (await failures.boundingBox())!;
    await page.mouse.click(fbox.x + fbox.width * 0.7, fbox.y + fbox.height * 0.25);
    // (Chart.js handles a click on the next animation frame.)
    await page.waitForSelector('#failure-0[open]', { timeout: 5_000 });
    const first = page.locator('#failure-0');
    expect(await first.locator('.why').innerText()).toMatch(/huge\.\d failed: insufficient resources: memory[\s\S]*no room \(memory\): 1,000 cells/);
    await page.locator('#failure-1 summary').click();
    expect(await page.locator('#failure-1 .why').innerText()).toMatch(/tagged\.0 failed: found no compatible cell with placement tag "gpu"[\s\S]*turned away by the placement-tags filter: 1,000 cells/);
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    await page.screenshot({ path: join(OUT, 'explained-desktop.png'), fullPage: true });
    await page.close();
  });

  it('click-through on a phone: a tap opens the panel, nothing wider than the screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true });
    const seen = await open(page, files.explained);
    await page.locator('#placement canvas').tap({ position: { x: 3, y: 19 } });
    const panel = page.locator('#placement-panel');
    await panel.locator('button.inst').first().tap();
    expect(await panel.locator('.why').innerText()).toMatch(/→ cell-\d+/);
    expect(await page.locator('#tooltip').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(seen.errors).toEqual([]);
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, 'explained-phone.png') });
    await page.close();
  });

  it('timeline: the slider moves the map and the charts\' cursor; an event\'s mark jumps to it; play steps through', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = await open(page, files.timeline);
    const frames = Number(await page.getAttribute('#placement-timeline input[type=range]', 'max')) + 1;
    expect(frames).toBeGreaterThan(20);
    // It opens at the end of the run.
    expect(Number(await page.getAttribute('#placement', 'data-frame'))).toBe(frames - 1);
    // Read through a copy made for reading, so the page's own canvas is not read back again and again.
    const partitioned = () => page.evaluate(() => {
      const doc = document as unknown as { querySelector(s: string): PageCanvas; createElement(t: 'canvas'): PageCanvas & { getContext(k: '2d', o: unknown): { drawImage(c: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } } };
      const c = doc.querySelector('#placement canvas');
      const copy = doc.createElement('canvas');
      copy.width = c.width;
      copy.height = c.height;
      const ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(c, 0, 0);
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] === 0x8e && px[i + 1] === 0x44 && px[i + 2] === 0xad) n++;
      return n;
    });
    const cursor = (id: string) => page.evaluate((chartId) => (globalThis as unknown as { Chart: { getChart(id: string): { $timeCursor?: number } } }).Chart.getChart(chartId)!.$timeCursor, id);
    expect(await partitioned()).toBe(0);
    // The first event's mark: the frame just after z1 was cut off, its cells framed purple, every time chart's cursor there.
    await page.locator('#placement-timeline .mark').first().click();
    expect(await page.getAttribute('#placement', 'data-at-ms')).toBe('180000');
    expect(await partitioned()).toBeGreaterThan(0);
    for (const id of ['utilisation', 'instances', 'routes']) expect(await cursor(id)).toBe(3);
    // Dragging the slider to the start: nothing placed yet, the cursor at 0.
    await slide(page, '#placement-timeline input[type=range]', 0);
    expect(await page.getAttribute('#placement', 'data-frame')).toBe('0');
    expect(await cursor('utilisation')).toBe(0);
    expect(await page.locator('#placement-timeline .at').innerText()).toBe('0.0 s');
    // Play steps forward by itself; pause stops it.
    await page.locator('#placement-timeline .play').click();
    await page.waitForFunction(() => Number((document as unknown as { getElementById(id: string): { dataset: Record<string, string> } }).getElementById('placement').dataset['frame']) >= 2, undefined, { timeout: 5_000 });
    await page.locator('#placement-timeline .play').click();
    const stopped = await page.getAttribute('#placement', 'data-frame');
    await page.waitForTimeout(800);
    expect(await page.getAttribute('#placement', 'data-frame')).toBe(stopped);
    // The events' list jumps too, to the heal at 8 min.
    await page.locator('ol.events .jump').nth(1).click();
    expect(await page.getAttribute('#placement', 'data-at-ms')).toBe('480000');
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    await page.locator('#placement-timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, 'timeline-desktop.png') });
    await page.close();
  });

  it('comparison: one slider moves every point\'s map together, to the moment of an event', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = await open(page, files.compare);
    expect(await page.locator('.timeline').count()).toBe(1);
    const ids = ['placement-0', 'placement-1', 'placement-2'];
    // The default scenario kills cell-07 at 4 min: its first mark.
    await page.locator('#maps-timeline .mark').first().click();
    for (const id of ids) expect(await page.getAttribute(`#${id}`, 'data-at-ms'), id).toBe('240000');
    expect(await page.evaluate(() => (globalThis as unknown as { Chart: { getChart(id: string): { $timeCursor?: number } } }).Chart.getChart('compare-utilisation')!.$timeCursor)).toBe(4);
    await slide(page, '#maps-timeline input[type=range]', 0);
    for (const id of ids) expect(await page.getAttribute(`#${id}`, 'data-frame'), id).toBe('0');
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it('diff: two runs side by side, one slider, the cells that differ framed at every moment', async () => {
    for (const [width, height] of [[1280, 900], [390, 844]] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      const seen = await open(page, files.diff);
      expect(await page.locator('text=Figures, b against a').count()).toBe(1);
      const atEnd = Number(await page.getAttribute('#placement-a', 'data-differing'));
      expect(atEnd).toBeGreaterThan(0);
      expect(await page.getAttribute('#placement-b', 'data-differing')).toBe(String(atEnd));
      // At the start nothing is placed on either side: no cell differs.
      await slide(page, '#maps-timeline input[type=range]', 0);
      expect(await page.getAttribute('#placement-a', 'data-differing')).toBe('0');
      await page.locator('#maps-timeline .mark').first().click();
      for (const id of ['placement-a', 'placement-b']) expect(await page.getAttribute(`#${id}`, 'data-at-ms')).toBe('180000');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(seen.errors).toEqual([]);
      if (width === 1280) await page.screenshot({ path: join(OUT, 'diff-desktop.png'), fullPage: true });
      await page.close();
    }
  });

  it('diego-stress-250k: the report\'s size and ready time (asserted loosely, printed), a jump to the first kill', async () => {
    const { page, seen } = await openBig(files.stress, 'diego-stress-250k report', 10_000);
    await page.locator('#placement-timeline .mark').first().click();
    expect(await page.getAttribute('#placement', 'data-at-ms')).toBe('1800000');
    expect(await page.getAttribute('#placement', 'data-cells-drawn')).toBe('1250');
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    await page.close();
  });

  it('timeline at 250,000 instances: size and ready time (printed), a frame drawn on request', async () => {
    const { page, seen } = await openBig(files.bigTimeline, '250k timeline report', 15_000);
    await page.locator('#placement-timeline .mark').first().click().catch(() => undefined);
    await slide(page, '#placement-timeline input[type=range]', 20);
    expect(await page.getAttribute('#placement', 'data-frame')).toBe('20');
    expect(await page.getAttribute('#placement', 'data-cells-drawn')).toBe('1000');
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it('the placement map at 1,000 cells and 250,000 instances: every cell drawn, tooltip on hover', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = await open(page, files.big);
    expect(seen.errors).toEqual([]);
    const [m] = await mapCounts(page);
    expect(m).toEqual({ id: 'placement', drawn: 1000, cells: 1000 });
    // Hover the first box of the first zone: the tooltip names a z1 cell and its instances.
    const box = (await page.locator('#placement canvas').boundingBox())!;
    await page.mouse.move(box.x + 5, box.y + 22);
    const tip = await page.locator('#tooltip').innerText();
    expect(tip).toMatch(/cell-\d+ · z1 · (live|evacuating|dead)/);
    expect(tip).toMatch(/memory \d+ \/ 80000 MB/);
    console.log(`250k-instance report: parse ${seen.timings['parseMs']?.toFixed(0)} ms, charts ${seen.timings['chartsMs']?.toFixed(0)} ms, map ${seen.timings['mapsMs']?.toFixed(0)} ms`);
    await page.screenshot({ path: join(OUT, 'big-desktop.png') });
    await page.close();
  });
});
