/**
 * Figure builders: each returns a plain plotly figure (`{ data, layout }`) that tests can inspect
 * and `show()` (display.ts) draws in a notebook.
 */
import { Figure } from './display';
import { FrameLike, frameColumn, frameColumnNames, frameRowCount } from '../data/frame';

/** Options shared by the figure builders. */
export interface FigureOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  height?: number;
}

export function layoutOf(options: FigureOptions, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: options.title ?? '' },
    xaxis: { title: { text: options.xTitle ?? '' } },
    yaxis: { title: { text: options.yTitle ?? '' } },
    height: options.height ?? 420,
    margin: { l: 60, r: 20, t: 50, b: 50 },
    template: { layout: { font: { family: 'sans-serif' } } },
    ...extra,
  };
}

/** Values up to this many go to plotly as they are; more are counted into bins first ({@link histogram}). */
export const HISTOGRAM_RAW_LIMIT = 1000;

/**
 * A histogram of numbers (the original notebook's `sns.histplot(df, x=...)`). Up to
 * {@link HISTOGRAM_RAW_LIMIT} values are sent as they are and plotly bins them (`bins`: at most
 * that many); more are counted here, so the figure carries one centre and one count per bin
 * whatever the number of values (two million tracks make a figure of a few kilobytes): `bins`
 * bins (default 50) of a round width (1, 2 or 5 times a power of ten), centred on whole numbers
 * when the values are whole, drawn by plotly as the same histogram (`histfunc: 'sum'` over the
 * bin centres). Values that are not finite are left out.
 * @example histogram([1, 2, 2, 3], { title: 'Popularity', xTitle: 'popularity' }).data[0].type // 'histogram'
 * @example histogram(Array.from({ length: 5000 }, (_, i) => i % 101), { bins: 101 }).data[0].y.length // 101
 */
export function histogram(values: ArrayLike<number>, options: FigureOptions & { bins?: number } = {}): Figure {
  const layout = layoutOf({ yTitle: 'count', ...options }, { bargap: 0.02 });
  if (values.length <= HISTOGRAM_RAW_LIMIT) {
    const trace: Record<string, unknown> = { type: 'histogram', x: Array.from(values), marker: { color: '#4c72b0' } };
    if (options.bins) trace.nbinsx = options.bins;
    return { data: [trace], layout };
  }
  const { start, size, counts } = binCounts(values, options.bins ?? 50);
  const round = (v: number) => Number(v.toPrecision(12));
  const trace = {
    type: 'histogram',
    histfunc: 'sum',
    x: Array.from(counts, (_, b) => round(start + (b + 0.5) * size)),
    y: Array.from(counts),
    autobinx: false,
    xbins: { start: round(start), end: round(start + counts.length * size), size: round(size) },
    marker: { color: '#4c72b0' },
  };
  return { data: [trace], layout };
}

/**
 * Counts finite values into about `bins` bins of a round width (Heckbert's nice numbers, as
 * {@link roundTicks}): the bins start at a multiple of the width, or half a width before a whole
 * number when the values and the width are whole (one bin per value for popularity's 0..100).
 * @example binCounts([0, 1, 1, 2], 3) // { start: -0.5, size: 1, counts: Int32Array [1, 2, 1] }
 */
export function binCounts(
  values: ArrayLike<number>,
  bins: number,
): { start: number; size: number; counts: Int32Array } {
  let low = Infinity;
  let high = -Infinity;
  let whole = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
    if (whole && !Number.isInteger(v)) whole = false;
  }
  if (low > high) return { start: 0, size: 1, counts: new Int32Array(0) };
  const raw = high > low ? (high - low) / Math.max(1, bins) : 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  let size = [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw * (1 - 1e-9))!;
  if (whole && size < 1) size = 1;
  const start = whole && Number.isInteger(size) ? low - 0.5 : Math.floor(low / size + 1e-9) * size;
  const count = Math.max(1, Math.floor((high - start) / size) + 1);
  const counts = new Int32Array(count);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(count - 1, Math.floor((v - start) / size))]++;
  }
  return { start, size, counts };
}

