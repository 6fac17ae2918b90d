/**
 * Turning a table of mixed columns into a numeric matrix for k-means.
 *
 * - `labelEncode` is the original notebook's `encode`: each distinct value gets a code, in order of first
 *   appearance (pandas `Series.unique()` then `map`). Codes for a nominal column such as genre
 *   impose an order that does not exist (Pop = 3 is "between" Rap = 2 and Rock = 4); the original notebook does
 *   it anyway, and so does the default here so results stay comparable.
 * - `oneHotEncode` gives each category its own 0/1 column instead (no invented order; more columns).
 * - `encodeFrame` takes a frame (`FrameLike`: a danfojs `DataFrame`, row objects or an object of
 *   column arrays) and returns the matrix (row-major `Float64Array`, see `numeric-matrix.ts`), the
 *   row ids and the encodings, so every code can be turned back into its category.
 *
 * Missing values (`null`, `undefined`, `NaN`) in a text column share one category, written `null`
 * in `categories`, as pandas gives `NaN` one code. An empty string is a category of its own. A
 * numeric column with a missing value is refused, because k-means cannot place such a row.
 */
import { NumericMatrix, matrixFromData } from '../matrix/numeric-matrix';
import { FrameLike, frameColumn, frameColumnNames, frameColumns } from '../data/frame';
import { CodedColumn, decodeColumn, isCodedColumn, isStoredTracks, StoredTracks } from '../data/stored-tracks';

/** A category of a text column; `null` stands for every missing value. */
export type Category = string | number | bigint | boolean | null;

/** Codes of one column and the categories they stand for: `categories[codes[i]]` is row i's value. */
export interface LabelEncoding {
  /** The column's name (`'value'` when encoding a bare array without a name). */
  readonly column: string;
  /** One code per row, 0 .. categories.length - 1. */
  readonly codes: Int32Array;
  /** The distinct values in order of first appearance. */
  readonly categories: readonly Category[];
}

/**
 * The original notebook's label encoding: codes 0, 1, 2, ... in order of first appearance.
 * @param values the column's values
 * @param column the column's name, used in messages and kept in the result
 * @example
 * const { codes, categories } = labelEncode(['Rock', 'Pop', 'Rock', 'Jazz']);
 * // codes: Int32Array [0, 1, 0, 2], categories: ['Rock', 'Pop', 'Jazz']
 */
export function labelEncode(values: ArrayLike<unknown>, column = 'value'): LabelEncoding {
  const codes = new Int32Array(values.length);
  const categories: Category[] = [];
  const codeOf = new Map<Category, number>();
  for (let i = 0; i < values.length; i++) {
    const category = toCategory(values[i], column, i);
    let code = codeOf.get(category);
    if (code === undefined) {
      code = categories.length;
      codeOf.set(category, code);
      categories.push(category);
    }
    codes[i] = code;
  }
  return { column, codes, categories };
}

/**
 * Turns codes back into their categories.
 * @example
 * labelDecode(Int32Array.from([0, 1, 0]), ['Rock', 'Pop']) // ['Rock', 'Pop', 'Rock']
 */
export function labelDecode(codes: ArrayLike<number>, categories: readonly Category[]): Category[] {
  const values: Category[] = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (!Number.isInteger(code) || code < 0 || code >= categories.length) {
      throw new Error(`Code ${code} in row ${i} is not one of the ${categories.length} categories.`);
    }
    values[i] = categories[code];
  }
  return values;
}

/**
 * One 0/1 column per category (categories in order of first appearance, as `labelEncode`, so
 * one-hot column c is label code c). Columns are named `<column>_<category>`, `<column>_missing`
 * for missing values.
 * @example
 * const m = oneHotEncode(['Rock', 'Pop', 'Rock'], 'genre');
 * // m.columns: ['genre_Rock', 'genre_Pop'], m.data: Float64Array [1, 0, 0, 1, 1, 0]
 */
export function oneHotEncode(
  values: ArrayLike<unknown>,
  column = 'value',
): NumericMatrix & { encoding: LabelEncoding } {
  const encoding = labelEncode(values, column);
  const n = values.length;
  const d = encoding.categories.length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) data[i * d + encoding.codes[i]] = 1;
  const columns = encoding.categories.map((category) => oneHotColumnName(column, category));
  return { ...matrixFromData(data, n, d, columns), encoding };
}

