/**
 * The one light reader of the `track` table (issue 20): every stored track read back in `track_id`
 * order into typed columns, without a danfojs frame or one JS value per cell. Numbers go into
 * Float64Arrays (NaN for NULL; on shared memory, for the worker pool), the categorical features
 * (genre, key, mode, time_signature) into small integer codes into their distinct values
 * (joined to them in DuckDB), and the track ids into strings; with `{ text: true }` also every
 * other column of the table, the text ones packed (lib/data/text-pack.ts), as the catalogue keeps
 * them. Otherwise track and artist names stay in DuckDB, read for the rows that show them
 * (`readText`, the sample in `readSample`). One sort of the track ids alone ranks the rows, then
 * one scan in storage order puts each chunk in place by that rank: DuckDB never sorts the whole
 * table, on one thread whose buffers stay small (notebook 04's catalogue reads its stored
 * clusterings by the same rank, lib/catalogue/catalogue-columns.ts).
 *
 * At 2,000,000 input rows (1,250,901 tracks) this holds about 200 MB, where `readTracks`' frame of
 * 18 columns of boxed values took 3 GB. Written here: DuckDB's node client returns a JS value per
 * cell, and danfojs has no columnar or categorical storage.
 */
import { DuckDBConnection, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { DatabaseState, quoteIdentifier, readDatabase } from './db';
import { CATEGORICAL_FEATURES, NUMERIC_FEATURES, SPOTIFY_COLUMNS } from './schema';
import { doubles, eachChunk, integers, listItems } from './chunks';
import { SEPARATOR, TextColumn, TextPack, TextPacker } from './text-pack';
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

/** The packed text columns of {@link StoredTracks} (read with `{ text: true }`). */
export interface PackedText {
  /** The packed columns, in pack order (value t of a row is column `names[t]`). */
  readonly names: readonly string[];
  readonly pack: TextPack;
}

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
  /** The numeric columns (popularity, duration_ms and the audio features), NaN where NULL. */
  readonly numbers: Readonly<Record<string, Float64Array>>;
  /** The categorical features as codes into their distinct values. */
  readonly categories: Readonly<Record<string, CodedColumn>>;
  /** The numeric columns holding a NULL somewhere (readTracks gives those as arrays with null). */
  readonly withNulls: ReadonlySet<string>;
  /** The text columns read packed (`{ text: true }`), or null. */
  readonly text: PackedText | null;
  /** Every column read, in the table's order (the schema's but the names, without `{ text: true }`). */
  readonly tableNames: readonly string[];
  /**
   * True when the ids are known to be present, distinct and in increasing code point order (DuckDB
   * sorted them and the table's primary key keeps them distinct): then nothing need check them.
   */
  readonly idsInOrder: boolean;
  private idList: readonly string[] | undefined;

  constructor(parts: {
    dbPath: string;
    /** The ids; when left out, they are read from the packed column track_id when first asked for. */
    ids?: readonly string[];
    numbers: Readonly<Record<string, Float64Array>>;
    categories: Readonly<Record<string, CodedColumn>>;
    withNulls?: ReadonlySet<string>;
    text?: PackedText | null;
    tableNames?: readonly string[];
    idsInOrder?: boolean;
  }) {
    this.dbPath = parts.dbPath;
    this.text = parts.text ?? null;
    if (parts.ids === undefined && !this.text?.names.includes('track_id'))
      throw new Error('The stored tracks need their ids: give ids, or a packed text column track_id.');
    this.size = parts.ids?.length ?? this.text!.pack.size;
    this.idList = parts.ids;
    this.numbers = parts.numbers;
    this.categories = parts.categories;
    this.withNulls = parts.withNulls ?? new Set();
    this.idsInOrder = parts.idsInOrder ?? false;
    const lengths: [string, number][] = [
      ...Object.entries(parts.numbers).map(([name, column]): [string, number] => [name, column.length]),
      ...Object.entries(parts.categories).map(([name, column]): [string, number] => [name, column.codes.length]),
    ];
    if (this.text !== null) lengths.push([this.text.names.join(', '), this.text.pack.size]);
    for (const [name, length] of lengths) {
      if (length !== this.size)
        throw new Error(`The column ${name} has ${length} values for ${this.size} tracks; give one value per track.`);
    }
    this.tableNames = parts.tableNames ?? this.columnNames;
  }

  /** Each track's `track_id`, in order. */
  get ids(): readonly string[] {
    return (this.idList ??= this.packedText('track_id').values() as string[]);
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
   * A packed text column (track_id, track_name, artist_name or a text column beyond the schema)
   * of tracks read with `{ text: true }`; refuses a column not packed.
   * @example (await readStoredTracks(DB_PATH, { text: true })).packedText('track_name').get(0)
   */
  packedText(name: string): TextColumn {
    const t = this.text?.names.indexOf(name) ?? -1;
    if (t < 0)
      throw new Error(
        `The stored tracks hold no packed text '${name}'; they hold ${this.text?.names.join(', ') || 'none'} (read them with readStoredTracks(dbPath, { text: true })).`,
      );
    return this.text!.pack.column(t);
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

/** DuckDB's numeric column types (a column beyond the schema of one of these is read as numbers). */
export const NUMERIC_TYPE =
  /^(BIGINT|INTEGER|SMALLINT|TINYINT|DOUBLE|FLOAT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|DECIMAL)/;

/** Options of {@link readStoredTracks}; every field is optional. */
export interface ReadStoredOptions {
  /**
   * Also every other column of the table (default false): track_id, track_name, artist_name and
   * text beyond the schema packed ({@link StoredTracks.packedText}), numbers beyond it with the numbers.
   */
  text?: boolean;
  /** Rows per packed string (default 65,536); small values are for tests. */
  blockRows?: number;
}

/** More text columns than this and a row's NULLs no longer fit the bits of one integer. */
const MOST_PACKED = 30;

/**
 * The `track` table opened for one read on a connection of `readDatabase` (see
 * {@link openTrackTable}): checked, its rows ranked in track id order, the columns still to read.
 */
export interface OpenTrackTable {
  /** The number of stored tracks. */
  readonly size: number;
  /** The row (in track id order) of each storage rowid: `rank[rowid]`. */
  readonly rank: Int32Array;
  /** Reads the columns (one scan in storage order; the packed text a range of rowids at a time). */
  read(): Promise<StoredTracks>;
}

/**
 * Checks the `track` table ({@link checkTrackTable}) and ranks its rows by track id (see the file
 * header), on a connection `readDatabase` opened; `read()` then reads the columns. In between, the
 * caller may read more by the same rows (notebook 04's catalogue reads the stored clusterings so,
 * while JavaScript holds little). Sets the connection to one DuckDB thread.
 */
export async function openTrackTable(
  connection: DuckDBConnection,
  dbPath: string,
  state: DatabaseState,
  options: ReadStoredOptions = {},
): Promise<OpenTrackTable> {
  const withText = options.text === true;
  const blockRows = options.blockRows ?? 65536;
  if (!Number.isInteger(blockRows) || blockRows < 1)
    throw new Error(`blockRows must be a whole number of at least 1, got ${String(blockRows)}.`);
  const size = await checkTrackTable(connection, dbPath);
  // one thread: its buffers are all DuckDB holds while the table streams by
  await connection.run('SET threads = 1');
  const shape = await connection.run('SELECT * FROM track LIMIT 0');
  const tableNames = withText ? shape.columnNames() : STORED_TRACK_COLUMNS;
  const kinds = tableNames.map((name) => {
    const kind = SPOTIFY_COLUMNS.find((column) => column.name === name)?.kind;
    const type = String(shape.columnType(shape.columnNames().indexOf(name)));
    if (kind !== undefined ? kind !== 'text' : NUMERIC_TYPE.test(type)) return 'number';
    if (CATEGORICAL_FEATURES.includes(name) && !NUMERIC_FEATURES.includes(name)) return 'coded';
    return name === 'track_id' && !withText ? 'id' : 'packed';
  });
  const numberNames = tableNames.filter((_, c) => kinds[c] === 'number');
  const codeNames = tableNames.filter((_, c) => kinds[c] === 'coded');
  const packedNames = tableNames.filter((_, c) => kinds[c] === 'packed');
  const changed = (): Error => new Error(`The track table of ${dbPath} changed while it was read; read it again.`);

  // the largest rowid, whether every track has an id, and the numeric columns holding a NULL
  const counts = (
    await connection.runAndReadAll(
      `SELECT count(*), coalesce(max(rowid), 0), count(*) - count(track_id)${numberNames.map((name) => `, count(*) - count(${quoteIdentifier(name)})`).join('')} FROM track`,
    )
  )
    .getRows()[0]
    .map(Number);
  if (counts[0] !== size) throw changed();
  const largest = counts[1];
  const idsInOrder = state.trackKeyed && counts[2] === 0;
  const withNulls = new Set(numberNames.filter((_, k) => counts[3 + k] > 0));

  // the rows: track id order, as each storage row's rank
  const rank = new Int32Array(largest + 1);
  let ranked = 0;
  await eachChunk(connection, 'SELECT rowid::INTEGER FROM track ORDER BY track_id', (chunk, rows) => {
    if (ranked + rows > size) throw changed();
    const rowids = integers(chunk.getColumnVector(0), rows);
    for (let i = 0; i < rows; i++) rank[rowids[i]] = ranked++;
  });
  if (ranked !== size) throw changed();

  const read = async (): Promise<StoredTracks> => {
    // the distinct values of each categorical column, NULL last; each row's code is its position
    const distinct: (string | null)[][] = [];
    for (const name of codeNames) {
      const column = quoteIdentifier(name);
      const reader = await connection.runAndReadAll(`SELECT DISTINCT ${column} FROM track ORDER BY ${column}`);
      distinct.push(reader.getRows().map((row) => (row[0] === null ? null : String(row[0]))));
    }
    const present = distinct.map((values) => values.filter((value): value is string => value !== null));

    // the numbers and codes: one scan in storage order, each chunk put in place by the rank of its
    // rows; a category's code by a hash join on its distinct values ($1, $2, …), in time linear in
    // the tracks however many values there are
    const select = [
      't.rowid::INTEGER',
      ...numberNames.map((name) => `coalesce(CAST(t.${quoteIdentifier(name)} AS DOUBLE), 'NaN'::DOUBLE)`),
      ...codeNames.map(
        (name, c) =>
          `(CASE WHEN t.${quoteIdentifier(name)} IS NULL THEN ${present[c].length} ELSE coalesce(c${c}.code, -1) END)::INTEGER`,
      ),
    ];
    const joins = codeNames.map(
      (name, c) =>
        ` LEFT JOIN (SELECT unnest($${c + 1}::VARCHAR[]) AS v, (generate_subscripts($${c + 1}::VARCHAR[], 1) - 1)::INTEGER AS code) c${c} ON t.${quoteIdentifier(name)} = c${c}.v`,
    );
    const numbers = numberNames.map(() => sharedFloat64(size));
    const codes = codeNames.map(() => new Int32Array(size));
    let scanned = 0;
    await eachChunk(
      connection,
      `SELECT ${select.join(', ')} FROM track t${joins.join('')}`,
      (chunk, rows) => {
        scanned += rows;
        const rowids = integers(chunk.getColumnVector(0), rows);
        const at = new Int32Array(rows);
        for (let i = 0; i < rows; i++) at[i] = rank[rowids[i]];
        numbers.forEach((out, k) => {
          const values = doubles(chunk.getColumnVector(1 + k), rows);
          for (let i = 0; i < rows; i++) out[at[i]] = values[i];
        });
        codes.forEach((out, k) => {
          const values = integers(chunk.getColumnVector(1 + numbers.length + k), rows);
          for (let i = 0; i < rows; i++) out[at[i]] = values[i];
        });
      },
      present.map((values) => listValue(values)),
      // typed, for a column of NULLs only (an empty list has no type of its own)
      present.map(() => LIST(VARCHAR)),
    );
    if (scanned !== size) throw changed();
    const categories: Record<string, CodedColumn> = {};
    codeNames.forEach((name, c) => {
      const values = distinct[c];
      const column = codes[c];
      for (let r = 0; r < size; r++) if (column[r] < 0 || column[r] >= values.length) throw changed();
      categories[name] = { codes: column, values };
    });
    const numberColumns: Record<string, Float64Array> = {};
    numberNames.forEach((name, k) => (numberColumns[name] = numbers[k]));
    const pack =
      packedNames.length === 0 ? null : await readPackedText(connection, packedNames, rank, size, largest, blockRows);
    // without the text, the ids come as one string per block of rows (not one decoded per id), split
    const ids = withText ? undefined : await readIds(connection, rank, size, largest, blockRows, counts[2] > 0);
    return new StoredTracks({
      dbPath,
      ids,
      numbers: numberColumns,
      categories,
      withNulls,
      text: pack === null ? null : { names: packedNames, pack },
      tableNames,
      idsInOrder,
    });
  };
  return { size, rank, read };
}

/**
 * The text columns `names` packed (see {@link TextPack}), a range of `blockRows` rowids at a time:
 * DuckDB joins each range's values into one string (with the rowids in the same order, on its one
 * thread), so a range costs one string to decode rather than one per value; where some value holds
 * the separator, the ranges come value by value instead.
 */
async function readPackedText(
  connection: DuckDBConnection,
  names: readonly string[],
  rank: Int32Array,
  size: number,
  largest: number,
  blockRows: number,
): Promise<TextPack> {
  const text = (name: string): string => `CAST(${quoteIdentifier(name)} AS VARCHAR)`;
  const holdsSeparator = names.map((name) => `contains(${text(name)}, chr(31))`).join(' OR ');
  const separate =
    names.length > MOST_PACKED ||
    Number((await connection.runAndReadAll(`SELECT count(*) FROM track WHERE ${holdsSeparator}`)).getRows()[0][0]) > 0;
  const joined = names.map((name) => `coalesce(${text(name)}, '')`).join(' || chr(31) || ');
  const nullBits = names.map((name, t) => `(${quoteIdentifier(name)} IS NULL)::INTEGER * ${2 ** t}`).join(' + ');
  const aggregates = separate
    ? names.map((name) => `list(${text(name)})`)
    : [`string_agg(${joined}, chr(31))`, `list(${nullBits})`];
  const packer = new TextPacker(size, names.length);
  const position = new Int32Array(size);
  let packed = 0;
  for (let from = 0; from <= largest; from += blockRows) {
    const [row] = (
      await connection.runAndReadAll(
        `SELECT list(rowid::INTEGER), ${aggregates.join(', ')} FROM track WHERE rowid >= ${from} AND rowid < ${from + blockRows}`,
      )
    ).getRows();
    const rowids = listItems(row[0]) as number[];
    if (rowids.length === 0) continue;
    for (const rowid of rowids) position[rank[rowid]] = packed++;
    if (separate) {
      const lists = names.map((_, t) => listItems(row[1 + t]) as (string | null)[]);
      for (let i = 0; i < rowids.length; i++) packer.addRow(lists.map((values) => values[i]));
      packer.endBlock();
    } else packer.addBlock(String(row[1]), rowids.length, listItems(row[2]) as number[]);
  }
  return packer.finish(position);
}

/**
 * Every track's id in row order, a range of `blockRows` rowids at a time as one string DuckDB joins
 * and JavaScript splits (value by value where some id holds the separator; NULL kept where
 * `withNull`).
 */
async function readIds(
  connection: DuckDBConnection,
  rank: Int32Array,
  size: number,
  largest: number,
  blockRows: number,
  withNull: boolean,
): Promise<string[]> {
  const separate =
    Number(
      (await connection.runAndReadAll('SELECT count(*) FROM track WHERE contains(track_id, chr(31))')).getRows()[0][0],
    ) > 0;
  const ids: string[] = new Array(size);
  const values = separate ? 'list(track_id)' : `string_agg(coalesce(track_id, ''), chr(31))`;
  for (let from = 0; from <= largest; from += blockRows) {
    const [row] = (
      await connection.runAndReadAll(
        `SELECT list(rowid::INTEGER), ${values}${withNull ? ', list(track_id IS NULL)' : ''} FROM track WHERE rowid >= ${from} AND rowid < ${from + blockRows}`,
      )
    ).getRows();
    const rowids = listItems(row[0]) as number[];
    if (rowids.length === 0) continue;
    const got = (separate ? listItems(row[1]) : String(row[1]).split(SEPARATOR)) as string[];
    const nulls = withNull ? (listItems(row[2]) as boolean[]) : null;
    for (let i = 0; i < rowids.length; i++) ids[rank[rowids[i]]] = nulls?.[i] ? (null as unknown as string) : got[i];
  }
  return ids;
}

/**
 * Reads every stored track into typed columns (see the file header), ordered by `track_id`; with
 * `{ text: true }` every column of the table, the text packed. Says what to do when notebook 01 has
 * not stored any tracks yet.
 * @example (await readStoredTracks(DB_PATH)).size // 12395 on the bundled sample
 */
export async function readStoredTracks(dbPath: string, options: ReadStoredOptions = {}): Promise<StoredTracks> {
  return readDatabase(dbPath, async (connection, state) =>
    (await openTrackTable(connection, dbPath, state, options)).read(),
  );
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
