/**
 * Average-linkage (UPGMA) agglomerative clustering of a precomputed distance matrix.
 *
 * Written here rather than taken from `ml-hclust`: its `agnes` rebuilds an (m−1)×(m−1) matrix at
 * every one of the n−1 merges, Θ(n³) time, hours at 10,000 rows. This is the nearest-neighbour
 * chain algorithm (Müllner 2011, "Modern hierarchical, agglomerative clustering algorithms",
 * https://arxiv.org/abs/1109.2378, Figure 4), the one scipy's `linkage` and fastcluster run for
 * average linkage: O(n²) time on one condensed Float64 working copy of the matrix (n(n−1)/2 × 8
 * bytes: 400 MB for 10,000 rows), the input left untouched. It follows scipy's `nn_chain`
 * step by step, tie-breaking included, then sorts the merges by height (stable) and numbers the
 * nodes as scipy's `label` does, so `linkageMatrix()` matches `scipy.cluster.hierarchy.linkage(…,
 * method='average')`. `ml-hclust`'s `agnes` stays in the tests as a second, independent reference.
 *
 * Between clusters A and B the distance is the mean of the pairwise distances; merging A and B
 * into C updates the distance to any K by Lance–Williams: d(C, K) = (|A| d(A, K) + |B| d(B, K)) /
 * (|A| + |B|). Average linkage is reducible, so the chain's merges, once sorted by height, are a
 * valid sequence of greedy merges, and heights never decrease. The chain itself (nn-chain.ts) keeps
 * each cluster's nearest neighbour while it stays exact and shares its long passes with a second
 * thread of the worker pool (THREADS ≥ 2): the same merges, bit for bit, whatever the threads.
 */
import { DistanceMatrix } from '../../matrix/distance-matrix';
import { assertMatrixFits } from '../../matrix/memory';
import { isMainThread } from 'node:worker_threads';
import { getThreads, sharedFloat64 } from '../../parallel/pool';
import { chainProgress, chainState, runChain } from './nn-chain';

/** Options of {@link averageLinkage}. */
export interface LinkageOptions {
  /** Called now and then with the merges done and the total n − 1. */
  onProgress?: (done: number, total: number) => void;
  /** Bytes the Float64 working copy may take; default 80 % of available memory. */
  memoryLimit?: number;
}

/**
 * The root-finding half of a union-find over `parent` (each entry its parent, roots their own),
 * with path compression: `find(x)` returns x's root and points x's path straight at it.
 */
function rootFinder(parent: Int32Array): (x: number) => number {
  return (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root];
    while (parent[x] !== root) {
      const next = parent[x];
      parent[x] = root;
      x = next;
    }
    return root;
  };
}

/**
 * The result of a hierarchical clustering: n − 1 merges sorted by height.
 *
 * Merge m joins nodes `left[m]` and `right[m]` (scipy's numbering: 0..n−1 are the rows, n + m is
 * the node made by merge m; left < right) at height `heights[m]` into a node of `sizes[m]` rows.
 * @example
 * const tree = averageLinkage(DistanceMatrix.fromSquare([[0, 1, 4], [1, 0, 2], [4, 2, 0]]));
 * tree.heights; // Float64Array [1, 3]
 * tree.left;    // Int32Array [0, 2]
 * tree.right;   // Int32Array [1, 3]
 * tree.sizes;   // Int32Array [2, 3]
 */
export class Dendrogram {
  /** The number of rows clustered. */
  readonly size: number;
  /** The n − 1 merge heights in merge order, ascending. */
  readonly heights: Float64Array;
  /** Node numbers joined by each merge (scipy's Z[:, 0]). */
  readonly left: Int32Array;
  /** Node numbers joined by each merge (scipy's Z[:, 1]). */
  readonly right: Int32Array;
  /** Rows under the node each merge makes (scipy's Z[:, 3]). */
  readonly sizes: Int32Array;
  /** One row of each side of each merge, for cutting without walking the tree. */
  private readonly leafA: Int32Array;
  private readonly leafB: Int32Array;

  /**
   * Made by {@link averageLinkage}: merge m joined the clusters holding rows `leafA[m]` and
   * `leafB[m]` at `heights[m]`, merges sorted by height.
   */
  constructor(size: number, heights: Float64Array, leafA: Int32Array, leafB: Int32Array) {
    this.size = size;
    this.heights = heights;
    this.leafA = leafA;
    this.leafB = leafB;
    const merges = Math.max(size - 1, 0);
    this.left = new Int32Array(merges);
    this.right = new Int32Array(merges);
    this.sizes = new Int32Array(merges);
    // Number the nodes as scipy's `label` does: union-find over rows, each root knowing its node.
    const parent = new Int32Array(size);
    const node = new Int32Array(size);
    const count = new Int32Array(size).fill(1);
    for (let i = 0; i < size; i++) {
      parent[i] = i;
      node[i] = i;
    }
    const find = rootFinder(parent);
    for (let m = 0; m < merges; m++) {
      const ra = find(leafA[m]);
      const rb = find(leafB[m]);
      const a = node[ra];
      const b = node[rb];
      this.left[m] = Math.min(a, b);
      this.right[m] = Math.max(a, b);
      this.sizes[m] = count[ra] + count[rb];
      parent[ra] = rb;
      count[rb] += count[ra];
      node[rb] = size + m;
    }
  }

