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

function layoutOf(options: FigureOptions, extra: Record<string, unknown> = {}): Record<string, unknown> {
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

/**
 * A histogram of numbers (the seed's `sns.histplot(df, x=...)`).
 * @example histogram([1, 2, 2, 3], { title: 'Popularity', xTitle: 'popularity' }).data[0].type // 'histogram'
 */
export function histogram(values: ArrayLike<number>, options: FigureOptions & { bins?: number } = {}): Figure {
  const trace: Record<string, unknown> = { type: 'histogram', x: Array.from(values), marker: { color: '#4c72b0' } };
  if (options.bins) trace.nbinsx = options.bins;
  return { data: [trace], layout: layoutOf({ yTitle: 'count', ...options }, { bargap: 0.02 }) };
}

/** A qualitative palette for clusters (plotly's D3 colours, then more). */
export const CLUSTER_COLOURS: readonly string[] = Object.freeze([
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd', '#e6550d', '#31a354', '#756bb1', '#636363',
]);

/**
 * Points joined by lines (the seed's `sns.pointplot`), one or more series over the same x values.
 * @example linePlot([2, 3, 4], { inertia: [90, 60, 50] }, { xTitle: 'k' }).data[0].mode // 'lines+markers'
 */
export function linePlot(xs: readonly number[], series: Record<string, readonly number[]>, options: FigureOptions & { markers?: { x: number; label: string }[]; secondary?: string[] } = {}): Figure {
  const data: Record<string, unknown>[] = Object.entries(series).map(([name, ys], i) => ({
    type: 'scatter', mode: 'lines+markers', name, x: [...xs], y: [...ys],
    marker: { color: CLUSTER_COLOURS[i % CLUSTER_COLOURS.length] },
    ...(options.secondary?.includes(name) ? { yaxis: 'y2' } : {}),
    hovertemplate: `${name}<br>${options.xTitle ?? 'x'} = %{x}<br>%{y}<extra></extra>`,
  }));
  const shapes = (options.markers ?? []).map((m) => ({ type: 'line', x0: m.x, x1: m.x, yref: 'paper', y0: 0, y1: 1, line: { dash: 'dot', color: '#555' } }));
  const annotations = (options.markers ?? []).map((m) => ({ x: m.x, yref: 'paper', y: 1, text: m.label, showarrow: false, yanchor: 'bottom' }));
  const extra: Record<string, unknown> = { shapes, annotations };
  if (options.secondary?.length) extra.yaxis2 = { overlaying: 'y', side: 'right', title: { text: options.secondary.join(', ') } };
  return { data, layout: layoutOf(options, extra) };
}

/**
 * A bar chart; several series are grouped (or stacked with `stacked: true`).
 * @example barChart(['a', 'b'], { size: [3, 5] }).data[0].type // 'bar'
 */
export function barChart(categories: readonly (string | number)[], series: Record<string, readonly number[]>, options: FigureOptions & { stacked?: boolean } = {}): Figure {
  const data = Object.entries(series).map(([name, ys], i) => ({
    type: 'bar', name, x: categories.map(String), y: [...ys], marker: { color: CLUSTER_COLOURS[i % CLUSTER_COLOURS.length] },
  }));
  return { data, layout: layoutOf(options, { barmode: options.stacked ? 'stack' : 'group' }) };
}

/**
 * Plotly's compact form of a numeric array (plotly.js ≥ 2.28, plotly.py ≥ 6): the values' bytes in
 * base64 with their type, about 5.3 characters per Float32 instead of a decimal number.
 * See https://plotly.com/javascript/reference/ ("typed array spec": `dtype`, `bdata`).
 * @example plotlyTypedArray([1, 2], 'f4') // { dtype: 'f4', bdata: 'AACAPwAAAEA=' }
 */
export function plotlyTypedArray(values: ArrayLike<number>, dtype: 'f4' | 'f8' | 'i4' | 'u1'): { dtype: string; bdata: string } {
  const typed = dtype === 'f4' ? Float32Array.from(values) : dtype === 'f8' ? Float64Array.from(values) : dtype === 'i4' ? Int32Array.from(values) : Uint8Array.from(values);
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
  groups?: ArrayLike<number | string>; groupName?: string; hover?: readonly string[];
  centroids?: { x: ArrayLike<number>; y: ArrayLike<number>; labels?: readonly string[] }; markerSize?: number;
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
  if (ys.length !== n) throw new Error(`There are ${n} x values but ${ys.length} y values; give one of each per point.`);
  const groups = options.groups ?? new Array<number>(n).fill(0);
  if (groups.length !== n) throw new Error(`There are ${groups.length} groups for ${n} points; give one group per point.`);
  if (options.hover && options.hover.length !== n) throw new Error(`There are ${options.hover.length} hover texts for ${n} points; give one per point.`);
  const order: (number | string)[] = [];
  const members = new Map<number | string, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    if (!members.has(g)) { members.set(g, []); order.push(g); }
    members.get(g)!.push(i);
  }
  order.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
  const nameOf = (g: number | string): string => (options.groups ? `${options.groupName ?? 'cluster'} ${g}` : 'points');
  const data: Record<string, unknown>[] = options.scattergl
    ? scatterGlTraces(xs, ys, order, members, nameOf, options, options.scattergl === true ? {} : options.scattergl)
    : order.map((g, t) => {
      const idx = members.get(g)!;
      return {
        type: 'scattergl', mode: 'markers', name: nameOf(g),
        x: idx.map((i) => Number(xs[i].toFixed(4))), y: idx.map((i) => Number(ys[i].toFixed(4))),
        text: options.hover ? idx.map((i) => options.hover![i]) : undefined,
        hovertemplate: options.hover ? '%{text}<extra>%{fullData.name}</extra>' : undefined,
        marker: { size: options.markerSize ?? 4, opacity: 0.7, color: CLUSTER_COLOURS[t % CLUSTER_COLOURS.length] },
      };
    });
  if (options.centroids) {
    const c = options.centroids;
    data.push({
      type: 'scatter', mode: 'markers+text', name: 'centroids', x: Array.from(c.x), y: Array.from(c.y),
      text: c.labels ? [...c.labels] : Array.from(c.x, (_, i) => String(i)), textposition: 'top center',
      marker: { symbol: 'x', size: 14, color: '#000', line: { width: 2 } },
      hovertemplate: 'centroid %{text}<extra></extra>',
    });
  }
  const extra: Record<string, unknown> = { legend: { itemsizing: 'constant' } };
  if (options.scattergl) {
    const hoverOn = options.scattergl !== true && options.scattergl.hover === true;
    extra.hovermode = hoverOn ? 'closest' : false;
    extra.modebar = { add: ['hoverclosest'] };
  }
  return { data, layout: layoutOf(options, extra) };
}

