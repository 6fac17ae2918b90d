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

/**
 * An `onProgress` for `tsne` that moves a progress bar: phase, iteration and KL divergence.
 * @example tsne(gower, { onProgress: tsneProgressCallback(startProgress('t-SNE')) })
 */
export function tsneProgressCallback(progress: Progress): (report: TsneProgress) => void {
  return (report) => {
    const kl = report.kl === undefined ? '' : ` · KL ${report.kl.toFixed(3)}`;
    progress.update(report.iteration, report.iterations, `${report.phase}${kl}`);
  };
}
