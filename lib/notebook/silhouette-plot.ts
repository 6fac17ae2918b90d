/**
 * The silhouette plot of a clustering, one filled shape per cluster (split from plot.ts, which holds
 * the other figure builders and the palette it shares).
 */
import { Figure } from './display';
import { CLUSTER_COLOURS, FigureOptions, layoutOf } from './plot';

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
 *   `clusterName` names a cluster in the legend and hover (default 'cluster'); `names` gives each
 *   cluster (by number) a name of its own for the axis, legend and hover
 * @example
 * const figure = silhouettePlot([0.9, 0.8, 0.5, -0.1], [0, 0, 1, 1]);
 * figure.data.length                  // 2 (one filled trace per cluster)
 * figure.data[0].x                    // [0, 0.8, 0.9, 0]: the cluster's sorted values, closed at 0
 * figure.layout.shapes[0].x0          // 0.525 (the mean silhouette)
 */
export function silhouettePlot(
  samples: ArrayLike<number>,
  labels: ArrayLike<number | string>,
  options: FigureOptions & { maxPoints?: number; clusterName?: string; names?: readonly string[] } = {},
): Figure {
  const n = samples.length;
  if (labels.length !== n) {
    throw new Error(
      `There must be exactly one label per silhouette value, but there are ${n} values and ${labels.length} labels.`,
    );
  }
  if (n === 0) throw new Error('A silhouette plot needs at least one row; the samples given are empty.');
  const maxPoints = options.maxPoints ?? 2000;
  if (!Number.isInteger(maxPoints) || maxPoints < 2)
    throw new Error(`maxPoints must be a whole number of at least 2, got ${maxPoints}.`);
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
  const order = [...members.keys()].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
  );
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
    const ranks =
      points === size
        ? values.map((_, r) => r)
        : Array.from({ length: points }, (_, p) => Math.round((p * (size - 1)) / (points - 1)));
    // The curve through (value, position) closed at x = 0 at both ends, filled to x = 0.
    const x = [0, ...ranks.map((r) => round(values[r])), 0];
    const y = [bottom, ...ranks.map((r) => bottom + r + 0.5), bottom + size];
    const clusterMean = values.reduce((sum, v) => sum + v, 0) / size;
    tickvals.push(bottom + size / 2);
    const named = typeof g === 'number' ? options.names?.[g] : undefined;
    ticktext.push(named ?? String(g));
    const label = named ?? `${clusterName} ${g}`;
    bottom += size + gap;
    return {
      type: 'scatter',
      mode: 'lines',
      name: `${label} (${size})`,
      x,
      y,
      fill: 'toself',
      line: { width: 0.5, color: CLUSTER_COLOURS[t % CLUSTER_COLOURS.length] },
      fillcolor: CLUSTER_COLOURS[t % CLUSTER_COLOURS.length],
      opacity: 0.8,
      hovertemplate: `${label}: ${size} rows, mean silhouette ${clusterMean.toFixed(3)}<br>silhouette %{x}<extra></extra>`,
    };
  });
  const low = Math.min(-0.1, Math.floor(Math.min(...data.map((d) => Math.min(...(d.x as number[])))) * 10) / 10);
  return {
    data,
    layout: layoutOf(
      { xTitle: 'silhouette coefficient', yTitle: clusterName, height: 560, ...options },
      {
        xaxis: { title: { text: options.xTitle ?? 'silhouette coefficient' }, range: [low, 1], zeroline: true },
        yaxis: {
          title: { text: options.yTitle ?? clusterName },
          tickvals,
          ticktext,
          range: [-gap, bottom],
          showgrid: false,
          automargin: true,
        },
        shapes: [
          { type: 'line', x0: mean, x1: mean, yref: 'paper', y0: 0, y1: 1, line: { dash: 'dash', color: '#d62728' } },
        ],
        annotations: [
          { x: mean, yref: 'paper', y: 1, text: `mean ${mean.toFixed(3)}`, showarrow: false, yanchor: 'bottom' },
        ],
        legend: { traceorder: 'reversed' },
      },
    ),
  };
}
