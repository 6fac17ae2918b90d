/**
 * Glue for the t-SNE maps of notebooks 02 and 03: the points of an embedding as x and y columns,
 * tracks and centroids stacked into one input, hover texts naming each track, and t-SNE's progress
 * reports shown on a progress bar.
 */
import { DataFrame } from 'danfojs-node';
import { NumericMatrix } from '../matrix/numeric-matrix';
import { Progress } from './progress';
import { TsneProgress } from '../embed/tsne';

/**
 * The x and y columns of rows `from` .. `to` − 1 of an n × 2 row-major embedding.
 * @example embeddingXY(Float64Array.of(1, 2, 3, 4)) // { x: Float64Array [1, 3], y: Float64Array [2, 4] }
 */
export function embeddingXY(embedding: Float64Array, from = 0, to = embedding.length / 2): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(to - from);
  const y = new Float64Array(to - from);
  for (let i = from; i < to; i++) { x[i - from] = embedding[2 * i]; y[i - from] = embedding[2 * i + 1]; }
  return { x, y };
}

/**
 * The rows of `a` followed by the rows of `b` (same columns), as the seed's `np.vstack([df_znorm, centroids])`.
 * @example stackRows(tracks, centroids).n // tracks.n + centroids.n
 */
export function stackRows(a: NumericMatrix, b: NumericMatrix): NumericMatrix {
  if (a.d !== b.d) throw new Error(`Cannot stack a ${a.d}-column matrix on a ${b.d}-column one; they need the same columns.`);
  const data = new Float64Array((a.n + b.n) * a.d);
  data.set(a.data, 0);
  data.set(b.data, a.n * a.d);
  return { data, n: a.n + b.n, d: a.d, columns: a.columns };
}

/**
 * "track — artist (genre)" for each row of a tracks frame, for hover labels.
 * @example trackHoverTexts(sample)[0] // 'Wild time — Torlo Cophalo (Children’s Music)'
 */
export function trackHoverTexts(df: DataFrame): string[] {
  const column = (name: string): number => df.columns.indexOf(name);
  const [track, artist, genre] = [column('track_name'), column('artist_name'), column('genre')];
  return (df.values as unknown as unknown[][]).map((row) => `${track >= 0 ? row[track] : '?'} — ${artist >= 0 ? row[artist] : '?'}${genre >= 0 ? ` (${row[genre]})` : ''}`);
}

/** Shares of the progress bar: the neighbour search, the affinities, then the iterations. */
const TSNE_BAR = { neighbours: [0, 0.1], affinities: [0.1, 0.15], optimisation: [0.15, 1] } as const;

/**
 * An `onProgress` for `tsne` that moves a progress bar from the first second: the neighbour search
 * (pairs scanned) and the affinities (rows) fill the first 15%, the iterations the rest, with the
 * phase, the iteration and the last KL divergence.
 * @example tsne(gower, { onProgress: tsneProgressCallback(startProgress('t-SNE')) })
 */
export function tsneProgressCallback(progress: Progress): (report: TsneProgress) => void {
  let kl = '';
  return (report) => {
    if (report.kl !== undefined) kl = ` · KL ${report.kl.toFixed(3)}`;
    if (report.phase === 'neighbours' || report.phase === 'affinities') {
      const [from, to] = TSNE_BAR[report.phase];
      const share = report.total ? (report.done ?? 0) / report.total : 0;
      const what = report.phase === 'neighbours' ? 'nearest neighbours' : 'affinities';
      progress.update(from + (to - from) * share, 1, `${what} ${Math.floor(100 * share)}%`);
      return;
    }
    const [from, to] = TSNE_BAR.optimisation;
    const share = report.iterations ? report.iteration / report.iterations : 0;
    progress.update(from + (to - from) * share, 1, `${report.phase} · iteration ${report.iteration} of ${report.iterations}${kl}`);
  };
}
