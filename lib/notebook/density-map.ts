/**
 * A map of any number of points that stays light: up to `maxPoints` it is `scatter`'s WebGL form,
 * every point drawn; beyond, the points are counted into a grid of cells in typed arrays and drawn
 * as one PNG image (each cell in the colour of the group most of its points belong to, shaded by
 * the logarithm of their number), with a sample of the points on top for hover and the legend.
 * The figure's size then depends on the grid and the sample, not on the points: a map of the
 * 1.25 million tracks of a 2,000,000-row file is about half a megabyte, where the points took
 * 20 MB. This is datashader's approach (aggregate to a raster, then shade; Bednar et al.) in the
 * few lines plotly needs: plotly.js has no density trace coloured by category.
 */
import { Figure } from './display';
import { CLUSTER_COLOURS, FigureOptions, glPointsTrace, layoutOf, scatter } from './plot';
import { pngDataUri } from './png';
import { shuffledIndices } from '../random';

/** Options of {@link densityMap}. */
export interface DensityMapOptions extends FigureOptions {
  /** The group (cluster) of each point, numbered 0, 1, …; the colours follow `scatter`'s. */
  groups?: ArrayLike<number>;
  /** The legend name of each group, by number; default `cluster <g>`. */
  groupNames?: readonly string[];
  /** Points to show apart (true or 1 per point), such as the fitted sample: drawn on top, outlined. */
  highlight?: ArrayLike<boolean | number>;
  /** What the highlighted points are, for the figure's note (default 'highlighted point'). */
  highlightName?: string;
  /** Up to this many points the map draws every point (default 20,000: about 0.3 MB, plus the texts). */
  maxPoints?: number;
  /** The points that carry a hover text, and beyond `maxPoints` the points drawn over the image: highlighted ones (a seeded choice), at most this many (default 5,000). */
  hoverPoints?: number;
  /** Cells across and down the image (default 320). */
  resolution?: number;
  /** The hover text of point `row`: for the points drawn over the image, or every point when there are at most `hoverPoints`; default "row <row>". */
  hoverText?: (row: number) => string;
  /** Seed of the choice of points drawn over the image (default 42). */
  seed?: number;
}

/** The defaults of {@link densityMap}. */
export const DENSITY_MAP_DEFAULTS = Object.freeze({
  maxPoints: 20_000,
  hoverPoints: 5_000,
  resolution: 320,
  seed: 42,
});

/**
 * The map of `xs`, `ys` coloured by `groups` (see the file header): every point up to `maxPoints`,
 * else a density image with at most `hoverPoints` points on top.
 * @example densityMap(xs, ys, { groups: labels, highlight: sampled, highlightName: 'sampled track' }).layout.images // one image beyond 50,000 points
 */
