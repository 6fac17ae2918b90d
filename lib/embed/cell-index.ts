/**
 * Nearest reference points of many query points (Euclidean), for placing a whole catalogue on a
 * map: the neighbours of 145,000 tracks among 10,000 sampled ones.
 *
 * An inverted file (Jégou, Douze & Schmid, "Product quantization for nearest neighbor search",
 * IEEE TPAMI 33(1), 2011, §IV.A; FAISS's `IndexIVFFlat`): the reference points are split into
 * cells by seeded k-means (lib/cluster/kmeans/kmeans.ts); a query visits the cells in increasing
 * order of a lower bound on its distance to them, and stops when the bound proves the rest farther
 * (exact) or after `maxProbes` cells (approximate; the result says how many queries were exact).
 * Ties are broken by the lower reference index. The queries are answered on the worker pool
 * (lib/parallel/pool.ts) in chunks of 1,024, each independent: the same answers for any THREADS.
 *
 * Written here because no npm package has such an index, and a k-d tree is no faster than brute
 * force on the 15 z-scored features. The bound and why not a tree: docs/tsne.md.
 */
import { kMeans } from '../cluster/kmeans/kmeans';
import { matrixFromData } from '../matrix/numeric-matrix';
import { runChunks, sharedFloat64, sharedInt32, toShared } from '../parallel/pool';

/** Queries per chunk of the pool's task (a constant: the chunks never depend on the number of threads). */
const QUERIES_PER_CHUNK = 1024;

/** Options of {@link CellIndex}. */
export interface CellIndexOptions {
  /** The number of cells (default ⌈√n · 1.25⌉, at most n). */
  cells?: number;
  /** The most cells a query visits once it has k candidates (default 16); the number of cells or more makes every answer exact. */
  maxProbes?: number;
  /** Seed of the k-means that makes the cells (default 42). */
  seed?: number;
}

/** The nearest reference points of each query, nearest first. */
export interface QueryNeighbours {
  /** The number of queries. */
  readonly n: number;
  /** Neighbours per query. */
  readonly k: number;
  /** Query i's neighbours (reference row numbers) at `indices[i·k .. i·k + k)`, nearest first. */
  readonly indices: Int32Array;
  /** The matching Euclidean distances. */
  readonly distances: Float64Array;
  /** Queries whose neighbours are provably the exact nearest ones. */
  readonly exact: number;
}

/**
 * An inverted-file index over row-major reference points (n × d) for k-nearest-neighbour queries
 * (see the file header).
 * @example
 * const index = new CellIndex(new Float64Array([0, 0, 1, 0, 5, 5]), 3, 2, { cells: 2 });
 * const { indices, exact } = index.query(new Float64Array([0.9, 0.1]), 1, 2);
 * // indices: Int32Array [1, 0]; exact: 1
 */
export class CellIndex {
  /** The number of reference points. */
  readonly n: number;
  /** Their dimension. */
  readonly d: number;
  /** The number of cells. */
  readonly cells: number;
  /** The most cells a query visits. */
  readonly maxProbes: number;
  /** The index's arrays, shared with the pool's workers. */
  private readonly parts: IndexParts;

