// The report's click-through in Node: the HTML an explanation becomes (the same words as the
// CLI's), a cell's instances grouped by app, and hostile names escaped. The browser test clicks
// through the same code in Chromium.
import { describe, expect, it } from 'vitest';
import { explainDiegoBatch } from '../../../src/core/explain/explain-diego.js';
import { summarizeExplanation } from '../../../src/core/explain/summary.js';
import { DIEGO_DEFAULTS } from '../../../src/core/scheduler/diego-scheduler.js';
import { buildBatch } from '../../../src/index.js';
import { formatSummary } from '../../../src/cli/format-explanation.js';
import { appColour, appSwatch, cellPanelHtml, defaultColourBy, differingCells, drawMap, formatSimTime, instancesOf, layoutMap, legendEntries, MAP_COLOURS, renderWhy, SIZE_CLASSES, STATE_COLOURS } from '../../../src/report/client/report-client.js';
import { cell, cellWith, lrps, running } from '../../support/fixtures.js';

// The words of an HTML fragment, tags gone and entities decoded, spaces collapsed.
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/\s+/g, ' ')
    .trim();

describe('renderWhy', () => {
  const cells = [cell('a', { memory: 1000 }), cellWith('b', [running('web', 0, 100)], { memory: 1000, Zone: 'z2' }), cell('c', { memory: 50 })];
  const { batch } = buildBatch([lrps('web', 2, 100, { indices: [1] })], [], { seed: 1 });
  const [e] = explainDiegoBatch(cells, batch, DIEGO_DEFAULTS, 1);
  const summary = summarizeExplanation(e!, 3, 2);

  it('says what the CLI says: the winner, the zones, the best cells with their terms, the runner-up and the others', () => {
    const html = words(renderWhy(summary, summary.rule, 61_500));
    const text = formatSummary(summary);
    expect(html).toContain(`web.1 → ${summary.placedOn}`);
    expect(html).toContain('Auction at 1 min 01.5 s of simulated time');
    // Every zone line, the verdict line and every group of the others, word for word.
    const lines = text.split('\n').filter((l) => /^ {4}z\d:|^ {2}\S+ (won|and)|^ {4}(no room|in a zone)/.test(l));
    expect(lines.length).toBe(4); // two zones, the cell without room, the zone not reached
    expect(html).toContain(`${summary.placedOn} was the only cell that could take it`);
    for (const line of lines) expect(html).toContain(line.trim());
    expect(html).toContain(summary.rule);
  });

  it('a failure says Diego\'s error and why no cell could take it', () => {
    const { batch: big } = buildBatch([lrps('huge', 1, 5000)], [], { seed: 1 });
    const [f] = explainDiegoBatch(cells, big, DIEGO_DEFAULTS, 1);
    const html = words(renderWhy(summarizeExplanation(f!, 3, 2), 'r', 0));
    expect(html).toContain('huge.0 failed: insufficient resources: memory');
    expect(html).toContain('No cell could take it: no room (memory): 3 cells:');
    expect(html).toContain('+1 more');
  });

  it('escapes every name it shows', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const hostile = { ...summary, id: `${evil}.0`, placedOn: evil, best: summary.best.map((c) => ({ ...c, cell: evil, zone: evil })), runnerUp: { cell: evil, score: 1 } };
    const html = renderWhy(hostile, evil, 0);
    expect(html).not.toContain('<img');
    expect(words(html)).toContain(evil);
  });
});

describe('instancesOf', () => {
  const placement = {
    apps: [{ guid: 'a', memoryMB: 1 }, { guid: '__proto__', memoryMB: 1 }],
    cells: [{ id: 'c', zone: 'z', status: 'live', memoryMB: 9, diskMB: 9, containers: 9, usedMemoryMB: 3, usedDiskMB: 0, usedContainers: 3, starting: 0, lrps: [0, 0, 1], indices: [2, 5, 0], tasks: 0, taskMemoryMB: 0 }],
  };

  it('groups a cell\'s instances by app with their indices', () => {
    expect(instancesOf(placement, 0)).toEqual([
      { app: 0, guid: 'a', indices: [2, 5], count: 2 },
      { app: 1, guid: '__proto__', indices: [0], count: 1 },
    ]);
  });

  it('results saved before instance indices: counts only', () => {
    const old = { ...placement, cells: placement.cells.map(({ indices: _, ...c }) => c) };
    expect(instancesOf(old, 0)).toEqual([
      { app: 0, guid: 'a', indices: null, count: 2 },
      { app: 1, guid: '__proto__', indices: null, count: 1 },
    ]);
  });
});

describe('formatSimTime', () => {
  it.each([[0, '0.0 s'], [59_950, '60.0 s'], [60_000, '1 min 00.0 s'], [754_321, '12 min 34.3 s']])('%d ms: %s', (ms, text) => {
    expect(formatSimTime(ms)).toBe(text);
  });
});

describe('a hand-edited results file', () => {
  const evil = '<img src=x onerror=alert(1)>';
  it('cannot put markup in the cell panel through its numbers, indices or names', () => {
    const placement = {
      apps: [{ guid: evil, memoryMB: 1 }],
      cells: [{ id: evil, zone: evil, status: evil, memoryMB: evil, diskMB: evil, containers: evil, usedMemoryMB: evil, usedDiskMB: evil, usedContainers: evil, starting: evil, lrps: [0], indices: [evil], tasks: evil, taskMemoryMB: 0 }],
    };
    const html = cellPanelHtml({ placement, reasons: null, reasonsNote: evil }, 0);
    expect(html).not.toContain('<img');
    expect(words(html)).toContain(evil);
  });

  it('cannot put markup in an explanation through its numbers', () => {
    const why = { id: 'a.0', kind: 'lrp', placedOn: 'c', needs: { MemoryMB: evil, DiskMB: evil }, zones: [{ zone: 'z', instancesOfApp: evil, passedFilters: evil, reached: true }], best: [{ cell: 'c', zone: 'z', verdict: 'scored', score: evil, terms: { memory: evil } }], scored: evil, others: [{ why: 'insufficient', lacking: 'memory', count: evil, examples: [{ cell: 'd', zone: 'z', verdict: 'insufficient', problems: ['memory'], needed: { MemoryMB: evil }, available: { MemoryMB: evil } }] }], decidedByTie: false };
    const html = renderWhy(why, 'rule', evil as unknown as number);
    expect(html).not.toContain('<img');
  });
});

