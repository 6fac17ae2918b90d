/**
 * Gower's distance between rows of mixed numeric and categorical features.
 *
 * Written here rather than taken from a package: no npm package computes a Gower matrix over a
 * table, and the Python `gower` package (the reference, 0.1.2) is far too slow to run from a
 * notebook at 10,000 tracks (README, Speed). This one encodes each column once (categories as integer codes, numbers
 * pre-divided by their range and weight) and then fills the condensed triangle one row at a time,
 * with tight loops that each add four features to the row's running sums; about a second for the
 * same matrix.
 *
 * Definition (Gower 1971, https://doi.org/10.2307/2528823): for rows i and j and features f with
 * weights w_f,
 *   d(i, j) = Σ_f w_f · s_f(i, j) / Σ_f w_f
 * where a numeric feature contributes s_f = |x_if − x_jf| / (max_f − min_f) (range over the data;
 * a constant column contributes 0) and a categorical one s_f = 0 when the categories are equal and
 * 1 otherwise. Distances lie in [0, 1].
 *
 * Missing values (null, undefined, NaN, empty string) follow R's `cluster::daisy`: a feature that
 * is missing in row i or row j is left out of that pair, numerator and denominator alike, so the
 * remaining weights are renormalised. The Python `gower` package instead returns NaN for every
 * pair that touches a missing numeric value (and counts a missing category as a category), and
 * scikit-learn then refuses the matrix. When two rows have no feature in common (all weight left
 * out), their distance is NaN, as daisy gives NA; `incomparablePairs` counts them, and the
 * clustering steps refuse a matrix holding NaN with a sentence naming the pair. Pass
 * `incomparableDistance` (for example 1) to store a number there instead.
 *
 * One difference from the Python package besides missing values: it treats a numeric column whose
 * maximum is exactly 0 as constant (it scales by the maximum), so such a column contributes
 * nothing there; here its range max − min is used like any other column's.
 */
import { DistanceMatrix } from '../matrix/distance-matrix';
import { assertMatrixFits } from '../matrix/memory';
import { FrameLike, frameColumn, frameColumnNames, frameRowCount, isFrameLike } from '../data/frame';

/** One row of input: column name → value. */
export type Row = Record<string, unknown>;

/** Options of {@link gowerMatrix}; every field is optional. */
export interface GowerOptions {
  /** The columns to use, in order. Default: every column of the data. */
  columns?: readonly string[];
  /**
   * The columns to treat as categories; every other column must then hold numbers (or bigints,
   * as DuckDB returns BIGINT columns). Default: the columns holding anything that is not a number
   * (strings, booleans), as the `gower` package decides from the dtypes. Categories are compared
   * by value (`===`), so 1 and '1' are different categories. Integer-coded categories (key, mode, time_signature) must be named.
   */
  categorical?: readonly string[];
  /** Weight per column name (finite, ≥ 0). Default 1 for every column. */
  weights?: Readonly<Record<string, number>>;
  /** The value stored for a pair with no non-missing feature in common. Default NaN. */
  incomparableDistance?: number;
  /** Bytes the matrix may take; default 80 % of available memory (see lib/memory.ts). */
  memoryLimit?: number;
  /** Called now and then with the pairs done and the total n(n−1)/2. */
  onProgress?: (done: number, total: number) => void;
}

/** How one feature entered the distance. */
export interface GowerFeature {
  name: string;
  kind: 'numeric' | 'categorical';
  weight: number;
  /** max − min over the non-missing values (numeric features); NaN for categorical ones. */
  range: number;
  /** Distinct categories (categorical features); 0 for numeric ones. */
  categories: number;
  /** Rows where the value is missing. */
  missing: number;
}

/**
 * The Gower matrix: a {@link DistanceMatrix} plus how it was made.
 * @example
 * const d = gowerMatrix([{ genre: 'Pop', energy: 0.2 }, { genre: null, energy: 0.6 }]);
 * d.features.map((f) => [f.name, f.kind, f.missing]); // [['genre', 'categorical', 1], ['energy', 'numeric', 0]]
 * d.incomparablePairs;                                 // 0
 */
export class GowerMatrix extends DistanceMatrix {
  /** The features in the order used. */
  readonly features: GowerFeature[];
  /** Pairs that share no non-missing feature (stored as `incomparableDistance`, NaN by default). */
  readonly incomparablePairs: number;

  /** Made by {@link gowerMatrix}. */
  constructor(size: number, condensed: Float32Array, features: GowerFeature[], incomparablePairs: number) {
    super(size, condensed);
    this.features = features;
    this.incomparablePairs = incomparablePairs;
  }
}

/**
 * Whether a value counts as missing: null, undefined, NaN or an empty string.
 * @example [null, undefined, NaN, '', 0, '0'].map(isMissing) // [true, true, true, true, false, false]
 */
export function isMissing(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value));
}

