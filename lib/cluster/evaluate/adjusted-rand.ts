/**
 * How far two clusterings of the same items agree: the adjusted Rand index (Hubert & Arabie 1985,
 * https://doi.org/10.1007/BF01908075), 1 for the same partition under any names, about 0 for
 * partitions no closer than chance, negative for worse; and the contingency table behind it (which
 * clusters of one became which of the other). Notebook 05 compares two recorded runs with them.
 *
 * Computed as scikit-learn's `adjusted_rand_score`, from the pair confusion matrix
 * (tn, fp, fn, tp over ordered pairs): ARI = 2 (tp·tn − fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn)),
 * 1 when fn = fp = 0 (identical partitions, and the limit cases of 0 or 1 item or a single cluster
 * on both sides). The pair counts are whole numbers kept exact as BigInts, so the result equals
 * scikit-learn's to the last bit. Written here: no npm package computes it with these conventions
 * for labels of any kind, and it is a few lines once the contingency table is counted.
 */
import { contingencyCells } from './mutual-information';
import type { ClusterLabel } from './mutual-information';

/** The contingency table of two labellings: `counts[i][j]` items have label `rows[i]` in the first and `columns[j]` in the second. */
export interface ContingencyTable {
  /** The first labelling's labels, in order of first appearance. */
  rows: ClusterLabel[];
  /** The second labelling's labels, in order of first appearance. */
  columns: ClusterLabel[];
  /** Items per pair of labels (rows × columns). */
  counts: number[][];
}

/**
 * The contingency table of two labellings of the same items (scikit-learn's
 * `contingency_matrix`, with the labels in order of first appearance rather than sorted).
 * @example
 * contingencyTable([0, 0, 1, 1], ['x', 'y', 'y', 'y'])
 * // { rows: [0, 1], columns: ['x', 'y'], counts: [[1, 1], [0, 2]] }
 */
export function contingencyTable(labelsA: ArrayLike<ClusterLabel>, labelsB: ArrayLike<ClusterLabel>): ContingencyTable {
  const { a, b, cells: counts } = contingencyCells(labelsA, labelsB);
  const kB = b.labels.length;
  const table = a.labels.map(() => new Array<number>(kB).fill(0));
  for (const [key, count] of counts) table[Math.floor(key / kB)][key % kB] = count;
  return { rows: a.labels, columns: b.labels, counts: table };
}

/**
 * The adjusted Rand index of two labellings of the same items, equal to scikit-learn's
 * `adjusted_rand_score(labelsA, labelsB)` (see the file header). Symmetric, and blind to renaming
 * the labels.
 * @param labelsA one label per item (numbers or strings)
 * @param labelsB another label per item, for the same items in the same order
 * @returns at most 1; about 0 for chance agreement
 * @example
 * adjustedRandIndex([0, 0, 1, 1], ['b', 'b', 'a', 'a']) // 1  (the same partition, renamed)
 * adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])         // -0.5
 * adjustedRandIndex([0, 0, 1, 1], [0, 0, 0, 1])         // 0
 */
export function adjustedRandIndex(labelsA: ArrayLike<ClusterLabel>, labelsB: ArrayLike<ClusterLabel>): number {
  const { a, b, cells: counts } = contingencyCells(labelsA, labelsB);
  const n = BigInt(a.codes.length);
  const kB = b.labels.length;
  const rowSums = new Array<bigint>(a.labels.length).fill(0n);
  const columnSums = new Array<bigint>(kB).fill(0n);
  let sumSquares = 0n;
  for (const [key, count] of counts) {
    const c = BigInt(count);
    rowSums[Math.floor(key / kB)] += c;
    columnSums[key % kB] += c;
    sumSquares += c * c;
  }
  // Σ_ij c_ij · (column sum of j), Σ_ij c_ij · (row sum of i): ordered pairs together in one labelling
  let byColumns = 0n;
  let byRows = 0n;
  for (const [key, count] of counts) {
    byColumns += BigInt(count) * columnSums[key % kB];
    byRows += BigInt(count) * rowSums[Math.floor(key / kB)];
  }
  const tp = sumSquares - n; // pairs together in both
  const fp = byColumns - sumSquares; // together in the second only
  const fn = byRows - sumSquares; // together in the first only
  const tn = n * n - fp - fn - sumSquares; // apart in both
  if (fn === 0n && fp === 0n) return 1;
  return (2 * Number(tp * tn - fn * fp)) / Number((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}
