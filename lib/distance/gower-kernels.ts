/**
 * The inner loops of Gower's distance, written once for everything that computes it: the matrix
 * (gower.ts), the fitted metric's distances (gower-metric.ts), and through it the assignment of
 * every track to the medoids and the catalogue's similar tracks.
 *
 * One row of `from` is compared with a run of rows of `to`. Features without missing values take
 * two tight loops, four features per pass over the rows: numeric min(share, coefficient · |x − a|),
 * categorical `share` where the codes differ. Each list is padded to a multiple of four with a
 * weight-0 copy of its first feature, so neither loop needs a remainder. Features with missing
 * values take the daisy rule, one feature per pass (docs/gower.md has the definition and why).
 *
 * Written here because no npm package computes Gower distances; the speed is measured against the
 * Python `gower` package by `npm run bench -- gower`.
 */

/** How a feature enters the distance (a fitted metric's feature, gower-metric.ts). */
export interface KernelFeature {
  readonly kind: 'numeric' | 'categorical';
  /** The feature's weight over the sum of all weights. */
  readonly share: number;
  /** share / range for numeric features (0 for a constant column); unused for categorical ones. */
  readonly coefficient: number;
}

/** Rows encoded feature by feature, in the features' order. */
export interface EncodedColumns {
  /** The number of rows. */
  readonly size: number;
  /** Float64Array of numbers (NaN where missing) or Int32Array of category codes (−1 where missing). */
  readonly values: readonly (Float64Array | Int32Array)[];
  /** Missing values per feature. */
  readonly missing: readonly number[];
}

/** A feature with missing values in `from` or `to`, compared by the daisy rule. */
interface HoleyFeature {
  readonly kind: 'numeric' | 'categorical';
  readonly from: Float64Array | Int32Array;
  readonly to: Float64Array | Int32Array;
  readonly share: number;
  readonly coefficient: number;
}

/**
 * One row of `from` against the rows of `to`, with the features sorted once into the fast loops
 * and the daisy rule's loops; {@link compare} then costs one pass per four features.
 * @example
 * const comparison = new RowComparison(metric.specs, rows, rows);
 * comparison.compare(0, 1, out); // out[j] = d(row 0, row j) for j ≥ 1
 */
export class RowComparison {
  private readonly numericFrom: Float64Array[] = [];
  private readonly numericTo: Float64Array[] = [];
  private readonly coefficients: Float64Array;
  private readonly numericShares: Float64Array;
  private readonly numericRow: Float64Array;
  private readonly codesFrom: Int32Array[] = [];
  private readonly codesTo: Int32Array[] = [];
  private readonly codeShares: Float64Array;
  private readonly codeRow: Int32Array;
  private readonly holey: HoleyFeature[] = [];
  /** The weight share each pair has left after dropping its missing features. */
  private readonly present: Float64Array | null;

  constructor(features: readonly KernelFeature[], from: EncodedColumns, to: EncodedColumns) {
    const coefficients: number[] = [];
    const numericShares: number[] = [];
    const codeShares: number[] = [];
    features.forEach((feature, f) => {
      if (feature.share === 0) return;
      if (from.missing[f] > 0 || to.missing[f] > 0) {
        const { kind, share, coefficient } = feature;
        this.holey.push({ kind, from: from.values[f], to: to.values[f], share, coefficient });
      } else if (feature.kind === 'categorical') {
        this.codesFrom.push(from.values[f] as Int32Array);
        this.codesTo.push(to.values[f] as Int32Array);
        codeShares.push(feature.share);
      } else if (feature.coefficient > 0) {
        this.numericFrom.push(from.values[f] as Float64Array);
        this.numericTo.push(to.values[f] as Float64Array);
        coefficients.push(feature.coefficient);
        numericShares.push(feature.share);
      }
    });
    // Weight-0 copies of the first feature fill the last group of four: they add exactly 0.
    while (this.numericTo.length % 4 !== 0) {
      this.numericFrom.push(this.numericFrom[0]);
      this.numericTo.push(this.numericTo[0]);
      coefficients.push(0);
      numericShares.push(0);
    }
    while (this.codesTo.length % 4 !== 0) {
      this.codesFrom.push(this.codesFrom[0]);
      this.codesTo.push(this.codesTo[0]);
      codeShares.push(0);
    }
    this.coefficients = Float64Array.from(coefficients);
    this.numericShares = Float64Array.from(numericShares);
    this.numericRow = new Float64Array(this.numericTo.length);
    this.codeShares = Float64Array.from(codeShares);
    this.codeRow = new Int32Array(this.codesTo.length);
    this.present = this.holey.length > 0 ? new Float64Array(to.size) : null;
  }