  constructor(data: Float64Array, n: number, d: number, options: CellIndexOptions = {}) {
    if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1 || data.length !== n * d) {
      throw new Error(
        `The index needs n × d values for at least one point, got ${data.length} values for ${n} × ${d}.`,
      );
    }
    for (let p = 0; p < data.length; p++) {
      if (!Number.isFinite(data[p]))
        throw new Error(`Reference point ${Math.floor(p / d)} holds ${data[p]}; points must be finite.`);
    }
    const cells = Math.min(n, options.cells ?? Math.ceil(Math.sqrt(n) * 1.25));
    const maxProbes = options.maxProbes ?? 16;
    if (!Number.isInteger(cells) || cells < 1)
      throw new Error(`cells must be a whole number of at least 1, got ${options.cells}.`);
    if (!Number.isInteger(maxProbes) || maxProbes < 1)
      throw new Error(`maxProbes must be a whole number of at least 1, got ${maxProbes}.`);
    this.n = n;
    this.d = d;
    this.cells = cells;
    this.maxProbes = maxProbes;
    const clustering = kMeans(matrixFromData(data, n, d), cells, {
      seed: options.seed ?? 42,
      nInit: 1,
      maxIterations: 20,
    });
    const centroids = sharedFloat64(cells * d);
    centroids.set(clustering.centroids.data.subarray(0, cells * d));
    const centroidDistance = sharedFloat64(cells * cells);
    for (let a = 0; a < cells; a++) {
      for (let b = a + 1; b < cells; b++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = centroids[a * d + t] - centroids[b * d + t];
          s += diff * diff;
        }
        centroidDistance[a * cells + b] = centroidDistance[b * cells + a] = Math.sqrt(s);
      }
    }
    // Group the points by cell (kMeans' labels name each point's nearest centroid).
    const cellStart = sharedInt32(cells + 1);
    for (const label of clustering.labels) cellStart[label + 1]++;
    for (let c = 0; c < cells; c++) cellStart[c + 1] += cellStart[c];
    const fill = cellStart.slice(0, cells);
    const rows = sharedInt32(n);
    const points = sharedFloat64(n * d);
    for (let j = 0; j < n; j++) {
      const at = fill[clustering.labels[j]]++;
      rows[at] = j;
      points.set(data.subarray(j * d, j * d + d), at * d);
    }
    this.parts = { n, d, cells, maxProbes, centroids, centroidDistance, points, rows, cellStart };
  }

  /**
   * The k nearest reference points of each query (row-major, m × d), nearest first.
   * @param queries the query points, m × d
   * @param m the number of queries
   * @param k neighbours per query, 1 ≤ k ≤ n
   * @param onProgress called now and then with the queries done and m
   * @param into shared arrays of at least m × k entries to write the answers to (their first m × k),
   *   so that a caller asking block after block re-uses them; default new ones
   */
  query(
    queries: Float64Array,
    m: number,
    k: number,
    onProgress?: (done: number, total: number) => void,
    into?: { readonly indices: Int32Array; readonly distances: Float64Array },
  ): QueryNeighbours {
    const { d, n } = this;
    if (queries.length !== m * d)
      throw new Error(`Expected ${m} query points of ${d} values (${m * d}), got ${queries.length} values.`);
    if (!Number.isInteger(k) || k < 1 || k > n)
      throw new Error(`The number of neighbours must be a whole number from 1 to ${n}, got ${k}.`);
    if (into) {
      for (const array of [into.indices, into.distances]) {
        if (!(array.buffer instanceof SharedArrayBuffer) || array.length < m * k)
          throw new Error(
            `The arrays to write the neighbours to must be shared and hold at least ${m * k} values (sharedInt32, sharedFloat64), got ${array.length}${array.buffer instanceof SharedArrayBuffer ? '' : ', not shared'}.`,
          );
      }
    }
    const indices = into ? into.indices.subarray(0, m * k) : sharedInt32(m * k);
    const distances = into ? into.distances.subarray(0, m * k) : sharedFloat64(m * k);
    const chunks = Math.ceil(m / QUERIES_PER_CHUNK);
    const exactPerChunk = sharedInt32(chunks);
    const done = sharedInt32(1);
    const step = Math.max(1, Math.floor(m / 100));
    let next = step;
    const report = (queriesDone: number): void => {
      if (onProgress && queriesDone >= next && queriesDone < m) {
        onProgress(queriesDone, m);
        next = queriesDone - (queriesDone % step) + step;
      }
    };
    const args: QueryArgs = {
      index: this.parts,
      queries: toShared(queries),
      m,
      k,
      indices,
      distances,
      exactPerChunk,
      done,
    };
    queriesDone = report;
    try {
      runChunks({
        module: __filename,
        name: 'queryChunk',
        args,
        chunks,
        onWait: () => report(Atomics.load(done, 0)),
      });
    } finally {
      queriesDone = undefined;
    }
    let exact = 0;
    for (let c = 0; c < chunks; c++) exact += exactPerChunk[c];
    if (onProgress) onProgress(m, m);
    return { n: m, k, indices, distances, exact };
  }
}

/** The index's arrays (shared) and sizes, as the chunks read them. */
export interface IndexParts {
  readonly n: number;
  readonly d: number;
  readonly cells: number;
  readonly maxProbes: number;
  readonly centroids: Float64Array;
  /** Distance between centroids a and b at a · cells + b. */
  readonly centroidDistance: Float64Array;
  /** The reference points grouped by cell, and their original rows. */
  readonly points: Float64Array;
  readonly rows: Int32Array;
  /** Cell c's points are at positions cellStart[c] .. cellStart[c + 1]. */
  readonly cellStart: Int32Array;
}

