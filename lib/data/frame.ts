/**
 * The one seam between the library and danfojs-node 1.1.2: what counts as a frame (`FrameLike`),
 * how rows and columns are read out of one (`frameRows`, `frameColumn`, `frameColumns`, …), how a
 * schema column kind maps to a danfojs dtype and a DuckDB type (`COLUMN_TYPES`), and how frames
 * are made (`frameFromColumns`, `frameFromRows`, `takeRows`). Everything else reads frames through
 * these functions, never through danfojs' loosely typed `values`.
 *
 * Written here because danfojs keeps one boxed array per row and has no columnar storage:
 * `frameFromColumns` gives a DataFrame that holds typed columns and makes danfojs' row arrays only
 * when something asks for them (`values`, `iloc`, `print` …), so the load, the cleaning steps and
 * the sample never make a row array. Details: docs/data-layer.md.
 * danfojs-node is loaded on first use (`danfojs()`), not on import: loading it (with tfjs, mathjs
 * and xlsx) takes about 1.4 s of CPU, which a notebook or test that makes no frame never pays.
 */
import type { DataFrame } from 'danfojs-node';
// The Series class danfojs' own `DataFrame.column()` returns (danfojs-node re-exports a subclass).
import type Series from 'danfojs-node/dist/danfojs-base/core/series';
import { ColumnKind, SPOTIFY_COLUMNS } from './schema';

type Danfo = typeof import('danfojs-node');
let loadedDanfo: Danfo | undefined;
/** Where danfojs-node's main module is (its key in require.cache), found once. */
let danfoPath: string | undefined;

/** danfojs-node, loaded on its first use (see the file header). */
function danfojs(): Danfo {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (loadedDanfo ??= require('danfojs-node') as Danfo);
}

/**
 * Whether `value` is a danfojs DataFrame. Nothing is one while danfojs-node has not been loaded in
 * this process (by this file or by a notebook's own import), so this never loads it.
 */
function isDataFrame(value: unknown): value is DataFrame {
  if (typeof value !== 'object' || value === null) return false;
  if (loadedDanfo === undefined) {
    const module = require.cache[(danfoPath ??= require.resolve('danfojs-node'))];
    if (!module?.loaded) return false;
    loadedDanfo = module.exports as Danfo;
  }
  return value instanceof loadedDanfo.DataFrame;
}

// ---------------------------------------------------------------------------------------------
// Column types

/** The danfojs dtype and the DuckDB type of each schema column kind. */
export interface ColumnType {
  /** danfojs-node dtype. */
  readonly dtype: string;
  /** DuckDB column type (`track` table). */
  readonly sql: string;
}

/**
 * The one dtype table: schema kind → danfojs dtype → DuckDB type. Integers are `int32` in a frame
 * (popularity, duration_ms) and `BIGINT` in DuckDB, as the original Python notebook's pandas → DuckDB write gave.
 * @example COLUMN_TYPES.integer // { dtype: 'int32', sql: 'BIGINT' }
 */
export const COLUMN_TYPES: Readonly<Record<ColumnKind, ColumnType>> = Object.freeze({
  text: Object.freeze({ dtype: 'string', sql: 'VARCHAR' }),
  integer: Object.freeze({ dtype: 'int32', sql: 'BIGINT' }),
  float: Object.freeze({ dtype: 'float32', sql: 'DOUBLE' }),
});

/**
 * The kind of a danfojs dtype: `int32` → integer, `float32` → float, anything else (string,
 * boolean, datetime) → text.
 * @example kindOfDtype('float32') // 'float'
 */
export function kindOfDtype(dtype: string | undefined): ColumnKind {
  if (dtype === COLUMN_TYPES.integer.dtype) return 'integer';
  if (dtype === COLUMN_TYPES.float.dtype) return 'float';
  return 'text';
}

/**
 * The kind of a column: the schema's for the 18 columns of SpotifyFeatures.csv, else the kind of
 * its dtype (text when there is none).
 * @example columnKind('tempo') // 'float'
 * @example columnKind('plays', 'int32') // 'integer'
 */
export function columnKind(name: string, dtype?: string): ColumnKind {
  return SPOTIFY_COLUMNS.find((c) => c.name === name)?.kind ?? kindOfDtype(dtype);
}

