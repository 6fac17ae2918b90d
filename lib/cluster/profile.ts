/**
 * What each cluster looks like: its size, the mean of every numeric feature and the most common
 * value of every categorical one, as notebooks 02 and 03 show after clustering.
 */
import { DataFrame } from 'danfojs-node';

/** One row per cluster. */
export interface ClusterProfile {
  cluster: number;
  size: number;
  /** Mean of each numeric column over the cluster's members. */
  means: Record<string, number>;
  /** Most common value of each text column, with its share of the cluster (ties: first seen). */
  top: Record<string, { value: string; share: number }>;
}

/**
 * Profiles of the clusters of a frame's rows.
 * @param df the rows clustered (numeric and text columns; other columns are ignored)
 * @param labels one cluster label 0..k−1 per row
 * @example
 * clusterProfiles(features, labels)[0] // { cluster: 0, size: 812, means: { tempo: 121.4, … }, top: { genre: { value: 'Pop', share: 0.31 }, … } }
 */
export function clusterProfiles(df: DataFrame, labels: ArrayLike<number>): ClusterProfile[] {
  const rows = df.values as unknown as unknown[][];
  if (rows.length !== labels.length) throw new Error(`There are ${labels.length} labels for ${rows.length} rows; give one label per row.`);
  let k = 0;
  for (let i = 0; i < labels.length; i++) k = Math.max(k, labels[i] + 1);
  const dtypes = df.dtypes as string[];
  const numeric = df.columns.map((name, c) => ({ name, c })).filter(({ c }) => dtypes[c] !== 'string');
  const text = df.columns.map((name, c) => ({ name, c })).filter(({ c }) => dtypes[c] === 'string');
  const sizes = new Array<number>(k).fill(0);
  const sums = numeric.map(() => new Float64Array(k));
  const counts = text.map(() => Array.from({ length: k }, () => new Map<string, number>()));
  for (let r = 0; r < rows.length; r++) {
    const label = labels[r];
    sizes[label]++;
    numeric.forEach(({ c }, j) => { sums[j][label] += Number(rows[r][c]); });
    text.forEach(({ c }, j) => { const value = String(rows[r][c]); const map = counts[j][label]; map.set(value, (map.get(value) ?? 0) + 1); });
  }
  return sizes.map((size, cluster) => ({
    cluster,
    size,
    means: Object.fromEntries(numeric.map(({ name }, j) => [name, size ? sums[j][cluster] / size : NaN])),
    top: Object.fromEntries(text.map(({ name }, j) => {
      let best = ''; let bestCount = 0;
      for (const [value, count] of counts[j][cluster]) if (count > bestCount) { best = value; bestCount = count; }
      return [name, { value: best, share: size ? bestCount / size : 0 }];
    })),
  }));
}

/**
 * Profiles as a table (columns: cluster, size, the text columns' top values, the numeric means)
 * for `showTable`.
 * @example showTable(profileTable(clusterProfiles(features, labels)), { rows: 20 })
 */
export function profileTable(profiles: ClusterProfile[]): { columns: string[]; shape: number[]; values: (string | number)[][] } {
  const first = profiles[0];
  const textColumns = first ? Object.keys(first.top) : [];
  const numericColumns = first ? Object.keys(first.means) : [];
  const columns = ['cluster', 'size', ...textColumns.map((c) => `top ${c}`), ...numericColumns.map((c) => `mean ${c}`)];
  const values = profiles.map((p) => [
    p.cluster, p.size,
    ...textColumns.map((c) => `${p.top[c].value} (${Math.round(p.top[c].share * 100)}%)`),
    ...numericColumns.map((c) => Number(p.means[c].toPrecision(4))),
  ]);
  return { columns, shape: [values.length, columns.length], values };
}