export function densityMap(xs: ArrayLike<number>, ys: ArrayLike<number>, options: DensityMapOptions = {}): Figure {
  const n = xs.length;
  if (ys.length !== n)
    throw new Error(`There are ${n} x values but ${ys.length} y values; give one of each per point.`);
  const groups = options.groups ?? new Int32Array(n);
  if (groups.length !== n)
    throw new Error(`There are ${groups.length} groups for ${n} points; give one group per point.`);
  const highlight = options.highlight;
  if (highlight && highlight.length !== n)
    throw new Error(`There are ${highlight.length} highlight flags for ${n} points; give one per point.`);
  const { maxPoints, hoverPoints, resolution } = checkedOptions(options);
  const shown = densityMapHoverRows(n, options);
  if (n <= maxPoints) {
    const text = options.hoverText;
    const hover = text && n <= hoverPoints ? shown.map((i) => text(i)) : undefined;
    return scatter(xs, ys, {
      ...options,
      groups: options.groups,
      hover,
      scattergl: { highlight, highlightName: options.highlightName },
    });
  }

  const order = [...new Set(Array.from(groups))].sort((a, b) => a - b);
  const rank = new Map(order.map((g, t) => [g, t]));
  const bounds = paddedBounds(xs, ys);
  const image = shadedImage(xs, ys, groups, rank, bounds, resolution);
  const highlightName = options.highlightName ?? 'highlighted point';
  const nameOf = (g: number) => options.groupNames?.[g] ?? `cluster ${g}`;
  const data = order.flatMap((g, t) => {
    const idx = shown.filter((i) => groups[i] === g);
    const colour = CLUSTER_COLOURS[t % CLUSTER_COLOURS.length];
    const trace: Record<string, unknown> = {
      ...glPointsTrace(xs, ys, idx, nameOf(g), g),
      hovertemplate: `${options.hoverText ? '%{text}' : 'row %{customdata}'}<extra>%{fullData.name}</extra>`,
      marker: { size: 3, opacity: 0.8, color: colour, line: { width: 0.3, color: '#222' } },
    };
    if (options.hoverText) trace.text = idx.map((i) => options.hoverText!(i));
    return [trace];
  });
  let highlighted = 0;
  if (highlight) for (let i = 0; i < n; i++) if (highlight[i]) highlighted++;
  const count = (value: number) => value.toLocaleString('en-US');
  const drawn =
    highlighted === 0
      ? `${count(shown.length)} of them, at random`
      : shown.length < highlighted
        ? `${count(shown.length)} of the ${count(highlighted)} ${highlightName}s, at random`
        : `the ${count(shown.length)} ${highlightName}s`;
  const layout = layoutOf(options, {
    legend: { itemsizing: 'constant' },
    xaxis: { title: { text: options.xTitle ?? '' }, zeroline: false, range: [bounds.x0, bounds.x1], showgrid: false },
    yaxis: { title: { text: options.yTitle ?? '' }, zeroline: false, range: [bounds.y0, bounds.y1], showgrid: false },
    plot_bgcolor: '#fff',
    images: [
      {
        source: image,
        xref: 'x',
        yref: 'y',
        x: bounds.x0,
        y: bounds.y1,
        sizex: bounds.x1 - bounds.x0,
        sizey: bounds.y1 - bounds.y0,
        xanchor: 'left',
        yanchor: 'top',
        sizing: 'stretch',
        layer: 'below',
      },
    ],
    annotations: [
      {
        xref: 'paper',
        yref: 'paper',
        x: 0,
        y: 1,
        yanchor: 'bottom',
        showarrow: false,
        align: 'left',
        text:
          `Shading: all ${n.toLocaleString('en-US')} points, each cell in the colour of its most common cluster, ` +
          `darker where more (log scale); dots: ${drawn} (hover them)`,
        font: { size: 11, color: '#444' },
      },
    ],
    hovermode: 'closest',
  });
  return { data, layout };
}

/**
 * The rows whose hover text {@link densityMap} asks `hoverText` for, given the same number of
 * points and options: every row when there are at most `hoverPoints` (and at most `maxPoints`),
 * none when every point is drawn but there are more, else the points drawn over the image. Lets a
 * caller read the texts of those rows only (the names of a few thousand of a million tracks).
 * @example densityMapHoverRows(1_000_000, { highlight: sampled, seed: 42 }).length // 5,000 of the sampled rows
 */
export function densityMapHoverRows(n: number, options: DensityMapOptions = {}): number[] {
  const { maxPoints, hoverPoints, seed } = checkedOptions(options);
  if (n <= maxPoints)
    // texts only for a map of at most hoverPoints points: a notebook stores a text array one line a
    // value, and 20,000 of them weigh 0.5 MB even when empty
    return n <= hoverPoints ? Array.from({ length: n }, (_, i) => i) : [];
  return pointsOnTop(n, options.highlight, hoverPoints, seed);
}