/** The traces of the WebGL form: per group, the ordinary points, then the highlighted ones. */
function scatterGlTraces(
  xs: ArrayLike<number>, ys: ArrayLike<number>, order: (number | string)[], members: Map<number | string, number[]>,
  nameOf: (g: number | string) => string, options: ScatterOptions, gl: ScatterGlOptions,
): Record<string, unknown>[] {
  const highlight = gl.highlight;
  if (highlight && highlight.length !== xs.length) throw new Error(`There are ${highlight.length} highlight flags for ${xs.length} points; give one per point.`);
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
        type: 'scattergl', mode: 'markers', name: nameOf(g), legendgroup: String(g),
        showlegend: highlighted ? parts[0].length === 0 : true,
        x: plotlyTypedArray(idx.map((i) => xs[i]), 'f4'), y: plotlyTypedArray(idx.map((i) => ys[i]), 'f4'),
        customdata: plotlyTypedArray(idx, 'i4'),
        hovertemplate: options.hover
          ? `%{text}<extra>%{fullData.name}${highlighted ? `, ${highlightName}` : ''}</extra>`
          : `row %{customdata}<extra>%{fullData.name}${highlighted ? `, ${highlightName}` : ''}</extra>`,
        marker: highlighted
          ? { size: size + 2, opacity: 0.95, color: colour, line: { width: 0.5, color: '#000' } }
          : { size, opacity: 0.5, color: colour },
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
  return Array.from({ length: frameRowCount(df) }, (_, r) => `${track ? track[r] : '?'} — ${artist ? artist[r] : '?'}${genre ? ` (${genre[r]})` : ''}`);
}

/**
 * Bubbles at (x, y) with areas proportional to `sizes` (the clusters laid out by
 * `generateClusterPositions`).
 * @example bubbleChart([0, 1], [0, 0], [10, 40], { labels: ['0', '1'] }).data[0].marker.sizemode // 'area'
 */
export function bubbleChart(xs: readonly number[], ys: readonly number[], sizes: readonly number[], options: FigureOptions & { labels?: readonly string[] } = {}): Figure {
  const largest = Math.max(1, ...sizes);
  const trace = {
    type: 'scatter', mode: 'markers+text', x: [...xs], y: [...ys],
    text: options.labels ? [...options.labels] : sizes.map((_, i) => String(i)), textposition: 'middle center',
    customdata: [...sizes],
    hovertemplate: 'cluster %{text}<br>%{customdata} tracks<extra></extra>',
    marker: { size: [...sizes], sizemode: 'area', sizeref: (2 * largest) / (90 * 90), sizemin: 4, color: sizes.map((_, i) => CLUSTER_COLOURS[i % CLUSTER_COLOURS.length]), opacity: 0.75 },
  };
  return { data: [trace], layout: layoutOf(options, { xaxis: { title: { text: options.xTitle ?? 'x' }, zeroline: false }, yaxis: { title: { text: options.yTitle ?? 'y' }, scaleanchor: 'x', zeroline: false } }) };
}

