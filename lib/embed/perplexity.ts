/**
 * t-SNE's input affinities: Gaussian conditional probabilities over each row's nearest
 * neighbours with the precision chosen to hit a perplexity, then symmetrised and normalised.
 *
 * This follows scikit-learn 1.9 step for step (`sklearn/manifold/_utils.pyx`
 * `_binary_search_perplexity` and `_t_sne.py` `_joint_probabilities_nn`):
 * - for row i with squared neighbour distances s_ij, p_j|i = exp(−β_i s_ij) / Σ_j exp(−β_i s_ij);
 * - β_i by bisection on the entropy H = log Σ exp(−β s) + β Σ s p (natural log) until
 *   |H − log(perplexity)| ≤ 1e-5 or 100 steps, starting at β = 1, doubling or halving while
 *   the other bound is still open; a zero sum is replaced by 1e-8;
 * - the squared distances are rounded to Float32 first, as scikit-learn casts them;
 * - P = (P_cond + P_condᵀ) / sum, a sparse symmetric matrix summing to 1.
 * See van der Maaten (2014), "Accelerating t-SNE using tree-based algorithms", JMLR 15, §4.1,
 * https://jmlr.org/papers/v15/vandermaaten14a.html.
 * The rows' searches are independent: they run on the worker pool (lib/parallel/pool.ts) in chunks
 * of rows, with the same result for any number of threads.
 */
import { NeighbourGraph } from './nearest-neighbours';
import { runChunks, sharedFloat64, sharedInt32, toShared } from '../parallel/pool';

/** A sparse symmetric matrix in compressed rows, columns increasing within a row. */
export interface SparseAffinities {
  /** The number of rows (and columns). */
  readonly n: number;
  /** Row i's entries are at positions `rowStart[i] .. rowStart[i + 1]` (length n + 1). */
  readonly rowStart: Int32Array;
  /** The column of each entry. */
  readonly columns: Int32Array;
  /** The value of each entry; they sum to 1 over the whole matrix. */
  readonly values: Float64Array;
}

const PERPLEXITY_TOLERANCE = 1e-5;
const EPSILON_DBL = 1e-8;
const STEPS = 100;
const MACHINE_EPSILON = 2.220446049250313e-16;

/**
 * Conditional probabilities p_j|i over each row's k neighbours, by a binary search on each row's
 * precision β_i (scikit-learn's `_binary_search_perplexity`).
 * @param squaredDistances n·k squared distances, row i at `[i·k, i·k + k)`
 * @param onProgress called with (rows done, n) from the start, about every 1% of the rows, and at the end
 * @param into shared arrays of at least n·k and n values to write the results to (their first n·k
 *   and n), for a caller that computes block after block (lib/embed/place.ts); default new ones
 * @returns n·k probabilities in the same layout (each row sums to 1), and the precisions β
 * @example
 * // Two neighbours at the same distance share the mass evenly whatever β is.
 * conditionalProbabilities(new Float64Array([1, 1]), 1, 2, 2).probabilities // Float64Array [0.5, 0.5]
 */
export function conditionalProbabilities(
  squaredDistances: Float64Array,
  n: number,
  k: number,
  perplexity: number,
  onProgress?: (done: number, total: number) => void,
  into?: { readonly probabilities: Float64Array; readonly betas: Float64Array },
): { probabilities: Float64Array; betas: Float64Array } {
  if (!(perplexity > 0) || !Number.isFinite(perplexity)) {
    throw new Error(`The perplexity must be a positive number, got ${perplexity}.`);
  }
  if (squaredDistances.length !== n * k) {
    throw new Error(`Expected ${n} rows of ${k} squared distances (${n * k} values), got ${squaredDistances.length}.`);
  }
  if (into) {
    for (const array of [into.probabilities, into.betas]) {
      if (!(array.buffer instanceof SharedArrayBuffer) || array.length < (array === into.betas ? n : n * k))
        throw new Error(
          'The arrays to write the probabilities to must be shared (sharedFloat64) and hold n·k and n values.',
        );
    }
  }
  const squared = toShared(squaredDistances);
  const P = into ? into.probabilities.subarray(0, n * k) : sharedFloat64(n * k);
  const betas = into ? into.betas.subarray(0, n) : sharedFloat64(n);
  const done = sharedInt32(1);
  const step = Math.max(1, Math.floor(n / 100));
  let next = 0;
  const report = (rows: number): void => {
    if (onProgress && rows >= next && rows < n) {
      onProgress(rows, n);
      next = rows - (rows % step) + step;
    }
  };
  report(0);
  const args: PerplexityArgs = { squared, n, k, perplexity, P, betas, done };
  rowsDone = report;
  try {
    runChunks({
      module: __filename,
      name: 'perplexityChunk',
      args,
      chunks: Math.ceil(n / ROWS_PER_CHUNK),
      onWait: () => report(Atomics.load(done, 0)),
    });
  } finally {
    rowsDone = undefined;
  }
  onProgress?.(n, n);
  return { probabilities: P, betas };
}

/** Rows per chunk of the pool's task (a constant: the chunks never depend on the number of threads). */
const ROWS_PER_CHUNK = 256;

/** What every chunk of {@link perplexityChunk} reads and writes (shared arrays). */
export interface PerplexityArgs {
  readonly squared: Float64Array;
  readonly n: number;
  readonly k: number;
  readonly perplexity: number;
  /** Outputs: n·k probabilities and n precisions. */
  readonly P: Float64Array;
  readonly betas: Float64Array;
  /** Int32 [rows done by every thread], for the progress reports. */
  readonly done: Int32Array;
}