/** How `encodeFrame` treats text columns. */
export type CategoricalEncoding = 'label' | 'onehot';

/** Options of `encodeFrame`; every field has a written-down default. */
export interface EncodeFrameOptions {
  /** Feature columns, in order (default: every column except `idColumn` and `drop`). */
  columns?: readonly string[];
  /** Columns to leave out, such as `artist_name` and `track_name` (default none). */
  drop?: readonly string[];
  /** A column of row ids (the original notebook's `track_id` index), returned as `ids` (default none). */
  idColumn?: string;
  /** `'label'` (the original notebook's codes, default) or `'onehot'`. */
  categorical?: CategoricalEncoding;
  /**
   * Columns to encode as categories. Default: the columns pandas' `select_dtypes(exclude=['number'])`
   * would pick, that is every column holding a value that is not a number (text, booleans).
   */
  categoricalColumns?: readonly string[];
}

/** The result of `encodeFrame`. */
export interface EncodedFrame {
  /** The numeric matrix, one row per table row; one-hot columns replace their text column in place. */
  readonly matrix: NumericMatrix;
  /** The values of `idColumn`, one per row (empty when no `idColumn` was given). */
  readonly ids: readonly unknown[];
  /** The encoding of every categorical column, by column name. */
  readonly encodings: Readonly<Record<string, LabelEncoding>>;
  /** The feature columns taken as categories, in order. */
  readonly categoricalColumns: readonly string[];
  /** The feature columns taken as numbers, in order. */
  readonly numericColumns: readonly string[];
  /** The feature columns in order, before one-hot columns replace their text column. */
  readonly features: readonly string[];
  /** How the text columns were encoded. */
  readonly categorical: CategoricalEncoding;
}

/**
 * The original notebook's preparation of the k-means input: keep the feature columns, encode the text columns
 * (label codes by default, one-hot on request) and return a numeric matrix.
 * @example
 * const encoded = encodeFrame(
 *   { track_id: ['a', 'b', 'c'], genre: ['Pop', 'Rock', 'Pop'], tempo: [120, 90, 100] },
 *   { idColumn: 'track_id' },
 * );
 * // encoded.matrix.columns: ['genre', 'tempo']
 * // encoded.matrix.data: Float64Array [0, 120, 1, 90, 0, 100]
 * // encoded.ids: ['a', 'b', 'c']; encoded.encodings.genre.categories: ['Pop', 'Rock']
 */
export function encodeFrame(frame: FrameLike, options: EncodeFrameOptions = {}): EncodedFrame {
  const { drop = [], idColumn, categorical = 'label' } = options;
  if (categorical !== 'label' && categorical !== 'onehot') {
    throw new Error(`The categorical encoding must be 'label' or 'onehot', got ${JSON.stringify(categorical)}.`);
  }
  const allColumns = frameColumnNames(frame);
  for (const name of [
    ...drop,
    ...(idColumn === undefined ? [] : [idColumn]),
    ...(options.columns ?? []),
    ...(options.categoricalColumns ?? []),
  ]) {
    if (!allColumns.includes(name)) {
      throw new Error(`The table has no column ${JSON.stringify(name)}; its columns are ${allColumns.join(', ')}.`);
    }
  }
  const features = options.columns
    ? [...options.columns]
    : allColumns.filter((name) => name !== idColumn && !drop.includes(name));
  if (features.length === 0) throw new Error('There are no feature columns left to encode.');

  const values = new Map<string, ArrayLike<unknown>>();
  let n = -1;
  for (const name of features) {
    const column = frameColumn(frame, name);
    if (n >= 0 && column.length !== n) {
      throw new Error(`Column ${name} has ${column.length} values but the columns before it have ${n}.`);
    }
    n = column.length;
    values.set(name, column);
  }
  const ids = idColumn === undefined ? [] : Array.from(frameColumn(frame, idColumn));
  if (idColumn !== undefined && ids.length !== n) {
    throw new Error(`The id column ${idColumn} has ${ids.length} values but the features have ${n}.`);
  }

  const categoricalColumns = options.categoricalColumns
    ? features.filter((name) => options.categoricalColumns!.includes(name))
    : features.filter((name) => !isNumericColumn(values.get(name)!));
  const numericColumns = features.filter((name) => !categoricalColumns.includes(name));

  // Each feature becomes one or more output columns filled by a writer.
  const encodings: Record<string, LabelEncoding> = {};
  const outputNames: string[] = [];
  const writers: ((out: Float64Array, d: number, offset: number) => void)[] = [];
  const widths: number[] = [];
  for (const name of features) {
    const column = values.get(name)!;
    if (categoricalColumns.includes(name)) {
      const encoding = labelEncode(column, name);
      encodings[name] = encoding;
      if (categorical === 'label') {
        outputNames.push(name);
        widths.push(1);
        writers.push((out, d, offset) => {
          for (let i = 0; i < n; i++) out[i * d + offset] = encoding.codes[i];
        });
      } else {
        for (const category of encoding.categories) outputNames.push(oneHotColumnName(name, category));
        widths.push(encoding.categories.length);
        writers.push((out, d, offset) => {
          for (let i = 0; i < n; i++) out[i * d + offset + encoding.codes[i]] = 1;
        });
      }
    } else {
      const numbers = numericValues(column, name);
      outputNames.push(name);
      widths.push(1);
      writers.push((out, d, offset) => {
        for (let i = 0; i < n; i++) out[i * d + offset] = numbers[i];
      });
    }
  }
  const d = outputNames.length;
  const data = new Float64Array(n * d);
  let offset = 0;
  for (let f = 0; f < writers.length; f++) {
    writers[f](data, d, offset);
    offset += widths[f];
  }
  return {
    matrix: matrixFromData(data, n, d, outputNames),
    ids,
    encodings,
    categoricalColumns,
    numericColumns,
    features,
    categorical,
  };
}