/** A qualitative palette for clusters (plotly's D3 colours, then more). */
export const CLUSTER_COLOURS: readonly string[] = Object.freeze([
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
  '#8c6d31',
  '#843c39',
  '#7b4173',
  '#3182bd',
  '#e6550d',
  '#31a354',
  '#756bb1',
  '#636363',
]);

/**
 * A range and a round tick step for an axis showing `values`: the step is 1, 2 or 5 times a power
 * of ten, giving about `ticks` intervals, and the range runs from a multiple of the step below the
 * smallest value to one above the largest (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
 * @example roundTicks([58.4, 97]) // { range: [50, 100], dtick: 10 }
 */
export function roundTicks(values: readonly number[], ticks = 5): { range: [number, number]; dtick: number } {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { range: [0, 1], dtick: 0.2 };
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) / 10;
    low -= pad;
    high += pad;
  }
  const raw = (high - low) / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const dtick = [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw * (1 - 1e-9))!;
  const round = (v: number) => Number(v.toPrecision(12));
  return {
    range: [round(Math.floor(low / dtick + 1e-9) * dtick), round(Math.ceil(high / dtick - 1e-9) * dtick)],
    dtick: round(dtick),
  };
}

/**
 * Points joined by lines (the original notebook's `sns.pointplot`), one or more series over the same x values.
 * @example linePlot([2, 3, 4], { inertia: [90, 60, 50] }, { xTitle: 'k' }).data[0].mode // 'lines+markers'
 */
export function linePlot(
  xs: readonly number[],
  series: Record<string, readonly number[]>,
  options: FigureOptions & {
    markers?: { x: number; label: string }[];
    secondary?: string[];
    /** The right axis's title (default: the secondary series' names joined). */
    secondaryTitle?: string;
  } = {},
): Figure {
  const data: Record<string, unknown>[] = Object.entries(series).map(([name, ys], i) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name,
    x: [...xs],
    y: [...ys],
    marker: { color: CLUSTER_COLOURS[i % CLUSTER_COLOURS.length] },
    ...(options.secondary?.includes(name) ? { yaxis: 'y2' } : {}),
    hovertemplate: `${name}<br>${options.xTitle ?? 'x'} = %{x}<br>%{y}<extra></extra>`,
  }));
  const shapes = (options.markers ?? []).map((m) => ({
    type: 'line',
    x0: m.x,
    x1: m.x,
    yref: 'paper',
    y0: 0,
    y1: 1,
    line: { dash: 'dot', color: '#555' },
  }));
  // markers at the same x share one label ("linkage best: 2 · k-medoids best: 2"), not two overprinted
  const labelsAt = new Map<number, string[]>();
  for (const m of options.markers ?? []) labelsAt.set(m.x, [...(labelsAt.get(m.x) ?? []), m.label]);
  const annotations = [...labelsAt.entries()].map(([x, labels]) => ({
    x,
    yref: 'paper',
    y: 1,
    text: labels.join(' · '),
    showarrow: false,
    yanchor: 'bottom',
  }));
  const extra: Record<string, unknown> = { shapes, annotations };
  if (options.secondary?.length) {
    const values = Object.entries(series)
      .filter(([name]) => options.secondary!.includes(name))
      .flatMap(([, ys]) => [...ys]);
    const { range, dtick } = roundTicks(values);
    // Round ticks of its own (not aligned to the left axis's grid, which gives ticks like 58.4, 68.1) and no second grid.
    extra.yaxis2 = {
      overlaying: 'y',
      side: 'right',
      title: { text: options.secondaryTitle ?? options.secondary.join(', ') },
      tickmode: 'linear',
      tick0: range[0],
      dtick,
      range,
      showgrid: false,
      zeroline: false,
      automargin: true,
    };
    // the legend under the plot, so the right axis's title has the right margin to itself
    extra.legend = { orientation: 'h', x: 0, xanchor: 'left', y: -0.2, yanchor: 'top' };
    extra.margin = { l: 60, r: 70, t: 50, b: 60 };
    extra.height = options.height ?? 480;
  }
  return { data, layout: layoutOf(options, extra) };
}

