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

/**
 * Draws the placement map: each cell a box whose area is its memory, instances filled in as blocks
 * coloured by app (filled row by row from the bottom, so a cell fills up like a tank), tasks in
 * dark grey, free memory light grey; dead cells pink with a cross, evacuating cells with an orange
 * border, partitioned cells with a purple one. It writes pixels into one buffer and puts it once:
 * at 250,000 instances that is a few million array writes instead of a million canvas calls.
 * @param {CanvasRenderingContext2D} ctx where to draw (its transform is reset)
 * @param {{apps: {memoryMB: number}[], cells: {id: string, zone: string, status: string, memoryMB: number, lrps: number[], taskMemoryMB: number}[]}} placement the snapshot
 * @param {ReturnType<typeof layoutMap>} layout from {@link layoutMap}
 * @param {number} [scale] device pixels per layout pixel
 * @returns {number} the number of cells drawn
 */
export function drawMap(ctx, placement, layout, scale = 1) {
  const { apps, cells } = placement;
  const W = Math.max(1, Math.ceil(layout.width * scale));
  const H = Math.max(1, Math.ceil(layout.height * scale));
  const S = Math.max(1, Math.floor(layout.size * scale));
  const area = S * S;
  const img = ctx.createImageData(W, H);
  const buf = new Uint32Array(img.data.buffer, img.data.byteOffset, W * H);
  buf.fill(0xffffffff);
  const colours = new Uint32Array(apps.length);
  for (let i = 0; i < apps.length; i++) colours[i] = appPixel(i);
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
    let acc = 0;
    const lrps = cell.lrps;
    for (let i = 0; i < lrps.length; ) {
      const app = lrps[i];
      let j = i;
      let mb = 0;
      while (j < lrps.length && lrps[j] === app) {
        mb += apps[app].memoryMB;
        j++;
      }
      const a = Math.round(acc);
      acc = Math.min(area, acc + mb * perMB);
      run(x0, y0, a, Math.min(area, Math.max(a + 1, Math.round(acc))), colours[app]);
      i = j;
    }
    if (cell.taskMemoryMB > 0) {
      const a = Math.round(acc);
      acc = Math.min(area, acc + cell.taskMemoryMB * perMB);
      run(x0, y0, a, Math.min(area, Math.max(a + 1, Math.round(acc))), tasks);
    }
    if (cell.status === 'evacuating' || cell.status === 'partitioned') {
      const c = cell.status === 'evacuating' ? evacuating : partitioned;
      const t = Math.max(1, Math.round(2 * scale));
      for (let d = 0; d < S; d++) {
        for (let e = 0; e < t; e++) {
          buf[(y0 + e) * W + x0 + d] = c;
          buf[(y0 + S - 1 - e) * W + x0 + d] = c;
          buf[(y0 + d) * W + x0 + e] = c;
          buf[(y0 + d) * W + x0 + S - 1 - e] = c;
        }
      }
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

function cellTooltip(placement, i) {
  const c = placement.cells[i];
  const counts = new Map();
  for (const a of c.lrps) counts.set(a, (counts.get(a) || 0) + 1);
  const top = [...counts].sort((p, q) => q[1] - p[1]).slice(0, 5);
  const lines = [
    `<b>${escapeHtml(c.id)}</b> · ${escapeHtml(c.zone)} · ${c.status}`,
    `memory ${c.usedMemoryMB} / ${c.memoryMB} MB · disk ${c.usedDiskMB} / ${c.diskMB} MB`,
    `containers ${c.usedContainers} / ${c.containers} (${c.starting} starting)`,
    `${c.lrps.length} instances, ${c.tasks} tasks`,
  ];
  for (const [a, n] of top) lines.push(`<span class="swatch" style="background:${appColour(a)}"></span>${escapeHtml(placement.apps[a].guid)} × ${n}`);
  if (counts.size > top.length) lines.push(`… and ${counts.size - top.length} more apps`);
  return lines.join('<br>');
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function mountMap(el, placement, tooltip, small) {
  const canvas = el.querySelector('canvas');
  let layout = null;
  const draw = () => {
    const width = Math.max(120, el.clientWidth);
    layout = layoutMap(placement, width, small ? 220 : Math.min(560, Math.max(260, window.innerHeight * 0.6)));
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.ceil(layout.width * dpr);
    canvas.height = Math.ceil(layout.height * dpr);
    canvas.style.width = `${layout.width}px`;
    canvas.style.height = `${layout.height}px`;
    el.dataset.cellsDrawn = String(drawMap(canvas.getContext('2d'), placement, layout, dpr));
  };
  draw();
  const show = (clientX, clientY) => {
    const r = canvas.getBoundingClientRect();
    const i = cellAt(layout, clientX - r.left, clientY - r.top);
    if (i < 0) {
      tooltip.hidden = true;
      return;
    }
    tooltip.innerHTML = cellTooltip(placement, i);
    tooltip.hidden = false;
    const left = Math.min(clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
    tooltip.style.left = `${Math.max(4, left) + window.scrollX}px`;
    tooltip.style.top = `${clientY + 14 + window.scrollY}px`;
  };
  canvas.addEventListener('mousemove', (e) => show(e.clientX, e.clientY));
  canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
  canvas.addEventListener('click', (e) => show(e.clientX, e.clientY));
  return draw;
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
  Chart.register(faultMarkersPlugin, errorBarsPlugin);
  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  for (const section of data.sections) {
    for (const spec of section.charts) new Chart(document.getElementById(spec.id), spec.config);
  }
  const t2 = performance.now();
  const tooltip = document.getElementById('tooltip');
  const redraws = data.maps.map((m) => mountMap(document.getElementById(m.id), m.placement, tooltip, data.maps.length > 1));
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