// ---------------------------------------------------------------------------------------------
// What a frame is

/**
 * The parts of a danfojs-node DataFrame the library reads: column names, row arrays (`values`,
 * which danfojs types loosely as 1-D or 2-D, hence `unknown`) and, when there, dtypes and index.
 * A plain object `{ columns, values }` with row arrays passes too.
 */
export interface FrameParts {
  readonly columns: readonly string[];
  readonly values: unknown;
  readonly dtypes?: readonly string[];
  readonly index?: unknown;
  readonly shape?: readonly number[];
}

/**
 * A frame, as every function of the library that reads a table accepts it: a danfojs DataFrame
 * (or `{ columns, values }` with row arrays), an array of row objects (what `queryRows` returns:
 * the columns are the keys in order of first appearance), or an object of equal-length column
 * arrays (`{ genre: [...], tempo: [...] }`).
 */
export type FrameLike = FrameParts | readonly object[] | Readonly<Record<string, ArrayLike<unknown>>>;

/** One column of `frameFromColumns`: a Float64Array for numbers, an array otherwise. */
export type FrameColumn = Float64Array | readonly unknown[];

/**
 * Whether a value is a frame in one of the three forms of `FrameLike`.
 * @example isFrameLike([{ a: 1 }]) // true
 * @example isFrameLike('tracks') // false
 */
