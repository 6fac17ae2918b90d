/**
 * Trustworthiness of an embedding: how far its k nearest neighbours are also near in the input
 * (Venna & Kaski 2001, https://doi.org/10.1007/3-540-44668-0_68), computed as scikit-learn 1.9's
 * `sklearn.manifold.trustworthiness` does:
 *
 *   T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k(i)} max(0, r(i, j) − k)
 *
 * where N_k(i) are the k nearest neighbours of i in the embedding (Euclidean) and r(i, j) is the
 * rank of j among i's neighbours in the input (1 for the nearest, i itself left out). T is 1
 * when every embedded neighbour is also an input neighbour.
 *
 * Input distances are precomputed (scikit-learn's `metric='precomputed'`) or Euclidean between
 * row vectors (its default). Ranks are counted exactly, Θ(n²·(k + d)) time and Θ(n) extra
 * memory, a few seconds at 10,000 points. (scikit-learn builds two n × n integer matrices, 1.6 GB at 10,000.) Ties (equal distances) are ranked by row
 * index, as a stable sort would; scikit-learn ranks tied distances in an unspecified order, so
 * on data with ties the two can differ slightly.
 */
import { condensedRowInto } from '../matrix/distance-matrix';
import { nearestNeighbours } from './nearest-neighbours';
import { PairwiseInput, readPairwiseInput, ReadInput } from './pairwise-input';

/** An embedding: row-major n × d Float64Array (d = length / n), rows, or a typed matrix. */
export type EmbeddingInput =
  Float64Array | readonly ArrayLike<number>[] | { data: Float64Array | Float32Array; rows: number; cols: number };

/**
 * Trustworthiness of `embedding` with respect to `input` for k neighbours (see the file header).
 * @param input precomputed distances (an object with `size` and `get`) or row vectors (Euclidean)
 * @param embedding the embedded points, one per input row (tsne's `embedding` works as it is)
 * @param k neighbours, 1 ≤ k < n / 2 (scikit-learn's `n_neighbors`, default 5)
 * @example
 * // An embedding that keeps the order of points on a line is perfectly trustworthy.
 * trustworthiness([[0], [1], [2], [3], [4]], [[0, 0], [2, 0], [4, 0], [6, 0], [8, 0]], 1) // 1
 */
export function trustworthiness(input: PairwiseInput, embedding: EmbeddingInput, k = 5): number {
  const read = readPairwiseInput(input);
  const n = read.n;
  const embedded = readEmbedding(embedding, n);
  if (!Number.isInteger(k) || k < 1 || k >= n / 2) {
    throw new Error(`k must be a whole number from 1 to below n / 2 (${n / 2}), got ${k}.`);
  }
  const neighbours = nearestNeighbours(embedded, k).indices;
  const row = new Float64Array(n);
  const targetDistance = new Float64Array(k);
  const targetIndex = new Int32Array(k);
  const closer = new Int32Array(k);
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    inputRow(read, i, row);
    for (let t = 0; t < k; t++) {
      const j = neighbours[i * k + t];
      targetIndex[t] = j;
      targetDistance[t] = row[j];
      closer[t] = 0;
    }
    for (let l = 0; l < n; l++) {
      if (l === i) continue;
      const d = row[l];
      for (let t = 0; t < k; t++) {
        const dt = targetDistance[t];
        if (d < dt || (d === dt && l < targetIndex[t])) closer[t]++;
      }
    }
    // Rank r = 1 + rows strictly before j; only ranks beyond k count.
    for (let t = 0; t < k; t++) if (closer[t] + 1 > k) penalty += closer[t] + 1 - k;
  }
  return 1 - penalty * (2 / (n * k * (2 * n - 3 * k - 1)));
}

/** Row i of the input distances (squared Euclidean for vectors: the same order). */
function inputRow(read: ReadInput, i: number, out: Float64Array): void {
  const n = read.n;
  if (read.kind === 'vectors') {
    const { d, data } = read;
    const oi = i * d;
    for (let j = 0; j < n; j++) {
      const oj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[oi + t] - data[oj + t];
        s += diff * diff;
      }
      out[j] = s;
    }
    return;
  }
  const matrix = read.matrix;
  const condensed = matrix.condensed;
  if (condensed !== undefined) {
    condensedRowInto(condensed, n, i, out);
  } else {
    for (let j = 0; j < n; j++) out[j] = j === i ? 0 : matrix.get(i, j);
  }
  for (let j = 0; j < n; j++) {
    if (j !== i && !(out[j] >= 0 && out[j] < Infinity)) {
      throw new Error(
        `The distance between rows ${i} and ${j} is ${out[j]}; distances must be finite and not negative.`,
      );
    }
  }
}

function readEmbedding(embedding: EmbeddingInput, n: number): ReadInput {
  if (embedding instanceof Float64Array) {
    if (n === 0 || embedding.length % n !== 0) {
      throw new Error(
        `The embedding holds ${embedding.length} values, which is not a whole number of columns for ${n} points.`,
      );
    }
    return readPairwiseInput({ data: embedding, rows: n, cols: embedding.length / n });
  }
  const read = readPairwiseInput(embedding);
  if (read.kind !== 'vectors') throw new Error('The embedding must be points (vectors), not a distance matrix.');
  if (read.n !== n) throw new Error(`The embedding has ${read.n} points but the input has ${n}.`);
  return read;
}
