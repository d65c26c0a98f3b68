// Renders a report model as one self-contained HTML file: Chart.js and the drawing code inlined,
// the data embedded as JSON, a content security policy that forbids any network request.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ReportModel } from './build.js';
import { formatFigure } from './format.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Chart.js's UMD build (it sets `window.Chart`), without its source-map comment. */
function chartJsSource(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
}

/** The shared drawing code (src/report/client/report-client.js), as source text. */
function clientSource(): string {
  return readFileSync(new URL('./client/report-client.js', import.meta.url), 'utf8');
}

/** JSON safe inside a script element. */
function embed(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}


// A figure with its sign (differences): +1.5, -0.2, 0.
const signed = (x: number) => (x > 0 ? `+${formatFigure(x)}` : formatFigure(x));

function table(m: ReportModel): string {
  const t = m.table;
  if (!t) return '';
  // Each cell names its figure (data-label), so on a phone each row becomes a card of labelled lines.
  const head = t.columns.map((c) => `<th title="${esc(c.name)}: ${esc(c.better)} is better">${esc(c.label)}<br><small>${c.better === 'lower' ? '↓' : '↑'} better</small></th>`).join('');
  const label = (i: number) => {
    const c = t.columns[i]!;
    return ` data-label="${esc(c.unit === 'ms' || c.unit === 'MB' ? `${c.name} (${c.unit})` : c.name)}"`;
  };
  const rows = t.rows
    .map((r) => `<tr><th scope="row">${esc(r.label)}</th>${r.cells.map((c, i) => (c.mean === null || !Number.isFinite(c.mean) ? `<td${label(i)} title="no run had this figure">n/a</td>` : `<td${label(i)}${c.best ? ' class="best"' : ''}>${formatFigure(c.mean)} <small>[${formatFigure(c.lo)}, ${formatFigure(c.hi)}]</small></td>`)).join('')}</tr>`)
    .join('\n');
  const words = { better: 'better', worse: 'worse', same: '', undecided: 'undecided' } as const;
  const diffRows = t.diffs
    .map((r) => `<tr><th scope="row">${esc(r.label)}</th>${r.cells.map((c, i) => (c === null || !Number.isFinite(c.mean) ? `<td${label(i)}>n/a</td>` : `<td${label(i)} class="${c.verdict}">${signed(c.mean)} <small>[${signed(c.lo)}, ${signed(c.hi)}]${words[c.verdict] ? ` ${words[c.verdict]}` : ''}</small></td>`)).join('')}</tr>`)
    .join('\n');
  const diffs =
    t.diffs.length === 0
      ? ''
      : `<h3>Paired difference from ${esc(t.baseline)}</h3><p class="caption">Each point minus ${esc(t.baseline)}, seed by seed, with its 95% bootstrap interval: green where it is better by an interval clear of zero, red where worse; undecided on fewer than three seeds.</p>
<div class="scroll"><table class="compare diffs"><thead><tr><th>point</th>${head}</tr></thead><tbody>${diffRows}</tbody></table></div>`;
  return `<section><h2>Comparison</h2><p class="caption">Mean over seeds with its 95% bootstrap interval; highlighted, the point that beats every other on a figure by a paired difference clear of zero, if one does.</p>
<div class="scroll"><table class="compare"><thead><tr><th>point</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>${diffs}</section>`;
}

// The slider over a map's timeline, with play/pause, the time shown, and the scenario's events as
// marks to jump to (the client wires them).
function timelineBar(p: ReportModel['maps'][number], id = `${p.id}-timeline`): string {
  const t = p.timeline;
  if (!t || t.times.length < 2) return '';
  const end = t.times[t.times.length - 1] as number;
  const events = p.events.filter((e) => e.atMs <= end);
  const marks = events
    .map((e, i) => `<button type="button" class="mark" data-at="${e.atMs}" style="left:${((100 * e.atMs) / Math.max(end, 1)).toFixed(2)}%" title="${esc(e.label)} at ${(e.atMs / 60_000).toFixed(1)} min" aria-label="jump to ${esc(e.label)}">${i + 1}</button>`)
    .join('');
  const list = events.map((e, i) => `<li><button type="button" class="jump" data-at="${e.atMs}">${i + 1}. ${esc(e.label)}</button> <small>${(e.atMs / 60_000).toFixed(1)} min</small></li>`).join('');
  return `<div class="timeline" id="${esc(id)}"><button type="button" class="play" aria-label="play">▶</button><div class="track"><input type="range" min="0" max="${t.times.length - 1}" value="${t.times.length - 1}" step="1" aria-label="simulated time"><div class="marks">${marks}</div></div><output class="at"></output></div>${list ? `<ol class="events">${list}</ol>` : ''}`;
}