/** Reads the input into named columns of values (any `FrameLike`, lib/data/frame.ts). */
function readColumns(
  data: unknown,
  caller: string,
): { names: string[]; columnValues: (name: string) => ArrayLike<unknown>; rows: number } {
  if (!isFrameLike(data))
    throw new Error(
      `${caller} needs a danfojs DataFrame, an array of row objects or an object of columns, got ${describe(data)}.`,
    );
  return { names: frameColumnNames(data), rows: frameRowCount(data), columnValues: (name) => frameColumn(data, name) };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return String(value);
}

function listNames(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

/** A numeric column scaled so that |a − b| is its weighted contribution; NaN where missing. */
interface NumericColumn {
  scaled: Float64Array;
  missingWeight: number; // weight share to drop from the denominator when missing
  hasMissing: boolean;
  contributes: boolean; // false for constant columns
}

/** A categorical column as codes, -1 where missing. */
interface CategoricalColumn {
  codes: Int32Array;
  weight: number; // weight share
  hasMissing: boolean;
}

/**
 * The Gower distance matrix of a table's rows (see the file header for the definition and the
 * handling of missing values).
 *
 * Returns a {@link GowerMatrix}: a condensed upper triangle in a Float32Array, n(n−1)/2 × 4 bytes
 * (200 MB for 10,000 rows, 800 MB for 20,000). A matrix that would not fit in memory is refused
 * before allocation with a sentence giving the largest sample that fits.
 *
 * @param data a danfojs DataFrame, an array of row objects, or an object of columns
 * @param options columns, categorical columns, weights, progress callback
 * @example
 * const d = gowerMatrix([
 *   { genre: 'Pop', energy: 0.2 },
 *   { genre: 'Pop', energy: 0.6 },
 *   { genre: 'Jazz', energy: 1.0 },
 * ]);
 * d.get(0, 1); // (0 + 0.4/0.8) / 2 = 0.25
 * d.get(0, 2); // (1 + 0.8/0.8) / 2 = 1
 * d.get(1, 2); // (1 + 0.4/0.8) / 2 = 0.75
 */
export function gowerMatrix(data: FrameLike, options: GowerOptions = {}): GowerMatrix {
  const { metric, rows } = fitAndEncode(data, options, 'gowerMatrix');
  const n = rows.size;
  const features = metric.features;
  const numeric: NumericColumn[] = [];
  const categorical: CategoricalColumn[] = [];
  metric.specs.forEach((spec, f) => {
    if (spec.share === 0) return;
    if (spec.kind === 'categorical') {
      categorical.push({
        codes: rows.values[f] as Int32Array,
        weight: spec.share,
        hasMissing: features[f].missing > 0,
      });
    } else {
      const values = rows.values[f] as Float64Array;
      const contributes = spec.range > 0;
      const scale = spec.coefficient;
      const scaled = new Float64Array(n);
      for (let r = 0; r < n; r++) scaled[r] = Number.isNaN(values[r]) ? NaN : values[r] * scale;
      numeric.push({ scaled, missingWeight: spec.share, hasMissing: features[f].missing > 0, contributes });
    }
  });

  const total = (n * (n - 1)) / 2;
  assertMatrixFits(n, { bytesPerValue: 4, memoryLimit: options.memoryLimit });
  const out = new Float32Array(total);
  const anyMissing = numeric.some((c) => c.hasMissing) || categorical.some((c) => c.hasMissing);
  const incomparable = options.incomparableDistance ?? NaN;
  const sum = new Float64Array(n); // Σ weighted contributions of row i to rows j > i
  const share = new Float64Array(n); // weight share left after dropping missing features
  const onProgress = options.onProgress;
  const progressStep = Math.max(1, Math.floor(total / 100));
  let nextProgress = progressStep;
  let incomparablePairs = 0;
  let k = 0;

  // Columns without holes take the fast loops, four columns per pass over the row.
  const plainNumeric = numeric.filter((c) => !c.hasMissing && c.contributes).map((c) => c.scaled);
  const holeyNumeric = numeric.filter((c) => c.hasMissing);
  const plainCategorical = categorical.filter((c) => !c.hasMissing);
  const plainCodes = plainCategorical.map((c) => c.codes);
  const plainCategoryWeights = plainCategorical.map((c) => c.weight);
  const holeyCategorical = categorical.filter((c) => c.hasMissing);

  for (let i = 0; i < n - 1; i++) {
    const start = i + 1;
    sum.fill(0, start);
    if (anyMissing) share.fill(1, start);
    addAbsoluteDifferences(plainNumeric, i, start, sum);
    addMismatches(plainCodes, plainCategoryWeights, i, start, sum);

    for (const column of holeyNumeric) {
      const x = column.scaled;
      const xi = x[i];
      const w = column.missingWeight;
      if (Number.isNaN(xi)) {
        for (let j = start; j < n; j++) share[j] -= w;
      } else if (column.contributes) {
        for (let j = start; j < n; j++) {
          const delta = x[j] - xi;
          if (delta === delta) sum[j] += Math.abs(delta);
          else share[j] -= w;
        }
      } else {
        for (let j = start; j < n; j++) if (Number.isNaN(x[j])) share[j] -= w;
      }
    }

    for (const column of holeyCategorical) {
      const codes = column.codes;
      const ci = codes[i];
      const w = column.weight;
      if (ci < 0) {
        for (let j = start; j < n; j++) share[j] -= w;
      } else {
        for (let j = start; j < n; j++) {
          const cj = codes[j];
          if (cj < 0) share[j] -= w;
          else if (cj !== ci) sum[j] += w;
        }
      }
    }

    if (anyMissing) {
      for (let j = start; j < n; j++) {
        const s = share[j];
        // Shares are sums of weight fractions: treat a rounding residue as 0.
        if (s > 1e-12) out[k++] = Math.min(1, sum[j] / s);
        else {
          out[k++] = incomparable;
          incomparablePairs++;
        }
      }
    } else {
      for (let j = start; j < n; j++) out[k++] = sum[j];
    }

    if (onProgress && k >= nextProgress) {
      onProgress(k, total);
      nextProgress = k + progressStep;
    }
  }
  if (onProgress) onProgress(total, total);
  return new GowerMatrix(n, out, features, incomparablePairs);
}

/** Adds |x[j] − x[i]| of every column to sum[j] for j ≥ start, four columns per pass. */
function addAbsoluteDifferences(columns: Float64Array[], i: number, start: number, sum: Float64Array): void {
  const n = sum.length;
  let f = 0;
  for (; f + 4 <= columns.length; f += 4) {
    const x0 = columns[f];
    const x1 = columns[f + 1];
    const x2 = columns[f + 2];
    const x3 = columns[f + 3];
    const a0 = x0[i];
    const a1 = x1[i];
    const a2 = x2[i];
    const a3 = x3[i];
    for (let j = start; j < n; j++) {
      sum[j] += Math.abs(x0[j] - a0) + Math.abs(x1[j] - a1) + Math.abs(x2[j] - a2) + Math.abs(x3[j] - a3);
    }
  }
  for (; f < columns.length; f++) {
    const x = columns[f];
    const xi = x[i];
    for (let j = start; j < n; j++) sum[j] += Math.abs(x[j] - xi);
  }
}

/** Adds weights[f] to sum[j] for j ≥ start wherever codes[f][j] ≠ codes[f][i], four columns per pass. */
function addMismatches(codes: Int32Array[], weights: number[], i: number, start: number, sum: Float64Array): void {
  const n = sum.length;
  let f = 0;
  for (; f + 4 <= codes.length; f += 4) {
    const c0 = codes[f];
    const c1 = codes[f + 1];
    const c2 = codes[f + 2];
    const c3 = codes[f + 3];
    const b0 = c0[i];
    const b1 = c1[i];
    const b2 = c2[i];
    const b3 = c3[i];
    const w0 = weights[f];
    const w1 = weights[f + 1];
    const w2 = weights[f + 2];
    const w3 = weights[f + 3];
    for (let j = start; j < n; j++) {
      sum[j] += (c0[j] === b0 ? 0 : w0) + (c1[j] === b1 ? 0 : w1) + (c2[j] === b2 ? 0 : w2) + (c3[j] === b3 ? 0 : w3);
    }
  }
  for (; f < codes.length; f++) {
    const c = codes[f];
    const ci = c[i];
    const w = weights[f];
    for (let j = start; j < n; j++) if (c[j] !== ci) sum[j] += w;
  }
}

/** True when a column holds a non-missing value that is not a number (so it is categorical by default). */
function isNonNumericColumn(values: ArrayLike<unknown>): boolean {
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (!isMissing(v) && typeof v !== 'number' && typeof v !== 'bigint') return true;
  }
  return false;
}

