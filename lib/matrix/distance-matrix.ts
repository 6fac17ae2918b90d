/**
 * A symmetric pairwise distance matrix with a zero diagonal, stored as its condensed upper
 * triangle in one typed array — the layout of scipy's `pdist` / `squareform`, so values can be
 * compared with scipy one for one.
 *
 * Pair (i, j) with i < j sits at position `i·n − i(i+1)/2 + (j − i − 1)`: row 0's pairs first
 * (0,1), (0,2), …, (0,n−1), then row 1's (1,2), …. The diagonal is not stored (it is 0).
 *
 * Written here because the npm matrix packages (ml-matrix, which ml-hclust uses) keep the full
 * n×n square, one Float64Array per row: 800 MB for 10,000 rows, four times this layout, and
 * nothing there reads scipy's condensed order.
 *
 * Storage is Float32 by default: n(n−1)/2 × 4 bytes, 200 MB for 10,000 rows and 800 MB for
 * 20,000 (Float64 doubles that). Float32 keeps about 7 significant digits, which is more than any
 * Gower distance between real tracks means, and it is what the Python `gower` package returns too.
 *
 * The arrays this file allocates (and `gowerMatrix`'s) live in a SharedArrayBuffer, so the worker
 * pool (lib/parallel/pool.ts) reads a matrix in every thread without copying it.
 */
import { sharedFloat32, sharedFloat64 } from '../parallel/pool';

/** The typed arrays a {@link DistanceMatrix} can live in. */
export type DistanceArray = Float32Array | Float64Array;

/**
 * A condensed symmetric distance matrix (see the file header for the layout).
 * @example
 * const d = DistanceMatrix.fromSquare([[0, 1, 2], [1, 0, 3], [2, 3, 0]]);
 * d.size;        // 3
 * d.get(2, 1);   // 3
 * d.condensed;   // Float32Array [1, 2, 3]
 */
export class DistanceMatrix {
  /** The number of rows (n). */
  readonly size: number;
  /** The n(n−1)/2 distances of pairs i < j, in scipy's condensed order. */
  readonly condensed: DistanceArray;

  /**
   * Wraps an existing condensed array (not copied).
   * @param size the number of rows n
   * @param condensed n(n−1)/2 values; a new zero Float32Array (shared) when left out
   */
  constructor(size: number, condensed?: DistanceArray) {
    if (!Number.isInteger(size) || size < 0) {
      throw new Error(`A distance matrix needs a whole, non-negative number of rows, got ${size}.`);
    }
    const pairs = (size * (size - 1)) / 2;
    const values = condensed ?? sharedFloat32(Math.max(pairs, 0));
    if (values.length !== Math.max(pairs, 0)) {
      throw new Error(
        `A condensed matrix for ${size} rows holds ${pairs} values, but the array given has ${values.length}.`,
      );
    }
    this.size = size;
    this.condensed = values;
  }

