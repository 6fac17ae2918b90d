/**
 * The stored tracks as the clustering notebooks compute on them (issue 20): the `track` table
 * read back in `track_id` order into typed columns, without a danfojs frame or one JS value per
 * cell. One query sorts the tracks once and streams them in chunks: numbers into Float64Arrays
 * (NaN for NULL; on shared memory, for the worker pool), the categorical features (genre, key,
 * mode, time_signature) as small integer codes into their distinct values (`list_position` in
 * DuckDB), and the track ids. Track and artist names stay in DuckDB: they are read for the rows
 * that show them (`readText`, the sample in `readSample`).
 *
 * At 2,000,000 input rows (1,250,901 tracks) this holds about 200 MB and reads in seconds, where
 * `readTracks`' frame of 18 columns of boxed values took 3 GB and 12 s. Written here: DuckDB's
 * node client returns a JS value per cell, and danfojs has no columnar or categorical storage.
 */
import { DuckDBConnection, listValue } from '@duckdb/node-api';
import { quoteIdentifier, readDatabase } from './db';
import { CATEGORICAL_FEATURES, NUMERIC_FEATURES, SPOTIFY_COLUMNS } from './schema';
import { sharedFloat64 } from '../parallel/pool';

/** A categorical column as codes: row r holds `values[codes[r]]` (null for NULL). */
export interface CodedColumn {
  readonly codes: Int32Array;
  /** The distinct values, in DuckDB's order (NULL last when there is one). */
  readonly values: readonly (string | null)[];
}

/**
 * Whether a value is a {@link CodedColumn}.
 * @example isCodedColumn({ codes: Int32Array.of(0), values: ['Pop'] }) // true
 */
export function isCodedColumn(value: unknown): value is CodedColumn {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { codes?: unknown }).codes instanceof Int32Array &&
    Array.isArray((value as { values?: unknown }).values)
  );
}

/**
 * The value of every row of a coded column, as an array (the strings are the distinct values,
 * shared, not copies).
 * @example decodeColumn({ codes: Int32Array.of(1, 0, 1), values: ['Major', 'Minor'] }) // ['Minor', 'Major', 'Minor']
 */
export function decodeColumn(column: CodedColumn): (string | null)[] {
  const { codes, values } = column;
  const out: (string | null)[] = new Array(codes.length);
  for (let r = 0; r < codes.length; r++) out[r] = values[codes[r]];
  return out;
}

/** The columns of the schema {@link StoredTracks} holds: every one but the track and artist names. */
export const STORED_TRACK_COLUMNS: readonly string[] = Object.freeze(
  SPOTIFY_COLUMNS.map((c) => c.name).filter((name) => name !== 'track_name' && name !== 'artist_name'),
);

/**
 * Every stored track, light: what {@link readStoredTracks} returns. Row r is the r-th track in
 * `track_id` order (the order of `readTracks`, so `sampleTracks`' row numbers mean the same here).
 * The arrays are the object's own: read them, don't change them.
 */
export class StoredTracks {
  /** The DuckDB file the tracks were read from (`readText` and the sample read it again). */
  readonly dbPath: string;
  /** The number of stored tracks. */
  readonly size: number;
  /** Each track's `track_id`, in order. */
  readonly ids: readonly string[];
  /** The numeric columns (popularity, duration_ms and the audio features), NaN where NULL. */
  readonly numbers: Readonly<Record<string, Float64Array>>;
  /** The categorical features as codes into their distinct values. */
  readonly categories: Readonly<Record<string, CodedColumn>>;
  /** The numeric columns holding a NULL somewhere (readTracks gives those as arrays with null). */
  readonly withNulls: ReadonlySet<string>;

  constructor(parts: {
    dbPath: string;
    ids: readonly string[];
    numbers: Readonly<Record<string, Float64Array>>;
    categories: Readonly<Record<string, CodedColumn>>;
    withNulls?: ReadonlySet<string>;
  }) {
    this.dbPath = parts.dbPath;
    this.size = parts.ids.length;
    this.ids = parts.ids;
    this.numbers = parts.numbers;
    this.categories = parts.categories;
    this.withNulls = parts.withNulls ?? new Set();
    for (const [name, column] of [...Object.entries(parts.numbers), ...Object.entries(parts.categories)]) {
      const length = isCodedColumn(column) ? column.codes.length : column.length;
      if (length !== this.size)
        throw new Error(`The column ${name} has ${length} values for ${this.size} tracks; give one value per track.`);
    }
  }

  /** The names of the columns held, in the schema's order. */
  get columnNames(): string[] {
    return STORED_TRACK_COLUMNS.filter((name) => this.has(name));
  }