function readNumbers(
  name: string,
  values: ArrayLike<unknown>,
): { values: Float64Array; min: number; max: number; missing: number } {
  const out = new Float64Array(values.length);
  let min = Infinity;
  let max = -Infinity;
  let missing = 0;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (isMissing(v)) {
      out[r] = NaN;
      missing++;
      continue;
    }
    if (typeof v !== 'number' && typeof v !== 'bigint') {
      throw new Error(
        `The column "${name}" is treated as numeric, but row ${r} holds ${describe(v)}; name it in \`categorical\` or clean it.`,
      );
    }
    const x = Number(v); // DuckDB gives BIGINT columns as bigint
    if (!Number.isFinite(x))
      throw new Error(`Row ${r} of column "${name}" is ${x}; Gower distances need finite numbers.`);
    out[r] = x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { values: out, min, max, missing };
}

/** How one feature of a fitted metric compares values (internal; see {@link GowerMetric}). */
interface FittedFeature {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** The feature's weight over the sum of all weights. */
  readonly share: number;
  /** Smallest and largest value seen by the fit (numeric features; NaN when every value was missing). */
  readonly min: number;
  readonly max: number;
  /** max − min (0 for a constant or all-missing column, NaN for categorical features). */
  readonly range: number;
  /** share / range: the weighted contribution per unit of difference (0 when the column does not contribute). */
  readonly coefficient: number;
  /** Category → code, in order of first appearance; grows when later data brings new categories. */
  readonly codes: Map<unknown, number>;
}