  /**
   * Writes into out[j], for every row j of `to` from `start` on, the Gower distance between row
   * `row` of `from` and row j of `to`; NaN where the two share no non-missing feature.
   * @param out one value per row of `to` (entries before `start` are left alone)
   */
  compare(row: number, start: number, out: Float64Array): void {
    out.fill(0, start);
    for (let f = 0; f < this.numericFrom.length; f++) this.numericRow[f] = this.numericFrom[f][row];
    addNumericTerms(this.numericTo, this.numericRow, this.coefficients, this.numericShares, start, out);
    for (let f = 0; f < this.codesFrom.length; f++) this.codeRow[f] = this.codesFrom[f][row];
    addCategoricalTerms(this.codesTo, this.codeRow, this.codeShares, start, out);
    const present = this.present;
    if (present === null) return;
    present.fill(1, start);
    for (const feature of this.holey) {
      const a = feature.from[row];
      if (feature.kind === 'numeric') {
        addNumericTermsWithHoles(
          feature.to as Float64Array,
          a,
          feature.coefficient,
          feature.share,
          start,
          out,
          present,
        );
      } else {
        addCategoricalTermsWithHoles(feature.to as Int32Array, a, feature.share, start, out, present);
      }
    }
    for (let j = start, n = out.length; j < n; j++) {
      const s = present[j];
      // Shares are sums of weight fractions: treat a rounding residue as 0.
      out[j] = s > 1e-12 ? Math.min(1, out[j] / s) : NaN;
    }
  }
}

/**
 * out[j] += Σ_f min(shares[f], coefficients[f] · |columns[f][j] − from[f]|) for j ≥ start, four
 * features per pass (`columns.length` is a multiple of 4). A term is at most its feature's share,
 * so a value beyond the fitted range counts at most fully.
 */
function addNumericTerms(
  columns: readonly Float64Array[],
  from: Float64Array,
  coefficients: Float64Array,
  shares: Float64Array,
  start: number,
  out: Float64Array,
): void {
  const n = out.length;
  for (let f = 0; f < columns.length; f += 4) {
    const [x0, x1, x2, x3] = [columns[f], columns[f + 1], columns[f + 2], columns[f + 3]];
    const [a0, a1, a2, a3] = [from[f], from[f + 1], from[f + 2], from[f + 3]];
    const [c0, c1, c2, c3] = [coefficients[f], coefficients[f + 1], coefficients[f + 2], coefficients[f + 3]];
    const [w0, w1, w2, w3] = [shares[f], shares[f + 1], shares[f + 2], shares[f + 3]];
    for (let j = start; j < n; j++) {
      const t0 = c0 * Math.abs(x0[j] - a0);
      const t1 = c1 * Math.abs(x1[j] - a1);
      const t2 = c2 * Math.abs(x2[j] - a2);
      const t3 = c3 * Math.abs(x3[j] - a3);
      out[j] += (t0 > w0 ? w0 : t0) + (t1 > w1 ? w1 : t1) + (t2 > w2 ? w2 : t2) + (t3 > w3 ? w3 : t3);
    }
  }
}

/**
 * out[j] += Σ_f shares[f] where codes[f][j] ≠ from[f], for j ≥ start, four features per pass. Each
 * term is shares[f] × (1 if the codes differ, else 0), the 0/1 from the codes' bits: exactly the
 * share or 0, as a branch would give, without the branch a coin-flip feature such as `mode`
 * mispredicts half the time (about twice as fast).
 */
function addCategoricalTerms(
  codes: readonly Int32Array[],
  from: Int32Array,
  shares: Float64Array,
  start: number,
  out: Float64Array,
): void {
  const n = out.length;
  for (let f = 0; f < codes.length; f += 4) {
    const [k0, k1, k2, k3] = [codes[f], codes[f + 1], codes[f + 2], codes[f + 3]];
    const [b0, b1, b2, b3] = [from[f], from[f + 1], from[f + 2], from[f + 3]];
    const [w0, w1, w2, w3] = [shares[f], shares[f + 1], shares[f + 2], shares[f + 3]];
    for (let j = start; j < n; j++) {
      // e ≠ 0 exactly when the codes differ; (e | −e) >>> 31 is then 1, else 0.
      const e0 = k0[j] ^ b0;
      const e1 = k1[j] ^ b1;
      const e2 = k2[j] ^ b2;
      const e3 = k3[j] ^ b3;
      out[j] +=
        w0 * ((e0 | -e0) >>> 31) + w1 * ((e1 | -e1) >>> 31) + w2 * ((e2 | -e2) >>> 31) + w3 * ((e3 | -e3) >>> 31);
    }
  }
}

/**
 * The daisy rule for one numeric feature: its clipped term where both values are present, else its
 * share leaves present[j]. One comparison decides the common case (a term within its share).
 */
function addNumericTermsWithHoles(
  x: Float64Array,
  a: number,
  coefficient: number,
  share: number,
  start: number,
  out: Float64Array,
  present: Float64Array,
): void {
  const n = out.length;
  if (a !== a) {
    for (let j = start; j < n; j++) present[j] -= share;
    return;
  }
  for (let j = start; j < n; j++) {
    const term = coefficient * Math.abs(x[j] - a); // NaN where x[j] is missing
    if (term <= share) out[j] += term;
    else if (term !== term) present[j] -= share;
    else out[j] += share;
  }
}