export function isFrameLike(value: unknown): value is FrameLike {
  if (isRowObjects(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  if (isFrameParts(value)) return true;
  return Object.values(value).every(isArrayLike);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (
    Array.isArray(value) ||
    ArrayBuffer.isView(value) ||
    (typeof value === 'object' && value !== null && typeof (value as { length?: unknown }).length === 'number')
  );
}

function isRowObjects(frame: unknown): frame is readonly object[] {
  return Array.isArray(frame);
}

function isFrameParts(frame: unknown): frame is FrameParts {
  return (
    typeof frame === 'object' &&
    frame !== null &&
    !Array.isArray(frame) &&
    Array.isArray((frame as { columns?: unknown }).columns) &&
    'values' in frame
  );
}

function isRowArrays(values: unknown): values is readonly (readonly unknown[])[] {
  return Array.isArray(values) && (values.length === 0 || Array.isArray(values[0]));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return String(value);
}

function refuseNonFrame(frame: unknown): never {
  throw new Error(
    `Expected a table (a danfojs DataFrame, an array of row objects or an object of column arrays), got ${describe(frame)}.`,
  );
}

/** A frame's rows when it holds row arrays; refuses a 1-D `values` (a Series). */
function partsRows(frame: FrameParts): readonly (readonly unknown[])[] {
  const values = frame.values;
  if (!isRowArrays(values))
    throw new Error(`The frame's values are not rows (got ${describe(values)}); pass a DataFrame, not a Series.`);
  return values;
}

/** Each row object of an array of them, checked. */
function rowObject(row: unknown, r: number): Readonly<Record<string, unknown>> {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw new Error(
      `Row ${r} is not an object of column values (got ${Array.isArray(row) ? 'an array' : String(row)}).`,
    );
  }
  return row as Readonly<Record<string, unknown>>;
}

// ---------------------------------------------------------------------------------------------
// Reading a frame

/**
 * The column names of a frame, in order.
 * @example frameColumnNames([{ a: 1 }, { b: 2, a: 3 }]) // ['a', 'b']
 */
export function frameColumnNames(frame: FrameLike): string[] {
  if (isRowObjects(frame)) {
    const names: string[] = [];
    const known = new Set<string>();
    frame.forEach((row, r) => {
      for (const key of Object.keys(rowObject(row, r)))
        if (!known.has(key)) {
          known.add(key);
          names.push(key);
        }
    });
    return names;
  }
  if (isFrameParts(frame)) return [...frame.columns];
  if (typeof frame !== 'object' || frame === null) refuseNonFrame(frame);
  return Object.keys(frame);
}

/**
 * The number of rows of a frame.
 * @example frameRowCount({ a: [1, 2, 3] }) // 3
 */
export function frameRowCount(frame: FrameLike): number {
  if (isRowObjects(frame)) return frame.length;
  if (isDataFrame(frame)) return frame.shape[0];
  if (isFrameParts(frame)) return partsRows(frame).length;
  const first = Object.values(frame)[0];
  return first === undefined ? 0 : first.length;
}

/**
 * The values of one column, in row order. For a frame made by `frameFromColumns` (the loader's,
 * the cleaning steps', the sample's) this is the column itself, not a copy: read it, don't change it.
 * @example frameColumn({ columns: ['a', 'b'], values: [[1, 'x'], [2, 'y']] }, 'b') // ['x', 'y']
 */
export function frameColumn(frame: FrameLike, name: string): ArrayLike<unknown> {
  const stored = storedColumns(frame);
  if (stored && isDataFrame(frame)) {
    const c = frame.columns.indexOf(name);
    if (c >= 0) return stored.columns[c];
  }
  if (isRowObjects(frame)) {
    if (!frameColumnNames(frame).includes(name)) refuseColumn(frame, name);
    return frame.map((row, r) => rowObject(row, r)[name]);
  }
  if (isFrameParts(frame)) {
    const c = frame.columns.indexOf(name);
    if (c < 0) refuseColumn(frame, name);
    return partsRows(frame).map((row) => row[c]);
  }
  if (typeof frame !== 'object' || frame === null) refuseNonFrame(frame);
  const column = (frame as Readonly<Record<string, ArrayLike<unknown>>>)[name];
  if (!Object.prototype.hasOwnProperty.call(frame, name) || column === undefined) refuseColumn(frame, name);
  return column;
}

function refuseColumn(frame: FrameLike, name: string): never {
  throw new Error(`The frame has no column '${name}'; it has ${frameColumnNames(frame).join(', ')}.`);
}

/**
 * The values of several columns (default: all of them), in the order named.
 * @example frameColumns({ a: [1, 2], b: ['x', 'y'] }, ['b']) // [['x', 'y']]
 */
export function frameColumns(
  frame: FrameLike,
  names: readonly string[] = frameColumnNames(frame),
): ArrayLike<unknown>[] {
  return names.map((name) => frameColumn(frame, name));
}

/**
 * The numbers of one column as a new Float64Array (for plots and arithmetic); refuses a column
 * holding anything but finite numbers, naming the row.
 * @example frameNumbers({ popularity: [61, 5] }, 'popularity') // Float64Array [61, 5]
 */
export function frameNumbers(frame: FrameLike, name: string): Float64Array {
  const column = frameColumn(frame, name);
  const numbers = new Float64Array(column.length);
  for (let r = 0; r < column.length; r++) {
    const value = column[r];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(
        `The column '${name}' holds ${typeof value === 'string' ? JSON.stringify(value) : String(value)} in row ${r}, which is not a finite number.`,
      );
    }
    numbers[r] = value;
  }
  return numbers;
}

/**
 * The rows of a frame as arrays in column order (`frameColumnNames`), the first `limit` only when
 * given. For a danfojs DataFrame this is its own `values` (read them, don't change them); a
 * `limit` reads only those rows, without making the others.
 * @example frameRows({ a: [1, 2, 3], b: ['x', 'y', 'z'] }, 2) // [[1, 'x'], [2, 'y']]
 */
export function frameRows(frame: FrameLike, limit?: number): readonly (readonly unknown[])[] {
  const stored = storedColumns(frame);
  if (stored && limit !== undefined) return rowsOfColumns(stored.columns, Math.min(limit, stored.length));
  if (isFrameParts(frame)) {
    const rows = partsRows(frame);
    return limit === undefined ? rows : rows.slice(0, limit);
  }
  const names = frameColumnNames(frame);
  if (isRowObjects(frame)) {
    const objects = limit === undefined ? frame : frame.slice(0, limit);
    return objects.map((row, r) => {
      const object = rowObject(row, r);
      return names.map((name) => object[name]);
    });
  }
  const columns = frameColumns(frame, names);
  columns.forEach((column, c) => {
    if (column.length !== columns[0].length) {
      throw new Error(
        `Column ${names[c]} has ${column.length} values but the columns before it have ${columns[0].length}; give every column the same length.`,
      );
    }
  });
  const count = columns.length ? columns[0].length : 0;
  return rowsOfColumns(columns, limit === undefined ? count : Math.min(limit, count));
}

