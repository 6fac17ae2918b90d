/**
 * What each cluster looks like: its size, the mean of every numeric feature and the most common
 * value of every categorical one, as notebooks 02 and 03 show after clustering.
 */
import { FrameLike, frameColumnNames, frameColumns, frameKinds, frameRowCount } from '../../data/frame';

/** One row per cluster. */
export interface ClusterProfile {
  cluster: number;
  size: number;
  /** Mean of each numeric column over the cluster's members. */
  means: Record<string, number>;
  /** Most common value of each text column, with its share of the cluster (ties: first seen). */
  top: Record<string, { value: string; share: number }>;
}

/** Options of {@link clusterProfiles}; every field is optional. */
export interface ClusterProfileOptions {
  /** The number of clusters, so clusters without members get a row too (default: the largest label + 1). */
  k?: number;
}

/**
 * Profiles of the clusters of a frame's rows. Numeric columns (by dtype, or by their values for a
 * frame without dtypes) are averaged, text columns give their most common value.
 * @param df the rows clustered (any `FrameLike`)
 * @param labels one cluster label 0..k−1 per row
 * @param options `k`, the number of clusters
 * @example
 * clusterProfiles({ genre: ['Pop', 'Pop', 'Rock'], tempo: [100, 120, 90] }, [0, 0, 1])
 * // [{ cluster: 0, size: 2, means: { tempo: 110 }, top: { genre: { value: 'Pop', share: 1 } } },
 * //  { cluster: 1, size: 1, means: { tempo: 90 }, top: { genre: { value: 'Rock', share: 1 } } }]
 */
export function clusterProfiles(
  df: FrameLike,
  labels: ArrayLike<number>,
  options: ClusterProfileOptions = {},
): ClusterProfile[] {
  const n = frameRowCount(df);
  if (n !== labels.length) throw new Error(`There are ${labels.length} labels for ${n} rows; give one label per row.`);
  if (options.k !== undefined && (!Number.isInteger(options.k) || options.k < 1)) {
    throw new Error(`The number of clusters k must be a whole number of at least 1, got ${options.k}.`);
  }
  const k = options.k ?? clusterCount(labels);
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r];
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      const range = options.k === undefined ? `${n} rows make at most ${n} clusters` : `k is ${k}`;
      throw new Error(
        `Row ${r} has the cluster label ${label}; cluster labels must be whole numbers from 0 to ${k - 1} (${range}).`,
      );
    }
  }
  const names = frameColumnNames(df);
  const kinds = frameKinds(df);
  const columns = frameColumns(df, names);
  const numeric = names.map((name, c) => ({ name, c })).filter(({ c }) => kinds[c] !== 'text');
  const text = names.map((name, c) => ({ name, c })).filter(({ c }) => kinds[c] === 'text');
  const sizes = new Array<number>(k).fill(0);
  for (let r = 0; r < n; r++) sizes[labels[r]]++;
  const sums = numeric.map(({ c }) => {
    const column = columns[c];
    const sum = new Float64Array(k);
    for (let r = 0; r < n; r++) sum[labels[r]] += Number(column[r]);
    return sum;
  });
  const counts = text.map(({ c }) => {
    const column = columns[c];
    const perCluster = Array.from({ length: k }, () => new Map<string, number>());
    for (let r = 0; r < n; r++) {
      const value = String(column[r]);
      const map = perCluster[labels[r]];
      map.set(value, (map.get(value) ?? 0) + 1);
    }
    return perCluster;
  });
  return sizes.map((size, cluster) => ({
    cluster,
    size,
    means: Object.fromEntries(numeric.map(({ name }, j) => [name, size ? sums[j][cluster] / size : NaN])),
    top: Object.fromEntries(
      text.map(({ name }, j) => {
        let best = '';
        let bestCount = 0;
        for (const [value, count] of counts[j][cluster])
          if (count > bestCount) {
            best = value;
            bestCount = count;
          }
        return [name, { value: best, share: size ? bestCount / size : 0 }];
      }),
    ),
  }));
}

/**
 * The largest label + 1 when every label is a whole number below the row count (a clustering of
 * n rows has at most n clusters); otherwise the row count, and the label check names the culprit.
 */
function clusterCount(labels: ArrayLike<number>): number {
  let k = 0;
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r];
    if (!Number.isInteger(label) || label < 0 || label >= labels.length) return labels.length;
    if (label + 1 > k) k = label + 1;
  }
  return k;
}

/**
 * Profiles as a table for `showTable`: one row per cluster with its size, the text columns' top
 * values with their share, and the numeric means to four significant digits.
 * @example
 * profileTable(clusterProfiles({ genre: ['Pop', 'Pop', 'Rock'], tempo: [100, 120, 90] }, [0, 0, 1]))
 * // { columns: ['cluster', 'size', 'top genre', 'mean tempo'], shape: [2, 4], values: [[0, 2, 'Pop (100%)', 110], [1, 1, 'Rock (100%)', 90]] }
 */
export function profileTable(profiles: readonly ClusterProfile[]): {
  columns: string[];
  shape: number[];
  values: (string | number)[][];
} {
  const first = profiles[0];
  const textColumns = first ? Object.keys(first.top) : [];
  const numericColumns = first ? Object.keys(first.means) : [];
  const columns = ['cluster', 'size', ...textColumns.map((c) => `top ${c}`), ...numericColumns.map((c) => `mean ${c}`)];
  const values = profiles.map((p) => [
    p.cluster,
    p.size,
    ...textColumns.map((c) => `${p.top[c].value} (${Math.round(p.top[c].share * 100)}%)`),
    ...numericColumns.map((c) => Number(p.means[c].toPrecision(4))),
  ]);
  return { columns, shape: [values.length, columns.length], values };
}