/**
 * Rows encoded for a {@link GowerMetric}: one typed array per feature, in the metric's feature
 * order. Numeric features hold the values (NaN where missing), categorical ones the category codes
 * (−1 where missing).
 */
export interface GowerRows {
  /** The number of rows. */
  readonly size: number;
  /** One array per feature: Float64Array for numeric features, Int32Array of codes for categorical ones. */
  readonly values: readonly (Float64Array | Int32Array)[];
  /** Whether any value is missing (the distances then take the daisy rule's slower path). */
  readonly hasMissing: boolean;
  /** Whether every numeric value lies within the fitted minimum and maximum (then no term needs clipping). */
  readonly withinRange: boolean;
}

/** Options of {@link fitGower}: the column choice and weights of {@link GowerOptions}. */
export type GowerMetricOptions = Pick<GowerOptions, 'columns' | 'categorical' | 'weights'>;

/**
 * Gower's distance with its feature ranges, category codes and weights fixed by one data set (the
 * fit), so that rows of other data sets can be compared with the same yardstick: the whole
 * catalogue against a sample's medoids, or one track against every stored track.
 *
 * The definition is the one of {@link gowerMatrix} (see the file header), with two additions for
 * rows the fit did not see:
 * - a numeric value outside the fitted range contributes at most its full weight: each term is
 *   min(1, |x − y| / range), so a distance stays in [0, 1] (for rows inside the range the clip
 *   changes nothing, and it is skipped);
 * - a category the fit never saw gets a new code when it is encoded; it equals only itself, so
 *   it differs from every fitted category. A column that was constant in the fit (range 0)
 *   contributes nothing, whatever the new values are.
 * Missing values follow the daisy rule, as in `gowerMatrix`.
 *
 * Made by {@link fitGower}.
 * @example
 * const metric = fitGower([{ genre: 'Pop', energy: 0.2 }, { genre: 'Jazz', energy: 0.6 }]);
 * const sample = metric.encode([{ genre: 'Pop', energy: 0.2 }, { genre: 'Jazz', energy: 0.6 }]);
 * const others = metric.encode([{ genre: 'Rock', energy: 0.4 }, { genre: 'Pop', energy: 1.4 }]);
 * metric.distanceToRows(sample, 0, others); // Float64Array [(1 + 0.5) / 2, (0 + 1) / 2] = [0.75, 0.5]
 */
export class GowerMetric {
  /** How each feature entered the fit (ranges and category counts are the fit's). */
  readonly features: GowerFeature[];
  /** The feature columns, in order. */
  readonly columns: readonly string[];
  /** @internal The comparison of each feature. */
  readonly specs: readonly FittedFeature[];

  /** Made by {@link fitGower} (or {@link GowerMetric.withWeights}). */
  constructor(specs: readonly FittedFeature[], features: GowerFeature[]) {
    this.specs = specs;
    this.features = features;
    this.columns = specs.map((s) => s.name);
  }

  /**
   * The same ranges and category codes with other weights (one per column name, default 1).
   * @example fitGower(rows).withWeights({ genre: 0 }).features[0].weight // 0
   */
  withWeights(weights: Readonly<Record<string, number>> = {}): GowerMetric {
    const shares = checkWeights(this.columns, weights);
    const specs = this.specs.map((spec, f) => ({
      ...spec,
      share: shares[f].share,
      coefficient: spec.range > 0 ? shares[f].share / spec.range : 0,
    }));
    return new GowerMetric(
      specs,
      this.features.map((feature, f) => ({ ...feature, weight: shares[f].weight })),
    );
  }

  /**
   * Encodes rows (a danfojs DataFrame or row objects) for {@link distanceToRows}; they need every
   * column of the fit (other columns are ignored).
   * @example fitGower([{ a: 1 }, { a: 3 }]).encode([{ a: 5 }]).withinRange // false
   */
  encode(data: FrameLike): GowerRows {
    const { names, columnValues, rows } = readColumns(data, 'GowerMetric.encode');
    const columns: Record<string, ArrayLike<unknown>> = {};
    for (const name of this.columns) {
      if (!names.includes(name))
        throw new Error(
          `The column "${name}" of the fitted metric is not in the data (its columns are ${listNames(names)}).`,
        );
      columns[name] = columnValues(name);
    }
    return this.encodeColumns(columns, rows);
  }

