// The report's drawing code, shared by the browser (inlined into the HTML report as a module script)
// and by Node (PNG output on @napi-rs/canvas). Plain JavaScript with no imports, so it can be
// inlined as is; it uses only the 2D canvas API both sides have.

/**
 * The colour of app `i`: hues a golden angle apart, so neighbouring app numbers differ clearly.
 * @param {number} i app index
 * @returns {string} a CSS colour
 */
export function appColour(i) {
  const hue = (i * 137.508) % 360;
  const light = 42 + ((i * 7) % 3) * 9;
  return `hsl(${hue.toFixed(1)}, 62%, ${light}%)`;
}

/** Colours of things that are not apps. */
export const MAP_COLOURS = { free: '#e8e8e8', tasks: '#4d4d4d', border: '#9a9a9a', dead: '#f5d0d0', deadMark: '#c0392b', evacuating: '#e69f00', partitioned: '#8e44ad', zone: '#333333' };

/**
 * Lays the cells out: grouped by zone (zones sorted), each cell a square box in rows.
 * @param {{cells: {zone: string}[]}} placement the snapshot
 * @param {number} width pixels available
 * @param {number} [targetHeight] roughly how tall the boxes may make the map
 * @returns {{width: number, height: number, size: number, boxes: Float64Array, order: number[], zones: {zone: string, count: number, y: number}[]}}
 *   `boxes[4k..4k+3]` is x, y, size, cell index of the k-th box drawn
 */
export function layoutMap(placement, width, targetHeight = 520) {
  const cells = placement.cells;
  const n = Math.max(1, cells.length);
  const zoneNames = [...new Set(cells.map((c) => c.zone))].sort();
  const gap = n > 400 ? 1 : 2;
  const size = Math.max(5, Math.min(72, Math.floor(Math.sqrt((width * targetHeight) / n)) - gap));
  const cols = Math.max(1, Math.floor((width + gap) / (size + gap)));
  const header = 16;
  const boxes = new Float64Array(cells.length * 4);
  const order = [];
  const zones = [];
  let y = 0;
  let k = 0;
  for (const zone of zoneNames) {
    const members = [];
    cells.forEach((c, i) => {
      if (c.zone === zone) members.push(i);
    });
    zones.push({ zone, count: members.length, y });
    y += header;
    members.forEach((i, j) => {
      boxes[4 * k] = (j % cols) * (size + gap);
      boxes[4 * k + 1] = y + Math.floor(j / cols) * (size + gap);
      boxes[4 * k + 2] = size;
      boxes[4 * k + 3] = i;
      order.push(i);
      k++;
    });
    y += Math.ceil(members.length / cols) * (size + gap) + 6;
  }
  return { width, height: Math.max(y, 1), size, boxes, order, zones };
}

/**
 * An app colour as a pixel of an RGBA buffer read as little-endian 32-bit words (0xAABBGGRR).
 * @param {number} i app index
 * @returns {number} the packed pixel
 */
export function appPixel(i) {
  const h = ((i * 137.508) % 360) / 360;
  const l = (42 + ((i * 7) % 3) * 9) / 100;
  const sat = 0.62;
  const q = l < 0.5 ? l * (1 + sat) : l + sat - l * sat;
  const p = 2 * l - q;
  const channel = (t) => {
    if (t < 0) t += 1;
    if (t > 1) t -= 1;
    const v = t < 1 / 6 ? p + (q - p) * 6 * t : t < 1 / 2 ? q : t < 2 / 3 ? p + (q - p) * (2 / 3 - t) * 6 : p;
    return Math.round(v * 255);
  };
  return packRGB(channel(h + 1 / 3), channel(h), channel(h - 1 / 3));
}

function packRGB(r, g, b) {
  return (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
}

function hexPixel(hex) {
  return packRGB(parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16));
}

/** The size classes of colour-by-size: the most memory an instance of each has (MB), and its colour. */
export const SIZE_CLASSES = [
  { upToMB: 256, label: 'up to 256 MB', colour: '#56b4e9' },
  { upToMB: 1024, label: 'up to 1 GB', colour: '#009e73' },
  { upToMB: 4096, label: 'up to 4 GB', colour: '#e69f00' },
  { upToMB: Infinity, label: 'over 4 GB', colour: '#d55e00' },
];

/** Colours of colour-by-state, of the zones (colour-by-zone, in sorted order), and of a highlighted app against the rest. */
export const STATE_COLOURS = { running: '#009e73', starting: '#f0e442' };
const ZONE_COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#000000', '#7f7f7f'];
const HIGHLIGHT = { app: '#d55e00', other: '#c8c8c8' };
const DIFFERS = '#111111';

/**
 * The cells (by index) whose status or instances differ between two snapshots of the same cells:
 * instances are compared by app guid and index, their states aside.
 * @param {{apps: {guid: string}[], cells: {status: string, lrps: number[], indices?: number[]}[]}} a one snapshot
 * @param {{apps: {guid: string}[], cells: {status: string, lrps: number[], indices?: number[]}[]}} b the other
 * @returns {Set<number>} the cells that differ
 */
export function differingCells(a, b) {
  const out = new Set();
  const named = (p, c) => c.lrps.map((x, k) => `${p.apps[x].guid}.${c.indices ? c.indices[k] : ''}`).sort().join('\n');
  // Cells are matched by id: a cell only one side has differs, as does one in another zone.
  const other = new Map(b.cells.map((y) => [y.id, y]));
  a.cells.forEach((x, i) => {
    const y = other.get(x.id);
    if (!y || x.zone !== y.zone || x.status !== y.status || x.lrps.length !== y.lrps.length || named(a, x) !== named(b, y)) out.add(i);
  });
  return out;
}

/**
 * The colouring a map starts with: by app while there are few enough apps to tell apart (40), else
 * by size class, where 5,000 apps' colours would be noise.
 * @param {{apps: unknown[]}} placement the snapshot
 * @returns {'app' | 'size'} the mode
 */
export function defaultColourBy(placement) {
  return placement.apps.length <= 40 ? 'app' : 'size';
}

function sizeClass(mb) {
  let k = 0;
  while (k < SIZE_CLASSES.length - 1 && mb > SIZE_CLASSES[k].upToMB) k++;
  return k;
}

