/**
 * The two kinds of input that t-SNE and trustworthiness accept, read into one shape.
 *
 * - Precomputed distances: any object with `size` and `get(i, j)`, such as the `DistanceMatrix`
 *   and `GowerMatrix` of lib/matrix/distance-matrix.ts and lib/distance/gower.ts (duck typed, so nothing here
 *   depends on how they are made). When the object also has `condensed` (scipy's condensed upper
 *   triangle, pair (0,1), (0,2), …, (1,2), …) that array is read directly, which is much faster
 *   than calling `get` n(n−1)/2 times.
 * - Row vectors, compared with the Euclidean distance: an array of equal-length number arrays, a
 *   `NumericMatrix` (`{ data, n, d }`, lib/matrix/numeric-matrix.ts) or a typed matrix
 *   `{ data, rows, cols }`; `data` is row-major (row i, column j at `data[i·d + j]`), a
 *   Float64Array or Float32Array, and is not copied when it is a Float64Array.
 */

/** A symmetric distance matrix with a zero diagonal, read through `get` (or `condensed`). */
export interface DistanceMatrixLike {
  /** The number of rows n. */
  readonly size: number;
  /** The distance between rows i and j. */
  get(i: number, j: number): number;
  /** Optional: the n(n−1)/2 distances of pairs i < j in scipy's condensed order. */
  readonly condensed?: ArrayLike<number>;
}

/** Row vectors in one row-major typed array, `rows` × `cols`. */
export interface TypedMatrix {
  readonly data: Float64Array | Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** Row vectors in the project's `NumericMatrix` shape, `n` × `d`. */
export interface NumericMatrixLike {
  readonly data: Float64Array | Float32Array;
  readonly n: number;
  readonly d: number;
}

/** Everything accepted as input: precomputed distances or row vectors. */
export type PairwiseInput = DistanceMatrixLike | TypedMatrix | NumericMatrixLike | readonly ArrayLike<number>[];

/** The input read into one of two shapes. */
export type ReadInput =
  | { readonly kind: 'distances'; readonly n: number; readonly matrix: DistanceMatrixLike }
  | { readonly kind: 'vectors'; readonly n: number; readonly d: number; readonly data: Float64Array };

function isDistanceMatrixLike(input: unknown): input is DistanceMatrixLike {
  return (
    typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input) &&
    typeof (input as DistanceMatrixLike).size === 'number' &&
    typeof (input as DistanceMatrixLike).get === 'function'
  );
}

function checkFinite(data: ArrayLike<number>, d: number): void {
  for (let p = 0; p < data.length; p++) {
    if (!Number.isFinite(data[p])) {
      const row = d > 0 ? Math.floor(p / d) : 0;
      throw new Error(`Row ${row}, column ${p - row * d} holds ${data[p]}, which is not a finite number.`);
    }
  }
}

/**
 * Reads precomputed distances or row vectors (see the file header). Vectors are checked to be
 * finite; distances are checked lazily by the functions that read them.
 * @example
 * readPairwiseInput([[0, 0], [3, 4]]) // { kind: 'vectors', n: 2, d: 2, data: Float64Array [0, 0, 3, 4] }
 */
export function readPairwiseInput(input: PairwiseInput): ReadInput {
  if (isDistanceMatrixLike(input)) {
    const n = input.size;
    if (!Number.isInteger(n) || n < 0) throw new Error(`A distance matrix needs a whole number of rows, got ${n}.`);
    if (input.condensed !== undefined && input.condensed.length !== (n * (n - 1)) / 2) {
      throw new Error(
        `A condensed matrix for ${n} rows holds ${(n * (n - 1)) / 2} values, but it has ${input.condensed.length}.`,
      );
    }
    return { kind: 'distances', n, matrix: input };
  }
  if (Array.isArray(input)) {
    const rows = input as readonly ArrayLike<number>[];
    const n = rows.length;
    const d = n > 0 ? rows[0].length : 0;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
        throw new Error(`Row ${i} is not an array of numbers (got ${String(row)}).`);
      }
      if (row.length !== d) throw new Error(`Row ${i} has ${row.length} values, but row 0 has ${d}.`);
      for (let j = 0; j < d; j++) data[i * d + j] = row[j];
    }
    checkFinite(data, d);
    return { kind: 'vectors', n, d, data };
  }
  if (typeof input === 'object' && input !== null && 'data' in input) {
    const m = input as Partial<TypedMatrix & NumericMatrixLike>;
    const n = m.rows ?? m.n;
    const d = m.cols ?? m.d;
    if (!(m.data instanceof Float64Array || m.data instanceof Float32Array)) {
      throw new Error('A typed matrix needs its values in a Float64Array or Float32Array `data`.');
    }
    if (!Number.isInteger(n) || !Number.isInteger(d) || (n as number) < 0 || (d as number) < 0) {
      throw new Error(`A typed matrix needs whole sizes (rows and cols, or n and d), got ${n} by ${d}.`);
    }
    if (m.data.length !== (n as number) * (d as number)) {
      throw new Error(
        `A ${n} by ${d} matrix needs ${(n as number) * (d as number)} values, but data has ${m.data.length}.`,
      );
    }
    const data = m.data instanceof Float64Array ? m.data : Float64Array.from(m.data);
    checkFinite(data, d as number);
    return { kind: 'vectors', n: n as number, d: d as number, data };
  }
  throw new Error(
    'The input must be a distance matrix (an object with size and get), an array of number rows, or a typed matrix { data, rows, cols }.',
  );
}