  /** Whether the column `name` is held. */
  has(name: string): boolean {
    return name === 'track_id' || name in this.numbers || name in this.categories;
  }

  /**
   * One column as it is held: the ids, a Float64Array, or a {@link CodedColumn}; refuses a column
   * not held with a sentence naming those that are.
   * @example tracks.column('genre').values // ['A Capella', 'Alternative', …]
   */
  column(name: string): readonly string[] | Float64Array | CodedColumn {
    if (name === 'track_id') return this.ids;
    const column = this.numbers[name] ?? this.categories[name];
    if (column === undefined)
      throw new Error(
        `The stored tracks hold no column '${name}'; they hold ${this.columnNames.join(', ')} (read track_name and artist_name with readText).`,
      );
    return column;
  }

  /**
   * The columns `names` (default: every column held) as an object of column arrays, a `FrameLike`
   * every frame function takes; coded columns are decoded (one array of shared strings each).
   * @example fitGower(tracks.toColumns(['genre', 'tempo']))
   */
  toColumns(names: readonly string[] = this.columnNames): Record<string, ArrayLike<unknown>> {
    const out: Record<string, ArrayLike<unknown>> = {};
    for (const name of names) {
      const column = this.column(name);
      out[name] = isCodedColumn(column) ? decodeColumn(column) : column;
    }
    return out;
  }

  /**
   * The text columns `names` (such as track_name and artist_name) of the tracks at `rows`, read
   * from the database: one array per name, indexed by row like the other columns, holding values
   * at those rows only (sparse: a few thousand rows of a million cost a few thousand entries).
   * @example const [names] = await tracks.readText(['track_name'], [0, 5]); names[5] // the sixth track's name
   */
  async readText(names: readonly string[], rows: ArrayLike<number>): Promise<(string | null)[][]> {
    for (const name of names) {
      if (!SPOTIFY_COLUMNS.some((c) => c.name === name))
        throw new Error(
          `readText reads columns of the track table, and '${name}' is not one; it reads ${SPOTIFY_COLUMNS.map((c) => c.name).join(', ')}.`,
        );
    }
    const positions = checkRows(rows, this.size);
    const out: (string | null)[][] = names.map(() => []);
    if (positions.length === 0 || names.length === 0) return out;
    const rowOf = new Map<string, number>();
    for (const row of positions) rowOf.set(this.ids[row], row);
    const found = await readTracksById(this.dbPath, [...rowOf.keys()], ['track_id', ...names]);
    const [ids, ...columns] = found;
    ids.forEach((id, i) => {
      const row = rowOf.get(String(id))!;
      columns.forEach((column, c) => {
        const value = column[i];
        out[c][row] = value === null || value === undefined ? null : String(value);
      });
    });
    return out;
  }
}

/**
 * Whether a value is a {@link StoredTracks}.
 * @example isStoredTracks(await readStoredTracks(DB_PATH)) // true
 */
export function isStoredTracks(value: unknown): value is StoredTracks {
  return value instanceof StoredTracks;
}

/** Row positions checked against a table of `size` rows. */
function checkRows(rows: ArrayLike<number>, size: number): Int32Array {
  const positions = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Number.isInteger(row) || row < 0 || row >= size)
      throw new Error(`Row ${row} is not one of the ${size} stored tracks (rows are 0 to ${size - 1}).`);
    positions[i] = row;
  }
  return positions;
}

/**
 * Refuses, with the sentence saying what to do, a database whose `track` table is missing, empty
 * or lacks a column of the schema; otherwise the number of stored tracks.
 */
export async function checkTrackTable(connection: DuckDBConnection, dbPath: string): Promise<number> {
  const tables = (
    await connection.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_name = 'track'")
  ).getRows();
  const count =
    tables.length === 0 ? 0 : Number((await connection.runAndReadAll('SELECT count(*) FROM track')).getRows()[0][0]);
  if (count === 0)
    throw new Error(
      `The database ${dbPath} holds no tracks yet: run notebook 01 (or \`npm run notebooks\`) first, with the same DB_PATH.`,
    );
  const stored = new Set(
    (await connection.runAndReadAll("SELECT column_name FROM information_schema.columns WHERE table_name = 'track'"))
      .getRows()
      .map((row) => String(row[0])),
  );
  const missing = SPOTIFY_COLUMNS.filter((c) => !stored.has(c.name)).map((c) => c.name);
  if (missing.length)
    throw new Error(
      `The track table of ${dbPath} has no column ${missing.join(', ')}: it was stored by another program; run notebook 01 again to store the tracks.`,
    );
  return count;
}

/**
 * Reads every stored track into typed columns (see the file header), ordered by `track_id`. Says
 * what to do when notebook 01 has not stored any tracks yet.
 * @example (await readStoredTracks(DB_PATH)).size // 12395 on the bundled sample
 */