// A diff's figures: per pair of points, each figure of a and b, b - a with its interval, and the verdict.
function diffTables(m: ReportModel): string {
  const d = m.diff;
  if (!d) return '';
  const est = (x: { mean: number; lo: number; hi: number; n: number }, sign = false) =>
    x.n === 0 ? 'n/a' : `${sign ? signed(x.mean) : formatFigure(x.mean)}${x.lo === x.hi ? '' : ` <small>[${sign ? signed(x.lo) : formatFigure(x.lo)}, ${sign ? signed(x.hi) : formatFigure(x.hi)}]</small>`}`;
  const tables = d.pairs
    .map((p) => {
      const rows = p.figures
        .map((f) => `<tr><th scope="row">${esc(f.name)}<br><small>${f.better === 'lower' ? '↓' : '↑'} better</small></th><td data-label="a">${est(f.a)}</td><td data-label="b">${est(f.b)}</td><td data-label="b - a" class="${f.diff.n === 0 ? '' : f.verdict}">${est(f.diff, true)}</td><td data-label="verdict for b">${f.diff.n === 0 ? '' : `${esc(f.verdict)} <small>(${f.diff.n} seed${f.diff.n === 1 ? '' : 's'})</small>`}</td></tr>`)
        .join('\n');
      return `<h3>${esc(p.a === p.b ? p.b : `${p.b} (b) against ${p.a} (a)`)}</h3><div class="scroll"><table class="compare diffs"><thead><tr><th>figure</th><th>a</th><th>b</th><th>b - a [95% interval]</th><th>verdict for b</th></tr></thead><tbody>${rows}</tbody></table></div>`;
    })
    .join('\n');
  return `<section><h2>Figures, b against a</h2><p class="caption">Paired by seed over the seeds both ran (the same workloads and faults): each figure's mean with its 95% bootstrap interval; green where b is better by an interval clear of zero, red where worse; undecided on fewer than three seeds.</p>${tables}</section>`;
}

function maps(m: ReportModel): string {
  if (m.maps.length === 0) return '';
  const small = m.maps.length > 1;
  // Small multiples with timelines share one slider: every map at the same moment.
  const shared = small && m.maps.every((p) => p.timeline !== null);
  const items = m.maps
    .map((p) => `<figure class="map${small ? ' small' : ''}"><figcaption>${esc(p.title)} <small>(${p.placement.cells.length} cells, ${p.placement.cells.reduce((n, c) => n + c.lrps.length, 0)} instances at the end)</small></figcaption>${shared ? '' : timelineBar(p)}<div class="map-canvas" id="${esc(p.id)}"><canvas></canvas><div class="selected" hidden></div></div><div class="cell-panel" id="${esc(p.id)}-panel" aria-live="polite"></div></figure>`)
    .join('\n');
  // The app guids of every map, for the highlight box's suggestions (at most 10,000).
  const guids = [...new Set(m.maps.flatMap((p) => p.placement.apps.map((a) => a.guid)))].sort().slice(0, 10_000);
  const controls = `<div class="map-controls"><label>Colour by <select id="colour-by"><option value="app">app</option><option value="size">size (memory per instance)</option><option value="zone">zone</option><option value="state">state (running, starting)</option></select></label>
<label>Highlight an app <input id="highlight-app" list="app-guids" placeholder="process guid" autocomplete="off" spellcheck="false"></label> <span id="highlight-note" aria-live="polite"></span>
<datalist id="app-guids">${guids.map((g) => `<option value="${esc(g)}">`).join('')}</datalist></div>`;
  const legend = `<p class="legend" id="map-legend"></p><p class="caption">Each box's area is the cell's memory. Hover a cell for its state; click or tap it for its instances, and an instance for why it is there.</p>`;
  const together = shared ? timelineBar(m.maps[0]!, 'maps-timeline') : '';
  const heading = m.kind === 'diff' ? 'Placement maps, a and b (cells that differ framed black)' : small ? 'Placement maps (first seed of each point)' : 'Placement map';
  return `<section><h2>${heading}</h2>${controls}${legend}${together}<div class="${m.kind === 'diff' ? 'multiples pair' : small ? 'multiples' : ''}">${items}</div></section>`;
}

// Under the failures chart of a run: each reason, filled in by the client with its explained example.
function failureExamples(m: ReportModel, chartId: string): string {
  if (chartId !== 'failures' || m.failureExamples.length === 0) return '';
  return `<div class="failure-examples" id="failure-examples"><p class="caption">Click a bar or a reason for an example: the first auction that failed with it, explained.</p></div>`;
}

