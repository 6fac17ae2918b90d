/**
 * Every stored track gets a k-means cluster (notebook 03): each track is encoded with the
 * sample's encoding (`encodeLike`), z-scored with the sample's scaler, and assigned to its nearest
 * centroid (squared Euclidean distance, ties to the lower cluster number), which is how a fitted
 * k-means labels new points (scikit-learn's `KMeans.predict`). One pass over typed arrays, k
 * distances per track, with the nearest-centre loop of `lloyd.ts`, runs of tracks side by side on
 * the worker pool (`kmeans-threads.ts`; the same labels whatever THREADS is).
 */
import { EncodedFrame, encodeLike, EncodeLikeOptions, UnseenReport } from '../../distance/encode';
import { FrameLike } from '../../data/frame';
import { StandardScaler } from '../../distance/scaler';
import { NumericMatrix } from '../../matrix/numeric-matrix';
import { clusterSizes } from '../evaluate/cluster-sizes';
import { nearestCentersOnPool } from './kmeans-threads';

/** A k-means clustering fitted on the sample, as notebook 03 makes it. */
export interface FittedKMeans {
  /** What `encodeFrame` returned for the sample. */
  readonly encoded: Pick<EncodedFrame, 'matrix' | 'encodings' | 'categoricalColumns' | 'features' | 'categorical'>;
  /** The scaler fitted on the encoded sample. */
  readonly scaler: StandardScaler;
  /** The k × d centroids in z-scores (`kMeans(...).centroids`). */
  readonly centroids: NumericMatrix;
}

/** What {@link assignToCentroids} returns. */
export interface CentroidAssignment {
  /** The nearest centroid of each track, 0 .. k − 1. */
  readonly labels: Int32Array;
  /** The values of `idColumn`, one per track (empty when no `idColumn` was given). */
  readonly ids: readonly unknown[];
  /** Tracks assigned to each cluster. */
  readonly sizes: Int32Array;
  /** Categories the sample never held, per column (see `encodeLike` for how they are encoded). */
  readonly unseen: Readonly<Record<string, UnseenReport>>;
}

/**
 * Assigns every row of `tracks` to the nearest centroid of a k-means clustering fitted on a
 * sample, under the sample's encoding and scaler (see the file header; unseen categories as
 * `encodeLike` says, or refused with `unseen: 'refuse'`).
 * @param tracks the rows to assign (a danfojs DataFrame or an object of column arrays) with the
 *   sample's feature columns
 * @param fit the sample's encoding, scaler and centroids
 * @example
 * const encoded = encodeFrame(sample, { drop: ['artist_name', 'track_name'], idColumn: 'track_id', categoricalColumns: CATEGORICAL_FEATURES });
 * const scaler = new StandardScaler();
 * const km = kMeans(scaler.fitTransform(encoded.matrix), 12, { seed: 42 });
 * assignToCentroids(tracks, { encoded, scaler, centroids: km.centroids }, { idColumn: 'track_id' }).labels.length // every track
 */
export function assignToCentroids(
  tracks: FrameLike,
  fit: FittedKMeans,
  options: EncodeLikeOptions = {},
): CentroidAssignment {
  const { centroids, scaler, encoded } = fit;
  if (centroids.d !== encoded.matrix.d) {
    throw new Error(
      `The centroids have ${centroids.d} columns but the encoding makes ${encoded.matrix.d}; pass the centroids fitted on this encoding.`,
    );
  }
  if (centroids.n < 1) throw new Error('There are no centroids to assign the tracks to.');
  const { matrix, ids, unseen } = encodeLike(tracks, encoded, options);
  const z = scaler.transform(matrix);
  const labels = nearestCentersOnPool(z, centroids.data);
  return { labels, ids, sizes: clusterSizes(labels, centroids.n), unseen };
}