/**
 * What the map's colours mean under `view`, as legend entries: colour, label, and whether the
 * colour is a frame (evacuating, partitioned) rather than a fill.
 * @param {{apps: {guid: string, memoryMB: number}[], cells: {zone: string}[]}} placement the snapshot
 * @param {{colourBy?: string, highlight?: number}} [view] the colouring and the highlighted app's index (-1: none)
 * @returns {{colour: string, label: string, frame?: boolean}[]} the entries
 */
export function legendEntries(placement, view = {}) {
  const by = view.colourBy || defaultColourBy(placement);
  const h = view.highlight === undefined ? -1 : view.highlight;
  const out = [];
  if (h >= 0 && h < placement.apps.length) {
    out.push({ colour: HIGHLIGHT.app, label: placement.apps[h].guid }, { colour: HIGHLIGHT.other, label: 'other instances' });
  } else if (by === 'size') {
    for (const c of SIZE_CLASSES) out.push({ colour: c.colour, label: `instances ${c.label}` });
  } else if (by === 'zone') {
    [...new Set(placement.cells.map((c) => c.zone))].sort().forEach((z, i) => out.push({ colour: ZONE_COLOURS[i % ZONE_COLOURS.length], label: `instances in ${z}` }));
  } else if (by === 'state') {
    out.push({ colour: STATE_COLOURS.running, label: 'running' }, { colour: STATE_COLOURS.starting, label: 'starting' });
  } else {
    out.push({ colour: appColour(0), label: `instances, coloured by app (${placement.apps.length} apps)` });
  }
  out.push(
    { colour: MAP_COLOURS.free, label: 'free memory' },
    { colour: MAP_COLOURS.tasks, label: 'tasks' },
    { colour: MAP_COLOURS.dead, label: 'dead' },
    { colour: MAP_COLOURS.evacuating, label: 'evacuating', frame: true },
    { colour: MAP_COLOURS.partitioned, label: 'partitioned', frame: true },
  );
  if (view.outline) out.push({ colour: DIFFERS, label: 'differs from the other map', frame: true });
  return out;
}

/**
 * Draws the placement map: each cell a box whose area is its memory, instances filled in as blocks
 * (filled row by row from the bottom, so a cell fills up like a tank), coloured by app, size class,
 * zone or state (`view.colourBy`; by default {@link defaultColourBy}), or one app highlighted
 * against the rest (`view.highlight`, its index); tasks in dark grey, free memory light grey; dead
 * cells pink with a cross, evacuating cells with an orange border, partitioned cells with a purple
 * one. It writes pixels into one buffer and puts it once: at 250,000 instances that is a few
 * million array writes instead of a million canvas calls.
 * @param {CanvasRenderingContext2D} ctx where to draw (its transform is reset)
 * @param {{apps: {memoryMB: number}[], cells: {id: string, zone: string, status: string, memoryMB: number, lrps: number[], states?: string, taskMemoryMB: number}[]}} placement the snapshot
 * @param {ReturnType<typeof layoutMap>} layout from {@link layoutMap}
 * @param {number} [scale] device pixels per layout pixel
 * @param {{colourBy?: string, highlight?: number}} [view] the colouring (see {@link legendEntries})
 * @returns {number} the number of cells drawn
 */