/**
 * A bar chart; several series are grouped (or stacked with `stacked: true`). Each bar is labelled
 * with its value, and the value axis is logarithmic when the positive values span more than two
 * powers of ten (`log: 'auto'`, the default), so a cluster of 3 tracks stays visible beside one of
 * 9,000; `log: true` or `false` forces it.
 * @example barChart(['a', 'b'], { size: [3, 5] }).data[0].type // 'bar'
 */
export function barChart(
  categories: readonly (string | number)[],
  series: Record<string, readonly number[]>,
  options: FigureOptions & { stacked?: boolean; log?: boolean | 'auto' } = {},
): Figure {
  const data = Object.entries(series).map(([name, ys], i) => ({
    type: 'bar',
    name,
    x: categories.map(String),
    y: [...ys],
    marker: { color: CLUSTER_COLOURS[i % CLUSTER_COLOURS.length] },
    text: ys.map((y) => y.toLocaleString('en-US')),
    textposition: 'outside',
    cliponaxis: false,
    hovertemplate: `%{x}<br>${name}: %{y:,}<extra></extra>`,
  }));
  const positive = Object.values(series).flatMap((ys) => ys.filter((y) => y > 0));
  const log =
    options.log === true ||
    ((options.log ?? 'auto') === 'auto' &&
      !options.stacked &&
      positive.length > 0 &&
      Math.max(...positive) > 100 * Math.min(...positive));
  const layout = layoutOf(options, { barmode: options.stacked ? 'stack' : 'group' });
  if (log) {
    const yTitle = options.yTitle ? `${options.yTitle} (log scale)` : 'log scale';
    // from half the smallest value, so the smallest bar has a visible height, to room for the labels above the largest
    const range = [Math.log10(Math.min(...positive) / 2), Math.log10(Math.max(...positive)) + 0.25];
    layout.yaxis = { title: { text: yTitle }, type: 'log', dtick: 1, range };
  }
  return { data, layout };
}

/**
 * Plotly's compact form of a numeric array (plotly.js ≥ 2.28, plotly.py ≥ 6): the values' bytes in
 * base64 with their type, about 5.3 characters per Float32 instead of a decimal number.
 * See https://plotly.com/javascript/reference/ ("typed array spec": `dtype`, `bdata`).
 * @example plotlyTypedArray([1, 2], 'f4') // { dtype: 'f4', bdata: 'AACAPwAAAEA=' }
 */
export function plotlyTypedArray(
  values: ArrayLike<number>,
  dtype: 'f4' | 'f8' | 'i4' | 'u1',
): { dtype: string; bdata: string } {
  const typed =
    dtype === 'f4'
      ? Float32Array.from(values)
      : dtype === 'f8'
        ? Float64Array.from(values)
        : dtype === 'i4'
          ? Int32Array.from(values)
          : Uint8Array.from(values);
  return { dtype, bdata: Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength).toString('base64') };
}

/** The WebGL form of {@link scatter} for many points (see its `scattergl` option). */
export interface ScatterGlOptions {
  /** Points to draw distinguishable from the others (true or 1 per point), such as the sampled tracks: on top, larger, outlined. */
  highlight?: ArrayLike<boolean | number>;
  /** What the highlighted points are, for their hover label (default 'highlighted'). */
  highlightName?: string;
  /** Start with hover on (default false: the modebar's "show closest data on hover" button turns it on). */
  hover?: boolean;
}

/** Options of {@link scatter}. */
export type ScatterOptions = FigureOptions & {
  groups?: ArrayLike<number | string>;
  groupName?: string;
  /** The legend name of each group (a cluster's name), by group number; default `cluster <g>`. */
  groupNames?: readonly string[];
  hover?: readonly string[];
  /** Marks drawn over the points: `name` is their legend entry (default 'centroids', e.g. 'medoids'). */
  centroids?: { x: ArrayLike<number>; y: ArrayLike<number>; labels?: readonly string[]; name?: string };
  markerSize?: number;
  /**
   * Draw for many points (a whole catalogue): each coordinate sent once as a Float32 typed array
   * (plotlyTypedArray), each point's row number as customdata for hover, hover off until asked
   * for, and optionally some points highlighted (ScatterGlOptions). `true` takes the defaults.
   */
  scattergl?: boolean | ScatterGlOptions;
};