  /**
   * A matrix from a full square one (arrays of rows). Checks that it is square, symmetric and has
   * a zero diagonal.
   * @param precision 'float32' (default) or 'float64'
   * @example DistanceMatrix.fromSquare([[0, 0.5], [0.5, 0]]).get(0, 1) // 0.5
   */
  static fromSquare(rows: ArrayLike<ArrayLike<number>>, precision: 'float32' | 'float64' = 'float32'): DistanceMatrix {
    const n = rows.length;
    const pairs = (n * (n - 1)) / 2;
    const values = precision === 'float64' ? sharedFloat64(pairs) : sharedFloat32(pairs);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (row.length !== n) throw new Error(`Row ${i} of the square matrix has ${row.length} values, not ${n}.`);
      if (row[i] !== 0) throw new Error(`The diagonal must be 0, but entry (${i}, ${i}) is ${row[i]}.`);
      for (let j = i + 1; j < n; j++) {
        const other = rows[j][i];
        if (row[j] !== other && !(Number.isNaN(row[j]) && Number.isNaN(other))) {
          throw new Error(`The matrix must be symmetric, but (${i}, ${j}) is ${row[j]} and (${j}, ${i}) is ${other}.`);
        }
        values[k++] = row[j];
      }
    }
    return new DistanceMatrix(n, values);
  }

  /** Bytes the values take (n(n−1)/2 × 4 for Float32). */
  get bytes(): number {
    return this.condensed.byteLength;
  }

  /**
   * The condensed position of pair (i, j); i ≠ j, in either order.
   * @example new DistanceMatrix(4).index(1, 3) // 4
   */
  index(i: number, j: number): number {
    if (i > j) {
      const swap = i;
      i = j;
      j = swap;
    }
    return i * this.size - (i * (i + 1)) / 2 + (j - i - 1);
  }

  /**
   * The distance between rows i and j (0 when i = j).
   * @example DistanceMatrix.fromSquare([[0, 2], [2, 0]]).get(1, 0) // 2
   */
  get(i: number, j: number): number {
    if (i === j) return 0;
    return this.condensed[this.index(i, j)];
  }

  /**
   * Writes row i of the square matrix (its distances to every row, 0 at i) into `out`.
   * @param out a Float64Array of length n; a new one when left out
   * @example DistanceMatrix.fromSquare([[0, 1, 2], [1, 0, 3], [2, 3, 0]]).rowInto(1) // Float64Array [1, 0, 3]
   */
  rowInto(i: number, out: Float64Array = new Float64Array(this.size)): Float64Array {
    const n = this.size;
    const c = this.condensed;
    if (!(i >= 0 && i < n && Number.isInteger(i))) throw new Error(`Row ${i} is outside 0..${n - 1}.`);
    return condensedRowInto(c, n, i, out);
  }

  /**
   * The matrix restricted to some rows, in the order given: entry (a, b) of the result is
   * entry (indices[a], indices[b]) of this one. Fastest when `indices` is increasing (it then
   * reads this matrix row by row).
   * @example
   * const d = DistanceMatrix.fromSquare([[0, 1, 2], [1, 0, 3], [2, 3, 0]]);
   * d.subset([0, 2]).get(0, 1) // 2
   * @param out where to write the subset's m(m−1)/2 values, in this matrix's precision; a new
   *   shared array (SharedArrayBuffer) when left out
   */
  subset(indices: ArrayLike<number>, out?: DistanceArray): DistanceMatrix {
    const n = this.size;
    const m = indices.length;
    const seen = new Uint8Array(n);
    let increasing = true;
    for (let a = 0; a < m; a++) {
      const i = indices[a];
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`Index ${i} is outside the rows 0..${n - 1}.`);
      if (seen[i]) throw new Error(`Index ${i} appears more than once in the subset.`);
      seen[i] = 1;
      if (a > 0 && i < indices[a - 1]) increasing = false;
    }
    const c = this.condensed;
    const pairs = (m * (m - 1)) / 2;
    if (out === undefined) out = c instanceof Float64Array ? sharedFloat64(pairs) : sharedFloat32(pairs);
    else if (out.length !== pairs || out.constructor !== c.constructor)
      throw new Error(`The subset needs a ${c.constructor.name} of ${pairs} values to write into, got ${out.length}.`);
    let k = 0;
    if (increasing) {
      for (let a = 0; a < m; a++) {
        const i = indices[a];
        const base = i * n - (i * (i + 1)) / 2 - i - 1;
        for (let b = a + 1; b < m; b++) out[k++] = c[base + indices[b]];
      }
    } else {
      for (let a = 0; a < m; a++) {
        const i = indices[a];
        for (let b = a + 1; b < m; b++) out[k++] = c[this.index(i, indices[b])];
      }
    }
    return new DistanceMatrix(m, out);
  }

  /**
   * The full square matrix as arrays of rows (for small n: printing, tests, `ml-hclust`).
   * @example new DistanceMatrix(2, new Float32Array([0.5])).toSquare() // [[0, 0.5], [0.5, 0]]
   */
  toSquare(): number[][] {
    const n = this.size;
    const rows: number[][] = [];
    for (let i = 0; i < n; i++) rows.push(Array.from(this.rowInto(i)));
    return rows;
  }
}

/**
 * Row i of the square matrix that a condensed upper triangle (scipy's order, n rows) stands for,
 * written into `out` (the diagonal entry is 0). No bounds checks: the caller gives a valid row.
 * @example condensedRowInto(Float64Array.of(1, 4, 2), 3, 1, new Float64Array(3)) // Float64Array [1, 0, 2]
 */
export function condensedRowInto(condensed: ArrayLike<number>, n: number, i: number, out: Float64Array): Float64Array {
  // Column part (j < i): position of (j, i) grows by n − j − 2 from one j to the next.
  let p = i - 1;
  for (let j = 0; j < i; j++) {
    out[j] = condensed[p];
    p += n - j - 2;
  }
  out[i] = 0;
  // Row part (j > i): contiguous.
  const base = i * n - (i * (i + 1)) / 2 - i - 1;
  for (let j = i + 1; j < n; j++) out[j] = condensed[base + j];
  return out;
}
