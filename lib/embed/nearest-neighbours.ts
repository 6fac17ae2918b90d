/**
 * Exact k nearest neighbours of every row, for t-SNE's input affinities and for trustworthiness.
 *
 * Method: brute force over the n(n−1)/2 pairs, each pair computed once and offered to both rows'
 * bounded max-heaps of size k (a candidate is rejected with one comparison once a heap is full).
 * For precomputed distances the condensed array is streamed once in order; for vectors the
 * squared Euclidean distance is computed on the row-major Float64Array. This is Θ(n²·d) time and
 * Θ(n·k) memory: about a second for 10,000 rows of 15 features on this machine class, the size the
 * notebooks use. (A vantage-point tree would do fewer distance evaluations at low dimension, but
 * brute force is exact by construction, has no worst case, and is already far from the
 * bottleneck of t-SNE at this size.)
 *
 * Ties are broken by the lower row index, as a stable sort of each row would, and the row itself
 * is never its own neighbour. scikit-learn's `NearestNeighbors` breaks exact ties in an
 * unspecified order, so with tied distances the two may pick different neighbours.
 */
import { PairwiseInput, ReadInput, readPairwiseInput } from './pairwise-input';
import { getThreads, runChunks, sharedFloat64, sharedInt32, toShared } from '../parallel/pool';

/** The k nearest neighbours of each row, nearest first. */
export interface NeighbourGraph {
  /** The number of rows. */
  readonly n: number;
  /** Neighbours per row. */
  readonly k: number;
  /** Row i's neighbours at `indices[i·k .. i·k + k)`, nearest first. */
  readonly indices: Int32Array;
  /** The matching distances (Euclidean for vectors, the matrix entries for distances). */
  readonly distances: Float64Array;
}

function isReadInput(input: unknown): input is ReadInput {
  const kind = (input as ReadInput | null)?.kind;
  return (kind === 'distances' || kind === 'vectors') && typeof (input as ReadInput).n === 'number';
}

/** Bounded max-heaps, one per row, ordered by (distance, index). */
class Heaps {
  readonly dist: Float64Array;
  readonly index: Int32Array;
  readonly filled: Int32Array;
  /** The largest distance kept by each row (Infinity while its heap is not full). */
  readonly worst: Float64Array;

  constructor(
    readonly n: number,
    readonly k: number,
  ) {
    this.dist = new Float64Array(n * k);
    this.index = new Int32Array(n * k);
    this.filled = new Int32Array(n);
    this.worst = new Float64Array(n).fill(Infinity);
  }

  /** Offers neighbour j at distance value to row; the caller has checked value < worst[row]. */
  offer(row: number, value: number, j: number): void {
    const k = this.k;
    const base = row * k;
    const dist = this.dist;
    const index = this.index;
    let size = this.filled[row];
    if (size < k) {
      let c = size;
      this.filled[row] = ++size;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        const pd = dist[base + parent];
        if (pd > value || (pd === value && index[base + parent] > j)) break;
        dist[base + c] = pd;
        index[base + c] = index[base + parent];
        c = parent;
      }
      dist[base + c] = value;
      index[base + c] = j;
      if (size === k) this.worst[row] = dist[base];
      return;
    }
    // Replace the root (the largest) and sift down.
    let c = 0;
    for (;;) {
      let child = 2 * c + 1;
      if (child >= k) break;
      if (child + 1 < k) {
        const a = dist[base + child];
        const b = dist[base + child + 1];
        if (b > a || (b === a && index[base + child + 1] > index[base + child])) child++;
      }
      const cd = dist[base + child];
      if (cd < value || (cd === value && index[base + child] < j)) break;
      dist[base + c] = cd;
      index[base + c] = index[base + child];
      c = child;
    }
    dist[base + c] = value;
    index[base + c] = j;
    this.worst[row] = dist[base];
  }

  /** Sorts every row nearest first (ties by index) and applies `transform` to the distances. */
  finish(transform: (value: number) => number): NeighbourGraph {
    const { n, k, dist, index } = this;
    for (let row = 0; row < n; row++) {
      const base = row * k;
      for (let a = 1; a < k; a++) {
        const v = dist[base + a];
        const j = index[base + a];
        let b = a - 1;
        while (b >= 0 && (dist[base + b] > v || (dist[base + b] === v && index[base + b] > j))) {
          dist[base + b + 1] = dist[base + b];
          index[base + b + 1] = index[base + b];
          b--;
        }
        dist[base + b + 1] = v;
        index[base + b + 1] = j;
      }
    }
    for (let p = 0; p < dist.length; p++) dist[p] = transform(dist[p]);
    return { n, k, indices: index, distances: dist };
  }
}

