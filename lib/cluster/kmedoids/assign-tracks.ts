/**
 * Every stored track joins its nearest medoid: a k-medoids clustering fitted on the sample
 * (notebook 02) places every other track by Gower distance with the sample's fitted metric
 * (`fitGower`): its feature ranges, category codes and weights. A value outside the sample's range
 * contributes at most its full weight, and a category the sample never held differs from every
 * medoid's (docs/gower.md). This is how a fitted k-medoids labels new points (the `predict` of
 * scikit-learn-extra's `KMedoids`): k distances per track, each one pass of the Gower kernels, runs
 * of tracks side by side on the worker pool (THREADS; the same labels whatever their number).
 */
import { FrameLike } from '../../data/frame';
import { fittedMetric, GowerMetric, GowerMetricOptions, GowerRows } from '../../distance/gower-metric';
import {
  EncodedColumns,
  GOWER_KERNELS_MODULE,
  NEAREST_CHUNK_ROWS,
  NearestRowsArgs,
} from '../../distance/gower-kernels';
import { runChunks, sharedFloat64, sharedForPool, sharedInt32 } from '../../parallel/pool';

/** Options of {@link assignTracksToMedoids} given the sample rather than its fitted metric: the fit's. */
export type AssignTracksToMedoidsOptions = GowerMetricOptions;

/** What {@link assignTracksToMedoids} returns. */
export interface TrackMedoidAssignment {
  /** The nearest medoid of each track, as its position in `medoids` (0 .. k − 1). */
  readonly labels: Int32Array;
  /** The Gower distance from each track to its medoid. */
  readonly distances: Float64Array;
  /** Tracks assigned to each cluster. */
  readonly sizes: Int32Array;
  /** The metric fitted on the sample (its ranges and codes). */
  readonly metric: GowerMetric;
}

/**
 * Assigns every row of `tracks` to its nearest medoid by Gower distance, with the feature ranges,
 * category codes and weights of the sample's fitted metric (see the file header). Ties go to the
 * medoid listed first.
 * @param sample the metric fitted on the rows the k-medoids clustering was fitted on (`fitGower`,
 *   the one the clustering's Gower matrix came from); or those rows, fitted here with `options`
 * @param medoids the medoids as row numbers of the sample (`kMedoids(...).medoids`)
 * @param tracks the rows to assign, with the sample's feature columns (other columns are ignored)
 * @param options the `columns`, `categorical` and `weights` of the fit, when `sample` is not a metric
 * @example
 * const metric = fitGower(features, { categorical: CATEGORICAL_FEATURES });
 * const { medoids } = kMedoids(gowerMatrix(metric), 12);
 * const { labels, distances } = assignTracksToMedoids(metric, medoids, tracks);
 */
export function assignTracksToMedoids(
  sample: GowerMetric | FrameLike,
  medoids: ArrayLike<number>,
  tracks: FrameLike,
  options: AssignTracksToMedoidsOptions = {},
): TrackMedoidAssignment {
  const metric = fittedMetric(sample, options, 'assignTracksToMedoids');
  const sampleRows = metric.rows;
  const k = medoids.length;
  if (k < 1) throw new Error('There are no medoids to assign the tracks to.');
  for (let c = 0; c < k; c++) {
    const m = medoids[c];
    if (!Number.isInteger(m) || m < 0 || m >= sampleRows.size) {
      throw new Error(
        `Medoid ${c} is row ${m}, which is not a row of the ${sampleRows.size}-row sample; give medoids as sample row numbers.`,
      );
    }
  }
  return { ...nearestMedoids(metric, sampleRows, medoids, metric.encode(tracks)), metric };
}

/**
 * The nearest of the medoids (rows `medoids` of `from`) for every row of `to`, both encoded by
 * `metric`, with the distance to it and the clusters' sizes; ties go to the medoid listed first.
 * What {@link assignTracksToMedoids} does once the tracks are encoded (and CLARA, clara.ts, for
 * every sample's medoids over one encoding of the catalogue). Runs of rows go side by side on the
 * worker pool (THREADS; the same labels whatever their number).
 * @example
 * const metric = fitGower([{ x: 0 }, { x: 10 }]);
 * nearestMedoids(metric, metric.rows, [0, 1], metric.encode([{ x: 2 }, { x: 9 }])).labels // Int32Array [0, 1]
 */
export function nearestMedoids(
  metric: GowerMetric,
  from: GowerRows,
  medoids: ArrayLike<number>,
  to: GowerRows,
): Omit<TrackMedoidAssignment, 'metric'> {
  const k = medoids.length;
  if (k < 1) throw new Error('There are no medoids to assign the tracks to.');
  const n = to.size;
  const features = metric.specs.map(({ kind, share, coefficient }) => ({ kind, share, coefficient }));
  const shared = (rows: EncodedColumns): EncodedColumns => ({
    size: rows.size,
    values: rows.values.map(sharedForPool),
    missing: [...rows.missing],
  });
  const args: NearestRowsArgs = {
    features,
    from: shared(from),
    candidates: sharedForPool(Int32Array.from(medoids)),
    to: shared(to),
    labels: sharedInt32(n),
    distances: sharedFloat64(n),
  };
  runChunks({
    module: GOWER_KERNELS_MODULE,
    name: 'nearestRowsChunk',
    args,
    chunks: Math.ceil(n / NEAREST_CHUNK_ROWS),
  });
  const { labels, distances } = args;
  const lost = labels.indexOf(-1);
  if (lost >= 0) {
    throw new Error(
      `Row ${lost} of the tracks shares no non-missing feature with any medoid, so it has no nearest medoid; fill in or drop its missing values.`,
    );
  }
  const sizes = new Int32Array(k);
  for (let j = 0; j < n; j++) sizes[labels[j]]++;
  return { labels, distances, sizes };
}
