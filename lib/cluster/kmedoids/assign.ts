/**
 * Rows and medoids: which medoid is nearest to a row, and the medoid silhouette.
 *
 * Every row belongs to its nearest medoid (`kmedoids.ts`), which extends to rows the fit never saw,
 * read from the same precomputed matrix. Ties follow the Python `kmedoids` package: a medoid
 * belongs to itself, any other row to the first nearest medoid in the order given.
 *
 * The medoid silhouette (Van der Laan, Pollard & Bryan 2003,
 * https://doi.org/10.1080/0094965031000136012; Lenssen & Schubert 2022,
 * https://arxiv.org/abs/2209.12553): s(i) = (b(i) − a(i)) / max(a(i), b(i)) with a(i), b(i) the
 * distances to row i's medoid and to the nearest other one, limit cases as `kmedoids.medoid_silhouette`.
 * Written here because no npm package reads this project's condensed matrix; each function is one
 * pass over the k medoid rows. Details: docs/kmedoids.md.
 */
import { condensedRowInto, DistanceMatrix } from '../../matrix/distance-matrix';

/**
 * Checks a list of medoids: whole numbers, rows of the matrix, no repeats, and (when `k` is
 * given) exactly k of them. Throws a sentence naming the problem.
 * @param n the number of rows of the matrix
 * @returns the medoids as an Int32Array (a copy)
 * @example checkMedoids([4, 0], 5) // Int32Array [4, 0]
 */
export function checkMedoids(medoids: ArrayLike<number>, n: number, k?: number): Int32Array {
  if (medoids === null || typeof medoids !== 'object' || typeof medoids.length !== 'number') {
    throw new Error(`The medoids must be an array of row indices, got ${String(medoids)}.`);
  }
  if (k !== undefined && medoids.length !== k) {
    throw new Error(`There must be exactly k = ${k} initial medoids, but ${medoids.length} were given.`);
  }
  if (medoids.length === 0) throw new Error('At least one medoid is needed, but the list of medoids is empty.');
  const seen = new Uint8Array(n);
  const out = new Int32Array(medoids.length);
  for (let l = 0; l < medoids.length; l++) {
    const m = medoids[l];
    if (!Number.isInteger(m) || m < 0 || m >= n) {
      throw new Error(`Medoid ${l} is ${m}, which is not a row of the matrix (whole numbers 0 to ${n - 1}).`);
    }
    if (seen[m]) throw new Error(`Row ${m} is given twice as a medoid; the medoids must be distinct rows.`);
    seen[m] = 1;
    out[l] = m;
  }
  return out;
}

/** Checks row indices and gives them as an Int32Array (all rows 0..n−1 when left out). */
function checkRows(rows: ArrayLike<number> | undefined, n: number): Int32Array {
  if (rows === undefined) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const out = new Int32Array(rows.length);
  for (let q = 0; q < rows.length; q++) {
    const i = rows[q];
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw new Error(`Row index ${i} is outside the rows 0..${n - 1} of the matrix.`);
    out[q] = i;
  }
  return out;
}

/**
 * The distances from some rows to each medoid: a rows.length × k table, row by row (entry q·k + l
 * is the distance from rows[q] to medoids[l]). Reads the k medoid rows once each.
 */
function distancesToMedoids(distances: DistanceMatrix, medoids: Int32Array, rows: Int32Array): Float64Array {
  const n = distances.size;
  const k = medoids.length;
  const table = new Float64Array(rows.length * k);
  const row = new Float64Array(n);
  for (let l = 0; l < k; l++) {
    condensedRowInto(distances.condensed, n, medoids[l], row);
    for (let q = 0; q < rows.length; q++) {
      const d = row[rows[q]];
      if (Number.isNaN(d))
        throw new Error(
          `The distance between rows ${rows[q]} and ${medoids[l]} is NaN; medoids need a matrix without NaN.`,
        );
      table[q * k + l] = d;
    }
  }
  return table;
}

/** Where a set of rows stands with respect to a set of medoids (see {@link assignToMedoids}). */
export interface MedoidAssignment {
  /** The nearest medoid of each row, as an index into the medoids (0..k−1). */
  labels: Int32Array;
  /** The distance from each row to its nearest medoid. */
  nearest: Float64Array;
  /** The distance from each row to its second-nearest medoid (∞ when there is one medoid). */
  second: Float64Array;
  /** The sum of `nearest`, accumulated in float64 (the k-medoids loss of these rows). */
  loss: number;
}

/**
 * Assigns rows to their nearest medoid: a row that is itself a medoid to its own, any other row to
 * the first medoid at the smallest distance (the `kmedoids` package's rule). This is how rows a
 * k-medoids fit never saw join its clusters: fit on `distances.subset(train)`, map the medoids back
 * with `train[m]`, and assign the other rows by their indices in the full matrix.
 * @param distances distances between all rows (medoids and rows are indices into it)
 * @param medoids distinct row indices
 * @param rows the rows to assign; all rows of the matrix when left out
 * @example
 * // Rows at 0, 1, 9 and 10 on a line; medoids rows 0 and 3.
 * const d = DistanceMatrix.fromSquare([[0, 1, 9, 10], [1, 0, 8, 9], [9, 8, 0, 1], [10, 9, 1, 0]]);
 * const { labels, nearest, loss } = assignToMedoids(d, [0, 3]);
 * labels;  // Int32Array [0, 0, 1, 1]
 * nearest; // Float64Array [0, 1, 1, 0]
 * loss;    // 2
 * assignToMedoids(d, [0, 3], [2]).labels // Int32Array [1]
 */
