/**
 * Gower's distance fitted once: `fitGower(data, { categorical, weights })` reads the data, checks
 * the columns and weights, fixes each numeric feature's range and each category's code, and keeps
 * the rows it read, encoded. The one {@link GowerMetric} then serves the matrix (`gowerMatrix`),
 * the features' contributions (`gowerContributions`), the assignment of every track to the
 * medoids (`assignTracksToMedoids`) and the catalogue's similar tracks, none of which reads the
 * data or checks the weights again.
 *
 * Definition (Gower 1971, https://doi.org/10.2307/2528823), missing values (R's `cluster::daisy`),
 * rows the fit did not see, and how this differs from the Python `gower` package (0.1.2, the
 * reference): docs/gower.md. Written here because no npm package computes Gower distances; the
 * inner loops are in gower-kernels.ts.
 */
import { FrameLike, frameColumn, frameColumnNames, frameRowCount, isFrameLike } from '../data/frame';
import { CodedColumn, decodeColumn, isCodedColumn, isStoredTracks, StoredTracks } from '../data/stored-tracks';
import { EncodedColumns, RowComparison } from './gower-kernels';

/** One row of input: column name → value. */
export type Row = Record<string, unknown>;

/** The fit's choices; every field is optional. */
export interface GowerMetricOptions {
  /** The columns to use, in order. Default: every column of the data. */
  columns?: readonly string[];
  /**
   * The columns to treat as categories; every other column must then hold numbers (or bigints,
   * as DuckDB returns BIGINT columns). Default: the columns holding anything that is not a number
   * (strings, booleans), as the `gower` package decides from the dtypes. Categories are compared
   * by value (`===`), so 1 and '1' differ. Integer-coded categories (key, mode, time_signature)
   * must be named.
   */
  categorical?: readonly string[];
  /** Weight per column name (finite, ≥ 0). Default 1 for every column. */
  weights?: Readonly<Record<string, number>>;
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
export interface GowerRows extends EncodedColumns {
  /** Whether any value is missing (those pairs then take the daisy rule). */
  readonly hasMissing: boolean;
  /** Whether every numeric value lies within the fitted minimum and maximum (no term is clipped). */
  readonly withinRange: boolean;
}

/**
 * Gower's distance with its feature ranges, category codes and weights fixed by one data set (the
 * fit), and that data set's rows encoded (`rows`). Rows of other data sets are compared with the
 * same yardstick: a numeric value outside the fitted range contributes at most its full weight,
 * and a category the fit never saw differs from every fitted one (docs/gower.md).
 *
 * Made by {@link fitGower}.
 * @example
 * const metric = fitGower([{ genre: 'Pop', energy: 0.2 }, { genre: 'Jazz', energy: 0.6 }]);
 * const others = metric.encode([{ genre: 'Rock', energy: 0.4 }, { genre: 'Pop', energy: 1.4 }]);
 * metric.distanceToRows(metric.rows, 0, others); // Float64Array [(1 + 0.5) / 2, (0 + 1) / 2] = [0.75, 0.5]
 */
export class GowerMetric {
  /** How each feature entered the fit (ranges and category counts are the fit's). */
  readonly features: readonly GowerFeature[];
  /** The feature columns, in order. */
  readonly columns: readonly string[];
  /** @internal The comparison of each feature. */
  readonly specs: readonly FittedFeature[];
  /** The rows the metric was fitted on, encoded (what `encode` gives for them). */
  readonly rows: GowerRows;

  /** Made by {@link fitGower} (or {@link GowerMetric.withWeights}). */
  constructor(specs: readonly FittedFeature[], features: readonly GowerFeature[], rows: GowerRows) {
    this.specs = specs;
    this.features = features;
    this.columns = specs.map((s) => s.name);
    this.rows = rows;
  }