function sections(m: ReportModel): string {
  return m.sections
    .map((s) => `<section><h2>${esc(s.title)}</h2><div class="charts">${s.charts
      .map((c) =>
        c.empty !== undefined
          ? `<figure class="chart-card empty" id="${esc(c.id)}"><figcaption>${esc(c.title)}</figcaption><p class="nothing">${esc(c.empty)}</p></figure>`
          : `<figure class="chart-card"><figcaption>${esc(c.title)}</figcaption><div class="chart"><canvas id="${esc(c.id)}" role="img" aria-label="${esc(c.title)}"></canvas></div><p class="caption">${esc(c.caption)}</p>${failureExamples(m, c.id)}</figure>`,
      )
      .join('\n')}</div></section>`)
    .join('\n');
}

const STYLE = `
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1d;background:#fafafa}
main{max-width:1400px;margin:0 auto;padding:16px}h1{font-size:1.35rem;margin:.2rem 0 .6rem}h2{font-size:1.1rem;margin:1.4rem 0 .5rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
dl.facts{display:grid;grid-template-columns:fit-content(45%) minmax(0,1fr);gap:.15rem .8rem;margin:0}dl.facts dt{color:#666;overflow-wrap:anywhere}dl.facts dd{margin:0;overflow-wrap:anywhere}
code{background:#eee;padding:.15rem .35rem;border-radius:3px;overflow-wrap:anywhere;font-size:.85rem}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,420px),1fr));gap:14px}
figure{margin:0}.chart-card{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:8px}.chart-card figcaption,.map figcaption{font-weight:600}
.chart{position:relative;height:260px}.chart-card.empty{align-self:start}.nothing{color:#444;margin:.4rem 0 .2rem}.caption{color:#555;font-size:.85rem;margin:.3rem 0 0}
.map{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:8px}.map-canvas{width:100%;position:relative}.map-canvas canvas{display:block;cursor:pointer}
.selected{position:absolute;border:2px solid #0b57d0;box-shadow:0 0 0 1px #fff;pointer-events:none}
.timeline{display:flex;align-items:center;gap:.6rem;margin:.3rem 0 .2rem}.timeline .track{position:relative;flex:1;padding-bottom:20px}.timeline input{width:100%;margin:0}
.timeline .marks{position:absolute;left:8px;right:8px;top:22px;height:18px}.timeline .mark{position:absolute;transform:translateX(-50%);font:inherit;font-size:.7rem;line-height:1;padding:2px 4px;border:1px solid #c0392b;color:#c0392b;background:#fff;border-radius:3px;cursor:pointer}
.timeline .play{font:inherit;width:2.4em;height:2em;cursor:pointer}.timeline .at{min-width:7.5em;font-variant-numeric:tabular-nums;font-size:.85rem}
ol.events{font-size:.8rem;margin:.2rem 0 .4rem;padding-left:0;list-style:none;display:flex;flex-wrap:wrap;gap:.2rem .8rem}ol.events button{font:inherit;border:0;background:none;color:#0b57d0;cursor:pointer;padding:0;text-decoration:underline}
.cell-panel:empty{display:none}.cell-panel{margin-top:8px;border-top:1px solid #e2e2e2;padding-top:6px;font-size:.85rem;overflow-wrap:anywhere}
.cell-panel ul{list-style:none;padding:0;margin:.3rem 0}.cell-panel li{margin:.15rem 0}
button.inst{font:inherit;font-size:.8rem;margin:1px;padding:1px 6px;border:1px solid #888;border-radius:3px;background:#fff;cursor:pointer;min-width:2.2em}
button.inst.unexplained{border-style:dashed;color:#666}button.inst[aria-pressed=true]{background:#0b57d0;color:#fff;border-color:#0b57d0}
.why{background:#f6f8fb;border:1px solid #d5dde8;border-radius:4px;padding:6px 8px;margin-top:6px}.why p{margin:.2rem 0}.why ul{margin:.2rem 0 .2rem 1.1rem;padding:0;list-style:disc}
.why table{border-collapse:collapse;font-size:.78rem;margin:.3rem 0;display:block;overflow-x:auto;max-width:100%}.why th,.why td{border:1px solid #d5dde8;padding:.15rem .35rem;text-align:right;white-space:nowrap;font-family:inherit}.why th:first-child,.why td:first-child,.why td:nth-child(2){text-align:left}
.why .win{font-weight:600}.failure-examples details{margin:.25rem 0}.failure-examples summary{cursor:pointer}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,300px),1fr));gap:14px}.multiples.pair{grid-template-columns:repeat(auto-fit,minmax(min(100%,480px),1fr))}
.legend{font-size:.85rem;color:#444;margin:.3rem 0 0}.legend .entry{white-space:nowrap}.map-controls{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;font-size:.85rem}.map-controls select,.map-controls input{font:inherit;padding:2px 4px;max-width:100%}#highlight-note{color:#444}.swatch{display:inline-block;width:.85em;height:.85em;margin:0 .25em 0 .6em;vertical-align:-.1em;border-radius:2px}
.scroll{overflow-x:auto}table.compare{border-collapse:collapse;background:#fff;font-size:.85rem}table.compare th,table.compare td{border:1px solid #ddd;padding:.3rem .45rem;text-align:right;white-space:nowrap}
table.compare th[scope=row],table.compare thead th:first-child{text-align:left}table.compare th[scope=row]{white-space:normal;min-width:7em;max-width:14em;overflow-wrap:anywhere}table.compare td.best{background:#d8f3dc;font-weight:600}
table.compare td small{display:block;color:#555;white-space:normal;min-width:6em}table.compare{width:100%}
table.diffs td.better{background:#d8f3dc}table.diffs td.worse{background:#f8d7da}table.diffs td.undecided{color:#666}h3{font-size:1rem;margin:1rem 0 .3rem}
.ok{color:#1b7f3b}.broken{color:#b00020;font-weight:600}
#tooltip{position:absolute;z-index:10;background:#fff;border:1px solid #999;border-radius:4px;padding:6px 8px;font-size:12px;box-shadow:0 2px 8px rgba(0,0,0,.15);pointer-events:none;max-width:min(90vw,420px)}
details{margin-top:1rem}details table{font-size:.8rem;border-collapse:collapse}details td{padding:.1rem .5rem;font-family:ui-monospace,monospace;overflow-wrap:anywhere}
@media (max-width:600px){main{padding:8px}.chart{height:220px}
.scroll{overflow-x:visible}table.compare,table.compare tbody,table.compare tr,table.compare th,table.compare td{display:block}table.compare thead{display:none}
table.compare tr{border:1px solid #ddd;border-radius:6px;margin:0 0 8px;background:#fff;padding:4px 6px}table.compare th[scope=row]{border:0;font-size:.95rem;padding:.2rem 0}
table.compare td{border:0;border-top:1px solid #eee;text-align:right;white-space:normal;padding:.25rem 0}table.compare td::before{content:attr(data-label);float:left;color:#555;text-align:left;padding-right:.5rem}}
`;

