/**
 * Normalised mutual information between two labellings of the same items: how much knowing one
 * labelling tells about the other, from 0 (independent) to 1 (the same partition up to renaming).
 * Notebook 02 uses it to compare two clusterings of the same tracks, or a clustering with genre.
 *
 * Definition: Strehl & Ghosh 2002 (https://www.jmlr.org/papers/v3/strehl02a.html), normalised by
 * the arithmetic mean of the two entropies (Vinh, Epps & Bailey 2010,
 * https://jmlr.org/papers/v11/vinh10a.html): NMI = MI(U, V) / ((H(U) + H(V)) / 2), as
 * scikit-learn's `normalized_mutual_info_score` with its limit cases. Formulas: docs/evaluate.md.
 *
 * Written here because no npm package computes it for arbitrary labels (numbers or strings) with
 * scikit-learn's conventions, and it is a few lines once the contingency table is counted.
 */

/** A label: a number or a string (such as a genre). 1 and '1' are different labels. */
export type ClusterLabel = number | string;

/** Labels renumbered 0..k−1 in order of first appearance: each item's code, the labels, their sizes. */
export interface EncodedLabels {
  codes: Int32Array;
  labels: ClusterLabel[];
  counts: number[];
}

/** Renumbers labels to 0..k−1 in order of first appearance. */
function encode(labels: ArrayLike<ClusterLabel>, which: string): EncodedLabels {
  const codes = new Int32Array(labels.length);
  const seen = new Map<ClusterLabel, number>();
  const counts: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(typeof label === 'string' || (typeof label === 'number' && Number.isFinite(label)))) {
      throw new Error(
        `Label ${i} of the ${which} labelling is ${String(label)}; labels must be finite numbers or strings.`,
      );
    }
    let code = seen.get(label);
    if (code === undefined) {
      code = seen.size;
      seen.set(label, code);
      counts.push(0);
    }
    codes[i] = code;
    counts[code]++;
  }
  return { codes, labels: [...seen.keys()], counts };
}

/**
 * Both labellings encoded, and the non-zero cells of their contingency table, keyed
 * `codeA · kB + codeB` (sparse: k × k could be n × n). Shared by the NMI and the adjusted Rand index.
 * @example contingencyCells([0, 0, 1], ['x', 'y', 'y']).cells // Map { 0 => 1, 1 => 1, 3 => 1 }
 */
export function contingencyCells(
  labelsA: ArrayLike<ClusterLabel>,
  labelsB: ArrayLike<ClusterLabel>,
): { a: EncodedLabels; b: EncodedLabels; cells: Map<number, number> } {
  if (labelsA.length !== labelsB.length) {
    throw new Error(
      `Both labellings must label the same items, but one has ${labelsA.length} labels and the other ${labelsB.length}.`,
    );
  }
  const a = encode(labelsA, 'first');
  const b = encode(labelsB, 'second');
  const kB = b.counts.length;
  const cells = new Map<number, number>();
  for (let i = 0; i < a.codes.length; i++) {
    const key = a.codes[i] * kB + b.codes[i];
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  return { a, b, cells };
}

/**
 * −Σ (c / n) log(c / n) over the cluster sizes c, written Σ (c / n)(log n − log c): the same
 * expression as the mutual information's terms when the two labellings agree, so that identical
 * partitions score exactly 1.
 */
function entropy(counts: readonly number[], n: number): number {
  const logN = Math.log(n);
  let h = 0;
  for (const c of counts) if (c > 0) h += (c / n) * (logN - Math.log(c));
  return h;
}

/**
 * The normalised mutual information of two labellings of the same items, equal to
 * scikit-learn's `normalized_mutual_info_score(labelsA, labelsB)` (arithmetic normalisation; see
 * the file header for the definition and the limit cases). Symmetric in its arguments and blind
 * to renaming the labels.
 * @param labelsA one label per item (numbers or strings)
 * @param labelsB another label per item, for the same items in the same order
 * @returns a number in [0, 1]
 * @example
 * normalizedMutualInfo([0, 0, 1, 1], ['b', 'b', 'a', 'a']) // 1  (the same partition, renamed)
 * normalizedMutualInfo([0, 0, 1, 1], [0, 1, 0, 1])         // 0  (independent)
 * normalizedMutualInfo([0, 0, 1, 1], [0, 0, 0, 1])         // 0.3437110184854508
 */
export function normalizedMutualInfo(labelsA: ArrayLike<ClusterLabel>, labelsB: ArrayLike<ClusterLabel>): number {
  const n = labelsA.length;
  const { a, b, cells } = contingencyCells(labelsA, labelsB);
  const kA = a.counts.length;
  const kB = b.counts.length;
  if (kA === kB && kA <= 1) return 1; // both a single cluster (or both empty): the same partition
  if (kA === 1 || kB === 1) return 0; // one carries no information

  const logN = Math.log(n);
  let mi = 0;
  for (const [key, count] of cells) {
    const rowSize = a.counts[Math.floor(key / kB)];
    const columnSize = b.counts[key % kB];
    mi += (count / n) * (logN - Math.log(rowSize) + (Math.log(count) - Math.log(columnSize)));
  }
  if (mi <= 0) return 0; // rounding can leave a tiny negative sum for independent labellings
  const normaliser = (entropy(a.counts, n) + entropy(b.counts, n)) / 2;
  return Math.min(1, mi / normaliser);
}
