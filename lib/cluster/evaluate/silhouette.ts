/**
 * Silhouette coefficients of a clustering, from a precomputed distance matrix.
 *
 * Written here because the npm options either want raw points or build an n×n nested array; this
 * reads the condensed matrix once, accumulating each row's summed distance to every cluster (a k×n
 * table), so one call is one O(n²) pass with O(n·k) extra memory, in chunks of rows on the worker
 * pool (THREADS threads, the same result whatever their number).
 * `silhouetteScores` scores many cuts of one tree in a single pass (cuts are nested, so the sums
 * for the finest cut add up to those of every coarser one).
 *
 * Definition (Rousseeuw 1987, https://doi.org/10.1016/0377-0427(87)90125-7), as scikit-learn's
 * `silhouette_samples` / `silhouette_score(metric='precomputed')` compute it:
 *   a(i) = mean distance from i to the other members of its cluster,
 *   b(i) = the smallest mean distance from i to the members of another cluster,
 *   s(i) = (b(i) − a(i)) / max(a(i), b(i)), with s(i) = 0 when i is alone in its cluster
 *          (and 0 when a(i) = b(i) = 0, where scikit-learn turns 0/0 into 0).
 * The score is the mean of s(i) over all rows.
 */
import { DistanceArray, DistanceMatrix } from '../../matrix/distance-matrix';
import { runChunks, sharedFloat64, sharedForPool } from '../../parallel/pool';

/** Labels as integers (any values; they are renumbered internally). */
export type Labels = ArrayLike<number>;

/** Renumbers labels to 0..k−1 in order of first appearance and checks them against the matrix. */
function encodeLabels(distances: DistanceMatrix, labels: Labels): { codes: Int32Array; k: number; counts: Int32Array } {
  const n = distances.size;
  if (labels.length !== n) {
    throw new Error(
      `There must be exactly one label per row: the matrix has ${n} rows but ${labels.length} labels were given.`,
    );
  }
  const codes = new Int32Array(n);
  const seen = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (!Number.isInteger(label)) throw new Error(`Label ${i} is ${label}; labels must be whole numbers.`);
    let code = seen.get(label);
    if (code === undefined) {
      code = seen.size;
      seen.set(label, code);
    }
    codes[i] = code;
  }
  const k = seen.size;
  if (k < 2 || k > n - 1) {
    throw new Error(
      `The silhouette needs between 2 and n − 1 = ${n - 1} clusters (scikit-learn's rule), but the labels form ${k}.`,
    );
  }
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) counts[codes[i]]++;
  return { codes, k, counts };
}

/** Rows per chunk of {@link clusterSumsChunk}: a fixed number, so the sums do not depend on THREADS. */
const SUM_ROWS = 64;

/** The arguments of {@link clusterSumsChunk}. */
export interface ClusterSumsArgs {
  readonly condensed: DistanceArray;
  readonly n: number;
  readonly codes: Int32Array;
  readonly k: number;
  /** k × n, cluster-major: entry c·n + i is the summed distance from row i to cluster c. */
  readonly sums: Float64Array;
}

/**
 * One chunk of {@link summedDistancesByCluster} for the worker pool: the sums of rows
 * 64·chunk .. 64·chunk + 63. Each row's sum to a cluster adds its distances to the earlier rows in
 * row order (read a short run from every earlier row), then the later rows' in row order: the
 * very additions, in the very order, of the single pass this replaced, so the result is the same
 * bit for bit whatever the thread count.
 * @example clusterSumsChunk({ condensed, n, codes, k, sums }, 0) // rows 0..63 of every cluster's sums
 */
export function clusterSumsChunk(args: ClusterSumsArgs, chunk: number): void {
  const { condensed: c, n, codes, k, sums } = args;
  const r0 = chunk * SUM_ROWS;
  const r1 = Math.min(n, r0 + SUM_ROWS);
  const w = r1 - r0;
  const left = new Float64Array(k * w); // entry q·w + (j − r0): row j's sum to cluster q over rows i < j
  for (let i = 0; i < r1 - 1; i++) {
    const base = i * n - (i * (i + 1)) / 2 - i - 1; // pair (i, j) is at base + j
    const offset = codes[i] * w - r0;
    for (let j = Math.max(i + 1, r0); j < r1; j++) left[offset + j] += c[base + j];
  }
  const local = new Float64Array(k); // row i's sums over the rows j > i
  for (let i = r0; i < r1; i++) {
    local.fill(0);
    const base = i * n - (i * (i + 1)) / 2 - i - 1;
    for (let j = i + 1; j < n; j++) local[codes[j]] += c[base + j];
    for (let q = 0; q < k; q++) sums[q * n + i] = left[q * w + (i - r0)] + local[q];
  }
}

/**
 * One pass over the matrix, in chunks of rows on the worker pool (lib/parallel/pool.ts): entry
 * c·n + i of the result is the summed distance from row i to the rows of cluster c.
 */
