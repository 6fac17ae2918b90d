/**
 * Assigning new rows to existing clusters by the average-linkage criterion.
 *
 * Agglomerative clustering has no `predict`: the tree only covers the rows it was built on. The
 * natural extension of average linkage is to put a new row in the cluster whose members are, on
 * average, closest to it — exactly the quantity average linkage compares when it merges. The
 * distances come from the same precomputed matrix (which covers all rows, reference and new).
 * Written here because no clustering package offers this for a precomputed matrix; it is a few
 * loops over the matrix rows, chunks of query rows side by side on the worker pool (THREADS).
 */
import { condensedRowInto, DistanceArray, DistanceMatrix } from '../../matrix/distance-matrix';
import { runChunks, sharedFloat64, sharedForPool } from '../../parallel/pool';
import { clusterSizes } from '../evaluate/cluster-sizes';

/**
 * For each query row, the summed distance to the reference rows of every cluster: a
 * queries.length × k table, row by row (entry q·k + c).
 * @param distances distances between all rows (reference and query rows are indices into it)
 * @param reference the clustered rows
 * @param referenceLabels their clusters, 0..k−1
 * @param k the number of clusters
 * @param queries the rows to measure
 * @example
 * const d = DistanceMatrix.fromSquare([[0, 1, 9, 8], [1, 0, 9, 8], [9, 9, 0, 1], [8, 8, 1, 0]]);
 * summedDistancesToClusters(d, [0, 1, 2], [0, 0, 1], 2, [3]) // Float64Array [16, 1]
 */
export function summedDistancesToClusters(
  distances: DistanceMatrix,
  reference: ArrayLike<number>,
  referenceLabels: ArrayLike<number>,
  k: number,
  queries: ArrayLike<number>,
): Float64Array {
  if (reference.length !== referenceLabels.length) {
    throw new Error(
      `There must be one label per reference row: ${reference.length} rows but ${referenceLabels.length} labels.`,
    );
  }
  for (let r = 0; r < referenceLabels.length; r++) {
    const label = referenceLabels[r];
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new Error(`Reference label ${r} is ${label}; labels must be whole numbers from 0 to ${k - 1}.`);
    }
  }
  const n = distances.size;
  for (const index of [...Array.from(reference), ...Array.from(queries)]) {
    if (!Number.isInteger(index) || index < 0 || index >= n)
      throw new Error(`Row index ${index} is outside 0..${n - 1}.`);
  }
  const args: ClusterSumsToArgs = {
    condensed: sharedForPool(distances.condensed),
    n,
    reference: sharedForPool(Int32Array.from(reference)),
    referenceLabels: sharedForPool(Int32Array.from(referenceLabels)),
    k,
    queries: sharedForPool(Int32Array.from(queries)),
    sums: sharedFloat64(queries.length * k),
  };
  runChunks({
    module: __filename,
    name: 'clusterSumsToChunk',
    args,
    chunks: Math.ceil(queries.length / QUERY_ROWS),
  });
  return args.sums;
}

/** Query rows per chunk of {@link clusterSumsToChunk} (fixed: the sums do not depend on THREADS). */
const QUERY_ROWS = 32;

/** The arguments of {@link clusterSumsToChunk}. */
export interface ClusterSumsToArgs {
  readonly condensed: DistanceArray;
  readonly n: number;
  readonly reference: Int32Array;
  readonly referenceLabels: Int32Array;
  readonly k: number;
  readonly queries: Int32Array;
  /** queries × k, row by row. */
  readonly sums: Float64Array;
}

/**
 * One chunk of {@link summedDistancesToClusters} for the worker pool: query rows 32·chunk ..
 * 32·chunk + 31, each summed in reference order as before, so the table is the same bit for bit
 * whatever the thread count.
 * @example clusterSumsToChunk(args, 0) // the sums of the first 32 queries
 */
export function clusterSumsToChunk(args: ClusterSumsToArgs, chunk: number): void {
  const { condensed, n, reference, referenceLabels, k, queries, sums } = args;
  const row = new Float64Array(n);
  const end = Math.min(queries.length, (chunk + 1) * QUERY_ROWS);
  for (let q = chunk * QUERY_ROWS; q < end; q++) {
    condensedRowInto(condensed, n, queries[q], row);
    const base = q * k;
    for (let r = 0; r < reference.length; r++) sums[base + referenceLabels[r]] += row[reference[r]];
  }
}

/**
 * Puts each query row in the cluster with the smallest mean distance from it to the cluster's
 * reference rows (the average-linkage criterion). On a tie the lower label wins.
 * @param distances distances between all rows
 * @param reference the clustered rows (indices into `distances`)
 * @param referenceLabels their clusters, 0..k−1 (every label must occur)
 * @param queries the rows to assign (indices into `distances`)
 * @returns one label per query row
 * @example
 * // Rows 0, 1 form cluster 0 and row 2 cluster 1; row 3 is 1 from row 2 and 8 from rows 0 and 1.
 * const d = DistanceMatrix.fromSquare([[0, 1, 9, 8], [1, 0, 9, 8], [9, 9, 0, 1], [8, 8, 1, 0]]);
 * assignByMeanDistance(d, [0, 1, 2], [0, 0, 1], [3]) // Int32Array [1]
 */
export function assignByMeanDistance(
  distances: DistanceMatrix,
  reference: ArrayLike<number>,
  referenceLabels: ArrayLike<number>,
  queries: ArrayLike<number>,
): Int32Array {
  let k = 0;
  for (let r = 0; r < referenceLabels.length; r++) k = Math.max(k, referenceLabels[r] + 1);
  const counts = clusterSizes(referenceLabels, k);
  counts.forEach((count, c) => {
    if (count === 0)
      throw new Error(`Cluster ${c} has no reference rows; labels must run from 0 to ${k - 1} without gaps.`);
  });
  const sums = summedDistancesToClusters(distances, reference, referenceLabels, k, queries);
  return nearestByMean(sums, counts, queries.length);
}

/**
 * For each of `count` rows of a sums table (row-major, one column per cluster), the cluster with
 * the smallest mean sum / counts[c]; the lower label on ties.
 * @example nearestByMean(new Float64Array([16, 1]), [2, 1], 1) // Int32Array [1]  (means 8 and 1)
 */
export function nearestByMean(sums: Float64Array, counts: ArrayLike<number>, count: number): Int32Array {
  const k = counts.length;
  const labels = new Int32Array(count);
  for (let q = 0; q < count; q++) {
    let best = Infinity;
    let bestLabel = 0;
    for (let c = 0; c < k; c++) {
      const mean = sums[q * k + c] / counts[c];
      if (mean < best) {
        best = mean;
        bestLabel = c;
      }
    }
    labels[q] = bestLabel;
  }
  return labels;
}
