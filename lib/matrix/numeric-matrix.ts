/**
 * A numeric matrix with named columns: the shape every numerical step (scaler, k-means, elbow
 * sweep) takes. Values live in one `Float64Array` in row-major order, so row `i`, column `j` is
 * `data[i * d + j]`; there is no per-row array to allocate and the loops stay on typed arrays.
 */
import type { FrameParts } from '../data/frame';

/** `n` rows by `d` named columns of numbers, row-major in `data`. */
export interface NumericMatrix {
  /** Row-major values: row `i`, column `j` is `data[i * d + j]`. */
  readonly data: Float64Array;
  /** Number of rows (points). */
  readonly n: number;
  /** Number of columns (features). */
  readonly d: number;
  /** One name per column, `d` of them. */
  readonly columns: readonly string[];
}

/**
 * Builds a matrix from an array of equal-length rows.
 * @param rows the rows, each an array of finite numbers
 * @param columns column names (default `x0`, `x1`, ...)
 * @example
 * const m = matrixFromRows([[1, 2], [3, 4]], ['a', 'b']);
 * // m.n === 2, m.d === 2, m.data is Float64Array [1, 2, 3, 4]
 */
export function matrixFromRows(rows: readonly (readonly number[])[], columns?: readonly string[]): NumericMatrix {
  const n = rows.length;
  const d = columns ? columns.length : n > 0 ? rows[0].length : 0;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (row.length !== d) {
      throw new Error(`Row ${i} has ${row.length} values but the matrix has ${d} columns.`);
    }
    for (let j = 0; j < d; j++) {
      const value = row[j];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new Error(`Row ${i}, column ${j} holds ${String(value)}, which is not a finite number.`);
      }
      data[i * d + j] = value;
    }
  }
  return { data, n, d, columns: columns ? [...columns] : defaultColumnNames(d) };
}

/**
 * Wraps an existing row-major `Float64Array` (not copied) as a matrix, checking its length.
 * @example
 * matrixFromData(new Float64Array([1, 2, 3, 4, 5, 6]), 3, 2).columns // ['x0', 'x1']
 */
export function matrixFromData(data: Float64Array, n: number, d: number, columns?: readonly string[]): NumericMatrix {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(d) || d < 0) {
    throw new Error(`A matrix needs whole, non-negative sizes, got ${n} rows by ${d} columns.`);
  }
  if (data.length !== n * d) {
    throw new Error(`A ${n} by ${d} matrix needs ${n * d} values, got ${data.length}.`);
  }
  if (columns && columns.length !== d) {
    throw new Error(`A matrix with ${d} columns needs ${d} column names, got ${columns.length}.`);
  }
  return { data, n, d, columns: columns ? [...columns] : defaultColumnNames(d) };
}

/**
 * The rows of a matrix as plain arrays (for libraries and printing).
 * @example
 * matrixToRows(matrixFromRows([[1, 2], [3, 4]])) // [[1, 2], [3, 4]]
 */
export function matrixToRows(matrix: NumericMatrix): number[][] {
  const rows: number[][] = new Array(matrix.n);
  for (let i = 0; i < matrix.n; i++) rows[i] = Array.from(matrix.data.subarray(i * matrix.d, (i + 1) * matrix.d));
  return rows;
}

/**
 * A matrix as a frame for `showTable`: its named columns and its rows, labelled by `index` (such as
 * the track ids `encodeFrame` returns) when given.
 * @example matrixTable(matrixFromRows([[1, 2]], ['a', 'b']), ['t1']) // { columns: ['a', 'b'], values: [[1, 2]], index: ['t1'] }
 */
export function matrixTable(matrix: NumericMatrix, index?: readonly unknown[]): FrameParts {
  if (index && index.length !== matrix.n)
    throw new Error(`There are ${index.length} row labels for the ${matrix.n} rows of the matrix; give one per row.`);
  return { columns: [...matrix.columns], values: matrixToRows(matrix), ...(index ? { index: [...index] } : {}) };
}

/**
 * One row as a `Float64Array` view (no copy; writing to it writes to the matrix).
 * @example
 * matrixRow(matrixFromRows([[1, 2], [3, 4]]), 1) // Float64Array [3, 4]
 */
export function matrixRow(matrix: NumericMatrix, i: number): Float64Array {
  if (!Number.isInteger(i) || i < 0 || i >= matrix.n) {
    throw new Error(`Row ${i} does not exist in a matrix of ${matrix.n} rows.`);
  }
  return matrix.data.subarray(i * matrix.d, (i + 1) * matrix.d);
}

/**
 * One column as a new `Float64Array`, by name or index.
 * @example
 * matrixColumn(matrixFromRows([[1, 2], [3, 4]], ['a', 'b']), 'b') // Float64Array [2, 4]
 */
export function matrixColumn(matrix: NumericMatrix, column: string | number): Float64Array {
  const j = typeof column === 'number' ? column : matrix.columns.indexOf(column);
  if (!Number.isInteger(j) || j < 0 || j >= matrix.d) {
    throw new Error(
      `The matrix has no column ${JSON.stringify(column)}; its columns are ${matrix.columns.join(', ')}.`,
    );
  }
  const values = new Float64Array(matrix.n);
  for (let i = 0; i < matrix.n; i++) values[i] = matrix.data[i * matrix.d + j];
  return values;
}

function defaultColumnNames(d: number): string[] {
  return Array.from({ length: d }, (_, j) => `x${j}`);
}

/**
 * The rows of `a` followed by the rows of `b` (same columns), as the original Python notebook's `np.vstack([df_znorm, centroids])`.
 * @example stackRows(matrixFromRows([[1, 2]]), matrixFromRows([[3, 4]])).data // Float64Array [1, 2, 3, 4]
 */
export function stackRows(a: NumericMatrix, b: NumericMatrix): NumericMatrix {
  if (a.d !== b.d)
    throw new Error(`Cannot stack a ${b.d}-column matrix under a ${a.d}-column one; they need the same columns.`);
  const data = new Float64Array((a.n + b.n) * a.d);
  data.set(a.data, 0);
  data.set(b.data, a.n * a.d);
  return { data, n: a.n + b.n, d: a.d, columns: a.columns };
}

/**
 * The given rows of a matrix, in the order given, as a new matrix with the same columns.
 * @example matrixRows(matrixFromRows([[1, 2], [3, 4], [5, 6]]), [2, 0]).data // Float64Array [5, 6, 1, 2]
 */
export function matrixRows(matrix: NumericMatrix, rows: ArrayLike<number>): NumericMatrix {
  const { d } = matrix;
  const data = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!Number.isInteger(row) || row < 0 || row >= matrix.n)
      throw new Error(`Row ${row} is not a row of the ${matrix.n}-row matrix.`);
    data.set(matrix.data.subarray(row * d, row * d + d), r * d);
  }
  return { data, n: rows.length, d, columns: matrix.columns };
}