export function assignToMedoids(
  distances: DistanceMatrix,
  medoids: ArrayLike<number>,
  rows?: ArrayLike<number>,
): MedoidAssignment {
  const n = distances.size;
  const slots = checkMedoids(medoids, n);
  const queries = checkRows(rows, n);
  const k = slots.length;
  const table = distancesToMedoids(distances, slots, queries);
  const slotOf = new Map<number, number>();
  slots.forEach((m, l) => slotOf.set(m, l));
  const m = queries.length;
  const labels = new Int32Array(m);
  const nearest = new Float64Array(m);
  const second = new Float64Array(m);
  let loss = 0;
  for (let q = 0; q < m; q++) {
    const own = slotOf.get(queries[q]);
    let best = own ?? 0;
    let dBest = own === undefined ? Infinity : 0;
    let dSecond = Infinity;
    for (let l = 0; l < k; l++) {
      if (l === own) continue;
      const d = table[q * k + l];
      if (d < dBest) {
        dSecond = dBest;
        dBest = d;
        best = l;
      } else if (d < dSecond) {
        dSecond = d;
      }
    }
    labels[q] = best;
    nearest[q] = dBest;
    second[q] = dSecond;
    loss += dBest;
  }
  return { labels, nearest, second, loss };
}

/**
 * The medoid silhouette of each row (the file header has the definition): 1 − a/b with a, b the
 * distances to the nearest and second-nearest medoid, or, when `labels` says which medoid each
 * row belongs to, (b − a) / max(a, b) with a the distance to that medoid and b to the nearest
 * other one. Equals `kmedoids.medoid_silhouette(D, medoids, samples=True)[1]` without labels.
 * @param distances the pairwise distances
 * @param medoids distinct row indices
 * @param labels for each row, its medoid as an index into `medoids`; nearest medoids when left out
 * @example
 * const d = DistanceMatrix.fromSquare([[0, 1, 9, 10], [1, 0, 8, 9], [9, 8, 0, 1], [10, 9, 1, 0]]);
 * medoidSilhouetteSamples(d, [0, 3]) // Float64Array [1, 0.888…, 0.888…, 1]  (1 − 1/9 for rows 1 and 2)
 */
export function medoidSilhouetteSamples(
  distances: DistanceMatrix,
  medoids: ArrayLike<number>,
  labels?: ArrayLike<number>,
): Float64Array {
  const n = distances.size;
  const scores = new Float64Array(n);
  if (labels === undefined) {
    const { nearest, second } = assignToMedoids(distances, medoids);
    for (let i = 0; i < n; i++) scores[i] = second[i] > 0 ? 1 - nearest[i] / second[i] : 1;
    return scores;
  }
  const slots = checkMedoids(medoids, n);
  const k = slots.length;
  if (labels.length !== n) {
    throw new Error(
      `There must be exactly one label per row: the matrix has ${n} rows but ${labels.length} labels were given.`,
    );
  }
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new Error(
        `Label ${i} is ${label}; labels must be indices into the medoids, whole numbers from 0 to ${k - 1}.`,
      );
    }
  }
  const table = distancesToMedoids(distances, slots, checkRows(undefined, n));
  for (let i = 0; i < n; i++) {
    const own = labels[i];
    const a = table[i * k + own];
    let b = Infinity;
    for (let l = 0; l < k; l++) if (l !== own && table[i * k + l] < b) b = table[i * k + l];
    const denominator = Math.max(a, b);
    scores[i] = b === Infinity || denominator === 0 ? 1 : (b - a) / denominator;
  }
  return scores;
}

/**
 * The mean medoid silhouette over all rows (`kmedoids.medoid_silhouette(D, medoids)[0]` when no
 * labels are given; see {@link medoidSilhouetteSamples}). Needs only the k medoid rows of the
 * matrix, so it is O(n·k) where the silhouette is O(n²).
 * @param distances the pairwise distances
 * @param medoids distinct row indices
 * @param labels for each row, its medoid as an index into `medoids`; nearest medoids when left out
 * @example
 * const d = DistanceMatrix.fromSquare([[0, 1, 9, 10], [1, 0, 8, 9], [9, 8, 0, 1], [10, 9, 1, 0]]);
 * medoidSilhouette(d, [0, 3]) // 0.9444444444444444  (= (1 + 8/9 + 8/9 + 1) / 4)
 */
export function medoidSilhouette(
  distances: DistanceMatrix,
  medoids: ArrayLike<number>,
  labels?: ArrayLike<number>,
): number {
  const scores = medoidSilhouetteSamples(distances, medoids, labels);
  let total = 0;
  for (let i = 0; i < scores.length; i++) total += scores[i];
  return total / scores.length;
}