/**
 * A scatter plot coloured by category (one trace per category, so the legend toggles them), with
 * hover text per point and optional centroid markers. With `scattergl`, the form for many points:
 * coordinates and row numbers as typed arrays, hover on demand, highlighted points in traces of
 * their own (drawn on top, outlined, toggled with their category in the legend).
 * @example scatter(xs, ys, { groups: labels, hover: names, title: 't-SNE' }).data.length // one trace per cluster
 * @example scatter(xs, ys, { groups: labels, scattergl: { highlight: sampled, highlightName: 'sampled track' } }).layout.hovermode // false
 */
export function scatter(xs: ArrayLike<number>, ys: ArrayLike<number>, options: ScatterOptions = {}): Figure {
  const n = xs.length;
  if (ys.length !== n)
    throw new Error(`There are ${n} x values but ${ys.length} y values; give one of each per point.`);
  const groups = options.groups ?? new Array<number>(n).fill(0);
  if (groups.length !== n)
    throw new Error(`There are ${groups.length} groups for ${n} points; give one group per point.`);
  if (options.hover && options.hover.length !== n)
    throw new Error(`There are ${options.hover.length} hover texts for ${n} points; give one per point.`);
  const order: (number | string)[] = [];
  const members = new Map<number | string, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    if (!members.has(g)) {
      members.set(g, []);
      order.push(g);
    }
    members.get(g)!.push(i);
  }
  order.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
  const nameOf = (g: number | string): string =>
    options.groups
      ? ((typeof g === 'number' ? options.groupNames?.[g] : undefined) ?? `${options.groupName ?? 'cluster'} ${g}`)
      : 'points';
  const data: Record<string, unknown>[] = options.scattergl
    ? scatterGlTraces(xs, ys, order, members, nameOf, options, options.scattergl === true ? {} : options.scattergl)
    : order.map((g, t) => {
        const idx = members.get(g)!;
        return {
          type: 'scattergl',
          mode: 'markers',
          name: nameOf(g),
          x: idx.map((i) => Number(xs[i].toFixed(4))),
          y: idx.map((i) => Number(ys[i].toFixed(4))),
          text: options.hover ? idx.map((i) => options.hover![i]) : undefined,
          hovertemplate: options.hover ? '%{text}<extra>%{fullData.name}</extra>' : undefined,
          marker: { size: options.markerSize ?? 4, opacity: 0.7, color: CLUSTER_COLOURS[t % CLUSTER_COLOURS.length] },
        };
      });
  // t-SNE coordinates have no origin: no zero lines
  const extra: Record<string, unknown> = {
    legend: { itemsizing: 'constant' },
    xaxis: { title: { text: options.xTitle ?? '' }, zeroline: false },
    yaxis: { title: { text: options.yTitle ?? '' }, zeroline: false },
  };
  if (options.centroids) {
    const c = options.centroids;
    const labels = c.labels ? [...c.labels] : Array.from(c.x, (_, i) => String(i));
    data.push({
      // WebGL like the points, so the crosses are drawn on top of them (an SVG trace sits below the WebGL canvas)
      type: 'scattergl',
      mode: 'markers',
      name: c.name ?? 'centroids',
      x: Array.from(c.x),
      y: Array.from(c.y),
      text: labels,
      marker: { symbol: 'x', size: 13, color: '#000', line: { width: 1.5, color: '#fff' } },
      hovertemplate: `%{text}<extra>${c.name ?? 'centroids'}</extra>`,
    });
    // legible on a dense map: each label in a white box just above its cross
    extra.annotations = labels.map((label, i) => ({
      x: c.x[i],
      y: c.y[i],
      text: `<b>${label}</b>`,
      showarrow: false,
      yshift: 16,
      font: { size: 14, color: '#111' },
      bgcolor: 'rgba(255,255,255,0.85)',
      bordercolor: '#444',
      borderwidth: 1,
      borderpad: 2,
    }));
  }
  if (options.scattergl) {
    const hoverOn = options.scattergl !== true && options.scattergl.hover === true;
    extra.hovermode = hoverOn ? 'closest' : false;
    extra.modebar = { add: ['hoverclosest'] };
  }
  return { data, layout: layoutOf(options, extra) };
}