/** Renders the report as one HTML file that works offline from `file://` and makes no network request. */
export function renderHtml(m: ReportModel): string {
  const facts = m.facts.map((f) => `<dt>${esc(f.label)}</dt><dd>${f.label === 'digest' ? `<code>${esc(f.value)}</code>` : esc(f.value)}</dd>`).join('');
  const expectations = m.expectations.length === 0 ? '' : `<p>Expectations: ${m.expectations.map((e) => `<span class="${e.ok ? 'ok' : 'broken'}">${esc(e.name)} ${e.ok ? 'kept' : 'BROKEN'}</span> (${esc(e.detail)})`).join('; ')}</p>`;
  const digests = `<details><summary>Digests of every run (${m.digests.length})</summary><table>${m.digests.map((d) => `<tr><td>${esc(d.label)}</td><td>seed ${d.seed}</td><td>${esc(d.digest)}</td></tr>`).join('')}</table></details>`;
  const data = {
    // A chart with nothing to draw is a line of text in the page: no data, no canvas.
    sections: m.sections.map((s) => ({ charts: s.charts.filter((c) => c.empty === undefined).map((c) => ({ id: c.id, config: c.config })) })),
    // A map with a timeline is its last frame: the client rebuilds it rather than the page carry it twice.
    maps: m.maps.map((p) => (p.timeline ? { ...p, placement: null } : p)),
    failures: m.failureExamples,
    // A diff of two runs frames the cells where their maps differ.
    diffMaps: m.kind === 'diff' && m.maps.length === 2,
    rule: m.rule,
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(m.title)}</title><style>${STYLE}</style></head>
<body><main>
<header><h1>${esc(m.title)}</h1><dl class="facts">${facts}</dl>
<p>Reproduce: <code>${esc(m.reproduce)}</code></p>${expectations}</header>
${table(m)}
${diffTables(m)}
${maps(m)}
${sections(m)}
${digests}
</main><div id="tooltip" hidden></div>
<script id="report-data" type="application/json">${embed(data)}</script>
<script>${chartJsSource()}</script>
<script type="module">${clientSource()}
startReport(window.Chart);
</script>
</body></html>
`;
}