/** What {@link encodeLike} does with a category the fit never saw. */
export type UnseenCategories = 'reserve' | 'refuse';

/** Options of {@link encodeLike}; every field has a written-down default. */
export interface EncodeLikeOptions {
  /** A column of row ids, returned as `ids` (default: the fit's id column is not known, so none). */
  idColumn?: string;
  /**
   * A category the fitted encoding does not know: `'reserve'` (default) encodes it as described
   * at {@link encodeLike}; `'refuse'` throws a sentence naming the column, the value and the row.
   */
  unseen?: UnseenCategories;
  /**
   * Encode only these rows (row numbers of the table, in this order): the matrix has one row per
   * entry, and `ids` too. Default: every row.
   */
  rows?: ArrayLike<number>;
}

/** Categories of one column that the fitted encoding did not know. */
export interface UnseenReport {
  /** Rows holding such a category. */
  readonly rows: number;
  /** The distinct unseen categories, in order of first appearance. */
  readonly categories: readonly Category[];
}

/** The result of {@link encodeLike}. */
export interface EncodedLike {
  /** The numeric matrix, with exactly the fitted matrix's columns. */
  readonly matrix: NumericMatrix;
  /** The values of `idColumn`, one per row (empty when no `idColumn` was given). */
  readonly ids: readonly unknown[];
  /** Per text column with categories the fit never saw: how many rows, which categories. */
  readonly unseen: Readonly<Record<string, UnseenReport>>;
}

/**
 * Encodes new rows exactly as {@link encodeFrame} encoded the rows it was fitted on: the same
 * feature columns in the same order, each category with its fitted code (or one-hot column), so
 * that the fitted scaler and k-means centroids apply to them.
 *
 * A category the fitted rows never held has no code. By default (`unseen: 'reserve'`):
 * - label encoding gives it the reserved code `categories.length`, one past the last fitted code
 *   (the code it would have had if it had come after every fitted category); all unseen
 *   categories of a column share it;
 * - one-hot encoding gives it zeros in every one of the column's 0/1 columns ("none of the known
 *   categories").
 * `unseen: 'refuse'` throws instead. Either way `unseen` in the result counts them per column.
 * @param frame the rows to encode (a danfojs DataFrame or an object of column arrays)
 * @param fitted what `encodeFrame` returned for the fitted rows
 * @example
 * const fitted = encodeFrame({ genre: ['Pop', 'Rock'], tempo: [120, 90] });
 * const more = encodeLike({ genre: ['Rock', 'Jazz'], tempo: [100, 80] }, fitted);
 * // more.matrix.data: Float64Array [1, 100, 2, 80] (Jazz takes the reserved code 2)
 * // more.unseen: { genre: { rows: 1, categories: ['Jazz'] } }
 */
