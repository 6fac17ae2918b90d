/**
 * Exact k nearest neighbours of query points among a fixed set of reference points (Euclidean), by
 * a k-d tree (Bentley 1975, "Multidimensional binary search trees used for associative searching",
 * https://doi.org/10.1145/361002.361007; the search of Friedman, Bentley and Finkel 1977,
 * https://doi.org/10.1145/355744.355745).
 *
 * Written here because placing a whole catalogue on a map asks for the neighbours of 145,000
 * tracks among 10,000 sampled ones: brute force is 1.5 billion 15-dimensional distances, and the
 * npm k-d trees found either hold points as objects (a heavy allocation per point), or answer
 * approximately. This one keeps the reference points in one Float64Array, permuted so that each
 * leaf's points are contiguous, and walks it without recursion allocations.
 *
 * Build: each node splits its points at the median of the dimension with the largest spread
 * (nodes of at most `leafSize` points are leaves). Search: descend to the nearer side first, keep a
 * bounded max-heap of the k best, and visit the farther side only when the squared distance to the
 * splitting plane is below the current k-th best (exact: a point is never missed). Ties are broken
 * by the lower reference index, as `nearestNeighbours` (lib/embed/nearest-neighbours.ts) does.
 */

/** Options of {@link KdTree}. */
export interface KdTreeOptions {
  /** Most points in a leaf (default 16). */
  leafSize?: number;
}

/** The k nearest reference points of each query, nearest first. */
export interface QueryNeighbours {
  /** The number of queries. */
  readonly n: number;
  /** Neighbours per query. */
  readonly k: number;
  /** Query i's neighbours (reference row numbers) at `indices[i·k .. i·k + k)`, nearest first. */
  readonly indices: Int32Array;
  /** The matching Euclidean distances. */
  readonly distances: Float64Array;
}

/**
 * A k-d tree over row-major reference points (n × d), for exact k-nearest-neighbour queries.
 * @example
 * const tree = new KdTree(new Float64Array([0, 0, 1, 0, 5, 5]), 3, 2);
 * const { indices, distances } = tree.query(new Float64Array([0.9, 0.1]), 1, 2);
 * // indices: Int32Array [1, 0]; distances: [√0.02, √0.82]
 */
export class KdTree {
  /** The number of reference points. */
  readonly n: number;
  /** Their dimension. */
  readonly d: number;
  /** The reference points, permuted so that every node's points are contiguous. */
  private readonly points: Float64Array;
  /** The original row of each permuted point. */
  private readonly order: Int32Array;
  // Per node (depth first): its point range, split dimension and value, and its children (−1 for a leaf).
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly splitDimension: Int32Array;
  private readonly splitValue: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private nodes = 0;