function badDistance(i: number, j: number, value: number): Error {
  return new Error(`The distance between rows ${i} and ${j} is ${value}; distances must be finite and not negative.`);
}

/**
 * Calls `onProgress(pairsDone, pairs)` about every 1% of the n(n−1)/2 pairs, and at the end. Row i
 * covers the pairs (i, j > i), so the rows get shorter as the scan goes on.
 */
function pairProgress(n: number, onProgress?: (done: number, total: number) => void): (rowsDone: number) => void {
  if (!onProgress) return () => undefined;
  const total = (n * (n - 1)) / 2;
  const step = Math.max(1, Math.floor(total / 100));
  let next = 0;
  let last = -1;
  return (rowsDone) => {
    const done = rowsDone * n - (rowsDone * (rowsDone + 1)) / 2;
    if (done >= next || (rowsDone === n && done !== last)) {
      onProgress(done, total);
      next = done + step;
      last = done;
    }
  };
}

/**
 * The exact k nearest neighbours of every row (see the file header for the method and ties).
 * @param input precomputed distances (symmetric: only pairs i < j are read) or row vectors
 *   (lib/embed/pairwise-input.ts)
 * @param k neighbours per row, 1 ≤ k ≤ n − 1
 * @param onProgress called with (pairs done, n(n−1)/2) from the start, about every 1%, and at the end
 * @example
 * const g = nearestNeighbours([[0], [1], [3]], 1);
 * g.indices;   // Int32Array [1, 0, 1]
 * g.distances; // Float64Array [1, 1, 2]
 */
export function nearestNeighbours(
  input: PairwiseInput | ReadInput,
  k: number,
  onProgress?: (done: number, total: number) => void,
): NeighbourGraph {
  const read = isReadInput(input) ? input : readPairwiseInput(input);
  const n = read.n;
  if (!Number.isInteger(k) || k < 1 || k > n - 1) {
    throw new Error(`The number of neighbours must be a whole number from 1 to ${n - 1} (rows − 1), got ${k}.`);
  }
  const rowDone = pairProgress(n, onProgress);
  rowDone(0);
  const heaps = new Heaps(n, k);
  const worst = heaps.worst;
  if (read.kind === 'vectors' && getThreads() > 1 && n >= POOL_FROM_ROWS)
    return vectorNeighbours(read.data, n, read.d, k, rowDone);
  if (read.kind === 'vectors') {
    const { d, data } = read;
    for (let i = 0; i < n; i++) {
      const oi = i * d;
      for (let j = i + 1; j < n; j++) {
        const oj = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = data[oi + t] - data[oj + t];
          s += diff * diff;
        }
        if (s < worst[i]) heaps.offer(i, s, j);
        if (s < worst[j]) heaps.offer(j, s, i);
      }
      rowDone(i + 1);
    }
    return heaps.finish(Math.sqrt);
  }
  const matrix = read.matrix;
  const condensed = matrix.condensed;
  if (condensed !== undefined) {
    let p = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const s = condensed[p++];
        if (!(s >= 0 && s < Infinity)) throw badDistance(i, j, s);
        if (s < worst[i]) heaps.offer(i, s, j);
        if (s < worst[j]) heaps.offer(j, s, i);
      }
      rowDone(i + 1);
    }
  } else {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const s = matrix.get(i, j);
        if (!(s >= 0 && s < Infinity)) throw badDistance(i, j, s);
        if (s < worst[i]) heaps.offer(i, s, j);
        if (s < worst[j]) heaps.offer(j, s, i);
      }
      rowDone(i + 1);
    }
  }
  return heaps.finish((value) => value);
}

/** Rows per chunk of the pool's task (a constant: the chunks never depend on the number of threads). */
const ROWS_PER_CHUNK = 64;

/**
 * The fewest rows of vectors searched on the pool (32 chunks): below, the one-pass scan takes a few
 * milliseconds, and its progress reports come from the calling thread row by row.
 */
export const POOL_FROM_ROWS = 2048;

/** What every chunk of {@link vectorNeighboursChunk} reads and writes (shared arrays). */
export interface VectorNeighboursArgs {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  /** Outputs: n × k neighbours and squared distances, each row nearest first. */
  readonly indices: Int32Array;
  readonly distances: Float64Array;
  /** Int32 [rows done by every thread], for the progress reports. */
  readonly done: Int32Array;
}

