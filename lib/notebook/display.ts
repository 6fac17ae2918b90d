/**
 * Rich output from tslab notebooks: tables and plotly figures that show up in live JupyterLab,
 * in a re-opened headless-executed (untrusted) notebook, and in the HTML reports.
 *
 * tslab's public API sends one MIME type per output, but a figure needs two at once:
 * `application/vnd.plotly.v1+json` (JupyterLab's plotly extension renders it, even untrusted; so do
 * VS Code and the project's HTML reports) and a short `text/plain`; a table sends HTML and text.
 * `displayBundle` is the one place that reaches into tslab's internal writer to send such a
 * bundle; outside a kernel (plain Node, tests) it prints the text/plain part instead.
 */
import { FrameLike, frameColumnNames, frameIndex, frameRowCount, frameRows } from '../data/frame';
import { spotifyUrl } from '../catalogue/export-playlist';

/** MIME type → content, as in a Jupyter display_data message. */
export type MimeBundle = Record<string, unknown>;

/** A plotly figure: what `Plotly.newPlot` takes. */
export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

interface TslabWriter {
  lastWriteDisplayData:
    ((data: { data: MimeBundle; metadata: object; transient: object }, update: boolean) => void) | null;
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
 * Which cell outputs go to now: tslab's writer for the running cell (a new one for each cell), or
 * null outside a kernel. A progress bar whose cell has ended sees another one and stops its clock.
 */
export function currentOutputTarget(): unknown {
  return tslabWriter()?.lastWriteDisplayData ?? null;
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
export function displayBundle(
  data: MimeBundle,
  options: { displayId?: string; update?: boolean; silent?: boolean } = {},
): 'jupyter' | 'console' {
  const writer = tslabWriter();
  if (writer?.lastWriteDisplayData) {
    writer.lastWriteDisplayData(
      { data, metadata: {}, transient: options.displayId ? { display_id: options.displayId } : {} },
      options.update ?? false,
    );
    return 'jupyter';
  }
  if (!writer && publicHtml(data)) return 'jupyter';
  const text = data['text/plain'];
  if (typeof text === 'string' && !options.silent) console.log(text);
  return 'console';
}

/** Text made safe inside HTML and inside a quoted attribute. */
function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** How `showTable` shows a table; every field is optional. */
export interface TableOptions {
  /** How many rows to show (default 10). */
  rows?: number;
  /** A caption before the shape. */
  title?: string;
  /**
   * Columns whose text links to a track's page on open.spotify.com: column shown → column holding
   * the row's track id, e.g. `{ track: 'track_id' }`. The text is HTML-escaped, the id URL-encoded;
   * a row without an id shows the text alone.
   */
  links?: Readonly<Record<string, string>>;
  /** Columns read (for links) but not shown. */
  hide?: readonly string[];
}

/**
 * A count as a reader expects it in a sentence, with thousands separated by commas.
 * @example formatCount(145602) // '145,602'
 */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * A compact HTML table (and a text one) of the first rows of a frame, with its shape. The frame is
 * any `FrameLike`: a danfojs DataFrame, or the row objects `queryRows` returns.
 * @example showTable(df, { rows: 5, title: 'Rows of one track' })
 * @example showTable(await queryRows(DB_PATH, 'SELECT genre, count(*) AS n FROM track GROUP BY genre'))
 * @example showTable(similarRows, { links: { track: 'track_id' }, hide: ['track_id'] }) // names link to Spotify
 */
export function showTable(df: FrameLike, options: TableOptions = {}): void {
  displayBundle(tableBundle(df, options));
}

/**
 * The bundle `showTable` sends: `text/html` and `text/plain`.
 * @example tableBundle(df)['text/plain'] // 'genre | artist_name | …'
 */
export function tableBundle(df: FrameLike, options: TableOptions = {}): MimeBundle {
  const limit = options.rows ?? 10;
  const allColumns = frameColumnNames(df);
  const links = options.links ?? {};
  for (const [column, idColumn] of Object.entries(links)) {
    for (const name of [column, idColumn])
      if (!allColumns.includes(name))
        throw new Error(
          `The table has no column "${name}" to link; its columns are ${allColumns.join(', ')} (links maps a shown column to the column of track ids).`,
        );
  }
  const hidden = new Set(options.hide ?? []);
  const shownAt = allColumns.flatMap((name, c) => (hidden.has(name) ? [] : [c]));
  const columns = shownAt.map((c) => allColumns[c]);
  const count = frameRowCount(df);
  const allRows = frameRows(df, limit);
  const rows = allRows.map((row) => shownAt.map((c) => row[c]));
  // The index is shown only when it holds labels (such as track ids); row numbers beside an id column are noise.
  const labels = frameIndex(df)?.slice(0, limit) ?? [];
  const index = labels.some((label) => typeof label !== 'number') ? labels : null;
  const format = (value: unknown): string =>
    typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(6)).toString() : String(value);
  const linkFrom = columns.map((name) => (name in links ? allColumns.indexOf(links[name]) : -1));
  const cell = (value: unknown, c: number, r: number): string => {
    const text = escapeHtml(format(value));
    const id = linkFrom[c] >= 0 ? allRows[r][linkFrom[c]] : null;
    if (id === null || id === undefined || id === '') return `<td>${text}</td>`;
    return `<td><a href="${escapeHtml(spotifyUrl(String(id)))}" target="_blank" rel="noopener noreferrer">${text}</a></td>`;
  };
  const caption = `${options.title ? `${options.title}: ` : ''}${count} rows × ${columns.length} columns${count > limit ? ` (first ${limit} shown)` : ''}`;
  const head = `<tr>${index ? '<th></th>' : ''}${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows
    .map(
      (row, r) =>
        `<tr>${index ? `<th>${escapeHtml(index[r])}</th>` : ''}${row.map((v, c) => cell(v, c, r)).join('')}</tr>`,
    )
    .join('');
  const html = `<div style="overflow-x:auto"><table class="dataframe" style="font-size:12px"><caption style="caption-side:top;text-align:left">${escapeHtml(caption)}</caption><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
  const text = [
    caption,
    columns.join(' | '),
    ...rows.map((row, r) => `${index ? `${index[r]}: ` : ''}${row.map(format).join(' | ')}`),
  ].join('\n');
  return { 'text/html': html, 'text/plain': text };
}

/** Numeric arrays at least this long are sent as plotly's typed arrays (base64), shorter ones as JSON lists. */
const TYPED_ARRAY_MIN_LENGTH = 1000;

/** The typed-array kinds plotly reads from `{ dtype, bdata }`, smallest first, with their ranges. */
const INTEGER_TYPES: readonly {
  dtype: string;
  min: number;
  max: number;
  bytes: number;
  write: (view: DataView, at: number, value: number) => void;
}[] = [
  { dtype: 'u1', min: 0, max: 255, bytes: 1, write: (view, at, value) => view.setUint8(at, value) },
  { dtype: 'i1', min: -128, max: 127, bytes: 1, write: (view, at, value) => view.setInt8(at, value) },
  { dtype: 'u2', min: 0, max: 65535, bytes: 2, write: (view, at, value) => view.setUint16(at, value, true) },
  { dtype: 'i2', min: -32768, max: 32767, bytes: 2, write: (view, at, value) => view.setInt16(at, value, true) },
  { dtype: 'u4', min: 0, max: 4294967295, bytes: 4, write: (view, at, value) => view.setUint32(at, value, true) },
  {
    dtype: 'i4',
    min: -2147483648,
    max: 2147483647,
    bytes: 4,
    write: (view, at, value) => view.setInt32(at, value, true),
  },
];

const FLOAT32 = {
  dtype: 'f4',
  bytes: 4,
  write: (view: DataView, at: number, value: number) => view.setFloat32(at, value, true),
};
const FLOAT64 = {
  dtype: 'f8',
  bytes: 8,
  write: (view: DataView, at: number, value: number) => view.setFloat64(at, value, true),
};

/**
 * A long list of finite numbers as plotly's typed-array form `{ dtype, bdata }` (base64 of the
 * little-endian values; plotly.js >= 2.28, https://plotly.com/javascript/reference/ "typed arrays"):
 * whole numbers in the smallest integer type that holds them (64-bit floats beyond 32 bits; exact),
 * others as 32-bit floats (seven significant digits, finer than any screen). Anything else (a short
 * list, a gap, a text) comes back unchanged.
 * @example typedArraySpec(new Array(1000).fill(7)) // { dtype: 'u1', bdata: 'BwcH…' }
 */
export function typedArraySpec(values: unknown): unknown {
  if (
    !(Array.isArray(values) || isTypedArray(values)) ||
    (values as ArrayLike<unknown>).length < TYPED_ARRAY_MIN_LENGTH
  )
    return values;
  const list = values as ArrayLike<unknown>;
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) return values;
    if (value < min) min = value;
    if (value > max) max = value;
    if (whole && !Number.isInteger(value)) whole = false;
  }
  const type = (whole && INTEGER_TYPES.find((t) => min >= t.min && max <= t.max)) || (whole ? FLOAT64 : FLOAT32);
  const buffer = new ArrayBuffer(list.length * type.bytes);
  const view = new DataView(buffer);
  for (let i = 0; i < list.length; i++) type.write(view, i * type.bytes, list[i] as number);
  return { dtype: type.dtype, bdata: Buffer.from(buffer).toString('base64') };
}

