/**
 * Every stored track gets a cluster: a k-medoids clustering fitted on the sample places every
 * other track (notebook 02). (k-means' counterpart, `assignToCentroids`, is in
 * lib/cluster/kmeans/assign.ts.)
 *
 * Each track goes to its nearest medoid by Gower distance, with the feature ranges and category
 * codes of the sample (`fitGower`): a value outside the sample's range contributes at most its
 * full weight, and a category the sample never held differs from every medoid's. A few passes
 * over typed arrays, k distances per track.
 */
import { fitGower, GowerMetric, GowerMetricOptions } from '../distance/gower';
import { FrameLike } from '../data/frame';

/** Options of {@link assignTracksToMedoids}: the columns, categorical columns and weights of `gowerMatrix`. */
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
 * Assigns every row of `tracks` to its nearest medoid by Gower distance, with feature ranges,
 * category codes and weights taken from `sample` (see the file header). Ties go to the medoid
 * listed first.
 * @param sample the rows the k-medoids clustering was fitted on (their features)
 * @param medoids the medoids as row numbers of `sample` (`kMedoids(...).medoids`)
 * @param tracks the rows to assign, with the sample's feature columns (other columns are ignored)
 * @param options the `columns`, `categorical` and `weights` the clustering's Gower matrix used
 * @example
 * const features = clusteringFeatures(sample);
 * const { medoids } = kMedoids(gowerMatrix(features, { categorical: CATEGORICAL_FEATURES }), 12);
 * const { labels, distances } = assignTracksToMedoids(features, medoids, tracks, { categorical: CATEGORICAL_FEATURES });
 */
export function assignTracksToMedoids(
  sample: FrameLike,
  medoids: ArrayLike<number>,
  tracks: FrameLike,
  options: AssignTracksToMedoidsOptions = {},
): TrackMedoidAssignment {
  const metric = fitGower(sample, options);
  const sampleRows = metric.encode(sample);
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
  const trackRows = metric.encode(tracks);
  const n = trackRows.size;
  const labels = new Int32Array(n).fill(-1);
  const distances = new Float64Array(n).fill(Infinity);
  const buffer = new Float64Array(n);
  for (let c = 0; c < k; c++) {
    metric.distanceToRows(sampleRows, medoids[c], trackRows, buffer);
    for (let j = 0; j < n; j++) {
      if (buffer[j] < distances[j]) {
        distances[j] = buffer[j];
        labels[j] = c;
      }
    }
  }
  const lost = labels.indexOf(-1);
  if (lost >= 0) {
    throw new Error(
      `Row ${lost} of the tracks shares no non-missing feature with any medoid, so it has no nearest medoid; fill in or drop its missing values.`,
    );
  }
  return { labels, distances, sizes: countLabels(labels, k), metric };
}

function countLabels(labels: Int32Array, k: number): Int32Array {
  const sizes = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  return sizes;
}