/**
 * A WebGL marker trace of the points `idx` (their x and y as float32 typed arrays, their row numbers
 * as `customdata` for the hover), in legend group `group`; the caller adds hover and marker.
 * @example glPointsTrace([0, 1], [2, 3], [1], 'cluster 0', 0).customdata // typed array of [1]
 */
export function glPointsTrace(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  idx: number[],
  name: string,
  group: number | string,
): Record<string, unknown> {
  return {
    type: 'scattergl',
    mode: 'markers',
    name,
    legendgroup: String(group),
    x: plotlyTypedArray(
      idx.map((i) => xs[i]),
      'f4',
    ),
    y: plotlyTypedArray(
      idx.map((i) => ys[i]),
      'f4',
    ),
    customdata: plotlyTypedArray(idx, 'i4'),
  };
}

/** The traces of the WebGL form: per group, the ordinary points, then the highlighted ones. */
function scatterGlTraces(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  order: (number | string)[],
  members: Map<number | string, number[]>,
  nameOf: (g: number | string) => string,
  options: ScatterOptions,
  gl: ScatterGlOptions,
): Record<string, unknown>[] {
  const highlight = gl.highlight;
  if (highlight && highlight.length !== xs.length)
    throw new Error(`There are ${highlight.length} highlight flags for ${xs.length} points; give one per point.`);
  const highlightName = gl.highlightName ?? 'highlighted';
  const size = options.markerSize ?? 3;
  const traces: Record<string, unknown>[] = [];
  const later: Record<string, unknown>[] = [];
  order.forEach((g, t) => {
    const colour = CLUSTER_COLOURS[t % CLUSTER_COLOURS.length];
    const all = members.get(g)!;
    const parts = highlight ? [all.filter((i) => !highlight[i]), all.filter((i) => Boolean(highlight[i]))] : [all, []];
    parts.forEach((idx, part) => {
      if (idx.length === 0) return;
      const highlighted = part === 1;
      const trace: Record<string, unknown> = {
        ...glPointsTrace(xs, ys, idx, nameOf(g), g),
        showlegend: highlighted ? parts[0].length === 0 : true,
        hovertemplate: options.hover
          ? `%{text}<extra>%{fullData.name}${highlighted ? `, ${highlightName}` : ''}</extra>`
          : `row %{customdata}<extra>%{fullData.name}${highlighted ? `, ${highlightName}` : ''}</extra>`,
        marker: highlighted
          ? { size: size + 2, opacity: 0.95, color: colour, line: { width: 0.5, color: '#000' } }
          : { size: size + 1, opacity: 0.85, color: colour },
      };
      if (options.hover) trace.text = idx.map((i) => options.hover![i]);
      (highlighted ? later : traces).push(trace);
    });
  });
  return [...traces, ...later];
}

/**
 * "track — artist (genre)" for each row of a tracks frame, for the hover labels of `scatter`; a
 * column the frame lacks shows as '?' (genre is then left out).
 * @example trackHoverTexts([{ track_name: 'Wild time', artist_name: 'Torlo Cophalo', genre: 'Folk' }]) // ['Wild time — Torlo Cophalo (Folk)']
 */
export function trackHoverTexts(df: FrameLike): string[] {
  const names = frameColumnNames(df);
  const column = (name: string): ArrayLike<unknown> | null => (names.includes(name) ? frameColumn(df, name) : null);
  const [track, artist, genre] = [column('track_name'), column('artist_name'), column('genre')];
  return Array.from(
    { length: frameRowCount(df) },
    (_, r) => `${track ? track[r] : '?'} — ${artist ? artist[r] : '?'}${genre ? ` (${genre[r]})` : ''}`,
  );
}

/**
 * Each cluster as a circle drawn to scale: centre (x, y) and radius in data units (for the
 * positions of `generateClusterPositions`, its `radius`; by default areas proportional to `sizes`,
 * scaled so that no two circles overlap), on equal axes with a tight range, each labelled with its
 * id and size. The circles are layout shapes, so they keep their size when zoomed.
 * @example bubbleChart([0, 1], [0, 0], [10, 40], { radii: [0.25, 0.5] }).layout.shapes.length // 2
 */