/**
 * A silhouette plot (scikit-learn's example "Selecting the number of clusters with silhouette
 * analysis", https://scikit-learn.org/stable/auto_examples/cluster/plot_kmeans_silhouette_analysis.html):
 * each cluster's rows sorted by silhouette, drawn as horizontal bars from 0 stacked cluster above
 * cluster (the first label at the bottom, a small gap between clusters), and a dashed vertical line
 * at the mean silhouette. A cluster whose shape reaches far right is well separated; bars left of 0
 * are rows closer to another cluster than to their own.
 *
 * It stays light for 10,000 rows: one filled-area trace per cluster (its sorted values as a curve
 * filled to x = 0, which looks like the bars), and a cluster with more rows than its share of
 * `maxPoints` is drawn through evenly spaced ranks of its sorted values (its smallest and largest
 * always kept), which at screen resolution loses nothing. Colours follow `scatter` (the clusters in
 * label order take `CLUSTER_COLOURS` in turn), so a cluster has the same colour on the map.
 * @param samples the silhouette of every row (`silhouetteSamples`)
 * @param labels the cluster of every row
 * @param options titles and height; `maxPoints` (default 2,000) bounds the points drawn;
 *   `clusterName` names a cluster in the legend and hover (default 'cluster')
 * @example
 * const figure = silhouettePlot([0.9, 0.8, 0.5, -0.1], [0, 0, 1, 1]);
 * figure.data.length                  // 2 (one filled trace per cluster)
 * figure.data[0].x                    // [0, 0.8, 0.9, 0]: the cluster's sorted values, closed at 0
 * figure.layout.shapes[0].x0          // 0.525 (the mean silhouette)
 */
export function silhouettePlot(samples: ArrayLike<number>, labels: ArrayLike<number | string>, options: FigureOptions & { maxPoints?: number; clusterName?: string } = {}): Figure {
  const n = samples.length;
  if (labels.length !== n) {
    throw new Error(`There must be exactly one label per silhouette value, but there are ${n} values and ${labels.length} labels.`);
  }
  if (n === 0) throw new Error('A silhouette plot needs at least one row; the samples given are empty.');
  const maxPoints = options.maxPoints ?? 2000;
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new Error(`maxPoints must be a whole number of at least 2, got ${maxPoints}.`);
  const clusterName = options.clusterName ?? 'cluster';
  const members = new Map<number | string, number[]>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = samples[i];
    if (!Number.isFinite(s)) throw new Error(`Silhouette ${i} is ${s}; every value must be a finite number.`);
    total += s;
    const g = labels[i];
    const list = members.get(g);
    if (list) list.push(s);
    else members.set(g, [s]);
  }
  const mean = total / n;
  const order = [...members.keys()].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
  const gap = Math.max(1, Math.round(n / 50));
  const round = (v: number): number => Number(v.toFixed(4));
  let bottom = 0;
  const tickvals: number[] = [];
  const ticktext: string[] = [];
  const data: Record<string, unknown>[] = order.map((g, t) => {
    const values = members.get(g)!.sort((a, b) => a - b);
    const size = values.length;
    // Evenly spaced ranks, at most this cluster's share of maxPoints (at least 2), ends kept.
    const points = Math.min(size, Math.max(2, Math.round((maxPoints * size) / n)));
    const ranks = points === size ? values.map((_, r) => r) : Array.from({ length: points }, (_, p) => Math.round((p * (size - 1)) / (points - 1)));
    // The curve through (value, position) closed at x = 0 at both ends, filled to x = 0.
    const x = [0, ...ranks.map((r) => round(values[r])), 0];
    const y = [bottom, ...ranks.map((r) => bottom + r + 0.5), bottom + size];
    const clusterMean = values.reduce((sum, v) => sum + v, 0) / size;
    tickvals.push(bottom + size / 2);
    ticktext.push(String(g));
    bottom += size + gap;
    return {
      type: 'scatter', mode: 'lines', name: `${clusterName} ${g} (${size})`, x, y,
      fill: 'toself', line: { width: 0.5, color: CLUSTER_COLOURS[t % CLUSTER_COLOURS.length] },
      fillcolor: CLUSTER_COLOURS[t % CLUSTER_COLOURS.length], opacity: 0.8,
      hovertemplate: `${clusterName} ${g}: ${size} rows, mean silhouette ${clusterMean.toFixed(3)}<br>silhouette %{x}<extra></extra>`,
    };
  });
  const low = Math.min(-0.1, Math.floor(Math.min(...data.map((d) => Math.min(...(d.x as number[])))) * 10) / 10);
  return {
    data,
    layout: layoutOf(
      { xTitle: 'silhouette coefficient', yTitle: clusterName, height: 560, ...options },
      {
        xaxis: { title: { text: options.xTitle ?? 'silhouette coefficient' }, range: [low, 1], zeroline: true },
        yaxis: { title: { text: options.yTitle ?? clusterName }, tickvals, ticktext, range: [-gap, bottom], showgrid: false },
        shapes: [{ type: 'line', x0: mean, x1: mean, yref: 'paper', y0: 0, y1: 1, line: { dash: 'dash', color: '#d62728' } }],
        annotations: [{ x: mean, yref: 'paper', y: 1, text: `mean ${mean.toFixed(3)}`, showarrow: false, yanchor: 'bottom' }],
        legend: { traceorder: 'reversed' },
      },
    ),
  };
}