/** The daisy rule for one categorical feature (code −1 is missing). */
function addCategoricalTermsWithHoles(
  codes: Int32Array,
  a: number,
  share: number,
  start: number,
  out: Float64Array,
  present: Float64Array,
): void {
  const n = out.length;
  if (a < 0) {
    for (let j = start; j < n; j++) present[j] -= share;
    return;
  }
  for (let j = start; j < n; j++) {
    const b = codes[j];
    if (b < 0) present[j] -= share;
    else if (b !== a) out[j] += share;
  }
}

/** The arguments of {@link gowerRowsChunk}: everything in SharedArrayBuffers (gower.ts builds them). */
export interface GowerRowsArgs {
  readonly features: readonly KernelFeature[];
  readonly rows: EncodedColumns & { readonly hasMissing: boolean };
  /** The condensed matrix being filled (n(n−1)/2 values, scipy's order). */
  readonly out: Float32Array;
  /** Chunk c fills rows starts[c] .. starts[c + 1] − 1 (row-chunks.ts). */
  readonly starts: Int32Array;
  /** The value stored for a pair with no non-missing feature in common. */
  readonly incomparable: number;
  /** Per chunk: its pairs with no feature in common. */
  readonly incomparablePairs: Float64Array;
  /** Per chunk: its pairs written, set when the chunk is done (for progress reports). */
  readonly done: Float64Array;
}

/** Called on the calling thread after each chunk it fills itself (gower.ts's progress); unset in workers. */
export const gowerRowsProgress: { onChunk?: () => void } = {};

/** This module's compiled file, for the worker pool. */
export const GOWER_KERNELS_MODULE = __filename;

/**
 * One chunk of the Gower matrix for the worker pool: rows starts[chunk] .. starts[chunk + 1] − 1,
 * each compared with every later row and written to its run of the condensed matrix. A pair's value
 * does not depend on the chunking, so the matrix is the same whatever the number of threads.
 * @example gowerRowsChunk(args, 0) // rows 0 .. args.starts[1] − 1 filled
 */
export function gowerRowsChunk(args: GowerRowsArgs, chunk: number): void {
  const { rows, out, incomparable } = args;
  const n = rows.size;
  const comparison = new RowComparison(args.features, rows, rows);
  const distances = new Float64Array(n);
  const first = args.starts[chunk];
  const end = args.starts[chunk + 1];
  let k = first * n - (first * (first + 1)) / 2;
  let incomparablePairs = 0;
  for (let i = first; i < end && i < n - 1; i++) {
    comparison.compare(i, i + 1, distances);
    if (rows.hasMissing) {
      for (let j = i + 1; j < n; j++) {
        const d = distances[j];
        if (d === d) out[k++] = d;
        else {
          out[k++] = incomparable;
          incomparablePairs++;
        }
      }
    } else {
      out.set(distances.subarray(i + 1), k);
      k += n - i - 1;
    }
  }
  args.incomparablePairs[chunk] = incomparablePairs;
  args.done[chunk] = k - (first * n - (first * (first + 1)) / 2);
  gowerRowsProgress.onChunk?.();
}

/** Rows of `to` per chunk of {@link nearestRowsChunk} (fixed: the result does not depend on THREADS). */
export const NEAREST_CHUNK_ROWS = 2048;

/** The arguments of {@link nearestRowsChunk}: everything in SharedArrayBuffers when workers read it. */
export interface NearestRowsArgs {
  readonly features: readonly KernelFeature[];
  readonly from: EncodedColumns;
  /** The rows of `from` to compare with (medoids), in order: ties go to the first. */
  readonly candidates: Int32Array;
  readonly to: EncodedColumns;
  /** Per row of `to`: the position in `candidates` of its nearest row (−1 when no distance is a number). */
  readonly labels: Int32Array;
  /** Per row of `to`: the distance to that row (Infinity when none). */
  readonly distances: Float64Array;
}

/**
 * One chunk of "the nearest of a few rows" for the worker pool: rows 2048·chunk .. of `to`, each
 * compared with every candidate row of `from` in order; a smaller distance wins, ties go to the
 * earlier candidate. Each row's distances are those of a comparison over all of `to` (the same
 * features take the same loops, as decided by the whole columns' missing counts).
 * @example nearestRowsChunk({ features, from: sample, candidates: medoids, to: tracks, labels, distances }, 0)
 */
export function nearestRowsChunk(args: NearestRowsArgs, chunk: number): void {
  const { from, candidates, to } = args;
  const start = chunk * NEAREST_CHUNK_ROWS;
  const end = Math.min(to.size, start + NEAREST_CHUNK_ROWS);
  const part: EncodedColumns = {
    size: end - start,
    values: to.values.map((column) => column.subarray(start, end)),
    missing: to.missing,
  };
  const comparison = new RowComparison(args.features, from, part);
  const buffer = new Float64Array(end - start);
  const labels = args.labels.subarray(start, end);
  const distances = args.distances.subarray(start, end);
  labels.fill(-1);
  distances.fill(Infinity);
  for (let c = 0; c < candidates.length; c++) {
    comparison.compare(candidates[c], 0, buffer);
    for (let j = 0; j < buffer.length; j++) {
      if (buffer[j] < distances[j]) {
        distances[j] = buffer[j];
        labels[j] = c;
      }
    }
  }
}