export function bubbleChart(
  xs: readonly number[],
  ys: readonly number[],
  sizes: readonly number[],
  options: FigureOptions & { labels?: readonly string[]; radii?: readonly number[] } = {},
): Figure {
  const n = xs.length;
  if (
    ys.length !== n ||
    sizes.length !== n ||
    (options.radii && options.radii.length !== n) ||
    (options.labels && options.labels.length !== n)
  ) {
    throw new Error(`A bubble chart needs as many y values, sizes, radii and labels as x values (${n}).`);
  }
  const radii = options.radii ? [...options.radii] : defaultRadii(xs, ys, sizes);
  const labels = options.labels ?? sizes.map((_, i) => String(i));
  const colour = (i: number) => CLUSTER_COLOURS[i % CLUSTER_COLOURS.length];
  const shapes = radii
    .map((r, i) => ({
      type: 'circle',
      xref: 'x',
      yref: 'y',
      x0: xs[i] - r,
      x1: xs[i] + r,
      y0: ys[i] - r,
      y1: ys[i] + r,
      fillcolor: colour(i),
      opacity: 0.55,
      line: { color: colour(i), width: 1.5 },
      layer: 'below',
    }))
    .filter((shape) => shape.x1 > shape.x0);
  const fontSize = n <= 6 ? 13 : n <= 12 ? 11 : n <= 24 ? 10 : 9;
  const labelTrace = {
    type: 'scatter',
    mode: 'markers+text',
    x: [...xs],
    y: [...ys],
    // a long name ("Dance · minor · happy") breaks at its dots, the size on a line of its own
    text: labels.map(
      (label, i) => `<b>${label.split(' · ').join(' ·<br>')}</b><br>${sizes[i].toLocaleString('en-US')}`,
    ),
    textposition: 'middle center',
    textfont: { size: fontSize, color: '#111' },
    customdata: labels.map((label, i) => [label, sizes[i]]),
    hovertemplate: `${options.labels ? '' : 'cluster '}%{customdata[0]}<br>%{customdata[1]:,} tracks<extra></extra>`,
    marker: { size: 1, opacity: 0 },
    showlegend: false,
    // a name wider than its circle at the edge of the layout runs into the margin, not off the figure
    cliponaxis: false,
  };
  // a tight range: the circles' extent plus 4% of it on each side (at least a little for one point)
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  radii.forEach((r, i) => {
    x0 = Math.min(x0, xs[i] - r);
    x1 = Math.max(x1, xs[i] + r);
    y0 = Math.min(y0, ys[i] - r);
    y1 = Math.max(y1, ys[i] + r);
  });
  const pad = Math.max(x1 - x0, y1 - y0, 0.1) * 0.04;
  // the layout's coordinates mean nothing: no numbers, no titles unless asked for
  const axis = (title: string, low: number, high: number) => ({
    title: { text: title },
    range: [low - pad, high + pad],
    zeroline: false,
    showgrid: false,
    showticklabels: false,
    constrain: 'domain',
  });
  const layout = layoutOf(
    { ...options, height: options.height ?? 560 },
    {
      shapes,
      xaxis: axis(options.xTitle ?? '', x0, x1),
      yaxis: { ...axis(options.yTitle ?? '', y0, y1), scaleanchor: 'x', scaleratio: 1 },
    },
  );
  return { data: [labelTrace], layout };
}

/** Radii with areas proportional to sizes, the largest half the smallest distance between two centres (so none overlap). */
function defaultRadii(xs: readonly number[], ys: readonly number[], sizes: readonly number[]): number[] {
  let closest = Infinity;
  for (let a = 0; a < xs.length; a++) {
    for (let b = a + 1; b < xs.length; b++) closest = Math.min(closest, Math.hypot(xs[a] - xs[b], ys[a] - ys[b]));
  }
  const largestRadius = Number.isFinite(closest) && closest > 0 ? closest / 2 : 1;
  const largest = Math.max(0, ...sizes);
  return sizes.map((size) => (largest > 0 ? largestRadius * Math.sqrt(Math.max(0, size) / largest) : 0));
}