/** On the calling thread only (a worker's copy of this module never sets it): hears the rows done. */
let vectorRowsDone: ((rows: number) => void) | undefined;

/**
 * The neighbours of row vectors on the worker pool: each row scans every other row on its own, so
 * twice the pairs of the single-threaded scan, but each pair gives up after 8 coordinates once it
 * is already past the row's k-th best, and no row writes another's heap. The candidates arrive in
 * increasing row order and each squared distance is summed as the single-threaded scan sums it
 * (|a − b|² = |b − a|²), so the neighbours and distances are the same, bit for bit.
 */
function vectorNeighbours(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rowDone: (rowsDone: number) => void,
): NeighbourGraph {
  const indices = sharedInt32(n * k);
  const distances = sharedFloat64(n * k);
  const done = sharedInt32(1);
  // The rows' progress, reported as the pairs of the single-threaded scan they stand for.
  const report = (rows: number): void => rowDone(Math.min(rows, n));
  vectorRowsDone = report;
  try {
    runChunks({
      module: __filename,
      name: 'vectorNeighboursChunk',
      args: { data: toShared(data), n, d, k, indices, distances, done } satisfies VectorNeighboursArgs,
      chunks: Math.ceil(n / ROWS_PER_CHUNK),
      onWait: () => report(Atomics.load(done, 0)),
    });
  } finally {
    vectorRowsDone = undefined;
  }
  rowDone(n);
  for (let p = 0; p < distances.length; p++) distances[p] = Math.sqrt(distances[p]);
  return { n, k, indices, distances };
}

/**
 * The k nearest neighbours of rows [chunk · 64, (chunk + 1) · 64): one chunk of the pool's task.
 * @example runChunks({ module: __filename, name: 'vectorNeighboursChunk', args, chunks: Math.ceil(args.n / 64) })
 */
export function vectorNeighboursChunk(args: VectorNeighboursArgs, chunk: number): void {
  const { data, n, d, k, indices, distances, done } = args;
  const heapDistance = new Float64Array(k);
  const heapRow = new Int32Array(k);
  const end = Math.min(n, (chunk + 1) * ROWS_PER_CHUNK);
  for (let i = chunk * ROWS_PER_CHUNK; i < end; i++) {
    const oi = i * d;
    let filled = 0;
    let worst = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const oj = j * d;
      let s = 0;
      let t = 0;
      if (filled === k) {
        // Partial sums over the first 8 coordinates: most rows are already past the k-th best.
        for (; t < 8 && t < d; t++) {
          const diff = data[oi + t] - data[oj + t];
          s += diff * diff;
        }
        if (s >= worst) continue;
      }
      for (; t < d; t++) {
        const diff = data[oi + t] - data[oj + t];
        s += diff * diff;
      }
      if (!(s < worst)) continue;
      // The row's bounded max-heap by (distance, row), as Heaps.offer.
      if (filled < k) {
        let c = filled++;
        while (c > 0) {
          const parent = (c - 1) >> 1;
          const pd = heapDistance[parent];
          if (pd > s || (pd === s && heapRow[parent] > j)) break;
          heapDistance[c] = pd;
          heapRow[c] = heapRow[parent];
          c = parent;
        }
        heapDistance[c] = s;
        heapRow[c] = j;
        if (filled === k) worst = heapDistance[0];
        continue;
      }
      let c = 0;
      for (;;) {
        let child = 2 * c + 1;
        if (child >= k) break;
        if (child + 1 < k) {
          const a = heapDistance[child];
          const b = heapDistance[child + 1];
          if (b > a || (b === a && heapRow[child + 1] > heapRow[child])) child++;
        }
        const cd = heapDistance[child];
        if (cd < s || (cd === s && heapRow[child] < j)) break;
        heapDistance[c] = cd;
        heapRow[c] = heapRow[child];
        c = child;
      }
      heapDistance[c] = s;
      heapRow[c] = j;
      worst = heapDistance[0];
    }
    // Nearest first, ties by row (as Heaps.finish): an insertion sort of the heap.
    const base = i * k;
    for (let a = 0; a < k; a++) {
      const v = heapDistance[a];
      const j = heapRow[a];
      let b = a - 1;
      while (b >= 0 && (distances[base + b] > v || (distances[base + b] === v && indices[base + b] > j))) {
        distances[base + b + 1] = distances[base + b];
        indices[base + b + 1] = indices[base + b];
        b--;
      }
      distances[base + b + 1] = v;
      indices[base + b + 1] = j;
    }
    vectorRowsDone?.(Atomics.add(done, 0, 1) + 1);
  }
}