function summedDistancesByCluster(distances: DistanceMatrix, codes: Int32Array, k: number): Float64Array {
  const n = distances.size;
  const args: ClusterSumsArgs = {
    condensed: sharedForPool(distances.condensed),
    n,
    codes: sharedForPool(codes),
    k,
    sums: sharedFloat64(k * n),
  };
  runChunks({ module: __filename, name: 'clusterSumsChunk', args, chunks: Math.ceil(n / SUM_ROWS) });
  const sums = args.sums;
  for (let q = 0; q < sums.length; q++) {
    if (Number.isNaN(sums[q])) {
      throw new Error(`Row ${q % n} has a NaN distance; the silhouette needs a matrix without NaN.`);
    }
  }
  return sums;
}

/** Silhouette of every row from the per-cluster sums (see {@link summedDistancesByCluster}). */
function samplesFromSums(sums: Float64Array, codes: Int32Array, k: number, counts: Int32Array): Float64Array {
  const n = codes.length;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ci = codes[i];
    if (counts[ci] === 1) continue; // alone in its cluster: 0
    const a = sums[ci * n + i] / (counts[ci] - 1);
    let b = Infinity;
    for (let other = 0; other < k; other++) {
      if (other === ci) continue;
      const mean = sums[other * n + i] / counts[other];
      if (mean < b) b = mean;
    }
    const denominator = Math.max(a, b);
    scores[i] = denominator > 0 ? (b - a) / denominator : 0;
  }
  return scores;
}

function mean(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total / values.length;
}

/**
 * The silhouette coefficient of every row (scikit-learn's `silhouette_samples` with
 * metric='precomputed').
 * @param distances the pairwise distances
 * @param labels one cluster label per row (2 to n − 1 distinct values)
 * @example
 * // Two tight pairs far apart: a(i) = 1, b(i) = (9 + 10) / 2 = 9.5 for row 0, and so on.
 * const d = DistanceMatrix.fromSquare([[0, 1, 9, 10], [1, 0, 10, 9], [9, 10, 0, 1], [10, 9, 1, 0]]);
 * silhouetteSamples(d, [0, 0, 1, 1]) // Float64Array [0.8947…, 0.8947…, 0.8947…, 0.8947…]  (8.5 / 9.5)
 */
export function silhouetteSamples(distances: DistanceMatrix, labels: Labels): Float64Array {
  const { codes, k, counts } = encodeLabels(distances, labels);
  return samplesFromSums(summedDistancesByCluster(distances, codes, k), codes, k, counts);
}

/**
 * The mean silhouette coefficient, equal to scikit-learn's `silhouette_score(distances, labels,
 * metric='precomputed')`; one O(n²) pass over the matrix.
 * @param distances the pairwise distances
 * @param labels one cluster label per row (2 to n − 1 distinct values)
 * @example
 * const d = DistanceMatrix.fromSquare([[0, 1, 9, 10], [1, 0, 10, 9], [9, 10, 0, 1], [10, 9, 1, 0]]);
 * silhouetteScore(d, [0, 0, 1, 1]) // 0.8947368421052632  (= 8.5 / 9.5)
 */
export function silhouetteScore(distances: DistanceMatrix, labels: Labels): number {
  return mean(silhouetteSamples(distances, labels));
}

/** Above this many classes in the common refinement, {@link silhouetteScores} scores one labelling at a time. */
const MAX_SHARED_CLASSES = 512;

/**
 * The mean silhouette of several labellings of the same rows, each equal to
 * {@link silhouetteScore} (up to rounding in the last digits).
 *
 * When the labellings are cuts of one tree (or otherwise share a small common refinement, at
 * most 512 classes), the matrix is read once: the distances from each row to each class of the
 * common refinement are summed in one pass and merged for every labelling. Otherwise each
 * labelling takes its own pass.
 * @param distances the pairwise distances
 * @param labelings one or more labellings, each one label per row
 * @example
 * const tree = averageLinkage(distances);
 * const cuts = [2, 3, 4].map((k) => tree.cut(k));
 * silhouetteScores(distances, cuts) // [s2, s3, s4] in one pass over the matrix
 */
export function silhouetteScores(distances: DistanceMatrix, labelings: readonly Labels[]): number[] {
  const n = distances.size;
  const encoded = labelings.map((labels) => encodeLabels(distances, labels));
  // The common refinement: one class per distinct combination of labels.
  const classOf = new Int32Array(n);
  const classes = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = encoded.map((e) => e.codes[i]).join(',');
    let id = classes.get(key);
    if (id === undefined) {
      id = classes.size;
      classes.set(key, id);
      if (classes.size > MAX_SHARED_CLASSES) break;
    }
    classOf[i] = id;
  }
  if (classes.size > MAX_SHARED_CLASSES) {
    return encoded.map(({ codes, k, counts }) =>
      mean(samplesFromSums(summedDistancesByCluster(distances, codes, k), codes, k, counts)),
    );
  }
  const shared = classes.size;
  const sharedSums = summedDistancesByCluster(distances, classOf, shared);
  const member = new Int32Array(shared); // one row of each shared class
  for (let i = n - 1; i >= 0; i--) member[classOf[i]] = i;
  return encoded.map(({ codes, k, counts }) => {
    const sums = new Float64Array(k * n);
    for (let s = 0; s < shared; s++) {
      const target = codes[member[s]] * n;
      const source = s * n;
      for (let i = 0; i < n; i++) sums[target + i] += sharedSums[source + i];
    }
    return mean(samplesFromSums(sums, codes, k, counts));
  });
}