export function drawMap(ctx, placement, layout, scale = 1, view = {}) {
  const { apps, cells } = placement;
  const by = view.colourBy || defaultColourBy(placement);
  const h = view.highlight === undefined ? -1 : view.highlight;
  const W = Math.max(1, Math.ceil(layout.width * scale));
  const H = Math.max(1, Math.ceil(layout.height * scale));
  const S = Math.max(1, Math.floor(layout.size * scale));
  const area = S * S;
  const img = ctx.createImageData(W, H);
  const buf = new Uint32Array(img.data.buffer, img.data.byteOffset, W * H);
  buf.fill(0xffffffff);
  // A colour per app (by app, by size, or highlighted against the rest); by zone and by state the
  // colour is the cell's or the instance's instead.
  const colours = new Uint32Array(apps.length);
  const sizes = SIZE_CLASSES.map((c) => hexPixel(c.colour));
  const hiApp = hexPixel(HIGHLIGHT.app);
  const hiOther = hexPixel(HIGHLIGHT.other);
  // h -1: nothing highlighted; another value not an app's index (-2): an app this map lacks, all grey.
  for (let i = 0; i < apps.length; i++) colours[i] = h !== -1 ? (i === h ? hiApp : hiOther) : by === 'size' ? sizes[sizeClass(apps[i].memoryMB)] : appPixel(i);
  const zoneNames = [...new Set(cells.map((c) => c.zone))].sort();
  const zonePixel = new Map(zoneNames.map((z, i) => [z, hexPixel(ZONE_COLOURS[i % ZONE_COLOURS.length])]));
  const running = hexPixel(STATE_COLOURS.running);
  const starting = hexPixel(STATE_COLOURS.starting);
  const perCell = h === -1 && by === 'zone';
  const perInstance = h === -1 && by === 'state';
  const free = hexPixel(MAP_COLOURS.free);
  const tasks = hexPixel(MAP_COLOURS.tasks);
  const dead = hexPixel(MAP_COLOURS.dead);
  const deadMark = hexPixel(MAP_COLOURS.deadMark);
  const evacuating = hexPixel(MAP_COLOURS.evacuating);
  const partitioned = hexPixel(MAP_COLOURS.partitioned);
  // Pixels a..b of the box at (x0, y0), counted row by row from its bottom-left corner.
  const run = (x0, y0, a, b, colour) => {
    for (let p = a; p < b; p++) {
      const row = (p / S) | 0;
      buf[(y0 + S - 1 - row) * W + x0 + (p - row * S)] = colour;
    }
  };
  // A frame two layout pixels wide just inside the box at (x0, y0).
  const thick = Math.max(1, Math.round(2 * scale));
  const frame = (x0, y0, colour) => {
    for (let d = 0; d < S; d++) {
      for (let e = 0; e < thick; e++) {
        buf[(y0 + e) * W + x0 + d] = colour;
        buf[(y0 + S - 1 - e) * W + x0 + d] = colour;
        buf[(y0 + d) * W + x0 + e] = colour;
        buf[(y0 + d) * W + x0 + S - 1 - e] = colour;
      }
    }
  };
  let drawn = 0;
  for (let k = 0; k < layout.order.length; k++) {
    const x0 = Math.round(layout.boxes[4 * k] * scale);
    const y0 = Math.round(layout.boxes[4 * k + 1] * scale);
    if (x0 + S > W || y0 + S > H) continue;
    const cell = cells[layout.boxes[4 * k + 3]];
    drawn++;
    if (cell.status === 'dead') {
      run(x0, y0, 0, area, dead);
      for (let d = 0; d < S; d++) {
        buf[(y0 + d) * W + x0 + d] = deadMark;
        buf[(y0 + d) * W + x0 + S - 1 - d] = deadMark;
      }
      continue;
    }
    run(x0, y0, 0, area, free);
    const perMB = cell.memoryMB > 0 ? area / cell.memoryMB : 0;
    const cellColour = perCell ? zonePixel.get(cell.zone) : 0;
    const states = cell.states || '';
    // An entry's colour; consecutive entries of one colour are filled as one block.
    const colourAt = (j) => (perCell ? cellColour : perInstance ? (states[j] === 's' ? starting : running) : colours[cell.lrps[j]]);
    let acc = 0;
    const lrps = cell.lrps;
    for (let i = 0; i < lrps.length; ) {
      const colour = colourAt(i);
      let j = i;
      let mb = 0;
      while (j < lrps.length && lrps[j] === lrps[i] && colourAt(j) === colour) {
        mb += apps[lrps[j]].memoryMB;
        j++;
      }
      const a = Math.round(acc);
      acc = Math.min(area, acc + mb * perMB);
      run(x0, y0, a, Math.min(area, Math.max(a + 1, Math.round(acc))), colour);
      i = j;
    }
    if (cell.taskMemoryMB > 0) {
      const a = Math.round(acc);
      acc = Math.min(area, acc + cell.taskMemoryMB * perMB);
      run(x0, y0, a, Math.min(area, Math.max(a + 1, Math.round(acc))), tasks);
    }
    if (cell.status === 'evacuating' || cell.status === 'partitioned') frame(x0, y0, cell.status === 'evacuating' ? evacuating : partitioned);
  }
  // The cells that differ from another map: a dark ring around the box, over any other frame.
  if (view.outline && view.outline.size > 0) {
    const ring = hexPixel(DIFFERS);
    for (let k = 0; k < layout.order.length; k++) {
      if (!view.outline.has(layout.boxes[4 * k + 3])) continue;
      const x0 = Math.round(layout.boxes[4 * k] * scale);
      const y0 = Math.round(layout.boxes[4 * k + 1] * scale);
      if (x0 + S <= W && y0 + S <= H) frame(x0, y0, ring);
    }
  }
  ctx.putImageData(img, 0, 0);
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.font = '11px sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillStyle = MAP_COLOURS.zone;
  for (const z of layout.zones) ctx.fillText(`${z.zone} · ${z.count} cells`, 0, z.y + 2);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return drawn;
}

/**
 * The placement at frame `k` of a timeline (src/metrics/placement-timeline.ts): the key frame with
 * every later change up to `k` applied, as a snapshot {@link drawMap} draws (instances sorted by
 * app, then index, as snapshots list them).
 * @param {{times: number[], apps: {shared: number[], rest: string[], memoryRuns: number[]}, cells: {id: string, zone: string, memoryMB: number, diskMB: number, containers: number}[], frames: any[][]}} timeline the timeline
 * @param {number} k the frame
 * @returns {{apps: any[], cells: any[]}} the snapshot
 */
export function frameAt(timeline, k) {
  const apps = timelineApps(timeline);
  const n = timeline.cells.length;
  const status = new Array(n).fill('live');
  const use = timeline.cells.map(() => [0, 0, 0, 0, 0, 0]);
  const held = timeline.cells.map(() => new Map());
  const last = Math.max(0, Math.min(k, timeline.frames.length - 1));
  for (let f = 0; f <= last; f++) {
    for (const ch of timeline.frames[f]) {
      if (ch.status !== undefined) status[ch.c] = ch.status;
      if (ch.use) use[ch.c] = ch.use;
      const m = held[ch.c];
      if (ch.remove) for (let i = 0; i < ch.remove.length; i += 2) m.delete(ch.remove[i] * 4294967296 + ch.remove[i + 1]);
      if (ch.add) for (let i = 0; i < ch.add.length; i += 2) m.set(ch.add[i] * 4294967296 + ch.add[i + 1], ch.addStates[i / 2]);
    }
  }
  const cells = timeline.cells.map((cell, c) => {
    // app x 2^32 + index: sorting the keys sorts by app, then index.
    const keys = [...held[c].keys()].sort((x, y) => x - y);
    const [usedMemoryMB, usedDiskMB, usedContainers, starting, tasks, taskMemoryMB] = use[c];
    return {
      ...cell,
      status: status[c],
      usedMemoryMB,
      usedDiskMB,
      usedContainers,
      starting,
      lrps: keys.map((x) => Math.floor(x / 4294967296)),
      indices: keys.map((x) => x % 4294967296),
      states: keys.map((x) => held[c].get(x)).join(''),
      tasks,
      taskMemoryMB,
    };
  });
  return { apps, cells };
}

const decoded = new WeakMap();

/**
 * A timeline's app table, read from its compact form (src/metrics/placement-timeline.ts
 * `compactApps`) once and kept.
 * @param {{apps: {shared: number[], rest: string[], memoryRuns: number[]}}} timeline the timeline
 * @returns {{guid: string, memoryMB: number}[]} the apps, sorted by guid
 */
export function timelineApps(timeline) {
  let apps = decoded.get(timeline);
  if (apps) return apps;
  const { shared, rest, memoryRuns } = timeline.apps;
  apps = new Array(rest.length);
  let before = '';
  let run = 0;
  let left = memoryRuns.length > 1 ? memoryRuns[1] : 0;
  for (let i = 0; i < rest.length; i++) {
    while (left === 0 && run + 3 < memoryRuns.length) {
      run += 2;
      left = memoryRuns[run + 1];
    }
    left--;
    before = before.slice(0, Number(shared[i])) + String(rest[i]);
    apps[i] = { guid: before, memoryMB: Number(memoryRuns[run]) };
  }
  decoded.set(timeline, apps);
  return apps;
}

