/**
 * Silhouette coefficients of a clustering, from a precomputed distance matrix.
 *
 * Written here because the npm options either want raw points or build an n×n nested array; this
 * reads the condensed matrix once, in order, accumulating each row's summed distance to every
 * cluster (a k×n table), so one call is one O(n²) pass with O(n·k) extra memory. On THREADS threads
 * the columns are cut into blocks run as a pipeline on the worker pool (at most about 1.5 times
 * faster on two threads, by its shape; the same sums bit for bit).
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
import { getThreads, runChunks, sharedFloat64, sharedForPool, sharedInt32, toShared } from '../../parallel/pool';

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

/** The arguments of {@link clusterSumsChunk}. */
export interface ClusterSumsArgs {
  readonly condensed: DistanceArray;
  readonly n: number;
  readonly codes: Int32Array;
  readonly k: number;
  /** k × n, cluster-major: entry c·n + i is the summed distance from row i to cluster c. */
  readonly sums: Float64Array;
  /** Column block b is columns bounds[b] .. bounds[b + 1] − 1. */
  readonly bounds: Int32Array;
  /** Per block: rows done (a block starts row i once the block before it has done it). */
  readonly progress: Int32Array;
  /** n × k: row i's running sums over the columns of the blocks before, handed to the next block. */
  readonly chain: Float64Array;
}

/**
 * One column block of the pass over the matrix, for the worker pool. The blocks run as a pipeline,
 * row by row, block b one row behind block b − 1: each distance is added to its column's sums in
 * row order and to its row's running sums in column order (carried from block to block), then
 * the last block adds a row's own sums to its column sums — the very additions, in the very order,
 * of the single pass over the whole matrix, whatever the number of blocks or threads.
 * @example clusterSumsChunk(args, 0) // the first block of columns
 */
export function clusterSumsChunk(args: ClusterSumsArgs, b: number): void {
  const { condensed: c, n, codes, k, sums, bounds, progress, chain } = args;
  const c0 = bounds[b];
  const c1 = bounds[b + 1];
  const last = c1 === n;
  const local = new Float64Array(k);
  for (let i = 0; i < n - 1 && i + 1 < c1; i++) {
    if (b > 0) {
      for (let seen = Atomics.load(progress, b - 1); seen <= i; seen = Atomics.load(progress, b - 1)) {
        Atomics.wait(progress, b - 1, seen, 50);
      }
    }
    const from = Math.max(i + 1, c0);
    if (from === i + 1) local.fill(0);
    else for (let q = 0; q < k; q++) local[q] = chain[i * k + q];
    const column = codes[i] * n;
    const base = i * n - (i * (i + 1)) / 2 - i - 1;
    for (let j = from; j < c1; j++) {
      const d = c[base + j];
      local[codes[j]] += d;
      sums[column + j] += d;
    }
    if (last) for (let q = 0; q < k; q++) sums[q * n + i] += local[q];
    else for (let q = 0; q < k; q++) chain[i * k + q] = local[q];
    Atomics.store(progress, b, i + 1);
    Atomics.notify(progress, b);
  }
  Atomics.store(progress, b, n);
  Atomics.notify(progress, b);
}

/**
 * One pass over the matrix: entry c·n + i of the result is the summed distance from row i to the
 * rows of cluster c. The layout (cluster-major) keeps both running sums of a pair in order. On
 * THREADS threads the columns are cut into as many blocks of about equal pairs, run as a pipeline
 * (see {@link clusterSumsChunk}): the same sums, bit for bit.
 */
function summedDistancesByCluster(distances: DistanceMatrix, codes: Int32Array, k: number): Float64Array {
  const n = distances.size;
  const blocks = n < 512 ? 1 : Math.max(1, getThreads());
  const bounds = new Int32Array(blocks + 1);
  for (let b = 1; b < blocks; b++) bounds[b] = Math.round(n * Math.sqrt(b / blocks));
  bounds[blocks] = n;
  const parallel = blocks > 1;
  const args: ClusterSumsArgs = {
    condensed: sharedForPool(distances.condensed),
    n,
    codes: parallel ? toShared(codes) : codes,
    k,
    sums: parallel ? sharedFloat64(k * n) : new Float64Array(k * n),
    bounds,
    progress: sharedInt32(blocks),
    chain: parallel ? sharedFloat64(n * k) : new Float64Array(0),
  };
  runChunks({ module: __filename, name: 'clusterSumsChunk', args, chunks: blocks });
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