  /**
   * Encodes plain columns (name → values, numbers in typed arrays or arrays), every column of the
   * fit, each with `size` values.
   * @example fitGower([{ a: 1 }, { a: 3 }]).encodeColumns({ a: new Float64Array([2]) }).values[0] // Float64Array [2]
   */
  encodeColumns(columns: Readonly<Record<string, ArrayLike<unknown>>>, size?: number): GowerRows {
    const n = size ?? (this.columns.length ? (columns[this.columns[0]]?.length ?? 0) : 0);
    let hasMissing = false;
    let withinRange = true;
    const values = this.specs.map((spec) => {
      const raw = columns[spec.name];
      if (raw === undefined)
        throw new Error(`The column "${spec.name}" of the fitted metric is missing from the columns given.`);
      if (raw.length !== n)
        throw new Error(`The column "${spec.name}" has ${raw.length} values, but the data has ${n} rows.`);
      if (spec.kind === 'categorical') {
        const { codes, missing } = codeCategories(raw, spec.codes);
        if (missing > 0) hasMissing = true;
        return codes;
      }
      const read = readNumbers(spec.name, raw);
      if (read.missing > 0) hasMissing = true;
      if (spec.range > 0 && read.missing < n && (read.min < spec.min || read.max > spec.max)) withinRange = false;
      return read.values;
    });
    return { size: n, values, hasMissing, withinRange };
  }

  /**
   * The distances from row `row` of `from` to every row of `to` (both encoded by this metric).
   * @param out where to write them (length `to.size`); a new array by default
   * @example
   * const metric = fitGower([{ x: 0 }, { x: 10 }]);
   * const rows = metric.encode([{ x: 0 }, { x: 5 }, { x: 20 }]);
   * metric.distanceToRows(rows, 0, rows); // Float64Array [0, 0.5, 1] (20 is beyond the range: clipped to 1)
   */
  distanceToRows(
    from: GowerRows,
    row: number,
    to: GowerRows,
    out: Float64Array = new Float64Array(to.size),
  ): Float64Array {
    this.checkRows(from, 'from');
    this.checkRows(to, 'to');
    if (!Number.isInteger(row) || row < 0 || row >= from.size)
      throw new Error(`Row ${row} is not a row of the ${from.size} rows given.`);
    if (out.length !== to.size)
      throw new Error(`The output holds ${out.length} values, but there are ${to.size} rows to compare with.`);
    out.fill(0);
    if (from.hasMissing || to.hasMissing) {
      this.distancesWithMissing(from, row, to, out);
      return out;
    }
    const clip = !(from.withinRange && to.withinRange);
    const plain: Float64Array[] = [];
    const plainFrom: number[] = [];
    const plainCoefficients: number[] = [];
    const codes: Int32Array[] = [];
    const codeFrom: number[] = [];
    const codeShares: number[] = [];
    this.specs.forEach((spec, f) => {
      if (spec.kind === 'categorical') {
        if (spec.share === 0) return;
        codes.push(to.values[f] as Int32Array);
        codeFrom.push(from.values[f][row]);
        codeShares.push(spec.share);
      } else if (spec.coefficient > 0) {
        const x = to.values[f] as Float64Array;
        const a = from.values[f][row];
        if (clip) addClippedDifferences(x, a, spec.coefficient, spec.share, out);
        else {
          plain.push(x);
          plainFrom.push(a);
          plainCoefficients.push(spec.coefficient);
        }
      }
    });
    addWeightedDifferences(plain, plainFrom, plainCoefficients, out);
    addWeightedMismatches(codes, codeFrom, codeShares, out);
    return out;
  }

  /**
   * The distances from every row of `from` to every row of `to`, row-major (`from.size × to.size`):
   * entry `i * to.size + j` compares row i of `from` with row j of `to`.
   * @example
   * const metric = fitGower([{ x: 0 }, { x: 10 }]);
   * metric.rowDistances(metric.encode([{ x: 0 }]), metric.encode([{ x: 5 }, { x: 10 }])); // Float64Array [0.5, 1]
   */
  rowDistances(from: GowerRows, to: GowerRows): Float64Array {
    const out = new Float64Array(from.size * to.size);
    for (let i = 0; i < from.size; i++) this.distanceToRows(from, i, to, out.subarray(i * to.size, (i + 1) * to.size));
    return out;
  }