/** What every chunk of {@link queryChunk} reads and writes (shared arrays). */
export interface QueryArgs {
  readonly index: IndexParts;
  readonly queries: Float64Array;
  readonly m: number;
  readonly k: number;
  /** Outputs: m × k neighbours and distances, and the exact answers of each chunk. */
  readonly indices: Int32Array;
  readonly distances: Float64Array;
  readonly exactPerChunk: Int32Array;
  /** Int32 [queries done by every thread], for the progress reports. */
  readonly done: Int32Array;
}

/** On the calling thread only (a worker's copy of this module never sets it): hears the queries done. */
let queriesDone: ((done: number) => void) | undefined;

/**
 * The neighbours of queries [chunk · 1024, (chunk + 1) · 1024): one chunk of the pool's task.
 * @example runChunks({ module: __filename, name: 'queryChunk', args, chunks: Math.ceil(args.m / 1024) })
 */
export function queryChunk(args: QueryArgs, chunk: number): void {
  const { queries, m, k, indices, distances, done } = args;
  const { d, cells, maxProbes, centroids, centroidDistance, points, rows, cellStart } = args.index;
  const from = chunk * QUERIES_PER_CHUNK;
  const to = Math.min(m, from + QUERIES_PER_CHUNK);
  const heapDistance = new Float64Array(k);
  const heapRow = new Int32Array(k);
  const toCentroid = new Float64Array(cells);
  const bound = new Float64Array(cells);
  const visited = new Uint8Array(cells);
  // A query visits at most maxProbes + 1 cells once it has k candidates: those are ordered up front.
  const listLength = Math.min(cells, maxProbes + 1);
  const order = new Int32Array(listLength);
  const query = new Float64Array(Math.max(d, 8));
  let exact = 0;
  for (let i = from; i < to; i++) {
    for (let t = 0; t < d; t++) {
      const v = queries[i * d + t];
      if (!Number.isFinite(v)) throw new Error(`Query point ${i} holds ${v}; points must be finite.`);
      query[t] = v;
    }
    // The first 8 coordinates in locals (unused when d < 8).
    const q0 = query[0];
    const q1 = query[1];
    const q2 = query[2];
    const q3 = query[3];
    const q4 = query[4];
    const q5 = query[5];
    const q6 = query[6];
    const q7 = query[7];
    let nearest = 0;
    for (let c = 0; c < cells; c++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = centroids[c * d + t] - query[t];
        s += diff * diff;
      }
      toCentroid[c] = s;
      if (s < toCentroid[nearest]) nearest = c;
    }
    const own = toCentroid[nearest];
    for (let c = 0; c < cells; c++) {
      const between = centroidDistance[nearest * cells + c];
      bound[c] = c === nearest || between === 0 ? 0 : Math.max(0, (toCentroid[c] - own) / (2 * between));
    }
    // The first `ordered` cells in increasing order of (bound, cell), by insertion into a short list.
    let ordered = 0;
    for (let e = 0; e < cells; e++) {
      const b = bound[e];
      if (ordered === listLength && !(b < bound[order[ordered - 1]])) continue;
      let slot = ordered < listLength ? ordered++ : ordered - 1;
      while (slot > 0 && b < bound[order[slot - 1]]) {
        order[slot] = order[slot - 1];
        slot--;
      }
      order[slot] = e;
    }
    let filled = 0;
    let worst = Infinity;
    let provedExact = true;
    for (let probe = 0; probe < cells; probe++) {
      let c: number;
      if (probe < ordered) c = order[probe];
      else {
        // Beyond the list (rare: fewer than k points in its cells): the unvisited cell with the smallest (bound, cell).
        if (probe === ordered) {
          visited.fill(0);
          for (let e = 0; e < ordered; e++) visited[order[e]] = 1;
        }
        c = -1;
        for (let e = 0; e < cells; e++) if (!visited[e] && (c < 0 || bound[e] < bound[c])) c = e;
        visited[c] = 1;
      }
      if (filled === k) {
        if (bound[c] * bound[c] > worst) break;
        if (probe >= maxProbes) {
          provedExact = false;
          break;
        }
      }
      for (let p = cellStart[c]; p < cellStart[c + 1]; p++) {
        const base = p * d;
        // Partial distances: give up on a point once its first 8 coordinates (then each further 8) put
        // it farther than the k-th best; the query's first 8 coordinates are held in locals.
        let s = 0;
        let t = 0;
        if (d >= 8) {
          const d0 = points[base] - q0;
          const d1 = points[base + 1] - q1;
          const d2 = points[base + 2] - q2;
          const d3 = points[base + 3] - q3;
          s += d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
          const d4 = points[base + 4] - q4;
          const d5 = points[base + 5] - q5;
          const d6 = points[base + 6] - q6;
          const d7 = points[base + 7] - q7;
          s += d4 * d4 + d5 * d5 + d6 * d6 + d7 * d7;
          if (s > worst) continue;
          t = 8;
        }
        for (; t + 8 <= d; t += 8) {
          const d0 = points[base + t] - query[t];
          const d1 = points[base + t + 1] - query[t + 1];
          const d2 = points[base + t + 2] - query[t + 2];
          const d3 = points[base + t + 3] - query[t + 3];
          s += d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
          const d4 = points[base + t + 4] - query[t + 4];
          const d5 = points[base + t + 5] - query[t + 5];
          const d6 = points[base + t + 6] - query[t + 6];
          const d7 = points[base + t + 7] - query[t + 7];
          s += d4 * d4 + d5 * d5 + d6 * d6 + d7 * d7;
          if (s > worst) break;
        }
        if (s > worst) continue;
        for (; t + 4 <= d; t += 4) {
          const d0 = points[base + t] - query[t];
          const d1 = points[base + t + 1] - query[t + 1];
          const d2 = points[base + t + 2] - query[t + 2];
          const d3 = points[base + t + 3] - query[t + 3];
          s += d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
        }
        for (; t < d; t++) {
          const diff = points[base + t] - query[t];
          s += diff * diff;
        }
        if (s > worst) continue;
        const row = rows[p];
        if (filled < k) {
          let slot = filled++;
          while (slot > 0) {
            const parent = (slot - 1) >> 1;
            if (heapDistance[parent] > s || (heapDistance[parent] === s && heapRow[parent] > row)) break;
            heapDistance[slot] = heapDistance[parent];
            heapRow[slot] = heapRow[parent];
            slot = parent;
          }
          heapDistance[slot] = s;
          heapRow[slot] = row;
          if (filled === k) worst = heapDistance[0];
        } else if (s < worst || (s === worst && row < heapRow[0])) {
          let slot = 0;
          for (;;) {
            let child = 2 * slot + 1;
            if (child >= k) break;
            if (
              child + 1 < k &&
              (heapDistance[child + 1] > heapDistance[child] ||
                (heapDistance[child + 1] === heapDistance[child] && heapRow[child + 1] > heapRow[child]))
            )
              child++;
            if (heapDistance[child] < s || (heapDistance[child] === s && heapRow[child] < row)) break;
            heapDistance[slot] = heapDistance[child];
            heapRow[slot] = heapRow[child];
            slot = child;
          }
          heapDistance[slot] = s;
          heapRow[slot] = row;
          worst = heapDistance[0];
        }
      }
    }
    if (provedExact) exact++;
    // Empty the max-heap from the back: the farthest first.
    for (let size = k; size > 0; size--) {
      indices[i * k + size - 1] = heapRow[0];
      distances[i * k + size - 1] = Math.sqrt(heapDistance[0]);
      const s = heapDistance[size - 1];
      const row = heapRow[size - 1];
      let slot = 0;
      for (;;) {
        let child = 2 * slot + 1;
        if (child >= size - 1) break;
        if (
          child + 1 < size - 1 &&
          (heapDistance[child + 1] > heapDistance[child] ||
            (heapDistance[child + 1] === heapDistance[child] && heapRow[child + 1] > heapRow[child]))
        )
          child++;
        if (heapDistance[child] < s || (heapDistance[child] === s && heapRow[child] < row)) break;
        heapDistance[slot] = heapDistance[child];
        heapRow[slot] = heapRow[child];
        slot = child;
      }
      heapDistance[slot] = s;
      heapRow[slot] = row;
    }
    queriesDone?.(Atomics.add(done, 0, 1) + 1);
  }
  args.exactPerChunk[chunk] = exact;
}