function rowsOfColumns(columns: readonly ArrayLike<unknown>[], count: number): unknown[][] {
  const rows = new Array<unknown[]>(count);
  const width = columns.length;
  for (let r = 0; r < count; r++) {
    const row = new Array<unknown>(width);
    for (let c = 0; c < width; c++) row[c] = columns[c][r];
    rows[r] = row;
  }
  return rows;
}

/**
 * The row labels of a frame: a DataFrame's index (0, 1, … unless one was set), or null for the
 * other forms.
 * @example frameIndex(clusteringFeatures(sample))?.[0] // the first sampled track's id
 */
export function frameIndex(frame: FrameLike): readonly unknown[] | null {
  return isFrameParts(frame) && Array.isArray(frame.index) ? frame.index : null;
}

/**
 * The kind of each column: from the dtypes when the frame has them (see `kindOfDtype`), else
 * from the values: integer when every value is a whole number, float when every value is a
 * number, text otherwise.
 * @example frameKinds({ n: [1, 2], x: [0.5, 1], s: ['a', 'b'] }) // ['integer', 'float', 'text']
 */
export function frameKinds(frame: FrameLike): ColumnKind[] {
  const names = frameColumnNames(frame);
  if (isFrameParts(frame) && Array.isArray(frame.dtypes) && frame.dtypes.length === names.length)
    return frame.dtypes.map(kindOfDtype);
  return frameColumns(frame, names).map((column) => {
    let kind: ColumnKind = 'integer';
    for (let r = 0; r < column.length; r++) {
      const value = column[r];
      if (typeof value !== 'number') return 'text';
      if (!Number.isInteger(value)) kind = 'float';
    }
    return kind;
  });
}

// ---------------------------------------------------------------------------------------------
// Making frames

interface StoredColumns {
  readonly columns: readonly FrameColumn[];
  readonly length: number;
}

/** The columns of the frames made by `frameFromColumns` that have not made their rows yet. */
const STORED = new WeakMap<object, StoredColumns>();

function storedColumns(frame: unknown): StoredColumns | undefined {
  return typeof frame === 'object' && frame !== null ? STORED.get(frame) : undefined;
}

/**
 * A danfojs DataFrame that holds columns and makes danfojs' row arrays on first use (see the file
 * header). It overrides only `shape` and `column()`; danfojs' own code reads the rows through
 * `$data`, which this frame turns into the rows themselves when first read (or written).
 * The class is made on first use, when danfojs-node is loaded.
 */
type ColumnarClass = new (
  columns: readonly FrameColumn[],
  names: readonly string[],
  dtypes: readonly string[],
  length: number,
  index: readonly (string | number)[] | undefined,
) => DataFrame;
let columnarClass: ColumnarClass | undefined;

function columnarDataFrame(): ColumnarClass {
  if (columnarClass) return columnarClass;
  const { DataFrame } = danfojs(); // first: danfojs' own modules must load in its order
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const SeriesClass = (require('danfojs-node/dist/danfojs-base/core/series') as { default: typeof Series }).default;
  class ColumnarDataFrame extends DataFrame {
    constructor(
      columns: readonly FrameColumn[],
      names: readonly string[],
      dtypes: readonly string[],
      length: number,
      index: readonly (string | number)[] | undefined,
    ) {
      super([], { columns: [...names], dtypes: [...dtypes], config: { lowMemoryMode: true } });
      STORED.set(this, { columns, length });
      this.$setIndex(index ? [...index] : length === 0 ? [] : undefined);
      const settle = (rows: unknown): void => {
        STORED.delete(this);
        Object.defineProperty(this, '$data', { value: rows, writable: true, enumerable: true, configurable: true });
      };
      Object.defineProperty(this, '$data', {
        configurable: true,
        enumerable: true,
        get: () => {
          const stored = STORED.get(this);
          const rows = stored ? rowsOfColumns(stored.columns, stored.length) : [];
          settle(rows);
          return rows;
        },
        set: settle,
      });
    }

    override get shape(): number[] {
      const stored = STORED.get(this);
      return stored ? [stored.length, stored.columns.length] : super.shape;
    }

    override column(name: string): Series {
      const stored = STORED.get(this);
      const c = this.columns.indexOf(name);
      if (!stored || c < 0) return super.column(name);
      return new SeriesClass(Array.from(stored.columns[c]), {
        dtypes: [this.dtypes[c]],
        index: [...this.index],
        columns: [name],
        config: { ...this.config },
      });
    }
  }
  return (columnarClass = ColumnarDataFrame);
}