export async function readStoredTracks(dbPath: string): Promise<StoredTracks> {
  return readDatabase(dbPath, async (connection) => {
    const size = await checkTrackTable(connection, dbPath);
    const numberNames = SPOTIFY_COLUMNS.filter((c) => c.kind !== 'text').map((c) => c.name);
    const codeNames = CATEGORICAL_FEATURES.filter((name) => !NUMERIC_FEATURES.includes(name));

    // the distinct values of each categorical column, NULL last; each row's code is its position
    const categories: Record<string, CodedColumn> = {};
    const distinct: (string | null)[][] = [];
    for (const name of codeNames) {
      const column = quoteIdentifier(name);
      const reader = await connection.runAndReadAll(`SELECT DISTINCT ${column} FROM track ORDER BY ${column}`);
      distinct.push(reader.getRows().map((row) => (row[0] === null ? null : String(row[0]))));
    }
    const present = distinct.map((values) => values.filter((value): value is string => value !== null));

    const ids: string[] = new Array(size);
    const numbers: Record<string, Float64Array> = {};
    for (const name of numberNames) numbers[name] = sharedFloat64(size);
    const codes = codeNames.map(() => new Int32Array(size));
    const withNulls = new Set<string>();
    const select = [
      'track_id',
      ...numberNames.map((name) => `${quoteIdentifier(name)}::DOUBLE`),
      ...codeNames.map((name, c) => {
        const column = quoteIdentifier(name);
        return `CASE WHEN ${column} IS NULL THEN ${present[c].length} ELSE list_position($${c + 1}::VARCHAR[], ${column}) - 1 END::INTEGER`;
      }),
    ];
    // one query, one sort: DuckDB hands over chunks of 2,048 rows, copied here into the arrays
    const result = await connection.stream(
      `SELECT ${select.join(', ')} FROM track ORDER BY track_id`,
      present.map((values) => listValue(values)),
    );
    let row = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const count = chunk.rowCount;
      if (row + count > size) throw new Error(`The track table of ${dbPath} changed while it was read; read it again.`);
      const idVector = chunk.getColumnVector(0);
      for (let r = 0; r < count; r++) ids[row + r] = idVector.getItem(r) as string;
      numberNames.forEach((name, c) => {
        const vector = chunk.getColumnVector(1 + c);
        const values = numbers[name];
        for (let r = 0; r < count; r++) {
          const value = vector.getItem(r) as number | null;
          if (value === null) {
            values[row + r] = NaN;
            withNulls.add(name);
          } else values[row + r] = value;
        }
      });
      codeNames.forEach((name, c) => {
        const vector = chunk.getColumnVector(1 + numberNames.length + c);
        const values = codes[c];
        for (let r = 0; r < count; r++) values[row + r] = vector.getItem(r) as number;
      });
      row += count;
    }
    if (row !== size) throw new Error(`The track table of ${dbPath} changed while it was read; read it again.`);
    codeNames.forEach((name, c) => {
      const values = distinct[c];
      const column = codes[c];
      for (let r = 0; r < size; r++)
        if (column[r] < 0 || column[r] >= values.length)
          throw new Error(`The track table of ${dbPath} changed while it was read; read it again.`);
      categories[name] = { codes: column, values };
    });
    return new StoredTracks({ dbPath, ids, numbers, categories, withNulls });
  });
}

/**
 * The columns `names` of the tracks whose ids are `ids`, as DuckDB's node client gives them
 * (`getColumnsJS`: bigint for BIGINT, null for NULL), one array per name, in the order of `ids`.
 * Refuses ids that are not stored.
 * @example const [names] = await readTracksById(DB_PATH, ['id1', 'id2'], ['track_name']);
 */
export async function readTracksById(
  dbPath: string,
  ids: readonly string[],
  names: readonly string[],
): Promise<unknown[][]> {
  return readDatabase(dbPath, async (connection) => {
    await checkTrackTable(connection, dbPath);
    if (ids.length === 0) return names.map(() => []);
    const reader = await connection.runAndReadAll(
      `SELECT track_id AS "__id", ${names.map(quoteIdentifier).join(', ')} FROM track WHERE track_id IN (SELECT unnest($1::VARCHAR[]))`,
      [listValue([...ids])],
    );
    const [found, ...columns] = reader.getColumnsJS();
    const at = new Map<string, number>();
    found.forEach((id, i) => at.set(String(id), i));
    const positions = ids.map((id) => {
      const i = at.get(id);
      if (i === undefined)
        throw new Error(`The track ${id} is not stored in ${dbPath} any more; read the stored tracks again.`);
      return i;
    });
    return columns.map((column) => positions.map((i) => column[i]));
  });
}