  /**
   * The merges as scipy's linkage matrix Z: rows [left, right, height, size].
   * @example averageLinkage(DistanceMatrix.fromSquare([[0, 1, 4], [1, 0, 2], [4, 2, 0]])).linkageMatrix()
   * // [[0, 1, 1, 2], [2, 3, 3, 3]]   (d({0,1}, 2) = (4 + 2) / 2 = 3)
   */
  linkageMatrix(): number[][] {
    return Array.from(this.heights, (h, m) => [this.left[m], this.right[m], h, this.sizes[m]]);
  }

  /**
   * Flat clusters from undoing the last k − 1 merges: labels 0..k−1, numbered in order of first
   * appearance (row 0 is in cluster 0, the first row not in cluster 0 is in cluster 1, …).
   *
   * When no two merge heights are equal this is the partition of scipy's `fcluster(Z, k,
   * 'maxclust')` up to renaming of the labels. With tied heights scipy may return fewer than k
   * clusters (it cuts at a height); this always returns exactly k, splitting the tie in merge order.
   * @param k number of clusters, 1..n
   * @example
   * const tree = averageLinkage(DistanceMatrix.fromSquare([[0, 1, 4], [1, 0, 2], [4, 2, 0]]));
   * tree.cut(2) // Int32Array [0, 0, 1]
   */
  cut(k: number): Int32Array {
    const n = this.size;
    if (!Number.isInteger(k) || k < 1 || k > n) {
      throw new Error(`Cannot cut ${n} rows into ${k} clusters; k must be a whole number from 1 to ${n}.`);
    }
    const parent = new Int32Array(n);
    for (let i = 0; i < n; i++) parent[i] = i;
    const find = rootFinder(parent);
    for (let m = 0; m < n - k; m++) parent[find(this.leafA[m])] = find(this.leafB[m]);
    const labels = new Int32Array(n);
    const labelOfRoot = new Int32Array(n).fill(-1);
    let next = 0;
    for (let i = 0; i < n; i++) {
      const root = find(i);
      if (labelOfRoot[root] < 0) labelOfRoot[root] = next++;
      labels[i] = labelOfRoot[root];
    }
    return labels;
  }
}

/**
 * Average-linkage (UPGMA) clustering of a precomputed distance matrix in O(n²) time (the
 * nearest-neighbour chain; see the file header). The input is not modified.
 *
 * Refuses a matrix holding NaN or infinite values (for instance Gower distances between rows
 * with no feature in common) with a sentence naming the pair.
 * @param distances the distances; its working copy needs n(n−1)/2 × 8 bytes
 * @example
 * const tree = averageLinkage(DistanceMatrix.fromSquare([[0, 1, 4], [1, 0, 2], [4, 2, 0]]));
 * tree.heights // Float64Array [1, 3]
 * tree.cut(2)  // Int32Array [0, 0, 1]
 */
export function averageLinkage(distances: DistanceMatrix, options: LinkageOptions = {}): Dendrogram {
  const n = distances.size;
  if (n < 1) throw new Error('Average linkage needs at least one row.');
  assertMatrixFits(n, { bytesPerValue: 8, memoryLimit: options.memoryLimit, what: 'The average-linkage working copy' });
  // Shared when a second thread can help (nn-chain.ts; not inside a pool worker); the same bytes either way.
  const D =
    getThreads() > 1 && isMainThread
      ? sharedFloat64(distances.condensed.length)
      : new Float64Array(distances.condensed.length);
  D.set(distances.condensed); // much faster than Float64Array.from for a Float32Array
  for (let p = 0; p < D.length; p++) {
    if (!Number.isFinite(D[p])) {
      const [i, j] = pairAt(n, p);
      throw new Error(
        `The distance between rows ${i} and ${j} is ${D[p]}; average linkage needs finite distances ` +
          '(Gower gives NaN when two rows share no non-missing feature: drop such rows or set incomparableDistance).',
      );
    }
  }

  const merges = n - 1;
  const state = chainState(n, D);
  const onProgress = options.onProgress;
  chainProgress.callback = onProgress;
  try {
    runChain(state);
  } finally {
    chainProgress.callback = undefined;
  }
  if (onProgress) onProgress(merges, merges);
  const { heights, leafA, leafB } = state;

  // Sort the merges by height, stable (scipy: argsort kind='mergesort').
  const order = Array.from({ length: merges }, (_, m) => m);
  order.sort((a, b) => heights[a] - heights[b] || a - b);
  const sortedHeights = new Float64Array(merges);
  const sortedA = new Int32Array(merges);
  const sortedB = new Int32Array(merges);
  order.forEach((m, r) => {
    sortedHeights[r] = heights[m];
    sortedA[r] = leafA[m];
    sortedB[r] = leafB[m];
  });
  return new Dendrogram(n, sortedHeights, sortedA, sortedB);
}

/** The (i, j), i < j, at condensed position p of an n-row matrix. */
function pairAt(n: number, p: number): [number, number] {
  let i = 0;
  let start = 0;
  while (start + (n - i - 1) <= p) {
    start += n - i - 1;
    i++;
  }
  return [i, i + 1 + (p - start)];
}