function isTypedArray(value: unknown): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** A trace with its long numeric arrays (at any depth: x, y, marker.size, …) in typed-array form. */
function compactTrace(value: unknown): unknown {
  if (Array.isArray(value) || isTypedArray(value)) {
    const typed = typedArraySpec(value);
    if (typed !== value) return typed;
    return Array.from(value as ArrayLike<unknown>, compactTrace);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, compactTrace(item)]));
  }
  return value;
}

/**
 * The bundle `show` sends for a figure: plotly's own MIME type, which JupyterLab's plotly extension
 * (installed in the project's .venv; it renders untrusted notebooks too), VS Code and the project's
 * HTML reports (scripts/report.js) draw, and a short text for everything else. No plotly.js and no
 * HTML copy: a figure costs its data once, and long numeric arrays travel as base64 typed arrays.
 * @example Object.keys(figureBundle(fig)) // ['application/vnd.plotly.v1+json', 'text/plain']
 */
export function figureBundle(figure: Figure): MimeBundle {
  const title = (figure.layout.title as { text?: string } | undefined)?.text || 'untitled';
  const traces = figure.data.length;
  const text = `<plotly figure: ${title}; ${traces} trace${traces === 1 ? '' : 's'}>`;
  return {
    'application/vnd.plotly.v1+json': { data: figure.data.map(compactTrace), layout: figure.layout },
    'text/plain': text,
  };
}

/**
 * Display a plotly figure in the notebook (see the module comment for where it renders).
 * @example show(histogram(popularity, { title: 'Popularity' }))
 */
export function show(figure: Figure): void {
  displayBundle(figureBundle(figure));
}