/**
 * The cell under a point of the map, or -1.
 * @param {ReturnType<typeof layoutMap>} layout from {@link layoutMap}
 * @param {number} px x in map pixels
 * @param {number} py y in map pixels
 * @returns {number} the cell's index in the snapshot
 */
export function cellAt(layout, px, py) {
  const s = layout.size;
  for (let k = 0; k < layout.order.length; k++) {
    const x = layout.boxes[4 * k];
    const y = layout.boxes[4 * k + 1];
    if (px >= x && px < x + s && py >= y && py < y + s) return layout.boxes[4 * k + 3];
  }
  return -1;
}

/** Chart.js plugin: dashed vertical lines with labels at fault times (`options.plugins.faultMarkers.marks`). */
export const faultMarkersPlugin = {
  id: 'faultMarkers',
  afterDatasetsDraw(chart, _args, opts) {
    const marks = opts && opts.marks;
    const scale = chart.scales.x;
    if (!marks || marks.length === 0 || !scale) return;
    const area = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = '#c0392b';
    ctx.fillStyle = '#c0392b';
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    ctx.font = '10px sans-serif';
    ctx.textBaseline = 'top';
    for (let i = 0; i < marks.length; i++) {
      const px = scale.getPixelForValue(marks[i].x);
      if (!(px >= area.left && px <= area.right)) continue;
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.fillText(marks[i].label, Math.min(px + 3, area.right - 60), area.top + 2 + (i % 3) * 11);
    }
    ctx.restore();
  },
};

/** Chart.js plugin: whiskers from `options.plugins.errorBars.lo[i]` to `hi[i]` on the first dataset's bars. */
export const errorBarsPlugin = {
  id: 'errorBars',
  afterDatasetsDraw(chart, _args, opts) {
    const lo = opts && opts.lo;
    const hi = opts && opts.hi;
    if (!lo || !hi || chart.data.datasets.length === 0) return;
    const meta = chart.getDatasetMeta(0);
    const y = chart.scales.y;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = '#222222';
    ctx.lineWidth = 1.2;
    meta.data.forEach((bar, i) => {
      const a = lo[i];
      const b = hi[i];
      if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b) || !(b > a)) return;
      const top = y.getPixelForValue(b);
      const bottom = y.getPixelForValue(Math.max(y.min, a));
      const w = Math.min(10, (bar.width || 10) / 3);
      ctx.beginPath();
      ctx.moveTo(bar.x, top);
      ctx.lineTo(bar.x, bottom);
      ctx.moveTo(bar.x - w, top);
      ctx.lineTo(bar.x + w, top);
      ctx.moveTo(bar.x - w, bottom);
      ctx.lineTo(bar.x + w, bottom);
      ctx.stroke();
    });
    ctx.restore();
  },
};

/** Chart.js plugin: paints the canvas white first (PNG files are otherwise transparent). */
export const whiteBackgroundPlugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/**
 * The colour an app's instances have on the map under `view`, or null where it is not the app's
 * (by zone, by state: the colour is the cell's or the instance's).
 * @param {{apps: {memoryMB: number}[]}} placement the snapshot
 * @param {number} app the app's index
 * @param {{colourBy?: string, highlight?: number}} [view] the colouring
 * @returns {string | null} a CSS colour
 */
export function appSwatch(placement, app, view = {}) {
  const h = view.highlight === undefined ? -1 : view.highlight;
  if (h !== -1) return app === h ? HIGHLIGHT.app : HIGHLIGHT.other;
  const by = view.colourBy || defaultColourBy(placement);
  if (by === 'app') return appColour(app);
  if (by === 'size') return SIZE_CLASSES[sizeClass(placement.apps[app].memoryMB)].colour;
  return null;
}

const swatch = (colour) => (colour ? `<span class="swatch" style="background:${colour}"></span>` : '');