  constructor(data: Float64Array, n: number, d: number, options: KdTreeOptions = {}) {
    const leafSize = options.leafSize ?? 16;
    if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1 || data.length !== n * d) {
      throw new Error(`A k-d tree needs n × d values for at least one point, got ${data.length} values for ${n} × ${d}.`);
    }
    if (!Number.isInteger(leafSize) || leafSize < 1) throw new Error(`leafSize must be a whole number of at least 1, got ${leafSize}.`);
    for (let p = 0; p < data.length; p++) {
      if (!Number.isFinite(data[p])) throw new Error(`Reference point ${Math.floor(p / d)} holds ${data[p]}; points must be finite.`);
    }
    this.n = n;
    this.d = d;
    const maxNodes = 2 * Math.ceil(n / leafSize) + 1;
    this.start = new Int32Array(maxNodes * 2);
    this.end = new Int32Array(maxNodes * 2);
    this.splitDimension = new Int32Array(maxNodes * 2);
    this.splitValue = new Float64Array(maxNodes * 2);
    this.left = new Int32Array(maxNodes * 2);
    this.right = new Int32Array(maxNodes * 2);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    this.buildNode(data, order, 0, n, leafSize);
    this.order = order;
    this.points = new Float64Array(n * d);
    for (let p = 0; p < n; p++) this.points.set(data.subarray(order[p] * d, order[p] * d + d), p * d);
  }

  /** Builds the node over order[from, to) and returns its number. */
  private buildNode(data: Float64Array, order: Int32Array, from: number, to: number, leafSize: number): number {
    const node = this.nodes++;
    this.start[node] = from;
    this.end[node] = to;
    this.left[node] = -1;
    this.right[node] = -1;
    if (to - from <= leafSize) return node;
    const d = this.d;
    let best = -1;
    let bestSpread = 0;
    for (let t = 0; t < d; t++) {
      let low = Infinity;
      let high = -Infinity;
      for (let p = from; p < to; p++) {
        const v = data[order[p] * d + t];
        if (v < low) low = v;
        if (v > high) high = v;
      }
      if (high - low > bestSpread) {
        bestSpread = high - low;
        best = t;
      }
    }
    if (best < 0) return node; // every point the same: a leaf, however large
    const middle = (from + to) >> 1;
    selectByDimension(data, d, order, from, to, middle, best);
    this.splitDimension[node] = best;
    this.splitValue[node] = data[order[middle] * d + best];
    this.left[node] = this.buildNode(data, order, from, middle, leafSize);
    this.right[node] = this.buildNode(data, order, middle, to, leafSize);
    return node;
  }

  /**
   * The k nearest reference points of each query (row-major, m × d), nearest first.
   * @param queries the query points, m × d
   * @param m the number of queries
   * @param k neighbours per query, 1 ≤ k ≤ n
   * @param onProgress called now and then with the queries done and m
   */
  query(queries: Float64Array, m: number, k: number, onProgress?: (done: number, total: number) => void): QueryNeighbours {
    const { d, n } = this;
    if (queries.length !== m * d) throw new Error(`Expected ${m} query points of ${d} values (${m * d}), got ${queries.length} values.`);
    if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`The number of neighbours must be a whole number from 1 to ${n}, got ${k}.`);
    const indices = new Int32Array(m * k);
    const distances = new Float64Array(m * k);
    const heapDistance = new Float64Array(k);
    const heapIndex = new Int32Array(k);
    // One pending far side per level of the tree at most.
    const depth = 2 * Math.ceil(Math.log2(n + 1)) + 8;
    const stack = new Int32Array(depth);
    const stackBound = new Float64Array(depth);
    const query = new Float64Array(d);
    const step = Math.max(1, Math.floor(m / 100));
    for (let i = 0; i < m; i++) {
      for (let t = 0; t < d; t++) {
        const v = queries[i * d + t];
        if (!Number.isFinite(v)) throw new Error(`Query point ${i} holds ${v}; points must be finite.`);
        query[t] = v;
      }
      const filled = this.search(query, k, heapDistance, heapIndex, stack, stackBound);
      // Heap → sorted, nearest first (ties by index).
      const order = Array.from({ length: filled }, (_, a) => a).sort((a, b) => heapDistance[a] - heapDistance[b] || heapIndex[a] - heapIndex[b]);
      for (let a = 0; a < filled; a++) {
        indices[i * k + a] = heapIndex[order[a]];
        distances[i * k + a] = Math.sqrt(heapDistance[order[a]]);
      }
      if (onProgress && (i + 1) % step === 0) onProgress(i + 1, m);
    }
    if (onProgress) onProgress(m, m);
    return { n: m, k, indices, distances };
  }

  /** Fills the heap with the k nearest (squared distances, original rows); returns how many. */
  private search(query: Float64Array, k: number, heapDistance: Float64Array, heapIndex: Int32Array, stack: Int32Array, stackBound: Float64Array): number {
    const { d, points, order, start, end, splitDimension, splitValue, left, right } = this;
    let filled = 0;
    let worst = Infinity;
    let top = 0;
    stack[top] = 0;
    stackBound[top++] = 0;
    while (top > 0) {
      top--;
      let node = stack[top];
      if (filled === k && stackBound[top] > worst) continue;
      // Descend to the leaf on the query's side, pushing the far sides with their plane distance.
      while (left[node] >= 0) {
        const diff = query[splitDimension[node]] - splitValue[node];
        const near = diff < 0 ? left[node] : right[node];
        const far = diff < 0 ? right[node] : left[node];
        const bound = diff * diff;
        if (filled < k || bound <= worst) {
          stack[top] = far;
          stackBound[top++] = bound;
        }
        node = near;
      }
      for (let p = start[node]; p < end[node]; p++) {
        const base = p * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = points[base + t] - query[t];
          s += diff * diff;
        }
        const row = order[p];
        if (filled < k) {
          // Sift up into the max-heap ordered by (distance, row).
          let c = filled++;
          while (c > 0) {
            const parent = (c - 1) >> 1;
            const pd = heapDistance[parent];
            if (pd > s || (pd === s && heapIndex[parent] > row)) break;
            heapDistance[c] = pd;
            heapIndex[c] = heapIndex[parent];
            c = parent;
          }
          heapDistance[c] = s;
          heapIndex[c] = row;
          if (filled === k) worst = heapDistance[0];
        } else if (s < worst || (s === worst && row < heapIndex[0])) {
          let c = 0;
          for (;;) {
            let child = 2 * c + 1;
            if (child >= k) break;
            if (child + 1 < k) {
              const a = heapDistance[child];
              const b = heapDistance[child + 1];
              if (b > a || (b === a && heapIndex[child + 1] > heapIndex[child])) child++;
            }
            const cd = heapDistance[child];
            if (cd < s || (cd === s && heapIndex[child] < row)) break;
            heapDistance[c] = cd;
            heapIndex[c] = heapIndex[child];
            c = child;
          }
          heapDistance[c] = s;
          heapIndex[c] = row;
          worst = heapDistance[0];
        }
      }
    }
    return filled;
  }
}

/** Rearranges order[from, to) so that position `nth` holds the point that sorting by dimension t would put there (quickselect). */
function selectByDimension(data: Float64Array, d: number, order: Int32Array, from: number, to: number, nth: number, t: number): void {
  let low = from;
  let high = to - 1;
  while (high > low) {
    const pivot = data[order[(low + high) >> 1] * d + t];
    let i = low;
    let j = high;
    while (i <= j) {
      while (data[order[i] * d + t] < pivot) i++;
      while (data[order[j] * d + t] > pivot) j--;
      if (i <= j) {
        const swap = order[i];
        order[i] = order[j];
        order[j] = swap;
        i++;
        j--;
      }
    }
    if (nth <= j) high = j;
    else if (nth >= i) low = i;
    else break;
  }
}
