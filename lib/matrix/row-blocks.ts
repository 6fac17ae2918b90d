/**
 * Reading whole rows of a condensed distance matrix quickly, for an algorithm that visits the rows
 * in order and needs each one whole, many times over (FasterPAM, lib/cluster/kmedoids/kmedoids.ts).
 *
 * Row i's right part (columns j > i) is contiguous in the condensed layout (distance-matrix.ts);
 * its left part is one value from each earlier row, a cache miss per value on a large matrix. A
 * block of consecutive rows gathers its left parts together, reading short contiguous runs; with
 * `keep`, what was gathered is kept (the lower triangle, as long as the matrix) for later sweeps.
 *
 * Written here because the npm matrix packages keep full squares (four times the memory for
 * Float32, eight for Float64) and none reads scipy's condensed order. Details: docs/kmedoids.md.
 */
import { DistanceArray, DistanceMatrix } from './distance-matrix';

/** The default size of a block's buffer: 4 MB. */
const DEFAULT_BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * Where row i's right part starts, less i + 1: entry (i, j) for j > i is at `rightBase(n, i) + j`
 * of the condensed array.
 * @example rightBase(4, 1) // 1  (pair (1, 2) is at position 3 = 1 + 2)
 */
export function rightBase(n: number, i: number): number {
  return i * n - (i * (i + 1)) / 2 - i - 1;
}

/**
 * The left parts of the rows of a distance matrix, gathered a block of consecutive rows at a time,
 * in the matrix's own precision: either the current block only (a 4 MB window) or, with `keep`,
 * every block gathered so far.
 * @example
 * const d = DistanceMatrix.fromSquare([[0, 1, 2], [1, 0, 3], [2, 3, 0]]);
 * const rows = new RowBlocks(d, 2);
 * const at = rows.leftOffset(2);                // gathers the block of rows 2 (and 3, were there one)
 * Array.from(rows.buffer.subarray(at, at + 2)); // [2, 3]  (d(0, 2), d(1, 2))
 * rows.rowInto(1);                              // Float64Array [1, 0, 3]
 */
export class RowBlocks {
  /** Rows per block. */
  readonly blockRows: number;
  /**
   * Where the left parts are: without `keep`, blockRows × n values, the left part of row r0 + b of
   * the current block from b·n on; with `keep`, n(n−1)/2 values, row i's from i(i−1)/2 on.
   */
  readonly buffer: DistanceArray;
  /** The matrix's condensed array (where the right parts are read in place). */
  readonly condensed: DistanceArray;
  /** Whether every gathered block is kept. */
  readonly keep: boolean;
  /** First row of the current block (−1 before the first gather); without `keep`. */
  private first = -1;
  /** Rows of the current block (the last block may be short); without `keep`. */
  private count = 0;
  /** Which blocks have been gathered; with `keep`. */
  private readonly gathered: Uint8Array;
  private readonly n: number;

  /**
   * @param distances the matrix to read
   * @param blockRows rows per block; by default as many as fit in 4 MB (at least 1, at most n)
   * @param keep keep every gathered block (memory: as much again as the matrix) instead of one
   * @param leftParts every row's left part, gathered already ({@link RowBlocks.allLeftParts}, for
   *   example shared by several fits of one matrix): implies `keep`, and nothing is gathered again
   */
  constructor(distances: DistanceMatrix, blockRows?: number, keep = false, leftParts?: DistanceArray) {
    const n = distances.size;
    const c = distances.condensed;
    const rows = blockRows ?? Math.floor(DEFAULT_BLOCK_BYTES / (c.BYTES_PER_ELEMENT * Math.max(n, 1)));
    if (!Number.isInteger(rows) || rows < 1)
      throw new Error(`A block needs a whole number of rows, at least 1, got ${blockRows}.`);
    this.n = n;
    this.condensed = c;
    this.keep = keep || leftParts !== undefined;
    this.blockRows = Math.max(1, Math.min(rows, n));
    if (leftParts !== undefined) {
      if (leftParts.length !== c.length || leftParts.constructor !== c.constructor)
        throw new Error(`The left parts must be a ${c.constructor.name} of ${c.length} values, as the matrix.`);
      this.buffer = leftParts;
      this.gathered = new Uint8Array(Math.ceil(n / this.blockRows)).fill(1);
      return;
    }
    const length = keep ? c.length : this.blockRows * n;
    this.buffer = c instanceof Float64Array ? new Float64Array(length) : new Float32Array(length);
    this.gathered = new Uint8Array(keep ? Math.ceil(n / this.blockRows) : 0);
  }

  /**
   * Every row's left part (row i's from i(i−1)/2 on: the lower triangle, row by row), gathered
   * into `out` (e.g. an array on a SharedArrayBuffer, read by fits in several threads).
   * @param out n(n−1)/2 values of the matrix's precision; a new array when left out
   * @example RowBlocks.allLeftParts(DistanceMatrix.fromSquare([[0, 1, 2], [1, 0, 3], [2, 3, 0]])) // Float32Array [1, 2, 3]
   */
  static allLeftParts(distances: DistanceMatrix, out?: DistanceArray): DistanceArray {
    const c = distances.condensed;
    const buffer = out ?? (c instanceof Float64Array ? new Float64Array(c.length) : new Float32Array(c.length));
    const rows = new RowBlocks(distances, undefined, true, buffer);
    rows.gathered.fill(0);
    for (let i = 0; i < distances.size; i += rows.blockRows) rows.leftOffset(i);
    return buffer;
  }

  /**
   * Where row i's left part starts in `buffer` (entry j < i is d(j, i)), gathering the block that
   * holds row i when it is not at hand (blocks start at multiples of `blockRows`). No bounds check:
   * 0 ≤ i < n.
   */
  leftOffset(i: number): number {
    if (this.keep) {
      const block = (i / this.blockRows) | 0;
      if (!this.gathered[block]) {
        this.gather(block * this.blockRows);
        this.gathered[block] = 1;
      }
      return (i * (i - 1)) / 2;
    }
    if (i < this.first || i >= this.first + this.count) this.gather(i - (i % this.blockRows));
    return (i - this.first) * this.n;
  }

  /**
   * Row i whole (0 at i), from the gathered left part and the condensed array.
   * @param out a Float64Array of length n; a new one when left out
   */
  rowInto(i: number, out: Float64Array = new Float64Array(this.n)): Float64Array {
    const left = this.leftOffset(i);
    for (let j = 0; j < i; j++) out[j] = this.buffer[left + j];
    out[i] = 0;
    const base = rightBase(this.n, i);
    for (let j = i + 1; j < this.n; j++) out[j] = this.condensed[base + j];
    return out;
  }

  /** Gathers the left parts of rows r0 … r0 + blockRows − 1 (fewer at the end). */
  private gather(r0: number): void {
    const n = this.n;
    const c = this.condensed;
    const out = this.buffer;
    const count = Math.min(this.blockRows, n - r0);
    const end = r0 + count;
    // Where the left part of each row of the block starts in `out`.
    const starts = new Float64Array(count);
    for (let r = r0; r < end; r++) starts[r - r0] = this.keep ? (r * (r - 1)) / 2 : (r - r0) * n;
    // For each earlier row j, the run (j, max(j + 1, r0)) … (j, end − 1).
    for (let j = 0; j < end - 1; j++) {
      const base = rightBase(n, j);
      for (let col = Math.max(j + 1, r0); col < end; col++) out[starts[col - r0] + j] = c[base + col];
    }
    if (!this.keep) {
      this.first = r0;
      this.count = count;
    }
  }
}