export function encodeLike(
  frame: FrameLike | StoredTracks,
  fitted: Pick<EncodedFrame, 'matrix' | 'encodings' | 'categoricalColumns' | 'features' | 'categorical'>,
  options: EncodeLikeOptions = {},
): EncodedLike {
  const unseenRule = options.unseen ?? 'reserve';
  if (unseenRule !== 'reserve' && unseenRule !== 'refuse') {
    throw new Error(`unseen must be 'reserve' or 'refuse', got ${JSON.stringify(unseenRule)}.`);
  }
  const source = sourceOf(frame);
  for (const name of [...fitted.features, ...(options.idColumn === undefined ? [] : [options.idColumn])]) {
    if (!source.has(name)) {
      throw new Error(
        `The table has no column ${JSON.stringify(name)}, which the fitted encoding needs; its columns are ${source.names().join(', ')}.`,
      );
    }
  }
  const columnsIn = fitted.features.map((name) => source.column(name));
  const n = columnsIn.length ? lengthOf(columnsIn[0]) : 0;
  columnsIn.forEach((column, f) => {
    if (lengthOf(column) !== n)
      throw new Error(
        `Column ${fitted.features[f]} has ${lengthOf(column)} values but the columns before it have ${n}.`,
      );
  });
  const rows = options.rows === undefined ? undefined : checkRows(options.rows, n);
  const m = rows ? rows.length : n;
  const rowAt = rows ? (i: number) => rows[i] : (i: number) => i;
  const d = fitted.matrix.d;
  const data = new Float64Array(m * d);
  const unseen: Record<string, UnseenReport> = {};
  let offset = 0;
  fitted.features.forEach((name, f) => {
    const column = columnsIn[f];
    if (!fitted.categoricalColumns.includes(name)) {
      const values = isCodedColumn(column) ? decodeColumn(column) : column;
      for (let i = 0; i < m; i++)
        data[i * d + offset] = numericValue(values[rowAt(i)], name, rowAt(i), source.nullIsNaN);
      offset += 1;
      return;
    }
    const encoding = fitted.encodings[name];
    const codeOf = new Map<Category, number>();
    encoding.categories.forEach((category, code) => codeOf.set(category, code));
    const reserved = encoding.categories.length;
    const newCategories: Category[] = [];
    let unseenRows = 0;
    const oneHot = fitted.categorical === 'onehot';
    const UNSEEN = -1;
    // the fitted code of row r's category, or UNSEEN; a coded column looks each distinct value up once
    const fittedCode = (category: Category, r: number): number => {
      const code = codeOf.get(category);
      if (code !== undefined) return code;
      if (unseenRule === 'refuse') {
        throw new Error(
          `Column ${name} holds ${JSON.stringify(category)} in row ${r}, a category the fitted rows never held; pass unseen: 'reserve' to encode it anyway.`,
        );
      }
      if (!newCategories.includes(category)) newCategories.push(category);
      return UNSEEN;
    };
    let codeAt: (r: number) => number;
    if (isCodedColumn(column)) {
      const UNSET = -2;
      const known = new Int32Array(column.values.length).fill(UNSET);
      codeAt = (r) => {
        const c = column.codes[r];
        let code = known[c] as number | undefined;
        if (code === undefined)
          throw new Error(
            `Column ${name} holds code ${c} in row ${r}, which is not one of its ${known.length} values.`,
          );
        if (code === UNSET) code = known[c] = fittedCode(toCategory(column.values[c], name, r), r);
        return code;
      };
    } else codeAt = (r) => fittedCode(toCategory(column[r], name, r), r);
    for (let i = 0; i < m; i++) {
      const code = codeAt(rowAt(i));
      if (code === UNSEEN) {
        unseenRows++;
        if (!oneHot) data[i * d + offset] = reserved;
      } else if (oneHot) data[i * d + offset + code] = 1;
      else data[i * d + offset] = code;
    }
    if (unseenRows > 0) unseen[name] = { rows: unseenRows, categories: newCategories };
    offset += oneHot ? encoding.categories.length : 1;
  });
  if (offset !== d) {
    throw new Error(
      `The fitted encoding describes ${offset} columns but its matrix has ${d}; pass the object encodeFrame returned, unchanged.`,
    );
  }
  const ids = options.idColumn === undefined ? [] : source.ids(options.idColumn, rows);
  return { matrix: matrixFromData(data, m, d, fitted.matrix.columns), ids, unseen };
}