/**
 * A danfojs DataFrame of columns (see the file header: rows are made only when something asks for
 * them). The frame keeps the arrays given: don't change them afterwards.
 * @param columns one array per column, all of the same length
 * @param names the column names
 * @param dtypes the danfojs dtype of each column (`COLUMN_TYPES[kind].dtype`)
 * @param options `index`: row labels (default 0, 1, …)
 * @example frameFromColumns([Float64Array.of(1, 2), ['a', 'b']], ['n', 's'], ['int32', 'string']).values // [[1, 'a'], [2, 'b']]
 */
export function frameFromColumns(
  columns: readonly FrameColumn[],
  names: readonly string[],
  dtypes: readonly string[],
  options: { index?: readonly (string | number)[] } = {},
): DataFrame {
  if (names.length !== columns.length || dtypes.length !== columns.length) {
    throw new Error(
      `A frame needs one name and one dtype per column: got ${columns.length} columns, ${names.length} names and ${dtypes.length} dtypes.`,
    );
  }
  const length = columns.length ? columns[0].length : 0;
  columns.forEach((column, c) => {
    if (column.length !== length)
      throw new Error(
        `Column ${names[c]} has ${column.length} values but the columns before it have ${length}; give every column the same length.`,
      );
  });
  if (options.index && options.index.length !== length)
    throw new Error(`The index has ${options.index.length} labels for ${length} rows; give one label per row.`);
  return new (columnarDataFrame())(columns, names, dtypes, length, options.index);
}

/**
 * A danfojs DataFrame that owns `rows`. The dtypes are given so danfojs does not scan every value
 * to guess them, and the frame is in danfojs' low-memory mode, which keeps the rows only and
 * builds a column when one is asked for: building a 232,725-row frame takes milliseconds instead of
 * the 150 ms the default mode spends keeping a second, column-wise copy.
 * @example frameFromRows([[1, 'a']], ['n', 's'], ['int32', 'string']).shape // [1, 2]
 */
export function frameFromRows(rows: (string | number)[][], columns: string[], dtypes: string[]): DataFrame {
  return new (danfojs().DataFrame)(rows, { columns, dtypes, config: { lowMemoryMode: true } });
}

/** `column[positions[0]], column[positions[1]], …` as a new column of the same type. */
function gather(column: ArrayLike<unknown>, positions: Int32Array): FrameColumn {
  return column instanceof Float64Array ? gatherNumbers(column, positions) : gatherValues(column, positions);
}

function gatherNumbers(column: Float64Array, positions: Int32Array): Float64Array {
  const out = new Float64Array(positions.length);
  for (let k = 0; k < positions.length; k++) out[k] = column[positions[k]];
  return out;
}

function gatherValues(column: ArrayLike<unknown>, positions: Int32Array): unknown[] {
  const out = new Array<unknown>(positions.length);
  for (let k = 0; k < positions.length; k++) out[k] = column[positions[k]];
  return out;
}

/**
 * A new frame of the rows at `positions`, in that order, with the same columns and dtypes (its
 * index restarts at 0). It shares no array with `df`, so changing one never changes the other.
 * @example takeRows(df, [0, 2]).shape // [2, 18]
 */
export function takeRows(df: DataFrame, positions: ArrayLike<number>): DataFrame {
  const count = df.shape[0];
  const rows = new Int32Array(positions.length);
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k];
    if (!Number.isInteger(p) || p < 0 || p >= count)
      throw new Error(`Row position ${p} is not a row of this ${count}-row frame (positions are 0 to ${count - 1}).`);
    rows[k] = p;
  }
  return frameFromColumns(
    frameColumns(df).map((column) => gather(column, rows)),
    df.columns,
    df.dtypes,
  );
}