  /**
   * Each feature's part of the distance between row `i` of `from` and row `j` of `to`: the parts
   * add up to the distance (after the daisy rule's renormalisation; a feature missing on either
   * side has part NaN).
   * @example
   * const metric = fitGower([{ genre: 'Pop', energy: 0.2 }, { genre: 'Jazz', energy: 0.6 }]);
   * const rows = metric.encode([{ genre: 'Pop', energy: 0.2 }, { genre: 'Jazz', energy: 0.4 }]);
   * metric.contributions(rows, 0, rows, 1); // Float64Array [0.5, 0.25]
   */
  contributions(from: GowerRows, i: number, to: GowerRows, j: number): Float64Array {
    this.checkRows(from, 'from');
    this.checkRows(to, 'to');
    const parts = new Float64Array(this.specs.length);
    let present = 0;
    this.specs.forEach((spec, f) => {
      const a = from.values[f][i];
      const b = to.values[f][j];
      if (spec.kind === 'categorical') {
        if (a < 0 || b < 0) {
          parts[f] = NaN;
          return;
        }
        parts[f] = a === b ? 0 : spec.share;
      } else {
        if (Number.isNaN(a) || Number.isNaN(b)) {
          parts[f] = NaN;
          return;
        }
        const term = spec.coefficient * Math.abs(a - b);
        parts[f] = term > spec.share ? spec.share : term;
      }
      present += spec.share;
    });
    if (present > 1e-12 && present < 1 - 1e-12) for (let f = 0; f < parts.length; f++) parts[f] /= present;
    return parts;
  }

  /**
   * The value of feature `f` in row `row` as the data had it (a number, or the category).
   * @example
   * const metric = fitGower([{ genre: 'Pop' }]);
   * metric.featureValue(metric.encode([{ genre: 'Pop' }]), 0, 0) // 'Pop'
   */
  featureValue(rows: GowerRows, row: number, f: number): unknown {
    const spec = this.specs[f];
    const value = rows.values[f][row];
    if (spec.kind === 'numeric') return Number.isNaN(value) ? null : value;
    if (value < 0) return null;
    for (const [category, code] of spec.codes) if (code === value) return category;
    return undefined;
  }

  private checkRows(rows: GowerRows, what: string): void {
    if (rows.values.length !== this.specs.length) {
      throw new Error(
        `The \`${what}\` rows have ${rows.values.length} features, but the metric has ${this.specs.length}; encode them with this metric.`,
      );
    }
  }

  /** The daisy rule, pair by pair: features missing on either side are left out and the weights renormalised. */
  private distancesWithMissing(from: GowerRows, row: number, to: GowerRows, out: Float64Array): void {
    const share = new Float64Array(to.size).fill(1);
    this.specs.forEach((spec, f) => {
      if (spec.share === 0) return;
      const w = spec.share;
      if (spec.kind === 'categorical') {
        const c = to.values[f] as Int32Array;
        const a = from.values[f][row];
        if (a < 0) {
          for (let j = 0; j < to.size; j++) share[j] -= w;
          return;
        }
        for (let j = 0; j < to.size; j++) {
          const b = c[j];
          if (b < 0) share[j] -= w;
          else if (b !== a) out[j] += w;
        }
        return;
      }
      const x = to.values[f] as Float64Array;
      const a = from.values[f][row];
      if (Number.isNaN(a)) {
        for (let j = 0; j < to.size; j++) share[j] -= w;
        return;
      }
      const coefficient = spec.coefficient;
      for (let j = 0; j < to.size; j++) {
        const delta = x[j] - a;
        if (delta !== delta) share[j] -= w;
        else {
          const term = coefficient * Math.abs(delta);
          out[j] += term > w ? w : term;
        }
      }
    });
    for (let j = 0; j < to.size; j++) {
      const s = share[j];
      out[j] = s > 1e-12 ? Math.min(1, out[j] / s) : NaN;
    }
  }
}

/**
 * Fits Gower's distance on `data`: the numeric features' ranges, the categories' codes and the
 * weights (see {@link GowerMetric}), with the options of {@link gowerMatrix}.
 * @example
 * const metric = fitGower(sample, { categorical: CATEGORICAL_FEATURES }); // ranges from the sample
 * const everyTrack = metric.encode(tracks);
 * metric.distanceToRows(metric.encode(sample), 0, everyTrack); // the first sampled track against every track
 */
/** One feature's values as {@link encodeGowerFeatures} reads them. */
export type EncodedGowerColumn =
  | { kind: 'numeric'; /** The numbers, NaN where missing. */ values: Float64Array }
  | {
      kind: 'categorical';
      /** Category codes 0.. in order of first appearance, −1 where missing. */ codes: Int32Array;
    };

/**
 * The features of a table as {@link gowerMatrix} reads them: the columns chosen and checked, each
 * classified as numeric or categorical, with its weight, range and values (numbers, or category
 * codes); `gowerContributions` starts from it. The same reading as {@link fitGower}'s, so bad input
 * is refused with the same sentences.
 * @param data a danfojs DataFrame, an array of row objects or an object of columns
 * @param options the `columns`, `categorical` and `weights` of {@link GowerOptions}
 * @example
 * const { features, columns, totalWeight } = encodeGowerFeatures([{ genre: 'Pop', energy: 0.2 }, { genre: 'Jazz', energy: 0.6 }]);
 * features.map((f) => [f.name, f.kind]) // [['genre', 'categorical'], ['energy', 'numeric']]
 * columns[0]                            // { kind: 'categorical', codes: Int32Array [0, 1] }
 * totalWeight                           // 2
 */