/**
 * The values of an id column of a frame or of the stored tracks, in row order (the stored
 * tracks' own `ids` for `track_id`, not a copy).
 * @example idColumnValues({ track_id: ['a', 'b'] }, 'track_id') // ['a', 'b']
 */
export function idColumnValues(frame: FrameLike | StoredTracks, name: string): readonly unknown[] {
  const source = sourceOf(frame);
  if (!source.has(name))
    throw new Error(`The table has no column ${JSON.stringify(name)}; its columns are ${source.names().join(', ')}.`);
  return source.ids(name, undefined);
}

/** The columns of a frame or of the stored tracks, as {@link encodeLike} reads them. */
interface ColumnSource {
  names(): string[];
  has(name: string): boolean;
  column(name: string): ArrayLike<unknown> | CodedColumn;
  /** The values of an id column (all rows, or `rows`). */
  ids(name: string, rows: Int32Array | undefined): readonly unknown[];
  /** Whether NaN in a number column stands for NULL (the stored tracks), for the messages. */
  nullIsNaN: boolean;
}

function sourceOf(frame: FrameLike | StoredTracks): ColumnSource {
  const pick = (column: ArrayLike<unknown>, rows: Int32Array | undefined): unknown[] =>
    rows ? Array.from(rows, (r) => column[r]) : Array.from(column);
  if (isStoredTracks(frame))
    return {
      names: () => frame.columnNames,
      has: (name) => frame.has(name),
      column: (name) => frame.column(name),
      ids: (name, rows) => {
        const column = frame.column(name);
        if (name === 'track_id' && !rows) return frame.ids;
        return pick(isCodedColumn(column) ? decodeColumn(column) : column, rows);
      },
      nullIsNaN: true,
    };
  const names = frameColumnNames(frame);
  return {
    names: () => names,
    has: (name) => names.includes(name),
    column: (name) => frameColumn(frame, name),
    ids: (name, rows) => pick(frameColumn(frame, name), rows),
    nullIsNaN: false,
  };
}

function lengthOf(column: ArrayLike<unknown> | CodedColumn): number {
  return isCodedColumn(column) ? column.codes.length : column.length;
}

/** Row numbers checked against a table of `n` rows. */
function checkRows(rows: ArrayLike<number>, n: number): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Number.isInteger(row) || row < 0 || row >= n)
      throw new Error(`Row ${row} is not a row of the table's ${n} rows (rows are 0 to ${n - 1}).`);
    out[i] = row;
  }
  return out;
}

/** One value of a numeric feature as a number; refuses anything but a finite number, naming the row. */
function numericValue(value: unknown, column: string, row: number, nullIsNaN: boolean): number {
  const number = typeof value === 'bigint' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    const shown = nullIsNaN && typeof value === 'number' && Number.isNaN(value) ? 'null' : String(value);
    throw new Error(
      `Column ${column} holds ${shown} in row ${row}; a numeric feature needs a finite number in every row.`,
    );
  }
  return number;
}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

function toCategory(value: unknown, column: string, row: number): Category {
  if (isMissing(value)) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return value;
    default:
      throw new Error(
        `Column ${column} holds ${String(value)} in row ${row}, which is not a text, number or boolean value.`,
      );
  }
}

function oneHotColumnName(column: string, category: Category): string {
  return `${column}_${category === null ? 'missing' : String(category)}`;
}

/** Like pandas' "number" dtypes: every present value is a number, and at least one is present. */
function isNumericColumn(values: ArrayLike<unknown>): boolean {
  let present = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (isMissing(value)) continue;
    if (typeof value !== 'number' && typeof value !== 'bigint') return false;
    present++;
  }
  return present > 0;
}

function numericValues(values: ArrayLike<unknown>, column: string): Float64Array {
  const numbers = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const number = typeof value === 'bigint' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw new Error(
        `Column ${column} holds ${String(value)} in row ${i}; a numeric feature needs a finite number in every row.`,
      );
    }
    numbers[i] = number;
  }
  return numbers;
}
