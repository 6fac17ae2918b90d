/**
 * Every stored track gets a k-means cluster (notebook 03): each track is encoded with the
 * sample's encoding (`encodeLike`), z-scored with the sample's scaler, and assigned to its nearest
 * centroid (squared Euclidean distance, ties to the lower cluster number), which is how a fitted
 * k-means labels new points (scikit-learn's `KMeans.predict`). One pass over typed arrays, k
 * distances per track, with the nearest-centre loop of `lloyd.ts`, runs of tracks side by side on
 * the worker pool (`kmeans-threads.ts`; the same labels whatever THREADS is). The tracks go
 * through in blocks of {@link ASSIGN_BLOCK_ROWS}, so the encoded and z-scored catalogue is never
 * held whole (1.25 million tracks × 15 columns would be 150 MB twice over).
 */
import {
  Category,
  EncodedFrame,
  encodeLike,
  EncodeLikeOptions,
  idColumnValues,
  UnseenReport,
} from '../../distance/encode';
import { FrameLike, frameRowCount } from '../../data/frame';
import { isStoredTracks, StoredTracks } from '../../data/stored-tracks';
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

/** Options of {@link assignToCentroids}: `encodeLike`'s (but `rows`), and the block size. */
export interface AssignOptions extends Omit<EncodeLikeOptions, 'rows'> {
  /** Tracks encoded, z-scored and assigned at a time (default {@link ASSIGN_BLOCK_ROWS}); the labels do not depend on it. */
  blockRows?: number;
}

/**
 * Assigns every row of `tracks` to the nearest centroid of a k-means clustering fitted on a
 * sample, under the sample's encoding and scaler (see the file header; unseen categories as
 * `encodeLike` says, or refused with `unseen: 'refuse'`).
 * @param tracks the rows to assign (the stored tracks of `readStoredTracks`, a danfojs DataFrame or
 *   an object of column arrays) with the sample's feature columns
 * @param fit the sample's encoding, scaler and centroids
 * @example
 * const encoded = encodeFrame(sample, { drop: ['artist_name', 'track_name'], idColumn: 'track_id', categoricalColumns: CATEGORICAL_FEATURES });
 * const scaler = new StandardScaler();
 * const km = kMeans(scaler.fitTransform(encoded.matrix), 12, { seed: 42 });
 * assignToCentroids(tracks, { encoded, scaler, centroids: km.centroids }, { idColumn: 'track_id' }).labels.length // every track
 */
export function assignToCentroids(
  tracks: FrameLike | StoredTracks,
  fit: FittedKMeans,
  options: AssignOptions = {},
): CentroidAssignment {
  const { centroids, scaler, encoded } = fit;
  if (centroids.d !== encoded.matrix.d) {
    throw new Error(
      `The centroids have ${centroids.d} columns but the encoding makes ${encoded.matrix.d}; pass the centroids fitted on this encoding.`,
    );
  }
  if (centroids.n < 1) throw new Error('There are no centroids to assign the tracks to.');
  const { blockRows = ASSIGN_BLOCK_ROWS, ...encodeOptions } = options;
  if (!Number.isInteger(blockRows) || blockRows < 1)
    throw new Error(`blockRows must be a whole number of at least 1, got ${blockRows}.`);
  const n = isStoredTracks(tracks) ? tracks.size : frameRowCount(tracks);
  const labels = new Int32Array(n);
  const unseenRows: Record<string, number> = {};
  const unseenCategories: Record<string, Category[]> = {};
  let ids: readonly unknown[] = [];
  // one block when there are no rows, so the columns and options are checked all the same
  for (let start = 0; start < n || start === 0; start += blockRows) {
    const end = Math.min(n, start + blockRows);
    const rows = Int32Array.from({ length: end - start }, (_, i) => start + i);
    // the first block checks the id column with the others; its values are then taken whole
    const idColumn = start === 0 ? encodeOptions.idColumn : undefined;
    const block = encodeLike(tracks, encoded, { ...encodeOptions, idColumn, rows });
    if (idColumn !== undefined) ids = idColumnValues(tracks, idColumn);
    labels.set(nearestCentersOnPool(scaler.transform(block.matrix), centroids.data), start);
    for (const [column, report] of Object.entries(block.unseen)) {
      unseenRows[column] = (unseenRows[column] ?? 0) + report.rows;
      const known = (unseenCategories[column] ??= []);
      for (const category of report.categories) if (!known.includes(category)) known.push(category);
    }
  }
  const unseen: Record<string, UnseenReport> = {};
  for (const column of Object.keys(unseenRows))
    unseen[column] = { rows: unseenRows[column], categories: unseenCategories[column] };
  return { labels, ids, sizes: clusterSizes(labels, centroids.n), unseen };
}

/** The tracks {@link assignToCentroids} encodes, z-scores and assigns at a time. */
export const ASSIGN_BLOCK_ROWS = 65_536;