export function encodeGowerFeatures(
  data: FrameLike,
  options: GowerMetricOptions = {},
): { n: number; features: GowerFeature[]; columns: EncodedGowerColumn[]; totalWeight: number } {
  const { metric, rows } = fitAndEncode(data, options, 'gowerMatrix');
  const columns = metric.features.map((feature, f): EncodedGowerColumn =>
    feature.kind === 'categorical'
      ? { kind: 'categorical', codes: rows.values[f] as Int32Array }
      : { kind: 'numeric', values: rows.values[f] as Float64Array },
  );
  const totalWeight = metric.features.reduce((sum, feature) => sum + feature.weight, 0);
  return { n: rows.size, features: [...metric.features], columns, totalWeight };
}

export function fitGower(data: FrameLike, options: GowerMetricOptions = {}): GowerMetric {
  return fitAndEncode(data, options, 'fitGower').metric;
}

/**
 * {@link fitGower} and the fitted rows encoded, reading the data once (what `metric.encode(data)`
 * would give, without reading the data a second time).
 * @example
 * const { metric, rows } = fitGowerEncoded(tracks, { categorical: CATEGORICAL_FEATURES });
 * metric.distanceToRows(rows, 0, rows); // the first track against every track
 */
export function fitGowerEncoded(
  data: FrameLike,
  options: GowerMetricOptions = {},
): { metric: GowerMetric; rows: GowerRows } {
  return fitAndEncode(data, options, 'fitGowerEncoded');
}

/** Reads the data once: fits the metric and encodes the same rows. */
function fitAndEncode(
  data: FrameLike,
  options: GowerMetricOptions,
  caller: string,
): { metric: GowerMetric; rows: GowerRows } {
  const { names: allNames, columnValues, rows: n } = readColumns(data, caller);
  const names = options.columns ?? allNames;
  for (const name of names) {
    if (!allNames.includes(name))
      throw new Error(`The column "${name}" is not in the data (its columns are ${listNames(allNames)}).`);
  }
  if (names.length === 0) throw new Error(`${caller} needs at least one column.`);
  for (const name of options.categorical ?? []) {
    if (!names.includes(name))
      throw new Error(`The categorical column "${name}" is not among the columns used (${listNames(names)}).`);
  }
  const shares = checkWeights(names, options.weights ?? {});

  const raw = names.map((name) => columnValues(name));
  raw.forEach((values, f) => {
    if (values.length !== n)
      throw new Error(`The column "${names[f]}" has ${values.length} values, but the data has ${n} rows.`);
  });
  const categoricalSet = options.categorical
    ? new Set(options.categorical)
    : new Set(names.filter((_, f) => isNonNumericColumn(raw[f])));

  const features: GowerFeature[] = [];
  const specs: FittedFeature[] = [];
  const values: (Float64Array | Int32Array)[] = [];
  let hasMissing = false;
  names.forEach((name, f) => {
    const { weight, share } = shares[f];
    if (categoricalSet.has(name)) {
      const map = new Map<unknown, number>();
      const { codes, missing } = codeCategories(raw[f], map);
      features.push({ name, kind: 'categorical', weight, range: NaN, categories: map.size, missing });
      specs.push({ name, kind: 'categorical', share, min: NaN, max: NaN, range: NaN, coefficient: 0, codes: map });
      values.push(codes);
      if (missing > 0) hasMissing = true;
    } else {
      const read = readNumbers(name, raw[f]);
      const empty = read.missing === n;
      const range = empty ? 0 : read.max - read.min;
      features.push({ name, kind: 'numeric', weight, range, categories: 0, missing: read.missing });
      specs.push({
        name,
        kind: 'numeric',
        share,
        min: empty ? NaN : read.min,
        max: empty ? NaN : read.max,
        range,
        coefficient: range > 0 ? share / range : 0,
        codes: new Map(),
      });
      values.push(read.values);
      if (read.missing > 0) hasMissing = true;
    }
  });
  const metric = new GowerMetric(specs, features);
  return { metric, rows: { size: n, values, hasMissing, withinRange: true } };
}

/** Each column's weight (default 1) and its share of the total; refuses bad weights. */
function checkWeights(
  names: readonly string[],
  weights: Readonly<Record<string, number>>,
): { weight: number; share: number }[] {
  for (const name of Object.keys(weights)) {
    if (!names.includes(name))
      throw new Error(`A weight is given for "${name}", which is not among the columns used (${listNames(names)}).`);
  }
  const values = names.map((name) => {
    const w = weights[name] ?? 1;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new Error(`The weight for column "${name}" must be a finite number ≥ 0, got ${describe(w)}.`);
    }
    return w;
  });
  const total = values.reduce((sum, w) => sum + w, 0);
  if (!(total > 0)) throw new Error('The column weights add up to 0; give at least one column a positive weight.');
  return values.map((weight) => ({ weight, share: weight / total }));
}

