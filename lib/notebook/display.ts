/**
 * Rich output from tslab notebooks: tables and plotly figures that show up in live JupyterLab,
 * in a re-opened headless-executed (untrusted) notebook, and in nbconvert's HTML export.
 *
 * tslab's public API sends one MIME type per output, but a figure needs several at once:
 * `application/vnd.plotly.v1+json` (JupyterLab's plotly extension renders it, even untrusted),
 * `text/html` with a script that draws it (nbconvert's HTML, trusted JupyterLab) and `text/plain`.
 * `displayBundle` is the one place that reaches into tslab's internal writer to send such a
 * bundle; outside a kernel (plain Node, tests) it prints the text/plain part instead.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { FrameLike, frameColumnNames, frameIndex, frameRowCount, frameRows } from '../data/frame';

/** MIME type → content, as in a Jupyter display_data message. */
export type MimeBundle = Record<string, unknown>;

/** A plotly figure: what `Plotly.newPlot` takes. */
export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

interface TslabWriter {
  lastWriteDisplayData: ((data: { data: MimeBundle; metadata: object; transient: object }, update: boolean) => void) | null;
}

function tslabWriter(): TslabWriter | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('tslab/dist/jupyter') as TslabWriter;
  } catch {
    return null;
  }
}

/**
 * Fallback for a tslab whose internals moved: its public API sends one MIME type per output, so
 * send the HTML (or the text) alone. False outside a kernel ("Not ready").
 */
function publicHtml(data: MimeBundle): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { display } = require('tslab') as { display: { html(s: string): void; text(s: string): void } };
    if (typeof data['text/html'] === 'string') display.html(data['text/html']);
    else if (typeof data['text/plain'] === 'string') display.text(data['text/plain']);
    else return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * Send one output carrying several MIME types. Returns where it went: `'jupyter'` inside a tslab
 * kernel, `'console'` elsewhere (the text/plain part is printed unless `silent`).
 * @example displayBundle({ 'text/html': '<b>hi</b>', 'text/plain': 'hi' }) // 'jupyter' in a notebook
 */
export function displayBundle(data: MimeBundle, options: { displayId?: string; update?: boolean; silent?: boolean } = {}): 'jupyter' | 'console' {
  const writer = tslabWriter();
  if (writer?.lastWriteDisplayData) {
    writer.lastWriteDisplayData({ data, metadata: {}, transient: options.displayId ? { display_id: options.displayId } : {} }, options.update ?? false);
    return 'jupyter';
  }
  if (!writer && publicHtml(data)) return 'jupyter';
  const text = data['text/plain'];
  if (typeof text === 'string' && !options.silent) console.log(text);
  return 'console';
}

function escapeHtml(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A compact HTML table (and a text one) of the first rows of a frame, with its shape. The frame is
 * any `FrameLike`: a danfojs DataFrame, or the row objects `queryRows` returns.
 * @example showTable(df, { rows: 5, title: 'Rows of one track' })
 * @example showTable(await queryRows(DB_PATH, 'SELECT genre, count(*) AS n FROM track GROUP BY genre'))
 */
export function showTable(df: FrameLike, options: { rows?: number; title?: string } = {}): void {
  displayBundle(tableBundle(df, options));
}

/**
 * The bundle `showTable` sends: `text/html` and `text/plain`.
 * @example tableBundle(df)['text/plain'] // 'genre | artist_name | …'
 */
export function tableBundle(df: FrameLike, options: { rows?: number; title?: string } = {}): MimeBundle {
  const limit = options.rows ?? 10;
  const columns = frameColumnNames(df);
  const count = frameRowCount(df);
  const rows = frameRows(df, limit);
  const index = frameIndex(df)?.slice(0, limit) ?? rows.map((_, i) => i);
  const format = (value: unknown): string => (typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(6)).toString() : String(value));
  const caption = `${options.title ? `${options.title}: ` : ''}${count} rows × ${columns.length} columns${count > limit ? ` (first ${limit} shown)` : ''}`;
  const head = `<tr><th></th>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((row, r) => `<tr><th>${escapeHtml(index[r])}</th>${row.map((v) => `<td>${escapeHtml(format(v))}</td>`).join('')}</tr>`).join('');
  const html = `<div style="overflow-x:auto"><table class="dataframe" style="font-size:12px"><caption style="caption-side:top;text-align:left">${escapeHtml(caption)}</caption><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
  const text = [caption, columns.join(' | '), ...rows.map((row, r) => `${index[r]}: ${row.map(format).join(' | ')}`)].join('\n');
  return { 'text/html': html, 'text/plain': text };
}

let plotlyEmbedded = false;

/**
 * plotly.js as an inline script, once per kernel session: the first figure carries it, later ones
 * use the global it defines. `define`/`module` are hidden so the UMD bundle sets `window.Plotly`
 * even on pages that load RequireJS (nbconvert's templates do).
 */
function plotlyScript(): string {
  if (plotlyEmbedded) return '';
  plotlyEmbedded = true;
  const source = readFileSync(require.resolve('plotly.js-dist/plotly.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  return `<script type="text/javascript">if (!window.Plotly) { (function (define, module, exports) {\n${source}\n}).call(window); }</script>`;
}

/** Forget that plotly.js was embedded (for tests). */
export function resetPlotlyEmbedding(): void {
  plotlyEmbedded = false;
}

/**
 * The bundle `show` sends for a figure: plotly's own MIME type, an HTML version that draws itself
 * with plotly.js (embedded once per session, no network needed), and a short text.
 * @example Object.keys(figureBundle(fig)) // ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']
 */
export function figureBundle(figure: Figure): MimeBundle {
  const id = `plot-${randomUUID()}`;
  const height = Number(figure.layout.height ?? 420);
  const json = JSON.stringify({ data: figure.data, layout: figure.layout }).replace(/<\//g, '<\\/');
  const html = `${plotlyScript()}<div id="${id}" class="plotly-graph-div" style="height:${height}px; width:100%;"></div>` +
    `<script type="text/javascript">(function () { var figure = ${json}; var draw = function () { window.Plotly.newPlot("${id}", figure.data, figure.layout, { responsive: true }); }; if (window.Plotly) { draw(); } else { var tries = 0; var wait = setInterval(function () { if (window.Plotly || ++tries > 100) { clearInterval(wait); if (window.Plotly) draw(); } }, 100); } })();</script>`;
  const title = (figure.layout.title as { text?: string } | undefined)?.text ?? 'figure';
  const text = `<plotly figure: ${title}; ${figure.data.length} trace${figure.data.length === 1 ? '' : 's'}>`;
  return { 'application/vnd.plotly.v1+json': { data: figure.data, layout: figure.layout }, 'text/html': html, 'text/plain': text };
}

/**
 * Display a plotly figure in the notebook (see the module comment for where it renders).
 * @example show(histogram(popularity, { title: 'Popularity' }))
 */
export function show(figure: Figure): void {
  displayBundle(figureBundle(figure));
}