describe('colour that reads at every scale', () => {
  // Two cells, one per zone; apps of 128 MB and 2 GB; one instance still starting.
  const placement = {
    apps: [{ guid: 'small', memoryMB: 128 }, { guid: 'big', memoryMB: 2048 }],
    cells: [
      { id: 'c0', zone: 'z1', status: 'live', memoryMB: 4096, diskMB: 1, containers: 9, usedMemoryMB: 2176, usedDiskMB: 0, usedContainers: 2, starting: 1, lrps: [0, 1], indices: [0, 0], states: 'sr', tasks: 0, taskMemoryMB: 0 },
      { id: 'c1', zone: 'z2', status: 'live', memoryMB: 4096, diskMB: 1, containers: 9, usedMemoryMB: 2048, usedDiskMB: 0, usedContainers: 1, starting: 0, lrps: [1], indices: [1], states: 'r', tasks: 0, taskMemoryMB: 0 },
    ],
  };
  // The colours drawn inside the boxes (the zone labels and the white between them left out).
  async function coloursOf(view: Record<string, unknown>): Promise<Set<string>> {
    const { createCanvas } = await import('@napi-rs/canvas');
    const layout = layoutMap(placement, 200, 100);
    const c = createCanvas(layout.width, Math.ceil(layout.height));
    drawMap(c.getContext('2d') as never, placement, layout, 1, view);
    const px = c.getContext('2d').getImageData(0, 0, layout.width, Math.ceil(layout.height)).data;
    const seen = new Set<string>();
    for (let k = 0; k < layout.order.length; k++) {
      const [x, y, s] = [layout.boxes[4 * k]!, layout.boxes[4 * k + 1]!, layout.boxes[4 * k + 2]!];
      for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) {
        const i = 4 * ((y + dy) * layout.width + x + dx);
        seen.add(`#${[px[i]!, px[i + 1]!, px[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`);
      }
    }
    seen.delete(MAP_COLOURS.free);
    return seen;
  }

  it('by size, zone and state: only the legend\'s colours', async () => {
    for (const colourBy of ['size', 'zone', 'state']) {
      const legend = new Set(legendEntries(placement, { colourBy }).filter((e) => !e.frame).map((e) => e.colour));
      const drawn = await coloursOf({ colourBy });
      expect(drawn.size, colourBy).toBeGreaterThanOrEqual(2);
      for (const c of drawn) expect(legend, `${colourBy}: ${c}`).toContain(c);
    }
    expect(await coloursOf({ colourBy: 'size' })).toEqual(new Set([SIZE_CLASSES[0]!.colour, SIZE_CLASSES[2]!.colour]));
    expect(await coloursOf({ colourBy: 'state' })).toEqual(new Set([STATE_COLOURS.running, STATE_COLOURS.starting]));
  });

  it('one app highlighted: it in one colour, every other instance grey; the legend names it', async () => {
    const legend = legendEntries(placement, { highlight: 1 });
    expect(legend[0]!.label).toBe('big');
    expect(await coloursOf({ highlight: 1 })).toEqual(new Set([legend[0]!.colour, legend[1]!.colour]));
  });

  it('an app this map lacks highlighted (-2): every instance grey, not the full colours', async () => {
    expect(await coloursOf({ highlight: -2 })).toEqual(new Set(['#c8c8c8']));
  });

  it('the swatch beside an app (tooltip, panel) is its colour on the map, or none where the colour is not the app\'s', () => {
    expect(appSwatch(placement, 1, { colourBy: 'size' })).toBe(SIZE_CLASSES[2]!.colour);
    expect(appSwatch(placement, 1, { colourBy: 'app' })).toBe(appColour(1));
    expect(appSwatch(placement, 1, { colourBy: 'zone' })).toBeNull();
    expect(appSwatch(placement, 0, { highlight: 1 })).toBe('#c8c8c8');
    expect(cellPanelHtml({ placement, reasons: null, reasonsNote: '' }, 0, { colourBy: 'state' })).not.toContain('swatch');
  });

  it('by app while few apps, by size past forty', () => {
    expect(defaultColourBy(placement)).toBe('app');
    expect(defaultColourBy({ apps: Array.from({ length: 41 }, () => ({})) })).toBe('size');
  });
});

describe('differingCells', () => {
  const cell = (id: string, lrps: number[], indices: number[]) => ({ id, zone: 'z1', status: 'live', lrps, indices });
  it('matches cells by id: a cell only one side has differs, the same instances elsewhere do not', () => {
    const a = { apps: [{ guid: 'web' }], cells: [cell('c0', [0], [0]), cell('c1', [], [])] };
    const b = { apps: [{ guid: 'web' }], cells: [cell('c1', [], []), cell('c0', [0], [0]), cell('c2', [0], [1])] };
    expect(differingCells(a, b)).toEqual(new Set());
    expect(differingCells(b, a)).toEqual(new Set([2]));
  });
});