/** On the calling thread only (a worker's copy of this module never sets it): hears the rows done. */
let rowsDone: ((rows: number) => void) | undefined;

/**
 * The binary searches of rows [chunk · 256, (chunk + 1) · 256): one chunk of the pool's task.
 * @example runChunks({ module: __filename, name: 'perplexityChunk', args, chunks: Math.ceil(args.n / 256) })
 */
export function perplexityChunk(args: PerplexityArgs, chunk: number): void {
  const { squared: squaredDistances, k, P, betas, done } = args;
  const desiredEntropy = Math.log(Math.fround(args.perplexity));
  const end = Math.min(args.n, (chunk + 1) * ROWS_PER_CHUNK);
  for (let i = chunk * ROWS_PER_CHUNK; i < end; i++) {
    const base = i * k;
    let betaMin = -Infinity;
    let betaMax = Infinity;
    let beta = 1;
    for (let step = 0; step < STEPS; step++) {
      let sumP = 0;
      for (let j = 0; j < k; j++) {
        const p = Math.exp(-squaredDistances[base + j] * beta);
        P[base + j] = p;
        sumP += p;
      }
      if (sumP === 0) sumP = EPSILON_DBL;
      let sumDistP = 0;
      for (let j = 0; j < k; j++) {
        const p = P[base + j] / sumP;
        P[base + j] = p;
        sumDistP += squaredDistances[base + j] * p;
      }
      const entropy = Math.log(sumP) + beta * sumDistP;
      const difference = entropy - desiredEntropy;
      if (Math.abs(difference) <= PERPLEXITY_TOLERANCE) break;
      if (difference > 0) {
        betaMin = beta;
        beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
      }
    }
    betas[i] = beta;
    const rows = Atomics.add(done, 0, 1) + 1;
    rowsDone?.(rows);
  }
}

/**
 * The symmetric joint probabilities P of t-SNE from a nearest-neighbour graph (scikit-learn's
 * `_joint_probabilities_nn`): the neighbour distances are squared (and rounded to Float32),
 * turned into conditional probabilities at the given perplexity, then P = (P_cond + P_condᵀ),
 * divided by its sum.
 * @param graph the k nearest neighbours of each row with their (unsquared) distances
 * @param onProgress called with (rows done, n) while the per-row precisions are searched
 * @example
 * // Three points on a line, one neighbour each: 0→1, 1→0, 2→1 with probability 1.
 * // P_cond + P_condᵀ has (0,1) = (1,0) = 2, (1,2) = (2,1) = 1; the sum is 6.
 * const g = { n: 3, k: 1, indices: new Int32Array([1, 0, 1]), distances: new Float64Array([1, 1, 2]) };
 * jointProbabilities(g, 1).values // Float64Array [1/3, 1/3, 1/6, 1/6]
 */
export function jointProbabilities(
  graph: NeighbourGraph,
  perplexity: number,
  onProgress?: (done: number, total: number) => void,
): SparseAffinities {
  const { n, k, indices, distances } = graph;
  const squared = sharedFloat64(n * k);
  for (let p = 0; p < squared.length; p++) squared[p] = Math.fround(distances[p] * distances[p]);
  const { probabilities } = conditionalProbabilities(squared, n, k, perplexity, onProgress);
  return symmetrise(n, k, indices, probabilities);
}

/** P + Pᵀ of a k-per-row sparse matrix, normalised to sum 1, in compressed rows. */
function symmetrise(n: number, k: number, indices: Int32Array, probabilities: Float64Array): SparseAffinities {
  // Gather every directed entry under both its row and its column.
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    counts[i] += k;
    for (let a = 0; a < k; a++) counts[indices[i * k + a]]++;
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + counts[i];
  const fill = start.slice(0, n);
  const rawColumns = new Int32Array(start[n]);
  const rawValues = new Float64Array(start[n]);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      const j = indices[i * k + a];
      const p = probabilities[i * k + a];
      rawColumns[fill[i]] = j;
      rawValues[fill[i]++] = p;
      rawColumns[fill[j]] = i;
      rawValues[fill[j]++] = p;
    }
  }
  // Merge duplicates (pairs that are neighbours both ways) row by row, columns increasing.
  const rowStart = new Int32Array(n + 1);
  const columns = new Int32Array(start[n]);
  const values = new Float64Array(start[n]);
  const sums = new Float64Array(n);
  const stamp = new Int32Array(n);
  let out = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const first = out;
    for (let p = start[i]; p < start[i + 1]; p++) {
      const j = rawColumns[p];
      if (stamp[j] !== i + 1) {
        stamp[j] = i + 1;
        sums[j] = 0;
        columns[out++] = j;
      }
      sums[j] += rawValues[p];
    }
    columns.subarray(first, out).sort();
    for (let p = first; p < out; p++) {
      values[p] = sums[columns[p]];
      total += values[p];
    }
    rowStart[i + 1] = out;
  }
  const denominator = Math.max(total, MACHINE_EPSILON);
  for (let p = 0; p < out; p++) values[p] /= denominator;
  // On shared buffers: t-SNE's gradient reads P from the pool's workers without another copy.
  const sharedColumns = sharedInt32(out);
  sharedColumns.set(columns.subarray(0, out));
  const sharedValues = sharedFloat64(out);
  sharedValues.set(values.subarray(0, out));
  return { n, rowStart: toShared(rowStart), columns: sharedColumns, values: sharedValues };
}
