/**
 * How balanced a clustering is, in the few numbers the notebooks print beside each method: the
 * cluster sizes from largest to smallest, the largest cluster's share of the rows, the smallest
 * cluster's size and the number of clusters. Average linkage tends to give one big cluster and a
 * few crumbs, k-medoids and k-means more even groups; these numbers make that visible in a table.
 * Also the plain count of rows per label (`clusterSizes`) that the sweeps and assignments use.
 */

/**
 * How many rows carry each label 0..k−1.
 * @param k the number of clusters; default the largest label + 1
 * @example clusterSizes([0, 1, 1, 2, 1]) // Int32Array [1, 3, 1]
 */
export function clusterSizes(labels: ArrayLike<number>, k?: number): Int32Array {
  let clusters = k ?? 0;
  if (k === undefined) for (let i = 0; i < labels.length; i++) clusters = Math.max(clusters, labels[i] + 1);
  const sizes = new Int32Array(clusters);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= clusters) {
      throw new Error(`Label ${i} is ${label}; labels must be whole numbers from 0 to ${clusters - 1}.`);
    }
    sizes[label]++;
  }
  return sizes;
}

/** The summary returned by {@link clusterSizeSummary}. */
export interface ClusterSizeSummary {
  /** The cluster sizes, largest first (ties in increasing label order). */
  sizes: number[];
  /** The label of each entry of `sizes`. */
  labels: (number | string)[];
  /** The largest cluster's share of the rows, in (0, 1]. */
  largestShare: number;
  /** The size of the smallest cluster. */
  smallest: number;
  /** The number of clusters. */
  count: number;
  /** The sizes as short text, the form {@link describeClusterSizes} gives. */
  text: string;
}

/**
 * Cluster sizes as short text, largest first: all of them when there are at most six, else the
 * five largest, an ellipsis and the smallest.
 * @param sizes the cluster sizes, in any order
 * @example
 * describeClusterSizes([3, 9, 1])                 // '9, 3, 1'
 * describeClusterSizes([1, 2, 3, 4, 5, 6, 70])    // '70, 6, 5, 4, 3, … 1'
 */
export function describeClusterSizes(sizes: ArrayLike<number>): string {
  const sorted = Array.from(sizes).sort((a, b) => b - a);
  return sorted.length > 6 ? `${sorted.slice(0, 5).join(', ')}, … ${sorted[sorted.length - 1]}` : sorted.join(', ');
}

/**
 * The sizes of a clustering's clusters, largest first, with the largest cluster's share of the
 * rows, the smallest cluster's size and the number of clusters.
 * @param labels one cluster label per row (numbers or strings)
 * @example
 * const s = clusterSizeSummary([2, 0, 0, 1, 0, 0, 2, 0]);
 * s.sizes        // [5, 2, 1]
 * s.labels       // [0, 2, 1]
 * s.largestShare // 0.625
 * s.smallest     // 1
 * s.count        // 3
 * s.text         // '5, 2, 1'
 */
export function clusterSizeSummary(labels: ArrayLike<number | string>): ClusterSizeSummary {
  const n = labels.length;
  if (n === 0) throw new Error('clusterSizeSummary needs at least one label; the labelling given is empty.');
  const counts = new Map<number | string, number>();
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (!(typeof label === 'string' || (typeof label === 'number' && Number.isFinite(label)))) {
      throw new Error(`Label ${i} is ${String(label)}; labels must be finite numbers or strings.`);
    }
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const byLabel = (a: number | string, b: number | string): number =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
  const entries = [...counts].sort((a, b) => b[1] - a[1] || byLabel(a[0], b[0]));
  const sizes = entries.map(([, size]) => size);
  return {
    sizes,
    labels: entries.map(([label]) => label),
    largestShare: sizes[0] / n,
    smallest: sizes[sizes.length - 1],
    count: sizes.length,
    text: describeClusterSizes(sizes),
  };
}