/** Category codes from `map`, adding a new code for each value not in it yet; −1 where missing. */
function codeCategories(values: ArrayLike<unknown>, map: Map<unknown, number>): { codes: Int32Array; missing: number } {
  const codes = new Int32Array(values.length);
  let missing = 0;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (isMissing(v)) {
      codes[r] = -1;
      missing++;
      continue;
    }
    let code = map.get(v);
    if (code === undefined) {
      code = map.size;
      map.set(v, code);
    }
    codes[r] = code;
  }
  return { codes, missing };
}

/** out[j] += Σ_f coefficients[f] · |columns[f][j] − from[f]|, four columns per pass (the last pass takes what is left). */
function addWeightedDifferences(
  columns: Float64Array[],
  from: number[],
  coefficients: number[],
  out: Float64Array,
): void {
  const n = out.length;
  let f = 0;
  for (; f + 4 <= columns.length; f += 4) {
    const x0 = columns[f];
    const x1 = columns[f + 1];
    const x2 = columns[f + 2];
    const x3 = columns[f + 3];
    const a0 = from[f];
    const a1 = from[f + 1];
    const a2 = from[f + 2];
    const a3 = from[f + 3];
    const c0 = coefficients[f];
    const c1 = coefficients[f + 1];
    const c2 = coefficients[f + 2];
    const c3 = coefficients[f + 3];
    for (let j = 0; j < n; j++) {
      out[j] +=
        c0 * Math.abs(x0[j] - a0) + c1 * Math.abs(x1[j] - a1) + c2 * Math.abs(x2[j] - a2) + c3 * Math.abs(x3[j] - a3);
    }
  }
  const left = columns.length - f;
  if (left === 3) {
    const x0 = columns[f];
    const x1 = columns[f + 1];
    const x2 = columns[f + 2];
    const a0 = from[f];
    const a1 = from[f + 1];
    const a2 = from[f + 2];
    const c0 = coefficients[f];
    const c1 = coefficients[f + 1];
    const c2 = coefficients[f + 2];
    for (let j = 0; j < n; j++)
      out[j] += c0 * Math.abs(x0[j] - a0) + c1 * Math.abs(x1[j] - a1) + c2 * Math.abs(x2[j] - a2);
  } else if (left === 2) {
    const x0 = columns[f];
    const x1 = columns[f + 1];
    const a0 = from[f];
    const a1 = from[f + 1];
    const c0 = coefficients[f];
    const c1 = coefficients[f + 1];
    for (let j = 0; j < n; j++) out[j] += c0 * Math.abs(x0[j] - a0) + c1 * Math.abs(x1[j] - a1);
  } else if (left === 1) {
    const x = columns[f];
    const a = from[f];
    const c = coefficients[f];
    for (let j = 0; j < n; j++) out[j] += c * Math.abs(x[j] - a);
  }
}

/** out[j] += min(share, coefficient · |x[j] − a|): a term beyond the fitted range counts at most fully. */
function addClippedDifferences(
  x: Float64Array,
  a: number,
  coefficient: number,
  share: number,
  out: Float64Array,
): void {
  for (let j = 0; j < out.length; j++) {
    const term = coefficient * Math.abs(x[j] - a);
    out[j] += term > share ? share : term;
  }
}

/** out[j] += shares[f] wherever codes[f][j] ≠ from[f], four columns per pass. */
function addWeightedMismatches(codes: Int32Array[], from: number[], shares: number[], out: Float64Array): void {
  const n = out.length;
  let f = 0;
  for (; f + 4 <= codes.length; f += 4) {
    const c0 = codes[f];
    const c1 = codes[f + 1];
    const c2 = codes[f + 2];
    const c3 = codes[f + 3];
    const b0 = from[f];
    const b1 = from[f + 1];
    const b2 = from[f + 2];
    const b3 = from[f + 3];
    const w0 = shares[f];
    const w1 = shares[f + 1];
    const w2 = shares[f + 2];
    const w3 = shares[f + 3];
    for (let j = 0; j < n; j++) {
      out[j] += (c0[j] === b0 ? 0 : w0) + (c1[j] === b1 ? 0 : w1) + (c2[j] === b2 ? 0 : w2) + (c3[j] === b3 ? 0 : w3);
    }
  }
  for (; f < codes.length; f++) {
    const c = codes[f];
    const b = from[f];
    const w = shares[f];
    for (let j = 0; j < n; j++) if (c[j] !== b) out[j] += w;
  }
}