  /**
   * The same ranges, category codes and rows with other weights (one per column name, default 1).
   * @example fitGower(rows).withWeights({ genre: 0 }).features[0].weight // 0
   */
  withWeights(weights: Readonly<Record<string, number>> = {}): GowerMetric {
    const shares = checkWeights(this.columns, weights);
    const specs = this.specs.map((spec, f) => ({
      ...spec,
      share: shares[f].share,
      coefficient: spec.range > 0 ? shares[f].share / spec.range : 0,
    }));
    const features = this.features.map((feature, f) => ({ ...feature, weight: shares[f].weight }));
    return new GowerMetric(specs, features, this.rows);
  }

  /**
   * Encodes rows (a danfojs DataFrame, row objects or an object of columns) for
   * {@link distanceToRows}; they need every column of the fit (other columns are ignored).
   * @example fitGower([{ a: 1 }, { a: 3 }]).encode([{ a: 5 }]).withinRange // false
   */
  encode(data: FrameLike | StoredTracks): GowerRows {
    if (isStoredTracks(data)) {
      // the stored tracks' columns as they are held: numbers not copied, categories by their codes
      const held: Record<string, ArrayLike<unknown> | CodedColumn> = {};
      for (const name of this.columns) {
        if (!data.has(name))
          throw new Error(
            `The column "${name}" of the fitted metric is not in the data (its columns are ${listNames(data.columnNames)}).`,
          );
        held[name] = data.column(name);
      }
      return this.encodeColumns(held, data.size, true);
    }
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
   * Encodes plain columns (name → values, numbers in typed arrays or arrays, categories also as a
   * `CodedColumn` of lib/data/stored-tracks.ts), every column of the fit, each with `size` values.
   * @param keepNumbers use a Float64Array column itself as the encoded column instead of a copy
   *   (the values are the same; the caller promises not to change it)
   * @example fitGower([{ a: 1 }, { a: 3 }]).encodeColumns({ a: new Float64Array([2]) }).values[0] // Float64Array [2]
   */
  encodeColumns(
    columns: Readonly<Record<string, ArrayLike<unknown> | CodedColumn>>,
    size?: number,
    keepNumbers = false,
  ): GowerRows {
    const lengthOf = (column: ArrayLike<unknown> | CodedColumn | undefined): number | undefined =>
      column === undefined ? undefined : isCodedColumn(column) ? column.codes.length : column.length;
    const n = size ?? (this.columns.length ? (lengthOf(columns[this.columns[0]]) ?? 0) : 0);
    let withinRange = true;
    const missing: number[] = [];
    const values = this.specs.map((spec) => {
      const given = columns[spec.name];
      if (given === undefined)
        throw new Error(`The column "${spec.name}" of the fitted metric is missing from the columns given.`);
      if (lengthOf(given) !== n)
        throw new Error(`The column "${spec.name}" has ${lengthOf(given)} values, but the data has ${n} rows.`);
      if (spec.kind === 'categorical') {
        const coded = isCodedColumn(given) ? recodeCategories(given, spec.codes) : codeCategories(given, spec.codes);
        missing.push(coded.missing);
        return coded.codes;
      }
      const raw = isCodedColumn(given) ? decodeColumn(given) : given;
      const read = readNumbers(spec.name, raw, keepNumbers);
      missing.push(read.missing);
      if (spec.range > 0 && read.missing < n && (read.min < spec.min || read.max > spec.max)) withinRange = false;
      return read.values;
    });
    return { size: n, values, missing, hasMissing: missing.some((m) => m > 0), withinRange };
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
    new RowComparison(this.specs, from, to).compare(row, 0, out);
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
    this.checkRows(from, 'from');
    this.checkRows(to, 'to');
    const out = new Float64Array(from.size * to.size);
    const comparison = new RowComparison(this.specs, from, to);
    for (let i = 0; i < from.size; i++) comparison.compare(i, 0, out.subarray(i * to.size, (i + 1) * to.size));
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
   * metric.featureValue(metric.rows, 0, 0) // 'Pop'
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
}

/**
 * Fits Gower's distance on `data` (see {@link GowerMetric}): checks the columns and weights, and
 * fixes the numeric features' ranges and the categories' codes. Bad input is refused here, once.
 * @param data a danfojs DataFrame, an array of row objects or an object of columns
 * @example
 * const metric = fitGower(features, { categorical: CATEGORICAL_FEATURES, weights: { genre: 0.5 } });
 * const gower = gowerMatrix(metric);                                   // the sample's matrix
 * const assignment = assignTracksToMedoids(metric, medoids, tracks);   // every track, the sample's ranges
 */
export function fitGower(data: FrameLike, options: GowerMetricOptions = {}): GowerMetric {
  return fit(data, options, 'fitGower');
}

/**
 * The metric to use: `data` itself when it is a fitted metric (then `options` may not hold the
 * fit's choices: they were fixed by `fitGower`), otherwise a metric fitted on `data` with them.
 * @param caller the function's name, for the error message
 * @example fittedMetric(metric, {}, 'gowerMatrix') === metric // true
 */
export function fittedMetric(data: FrameLike | GowerMetric, options: GowerMetricOptions, caller: string): GowerMetric {
  if (!(data instanceof GowerMetric)) return fit(data, options, caller);
  const given = (['columns', 'categorical', 'weights'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 0)
    throw new Error(
      `${caller} was given a fitted metric and \`${given.join('`, `')}\`, which the metric fixed when it was fitted; pass them to fitGower instead.`,
    );
  return data;
}

/**
 * Whether a value counts as missing: null, undefined, NaN or an empty string.
 * @example [null, undefined, NaN, '', 0, '0'].map(isMissing) // [true, true, true, true, false, false]
 */
export function isMissing(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value));
}

/** Reads the data once: checks the columns and weights, fits the features and encodes the rows. */
function fit(data: FrameLike, options: GowerMetricOptions, caller: string): GowerMetric {
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
  names.forEach((name, f) => {
    const { weight, share } = shares[f];
    if (categoricalSet.has(name)) {
      const map = new Map<unknown, number>();
      const { codes, missing } = codeCategories(raw[f], map);
      features.push({ name, kind: 'categorical', weight, range: NaN, categories: map.size, missing });
      specs.push({ name, kind: 'categorical', share, min: NaN, max: NaN, range: NaN, coefficient: 0, codes: map });
      values.push(codes);
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
    }
  });
  const missing = features.map((feature) => feature.missing);
  const rows = { size: n, values, missing, hasMissing: missing.some((m) => m > 0), withinRange: true };
  return new GowerMetric(specs, features, rows);
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
  keep = false,
): { values: Float64Array; min: number; max: number; missing: number } {
  // a Float64Array's values are what the loop below writes (NaN stays NaN), so it may stand for them
  const out = keep && values instanceof Float64Array ? values : new Float64Array(values.length);
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

/**
 * What {@link codeCategories} gives for the decoded column, from its codes: each distinct value
 * is looked up once, in order of first appearance, so new categories get the same codes.
 */
function recodeCategories(column: CodedColumn, map: Map<unknown, number>): { codes: Int32Array; missing: number } {
  const UNSET = -2;
  const recoded = new Int32Array(column.values.length).fill(UNSET);
  const codes = new Int32Array(column.codes.length);
  let missing = 0;
  for (let r = 0; r < codes.length; r++) {
    const c = column.codes[r];
    let code = recoded[c] as number | undefined;
    if (code === undefined)
      throw new Error(`Row ${r} holds code ${c}, which is not one of the column's ${recoded.length} values.`);
    if (code === UNSET) {
      const v = column.values[c];
      if (isMissing(v)) code = -1;
      else {
        const known = map.get(v);
        code = known === undefined ? map.size : known;
        if (known === undefined) map.set(v, code);
      }
      recoded[c] = code;
    }
    if (code < 0) missing++;
    codes[r] = code;
  }
  return { codes, missing };
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