/** The options with their defaults, checked. */
function checkedOptions(options: DensityMapOptions): typeof DENSITY_MAP_DEFAULTS {
  const checked = { ...DENSITY_MAP_DEFAULTS, ...definedOf(options) };
  for (const [name, value, least] of [
    ['maxPoints', checked.maxPoints, 0],
    ['hoverPoints', checked.hoverPoints, 0],
    ['resolution', checked.resolution, 1],
  ] as const)
    if (!Number.isInteger(value) || value < least)
      throw new Error(`${name} is ${value}, but it must be a whole number of at least ${least}.`);
  return checked;
}

function definedOf(options: DensityMapOptions): Partial<typeof DENSITY_MAP_DEFAULTS> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(DENSITY_MAP_DEFAULTS) as (keyof typeof DENSITY_MAP_DEFAULTS)[])
    if (options[key] !== undefined) out[key] = options[key]!;
  return out;
}

interface Bounds {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The points' extent with 2 % room on each side (one unit around a single value). */
function paddedBounds(xs: ArrayLike<number>, ys: ArrayLike<number>): Bounds {
  const extent = (values: ArrayLike<number>): [number, number] => {
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < low) low = v;
      if (v > high) high = v;
    }
    if (!(low <= high)) return [0, 1];
    const pad = high > low ? 0.02 * (high - low) : 1;
    return [low - pad, high + pad];
  };
  const [x0, x1] = extent(xs);
  const [y0, y1] = extent(ys);
  return { x0, x1, y0, y1 };
}

/** The density image as a PNG data URI: per cell the most common group's colour, alpha by log count. */
function shadedImage(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  groups: ArrayLike<number>,
  rank: Map<number, number>,
  bounds: Bounds,
  size: number,
): string {
  const g = rank.size;
  const counts = new Uint32Array(size * size * g);
  const sx = size / (bounds.x1 - bounds.x0);
  const sy = size / (bounds.y1 - bounds.y0);
  for (let i = 0; i < xs.length; i++) {
    const cx = Math.floor((xs[i] - bounds.x0) * sx);
    const cy = size - 1 - Math.floor((ys[i] - bounds.y0) * sy); // row 0 is the top
    if (!(cx >= 0 && cx < size && cy >= 0 && cy < size)) continue;
    counts[(cy * size + cx) * g + rank.get(groups[i])!]++;
  }
  const totals = new Uint32Array(size * size);
  let most = 0;
  for (let c = 0; c < size * size; c++) {
    let sum = 0;
    for (let t = 0; t < g; t++) sum += counts[c * g + t];
    totals[c] = sum;
    if (sum > most) most = sum;
  }
  const rgb = CLUSTER_COLOURS.map((hex) => [1, 3, 5].map((o) => parseInt(hex.slice(o, o + 2), 16)));
  const rgba = new Uint8Array(size * size * 4);
  const scale = Math.log1p(most);
  for (let c = 0; c < size * size; c++) {
    if (totals[c] === 0) continue;
    let top = 0;
    for (let t = 1; t < g; t++) if (counts[c * g + t] > counts[c * g + top]) top = t;
    const colour = rgb[top % rgb.length];
    rgba.set(colour, 4 * c);
    rgba[4 * c + 3] = Math.round(255 * (0.2 + (0.8 * Math.log1p(totals[c])) / scale));
  }
  return pngDataUri(size, size, rgba);
}

/** The rows drawn over the image: the highlighted ones (a seeded choice when too many), else a seeded sample. */
function pointsOnTop(
  n: number,
  highlight: ArrayLike<boolean | number> | undefined,
  limit: number,
  seed: number,
): number[] {
  const candidates: number[] = [];
  if (highlight) for (let i = 0; i < n; i++) if (highlight[i]) candidates.push(i);
  const pool = candidates.length > 0 ? candidates : null;
  const size = pool ? pool.length : n;
  const order = shuffledIndices(size, seed);
  const chosen = Array.from(order.subarray(0, Math.min(limit, size)), (k) => (pool ? pool[k] : k));
  return chosen.sort((a, b) => a - b);
}
