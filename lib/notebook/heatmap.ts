/**
 * The clusters × features heatmap of notebooks 02 and 03: each cell a cluster's effect size against
 * the other tracks (describeClusters: d for a numeric feature, Cohen's h of the cluster's most common
 * value for a categorical one), diverging colours centred on zero, the values written in the cells,
 * the features ordered by how much they separate the clusters. A plotly `heatmap` trace; written here
 * because the layout (names as rows, values and top categories in cells) is the project's own.
 */
import { Figure } from './display';
import { FigureOptions } from './plot';
import { ClusterDescription, featureSeparation } from '../cluster/describe/describe-clusters';

/** Blue below the other tracks, white at zero, red above (ColorBrewer RdBu, 5 classes). */
const DIVERGING: readonly [number, string][] = Object.freeze([
  [0, '#0571b0'],
  [0.25, '#92c5de'],
  [0.5, '#f7f7f7'],
  [0.75, '#f4a582'],
  [1, '#ca0020'],
]);

function signed(value: number, digits = 1): string {
  const text = Math.abs(value).toFixed(digits);
  return Number(text) === 0 ? text : `${value > 0 ? '+' : '−'}${text}`;
}

function short(value: number): string {
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(3)));
}

/**
 * A heatmap of the clusters (rows, labelled "id · name", the first at the top) against the
 * features (columns, the most separating first, by `featureSeparation`). A cell's colour and text
 * are the cluster's effect for the feature; a categorical cell also names the cluster's most common
 * value. The colour scale is symmetric about zero (`zmid` 0) and saturates at ±`cap` (default 3,
 * or the largest |effect| if smaller), so one extreme cell does not wash out the rest; the text keeps
 * the exact value. Hover gives the means in the feature's units, or the shares.
 * @example clusterHeatmap(describeClusters(features, labels)).data[0].type // 'heatmap'
 */
export function clusterHeatmap(
  descriptions: readonly ClusterDescription[],
  options: FigureOptions & { cap?: number } = {},
): Figure {
  if (descriptions.length === 0) throw new Error('There are no clusters to draw; describe at least one cluster.');
  const features = featureSeparation(descriptions).map((f) => f.feature);
  const rows = descriptions.map((d) => `${d.cluster} · ${d.name}`);
  const z: number[][] = [];
  const text: string[][] = [];
  const hover: string[][] = [];
  let largest = 0;
  for (const d of descriptions) {
    const bySignal = new Map(d.signals.map((s) => [s.feature, s]));
    const zRow: number[] = [];
    const textRow: string[] = [];
    const hoverRow: string[] = [];
    for (const feature of features) {
      const s = bySignal.get(feature)!;
      const effect = Number.isFinite(s.effect) ? s.effect : 0;
      largest = Math.max(largest, Math.abs(effect));
      zRow.push(Number(effect.toFixed(3)));
      if (s.kind === 'numeric') {
        textRow.push(signed(effect));
        hoverRow.push(`${feature}: ${short(s.clusterMean)} here, ${short(s.restMean)} in the other tracks`);
      } else {
        textRow.push(`${s.value}<br>${signed(effect)}`);
        hoverRow.push(
          `${feature} ${s.value}: ${Math.round(100 * s.shareInCluster)}% here, ` +
            `${Math.round(100 * s.shareOverall)}% of all tracks (lift ${s.lift.toFixed(2)})`,
        );
      }
    }
    z.push(zRow);
    text.push(textRow);
    hover.push(hoverRow);
  }
  const cap = Math.min(options.cap ?? 3, largest || 1);
  const longest = Math.max(...rows.map((r) => r.length));
  const trace = {
    type: 'heatmap',
    x: features,
    y: rows,
    z,
    text,
    customdata: hover,
    texttemplate: '%{text}',
    textfont: { size: features.length > 12 ? 10 : 11 },
    hovertemplate: '%{y}<br>%{customdata}<br>effect %{z:+.2f}<extra></extra>',
    colorscale: DIVERGING.map(([at, colour]) => [at, colour]),
    zmid: 0,
    zmin: -cap,
    zmax: cap,
    xgap: 1,
    ygap: 1,
    colorbar: { title: { text: 'effect<br>(d or h)' }, thickness: 14 },
  };
  return {
    data: [trace],
    layout: {
      title: { text: options.title ?? 'What sets each cluster apart from the other tracks' },
      xaxis: { title: { text: options.xTitle ?? '' }, side: 'bottom', tickangle: -35, automargin: true },
      yaxis: { title: { text: options.yTitle ?? '' }, autorange: 'reversed', automargin: true },
      height: options.height ?? Math.max(320, 150 + 36 * descriptions.length),
      margin: { l: Math.min(360, 20 + 7 * longest), r: 20, t: 50, b: 90 },
      template: { layout: { font: { family: 'sans-serif' } } },
    },
  };
}