function cellTooltip(placement, i, view) {
  const c = placement.cells[i];
  const counts = new Map();
  for (const a of c.lrps) counts.set(a, (counts.get(a) || 0) + 1);
  const top = [...counts].sort((p, q) => q[1] - p[1]).slice(0, 5);
  const lines = [
    `<b>${escapeHtml(c.id)}</b> · ${escapeHtml(c.zone)} · ${escapeHtml(c.status)}`,
    `memory ${num(c.usedMemoryMB)} / ${num(c.memoryMB)} MB · disk ${num(c.usedDiskMB)} / ${num(c.diskMB)} MB`,
    `containers ${num(c.usedContainers)} / ${num(c.containers)} (${num(c.starting)} starting)`,
    `${num(c.lrps.length)} instances, ${num(c.tasks)} tasks`,
  ];
  for (const [a, n] of top) lines.push(`${swatch(appSwatch(placement, Number(a), view))}${escapeHtml(placement.apps[a].guid)} × ${num(n)}`);
  if (counts.size > top.length) lines.push(`… and ${counts.size - top.length} more apps`);
  return lines.join('<br>');
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// A number from results, as text: anything else a hand-edited file may hold becomes NaN, never markup.
function num(v) {
  return String(Number(v));
}

/**
 * A score or term for people, as the CLI prints it: whole numbers as they are, others to four
 * places, tiny ones in exponent form.
 * @param {number} x the number
 * @returns {string} its text
 */
export function formatScore(v) {
  const x = Number(v);
  return Number.isInteger(x) ? String(x) : Math.abs(x) >= 0.0001 ? x.toFixed(4) : x.toExponential(2);
}

/**
 * Simulated time for people: `42.0 s`, `6 min 01.2 s`.
 * @param {number} ms milliseconds of simulated time
 * @returns {string} its text
 */
export function formatSimTime(ms) {
  const s = ms / 1000;
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return m > 0 ? `${m} min ${rest.toFixed(1).padStart(4, '0')} s` : `${rest.toFixed(1)} s`;
}

function plural(v, word) {
  const n = Number(v);
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

// A group's first cells named, and how many more: the same words as the CLI's explanation.
function named(g, show) {
  const shown = g.examples.map(show).join(', ');
  return escapeHtml(g.count > g.examples.length ? `${shown}, +${g.count - g.examples.length} more` : shown);
}

function lacked(c) {
  const parts = c.problems.map((p) =>
    p === 'containers' ? `${num(c.available.Containers)} containers free` : p === 'disk' ? `${num(c.available.DiskMB)} of ${num(c.needed.DiskMB)} MB disk` : `${num(c.available.MemoryMB)} of ${num(c.needed.MemoryMB)} MB memory`,
  );
  return `${c.cell} (${parts.join(', ')})`;
}

function groupLine(g) {
  const n = plural(g.count, 'cell');
  switch (g.why) {
    case 'insufficient':
      return `no room (${escapeHtml(g.lacking)}): ${n}: ${named(g, lacked)}`;
    case 'refused':
      return `refused (${escapeHtml(g.error)}): ${n}: ${named(g, (c) => `${c.cell} (round ${num(c.round)})`)}`;
    case 'not-reached':
      return `${escapeHtml(g.how)}: ${n}${g.examples.length > 0 ? `: ${named(g, (c) => `${c.cell} (${c.zone})`)}` : ''}`;
    case 'filtered':
      return `turned away by the ${escapeHtml(g.filter)} filter: ${n}: ${named(g, (c) => c.cell)} (${escapeHtml(g.error)})`;
    case 'evacuating':
      return `evacuating, left out: ${n}: ${named(g, (c) => c.cell)}`;
    default:
      return '';
  }
}

/**
 * A summarised explanation (core/explain/summary.ts) as HTML: what the work asked, the zones as
 * Diego tried them, the best cells term by term, the winner and the runner-up, and every other
 * cell grouped by why it was not the one. The same content as `auctionlab schedule --explain`.
 * @param {any} why the summary
 * @param {string} rule how the strategy ranks cells
 * @param {number} atMs when its batch was scheduled
 * @returns {string} HTML
 */
export function renderWhy(why, rule, atMs, unreported = false) {
  const e = escapeHtml;
  const out = [];
  const asks = `asks ${num(why.needs.MemoryMB)} MB memory${why.kind === 'lrp' ? " (+ the cell's proxy memory)" : ''}, ${num(why.needs.DiskMB)} MB disk, one container`;
  const head =
    why.placedOn === null ? `${e(why.id)} failed: ${e(why.reason || '')}` : why.rejected !== undefined ? `${e(why.id)} → ${e(why.placedOn)}, then rejected` : `${e(why.id)} → ${e(why.placedOn)}`;
  out.push(`<p><b>${head}</b></p><p>Auction at ${formatSimTime(Number(atMs))} of simulated time; it ${e(asks)}.</p>`);
  if (unreported) out.push('<p>Its auctioneer stopped before it reported the outcome to the BBS; the cell had been sent the work and started it.</p>');
  if (why.zones.length > 0) {
    const zones = why.zones.map((z) => {
      const state = z.passedFilters === 0 ? 'no cell passed the filters' : z.reached ? 'scored' : 'not reached (a zone with fewer of the app placed it)';
      return `<li>${e(z.zone)}: ${num(z.instancesOfApp)} of the app, ${plural(z.passedFilters, 'cell')} passed the filters: ${state}</li>`;
    });
    out.push(`<p>Zones, in the order Diego tried them (fewest instances of the app first):</p><ul>${zones.join('')}</ul>`);
  }
  if (why.best.length > 0) {
    const names = Object.keys(why.best[0].terms);
    const headRow = `<tr><th>cell</th><th>zone</th><th>score</th>${names.map((n) => `<th>${e(n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))}</th>`).join('')}</tr>`;
    const rows = why.best
      .map((c) => `<tr${c.cell === why.placedOn ? ' class="win"' : ''}><td>${e(c.cell)}</td><td>${e(c.zone)}</td><td>${formatScore(c.score)}</td>${names.map((n) => `<td>${formatScore(c.terms[n] ?? 0)}</td>`).join('')}</tr>`)
      .join('');
    out.push(`<p>Best cells (${e(rule)}):</p><table>${headRow}${rows}</table>`);
  }
  if (why.rejected !== undefined) out.push(`<p>But ${e(why.placedOn || 'the cell')} turned the work down when it was sent, so it failed after all: ${e(why.rejected)}</p>`);
  if (why.placedOn !== null && why.runnerUp && why.margin !== undefined) {
    out.push(
      why.decidedByTie
        ? `<p>${e(why.placedOn)} and ${e(why.runnerUp.cell)} tied at ${formatScore(why.runnerUp.score)}; the seeded tie order chose ${e(why.placedOn)}.</p>`
        : `<p>${e(why.placedOn)} won; runner-up ${e(why.runnerUp.cell)} (score ${formatScore(why.runnerUp.score)}) by ${formatScore(why.margin)}.</p>`,
    );
  } else if (why.placedOn !== null) out.push(`<p>${e(why.placedOn)} was the only cell that could take it.</p>`);
  const rest = [...(why.scored > why.best.length ? [`${plural(why.scored - why.best.length, 'more cell')} scored, none lower`] : []), ...why.others.map(groupLine)];
  if (rest.length > 0) out.push(`<p>${why.placedOn !== null ? 'The other cells:' : 'No cell could take it:'}</p><ul>${rest.map((l) => `<li>${l}</li>`).join('')}</ul>`);
  return out.join('');
}

/**
 * The LRP instances on a cell, grouped by app: `[{app, guid, indices}]` in the snapshot's order.
 * Older results have no instance indices: `indices` is then null.
 * @param {any} placement the snapshot
 * @param {number} i the cell's index
 * @returns {{app: number, guid: string, indices: number[] | null, count: number}[]} the groups
 */
export function instancesOf(placement, i) {
  const c = placement.cells[i];
  const groups = [];
  for (let k = 0; k < c.lrps.length; k++) {
    const app = c.lrps[k];
    let g = groups[groups.length - 1];
    if (!g || g.app !== app) {
      g = { app, guid: placement.apps[app].guid, indices: c.indices ? [] : null, count: 0 };
      groups.push(g);
    }
    g.count++;
    if (g.indices) g.indices.push(c.indices[k]);
  }
  return groups;
}

// Whether a results file's explanation of `id` is the one that put it on `cell`.
function whyOf(reasons, id, cell) {
  const w = reasons && Object.prototype.hasOwnProperty.call(reasons.instances, id) ? reasons.instances[id] : null;
  return w && w.why.placedOn === cell ? w : null;
}

/**
 * The panel of a selected cell: its state, and its instances by app as buttons (dashed when the
 * report has no explanation of the auction that put it there).
 * @param {{placement: any, reasons: any, reasonsNote: string}} map the map's embedded data
 * @param {number} i the cell's index
 * @param {{colourBy?: string, highlight?: number}} [view] the map's colouring (for the apps' swatches)
 * @returns {string} HTML
 */
export function cellPanelHtml(map, i, view = {}) {
  const { placement, reasons } = map;
  const c = placement.cells[i];
  const lines = [
    `<p><b>${escapeHtml(c.id)}</b> · ${escapeHtml(c.zone)} · ${escapeHtml(c.status)} · memory ${num(c.usedMemoryMB)} / ${num(c.memoryMB)} MB · disk ${num(c.usedDiskMB)} / ${num(c.diskMB)} MB · containers ${num(c.usedContainers)} / ${num(c.containers)} (${num(c.starting)} starting) · ${plural(c.tasks, 'task')}</p>`,
  ];
  if (c.status === 'dead') return `${lines.join('')}<p>Dead: it holds nothing; its instances were placed again elsewhere, or are missing.</p>`;
  const groups = instancesOf(placement, i);
  if (groups.length === 0) return `${lines.join('')}<p>No LRP instance on this cell.</p>`;
  lines.push(`<p>${plural(c.lrps.length, 'instance')} of ${plural(groups.length, 'app')}${c.indices ? '; click one for why it is here' : ''} (dashed: not explained in this report):</p><ul>`);
  for (const g of groups) {
    const buttons = g.indices
      ? g.indices.map((x) => {
          const id = `${g.guid}.${x}`;
          const explained = whyOf(reasons, id, c.id) !== null;
          return `<button type="button" class="inst${explained ? '' : ' unexplained'}" data-id="${escapeHtml(id)}" aria-pressed="false" title="${escapeHtml(id)}">${escapeHtml(x)}</button>`;
        })
      : [`× ${num(g.count)}`];
    lines.push(`<li>${swatch(appSwatch(placement, Number(g.app), view))}${escapeHtml(g.guid)}: ${buttons.join('')}</li>`);
  }
  lines.push('</ul><div class="why" hidden></div>');
  return lines.join('');
}

function showWhy(map, panel, cellIndex, id) {
  const cell = map.placement.cells[cellIndex];
  const box = panel.querySelector('.why');
  for (const b of panel.querySelectorAll('button.inst')) b.setAttribute('aria-pressed', String(b.dataset.id === id));
  const w = whyOf(map.reasons, id, cell.id);
  box.innerHTML = w ? renderWhy(w.why, map.reasons.rule, w.atMs, w.unreported === true) : `<p><b>${escapeHtml(id)}</b> on ${escapeHtml(cell.id)}</p><p>${escapeHtml(map.reasonsNote.replace('<id>', () => id))}</p>`;
  box.hidden = false;
}

/**
 * The legend of `view` as HTML (swatches, frames for evacuating and partitioned).
 * @param {any} placement the snapshot the colours are of
 * @param {{colourBy?: string, highlight?: number}} view the colouring
 * @returns {string} HTML
 */
export function legendHtml(placement, view) {
  return legendEntries(placement, view)
    .map((x) => `<span class="entry"><span class="swatch" style="${x.frame ? `border:2px solid ${x.colour}` : `background:${x.colour}`}"></span>${escapeHtml(x.label)}</span>`)
    .join(' ');
}

// Where an app's instances are on a map: how many, on how many cells.
function appSpread(placement, app) {
  let instances = 0;
  let cells = 0;
  for (const c of placement.cells) {
    let n = 0;
    for (const a of c.lrps) if (a === app) n++;
    instances += n;
    if (n > 0) cells++;
  }
  return { instances, cells };
}

function mountMap(map, el, tooltip, small, view) {
  const canvas = el.querySelector('canvas');
  const outline = el.querySelector('.selected');
  const panel = document.getElementById(`${map.id}-panel`);
  let selected = -1;
  // The selected cell's outline, over the canvas (no redraw of the map).
  const mark = () => {
    const k = layout.order.indexOf(selected);
    if (k < 0) {
      outline.hidden = true;
      return;
    }
    outline.style.left = `${layout.boxes[4 * k] - 2}px`;
    outline.style.top = `${layout.boxes[4 * k + 1] - 2}px`;
    outline.style.width = outline.style.height = `${layout.size + 4}px`;
    outline.hidden = false;
  };
  let layout = null;
  const draw = () => {
    const width = Math.max(120, el.clientWidth);
    layout = layoutMap(map.placement, width, small ? 220 : Math.min(560, Math.max(260, window.innerHeight * 0.6)));
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.ceil(layout.width * dpr);
    canvas.height = Math.ceil(layout.height * dpr);
    canvas.style.width = `${layout.width}px`;
    canvas.style.height = `${layout.height}px`;
    const found = view.highlight === null ? -1 : map.placement.apps.findIndex((a) => a.guid === view.highlight);
    // An app this map lacks: every instance grey (-2), not the full colours.
    const mine = { colourBy: view.colourBy, highlight: view.highlight === null ? -1 : found >= 0 ? found : -2, ...(map.outline ? { outline: map.outline } : {}) };
    map.view = mine;
    el.dataset.cellsDrawn = String(drawMap(canvas.getContext('2d'), map.placement, layout, dpr, mine));
    el.dataset.colourBy = mine.colourBy;
    el.dataset.highlight = mine.highlight >= 0 ? map.placement.apps[mine.highlight].guid : '';
    // A frame of the timeline changes what a selected cell holds: its panel follows.
    if (selected >= 0) {
      mark();
      if (panel.dataset.frame !== String(map.frame)) select(selected);
    }
  };
  draw();
  const select = (i) => {
    selected = i;
    panel.innerHTML = cellPanelHtml(map, i, map.view);
    panel.dataset.cell = map.placement.cells[i].id;
    panel.dataset.frame = String(map.frame);
    mark();
  };
  panel.addEventListener('click', (e) => {
    const b = e.target.closest('button.inst');
    if (b && selected >= 0) showWhy(map, panel, selected, b.dataset.id);
  });
  const show = (clientX, clientY) => {
    const r = canvas.getBoundingClientRect();
    const i = cellAt(layout, clientX - r.left, clientY - r.top);
    if (i < 0) {
      tooltip.hidden = true;
      return;
    }
    tooltip.innerHTML = cellTooltip(map.placement, i, map.view);
    tooltip.hidden = false;
    const left = Math.min(clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
    tooltip.style.left = `${Math.max(4, left) + window.scrollX}px`;
    tooltip.style.top = `${clientY + 14 + window.scrollY}px`;
  };
  canvas.addEventListener('mousemove', (e) => show(e.clientX, e.clientY));
  canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
  // A click (or a tap, where there is no hover) selects the cell: its panel says what the tooltip
  // would, and more, so the tooltip goes.
  canvas.addEventListener('click', (e) => {
    const r = canvas.getBoundingClientRect();
    const i = cellAt(layout, e.clientX - r.left, e.clientY - r.top);
    tooltip.hidden = true;
    if (i >= 0) select(i);
  });
  return draw;
}

/**
 * Chart.js plugin: a vertical line at `chart.$timeCursor` (minutes), where the timeline stands. A
 * property of the chart, not an option: options are resolved and cached until a full update, and
 * a redraw is all a scrub needs.
 */
export const timeCursorPlugin = {
  id: 'timeCursor',
  afterDatasetsDraw(chart) {
    const x = chart.$timeCursor;
    const scale = chart.scales.x;
    if (typeof x !== 'number' || !scale || scale.type !== 'linear') return;
    const px = scale.getPixelForValue(x);
    const area = chart.chartArea;
    if (!(px >= area.left && px <= area.right)) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = '#0b57d0';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(px, area.top);
    ctx.lineTo(px, area.bottom);
    ctx.stroke();
    ctx.restore();
  },
};

// The slider of a map with a timeline, or the one slider of small multiples (`barId`): scrubbing
// or playing shows every map at the frame's time (each its own latest frame at or before it), and
// the time charts draw a cursor there; an event's mark jumps to the frame just after it.
function mountTimeline(maps, barId, redraws, charts, onFrame) {
  const bar = document.getElementById(barId);
  if (!bar || maps.length === 0 || maps.some((m) => !m.timeline)) return;
  const t = maps[0].timeline;
  const slider = bar.querySelector('input[type=range]');
  const play = bar.querySelector('.play');
  const at = bar.querySelector('.at');
  let current = t.times.length - 1;
  // A map's latest frame at or before `ms`.
  const frameFor = (tl, ms) => {
    let k = 0;
    while (k + 1 < tl.times.length && tl.times[k + 1] <= ms) k++;
    return k;
  };
  const go = (k) => {
    current = Math.max(0, Math.min(t.times.length - 1, k));
    const ms = t.times[current];
    maps.forEach((map, i) => {
      // The shared slider's frame is the first map's; the others take theirs by time.
      // Frames at one time (two events at once) are told apart by their place: a map with the same times takes the same frame.
      const same = map.timeline.times.length === t.times.length && map.timeline.times.every((x, j) => x === t.times[j]);
      const frame = i === 0 || same ? current : frameFor(map.timeline, ms);
      if (frame !== map.frame) {
        map.frame = frame;
        map.placement = frameAt(map.timeline, frame);
        redraws[i]();
      }
      const el = document.getElementById(map.id);
      el.dataset.frame = String(frame);
      el.dataset.atMs = String(map.timeline.times[frame]);
    });
    if (onFrame) onFrame();
    slider.value = String(current);
    at.textContent = formatSimTime(ms);
    for (const chart of charts) {
      if (chart.config.type !== 'line') continue;
      chart.$timeCursor = ms / 60000;
      chart.draw();
    }
  };
  let timer = null;
  const stop = () => {
    if (timer !== null) window.clearTimeout(timer);
    timer = null;
    play.textContent = '▶';
    play.setAttribute('aria-label', 'play');
  };
  const step = () => {
    if (current >= t.times.length - 1) return stop();
    go(current + 1);
    timer = window.setTimeout(step, 350);
  };
  play.addEventListener('click', () => {
    if (timer !== null) return stop();
    if (current >= t.times.length - 1) go(0);
    play.textContent = '❚❚';
    play.setAttribute('aria-label', 'pause');
    timer = window.setTimeout(step, 350);
  });
  slider.addEventListener('input', () => {
    stop();
    go(Number(slider.value));
  });
  // The frame taken just after the event (at its time, the last of those), else the first after it.
  const frameOf = (atMs) => {
    let k = t.times.findIndex((x) => x > atMs);
    if (k < 0) k = t.times.length;
    return t.times[k - 1] === atMs ? k - 1 : Math.min(k, t.times.length - 1);
  };
  for (const b of document.querySelectorAll(`#${barId} .mark, #${barId} + ol.events .jump`)) {
    b.addEventListener('click', () => {
      stop();
      go(frameOf(Number(b.dataset.at)));
    });
  }
  go(current);
}

// The colour-by menu and the highlight box: they change the view and redraw every map.
function mountViewControls(data, view, redraw) {
  const select = document.getElementById('colour-by');
  const input = document.getElementById('highlight-app');
  const legend = document.getElementById('map-legend');
  const note = document.getElementById('highlight-note');
  if (!select || !input || !legend || data.maps.length === 0) return;
  const first = data.maps[0].placement;
  const show = () => {
    // The legend of a map that has the highlighted app (they all do, or some lack it).
    const holder = view.highlight === null ? first : (data.maps.find((m) => m.placement.apps.some((a) => a.guid === view.highlight)) || data.maps[0]).placement;
    const app = view.highlight === null ? -1 : holder.apps.findIndex((a) => a.guid === view.highlight);
    legend.innerHTML = legendHtml(holder, { colourBy: view.colourBy, highlight: app, ...(data.diffMaps ? { outline: new Set() } : {}) });
    if (view.highlight === null) note.textContent = '';
    else {
      const spread = data.maps.map((m) => {
        const i = m.placement.apps.findIndex((a) => a.guid === view.highlight);
        const s = i < 0 ? { instances: 0, cells: 0 } : appSpread(m.placement, i);
        return `${data.maps.length > 1 ? `${m.title}: ` : ''}${plural(s.instances, 'instance')} on ${plural(s.cells, 'cell')}`;
      });
      note.textContent = `${view.highlight}: ${spread.join('; ')}`;
    }
  };
  // Results saved before instances' states were recorded cannot be coloured by state.
  if (data.maps.some((m) => m.placement.cells.some((c) => c.lrps.length > 0 && typeof c.states !== 'string'))) {
    const option = select.querySelector('option[value=state]');
    option.disabled = true;
    option.textContent = 'state (not recorded in these results)';
  }
  select.value = view.colourBy;
  select.addEventListener('change', () => {
    view.colourBy = select.value;
    redraw();
    show();
  });
  input.addEventListener('input', () => {
    const guid = input.value.trim();
    // Only a guid some map has: a half-typed name keeps the last view.
    const known = guid === '' || data.maps.some((m) => m.placement.apps.some((a) => a.guid === guid));
    if (!known) return;
    view.highlight = guid === '' ? null : guid;
    redraw();
    show();
  });
  show();
}

// Under the failures chart: each reason with its explained example, opened by a click on the
// reason or on its bar.
function mountFailures(data) {
  const el = document.getElementById('failure-examples');
  if (!el || !data.failures || data.failures.length === 0) return;
  el.insertAdjacentHTML(
    'beforeend',
    data.failures
      .map((f, k) => {
        const ok = f.example && f.example.why;
        const body = ok ? renderWhy(f.example.why, data.rule, f.example.atMs) : `<p>${escapeHtml(f.noExample || 'No example explained.')}</p>`;
        const label = ok ? `example: ${escapeHtml(f.example.why.id)} at ${formatSimTime(Number(f.example.atMs))}` : 'no example';
        return `<details id="failure-${k}"><summary>${escapeHtml(f.reason)} <small>(${plural(f.count, 'auction')}; ${label})</small></summary><div class="why">${body}</div></details>`;
      })
      .join(''),
  );
}

// A click on a bar of the failures chart opens that reason's example (the bars and the examples
// are in the same order).
function openFailure(_event, elements) {
  const hit = elements && elements[0];
  const d = hit ? document.getElementById(`failure-${hit.index}`) : null;
  if (!d) return;
  d.open = true;
  d.scrollIntoView({ block: 'nearest' });
}

/**
 * Starts the report page: draws every chart and map from the embedded data, wires tooltips and
 * redraws maps when the width changes. Sets `data-ready` on the body when done (for tests).
 * @param {any} Chart the Chart.js constructor (the inlined UMD build)
 */
export function startReport(Chart) {
  const t0 = performance.now();
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const t1 = performance.now();
  Chart.register(faultMarkersPlugin, errorBarsPlugin, timeCursorPlugin);
  Chart.defaults.animation = false;
  // A label drawn on several lines (an array) reads as one line of words in the tooltip.
  Chart.defaults.plugins.tooltip.callbacks.title = (items) => {
    const item = items[0];
    if (!item) return '';
    const label = item.chart.data.labels && item.chart.data.labels[item.dataIndex];
    return Array.isArray(label) ? label.join(' ') : item.label;
  };
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const charts = [];
  for (const section of data.sections) {
    for (const spec of section.charts) {
      if (spec.id === 'failures' && data.failures && data.failures.length > 0) spec.config.options.onClick = openFailure;
      charts.push(new Chart(document.getElementById(spec.id), spec.config));
    }
  }
  mountFailures(data);
  const t2 = performance.now();
  const tooltip = document.getElementById('tooltip');
  // One view for every map: the colouring (by app while few enough apps, else by size) and the app
  // highlighted, by guid (each map finds it in its own app table).
  // A map with a timeline comes without its placement: its last frame is the run's end.
  for (const m of data.maps) {
    if (!m.timeline) continue;
    m.frame = m.timeline.times.length - 1;
    m.placement = frameAt(m.timeline, m.frame);
  }
  const view = { colourBy: data.maps.length > 0 ? defaultColourBy(data.maps[0].placement) : 'app', highlight: null };
  const redraws = data.maps.map((m) => mountMap(m, document.getElementById(m.id), tooltip, data.maps.length > 1, view));
  mountViewControls(data, view, () => redraws.forEach((f) => f()));
  // One slider for small multiples, else one per map.
  // A diff's two maps frame the cells where they differ, at every moment shown.
  const outline = data.diffMaps
    ? () => {
        // Each map's own cells that differ from the other's (indices are per map).
        const [pa, pb] = [data.maps[0].placement, data.maps[1].placement];
        data.maps[0].outline = differingCells(pa, pb);
        data.maps[1].outline = differingCells(pb, pa);
        redraws.forEach((f) => f());
        for (const m of data.maps) document.getElementById(m.id).dataset.differing = String(m.outline.size);
      }
    : undefined;
  if (outline) outline();
  if (document.getElementById('maps-timeline')) mountTimeline(data.maps, 'maps-timeline', redraws, charts, outline);
  else data.maps.forEach((m, i) => mountTimeline([m], `${m.id}-timeline`, [redraws[i]], charts));
  const t3 = performance.now();
  // How long each part took, for the browser test and the benchmark notes.
  document.body.dataset.timings = JSON.stringify({ parseMs: t1 - t0, chartsMs: t2 - t1, mapsMs: t3 - t2 });
  let lastWidth = window.innerWidth;
  window.addEventListener('resize', () => {
    if (window.innerWidth === lastWidth) return;
    lastWidth = window.innerWidth;
    requestAnimationFrame(() => redraws.forEach((f) => f()));
  });
  document.body.dataset.ready = 'true';
}
