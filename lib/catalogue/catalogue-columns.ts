/**
 * The stored tracks as the catalogue keeps them, light at a million tracks: numbers in
 * Float64Arrays, the categories (genre, key, mode, time signature) as codes into a short list of
 * labels, and the other text (ids, names, artists) packed into a few long strings with where each
 * value starts, instead of one JavaScript string per value (some 40 bytes each, and a value split
 * from a larger string keeps all of it alive). A value is cut out of its pack when asked for.
 *
 * {@link readCatalogueColumns} reads the `track` table so: one sort of the track ids alone (their
 * order is the catalogue's row order) and one streamed scan of the table in storage order, each
 * chunk put in place by that order, so DuckDB never sorts the whole table and no chunk outlives its
 * turn; on one DuckDB thread, whose buffers stay small. The stored clusterings come in the same
 * visit as each cluster's rows. {@link fromTrackColumns} wraps columns already in arrays (what
 * `readTrackColumns` returns). Written here: the layout is the catalogue's own.
 */
import { DuckDBConnection, DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import { missingSentence, quoteIdentifier, readDatabase } from '../data/db';
import { CATEGORICAL_FEATURES, SPOTIFY_COLUMNS } from '../data/schema';
import { clusteringShape, defaultClusterName, StoredCluster, StoredClusters } from './playlist-clusters';

/** Text of one row (null where the table holds NULL). */
export interface RowText {
  get(row: number): string | null;
}

/** One column of the catalogue. */
export interface CatalogueColumn {
  /** The value of a row as the table holds it: a number (NaN for NULL), a text or null. */
  get(row: number): string | number | null;
  /** Every value in row order, as `fitGower` reads a column (made when asked for, for packed text). */
  values(): ArrayLike<unknown>;
  /** The numbers themselves, for a numeric column. */
  readonly numbers?: Float64Array;
}

/** The stored tracks column by column, in track id order (what the catalogue is made of). */
export interface CatalogueColumns {
  readonly size: number;
  /** The column names, in table order. */
  readonly names: readonly string[];
  readonly columns: Readonly<Record<string, CatalogueColumn>>;
  /**
   * True when the track ids are known to be present, distinct and in increasing code point order
   * (DuckDB sorted them and the table's primary key keeps them distinct): then nothing checks them.
   */
  readonly idsInOrder?: boolean;
}

/** A column held in an array (numbers in a Float64Array, text in an array). */
export function arrayColumn(values: Float64Array | readonly unknown[]): CatalogueColumn {
  if (values instanceof Float64Array) return { get: (row) => values[row], values: () => values, numbers: values };
  return { get: (row) => values[row] as string | number | null, values: () => values };
}

/**
 * A text column of few distinct values, as codes into its labels.
 * @example codedColumn(Int32Array.of(1, 0, 1), [null, 'Pop']).get(2) // 'Pop'
 */
export function codedColumn(codes: Int32Array, labels: readonly (string | null)[]): CatalogueColumn {
  return {
    get: (row) => labels[codes[row]],
    values: () => Array.from(codes, (code) => labels[code]),
  };
}

/**
 * Text of `width` columns packed into a few strings (blocks of rows): the values of a row follow
 * one another, every value ended by a separator (U+001F) but the block's last, so value `t` of row
 * `p` (in packing order) starts at `starts[p * width + t]` of its block and ends one character
 * before the next value starts (the block's end for its last value). Rows of the catalogue map to
 * packing order through `position`.
 */
export class TextPack {
  constructor(
    private readonly blocks: readonly string[],
    /** The packing position of each block's first row (one more entry: the number of rows). */
    private readonly blockStarts: Int32Array,
    readonly width: number,
    private readonly starts: Int32Array,
    /** One flag per value: 1 where the table holds NULL (null when there is none). */
    private readonly nulls: Uint8Array | null,
    /** The packing position of each catalogue row. */
    private readonly position: Int32Array,
  ) {}

  /** Value `t` of catalogue row `row`. */
  get(row: number, t: number): string | null {
    const p = this.position[row];
    const v = p * this.width + t;
    if (this.nulls !== null && this.nulls[v] === 1) return null;
    const { blockStarts } = this;
    let low = 0;
    let high = blockStarts.length - 2;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (blockStarts[middle] <= p) low = middle;
      else high = middle - 1;
    }
    const text = this.blocks[low];
    const last = t === this.width - 1 && p + 1 === blockStarts[low + 1];
    return text.slice(this.starts[v], last ? text.length : this.starts[v + 1] - 1);
  }

  /** Column `t` as a catalogue column. */
  column(t: number): CatalogueColumn {
    return {
      get: (row) => this.get(row, t),
      values: () => Array.from({ length: this.position.length }, (_, row) => this.get(row, t)),
    };
  }
}

const SEPARATOR = '\u001f';

/** Builds a {@link TextPack}, row by row or block by block, in packing order. */
export class TextPacker {
  private readonly blocks: string[] = [];
  private readonly blockStarts: number[] = [0];
  private parts: string[] = [];
  /** Where the next row of the open block starts in it. */
  private at = 0;
  private count = 0;
  private readonly starts: Int32Array;
  private nulls: Uint8Array | null = null;

  constructor(
    readonly size: number,
    readonly width: number,
  ) {
    this.starts = new Int32Array(size * width);
  }

  /** Adds a row given as its values (null for NULL) to the open block. */
  addRow(values: readonly (string | null)[]): void {
    this.checkRoom(1);
    const base = this.count * this.width;
    for (let t = 0; t < this.width; t++) {
      const value = values[t];
      this.starts[base + t] = this.at;
      if (value === null) this.markNull(base + t);
      this.parts.push(value ?? '');
      this.at += (value ?? '').length + 1;
    }
    this.count++;
  }

  /**
   * Adds a block of `rows` rows given as all their values joined by U+001F (none of which holds
   * it), with each row's NULL values as bits (bit t for value t; none when omitted).
   */
  addBlock(text: string, rows: number, nullBits?: ArrayLike<number>): void {
    this.endBlock();
    if (rows === 0) return;
    this.checkRoom(rows);
    const base = this.count * this.width;
    const values = rows * this.width;
    const uneven = (): Error =>
      new Error(`A block of ${rows} rows of ${this.width} values does not have one separator between values.`);
    let at = 0;
    for (let v = 0; v < values; v++) {
      this.starts[base + v] = at;
      if (v + 1 === values) break;
      const next = text.indexOf(SEPARATOR, at);
      if (next < 0) throw uneven();
      at = next + 1;
    }
    if (text.indexOf(SEPARATOR, at) >= 0) throw uneven();
    if (nullBits !== undefined)
      for (let r = 0; r < rows; r++) {
        const bits = nullBits[r];
        if (bits !== 0)
          for (let t = 0; t < this.width; t++) if (bits & (1 << t)) this.markNull(base + r * this.width + t);
      }
    this.count += rows;
    this.blocks.push(text);
    this.blockStarts.push(this.count);
  }

  /** Closes the open block (a block of the rows added by {@link addRow} since the last one). */
  endBlock(): void {
    if (this.parts.length === 0) return;
    this.blocks.push(this.parts.join(SEPARATOR));
    this.blockStarts.push(this.count);
    this.parts = [];
    this.at = 0;
  }

  private checkRoom(rows: number): void {
    if (this.count + rows > this.size) throw new Error(`The text pack holds ${this.size} rows; more were added.`);
  }

  private markNull(v: number): void {
    (this.nulls ??= new Uint8Array(this.size * this.width))[v] = 1;
  }

  /** The pack, its rows mapped to catalogue rows by `position` (packing order by default). */
  finish(position?: Int32Array): TextPack {
    this.endBlock();
    if (this.count !== this.size) throw new Error(`The text pack got ${this.count} rows of ${this.size}.`);
    const order = position ?? Int32Array.from({ length: this.size }, (_, p) => p);
    return new TextPack(this.blocks, Int32Array.from(this.blockStarts), this.width, this.starts, this.nulls, order);
  }
}

/** Columns already in arrays (what `readTrackColumns` returns) as catalogue columns. */
export function fromTrackColumns(data: {
  size: number;
  names: readonly string[];
  columns: Readonly<Record<string, Float64Array | readonly unknown[]>>;
}): CatalogueColumns {
  const columns: Record<string, CatalogueColumn> = {};
  for (const name of Object.keys(data.columns)) columns[name] = arrayColumn(data.columns[name]);
  return { size: data.size, names: data.names, columns };
}

/** Options of {@link readCatalogueColumns}; every field is optional. */
export interface ReadCatalogueOptions {
  /** Rows per packed string (default 65,536); small values are for tests. */
  blockRows?: number;
}

/** More distinct values than this and a categorical column is packed as text instead of coded. */
const MOST_LABELS = 4096;
/** More text columns than this and the row's NULLs no longer fit the bits of one integer. */
const MOST_PACKED = 30;

/** DuckDB's numeric column types (a column outside the schema of one of these is read as numbers). */
export const NUMERIC_TYPE =
  /^(BIGINT|INTEGER|SMALLINT|TINYINT|DOUBLE|FLOAT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|DECIMAL)/;
const sqlString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * Reads the `track` table in track id order as light columns, and both stored clusterings with each
 * cluster's rows (see the file header). Says what to do when notebook 01 has not stored any tracks.
 * @example (await readCatalogueColumns(DB_NAME)).columns.size // 145,602
 */
export async function readCatalogueColumns(
  dbPath: string,
  options: ReadCatalogueOptions = {},
): Promise<{ columns: CatalogueColumns; clusters: StoredClusters }> {
  const blockRows = options.blockRows ?? 65536;
  if (!Number.isInteger(blockRows) || blockRows < 1)
    throw new Error(`blockRows must be a whole number of at least 1, got ${String(blockRows)}.`);
  return readDatabase(dbPath, async (connection, state) => {
    const first = async (sql: string): Promise<unknown[]> => (await connection.runAndReadAll(sql)).getRows()[0];
    if (!state.tables.includes('track') || Number((await first('SELECT count(*) FROM track'))[0]) === 0)
      throw new Error(missingSentence(dbPath, 'track', false));
    // one thread: its buffers are all DuckDB holds while the table streams by
    await connection.run('SET threads = 1');
    const shape = await connection.run('SELECT * FROM track LIMIT 0');
    const names = shape.columnNames();
    if (!names.includes('track_id'))
      throw new Error(
        `The tracks have no column "track_id", which the catalogue needs; its columns are ${names.join(', ')}.`,
      );
    const kinds = names.map((name, c) => {
      const kind = SPOTIFY_COLUMNS.find((column) => column.name === name)?.kind;
      const numeric = kind !== undefined ? kind !== 'text' : NUMERIC_TYPE.test(String(shape.columnType(c)));
      if (numeric) return 'number';
      return CATEGORICAL_FEATURES.includes(name) ? 'coded' : 'packed';
    });
    const text = (name: string): string => `CAST(${quoteIdentifier(name)} AS VARCHAR)`;

    // the labels of the categorical columns (a column of too many is packed instead)
    const codedNames = names.filter((_, c) => kinds[c] === 'coded');
    const labels = new Map<string, (string | null)[]>();
    if (codedNames.length > 0) {
      const lists = await first(
        `SELECT ${codedNames.map((name) => `list(DISTINCT ${text(name)})`).join(', ')} FROM track`,
      );
      codedNames.forEach((name, k) => {
        const items = ((lists[k] as { items?: unknown[] } | null)?.items ?? []).map(String);
        if (items.length > MOST_LABELS) kinds[names.indexOf(name)] = 'packed';
        else labels.set(name, [null, ...items]);
      });
    }
    const numberNames = names.filter((_, c) => kinds[c] === 'number');
    const packedNames = names.filter((_, c) => kinds[c] === 'packed');
    const coded = names.filter((_, c) => kinds[c] === 'coded');

    // the catalogue's rows: track id order, as each storage row's rank
    const [count, largest, nullIds] = (
      await first(`SELECT count(*), coalesce(max(rowid), 0), count(*) - count(track_id) FROM track`)
    ).map(Number);
    const rank = new Int32Array(largest + 1);
    let ranked = 0;
    await eachChunk(connection, 'SELECT rowid::INTEGER FROM track ORDER BY track_id', (chunk, rows) => {
      const rowids = integers(chunk.getColumnVector(0), rows);
      for (let i = 0; i < rows; i++) rank[rowids[i]] = ranked++;
    });

    // the stored clusterings first, while JavaScript holds little: DuckDB joins to find their rows
    let ids: RowText | undefined;
    const idsOf = (): RowText => ids!;
    const clusters: StoredClusters = {
      kmeans: await readClusterRows(connection, 'kmeans', 'cluster', 'track_to_cluster', rank, count, idsOf),
      kmedoids: await readClusterRows(
        connection,
        'kmedoids',
        'gower_cluster',
        'track_to_gower_cluster',
        rank,
        count,
        idsOf,
      ),
    };

    // the numbers and codes: one scan in storage order, each chunk put in place by the rank of its rows
    const select = [
      'rowid::INTEGER',
      ...numberNames.map((name) => `coalesce(CAST(${quoteIdentifier(name)} AS DOUBLE), 'NaN'::DOUBLE)`),
      ...coded.map((name) => {
        const listed = labels.get(name)!.slice(1);
        return `coalesce(list_position([${listed.map((label) => sqlString(String(label))).join(', ')}]::VARCHAR[], ${text(name)}), 0)::INTEGER`;
      }),
    ];
    const numbers = numberNames.map(() => new Float64Array(count));
    const codes = coded.map(() => new Int32Array(count));
    await eachChunk(connection, `SELECT ${select.join(', ')} FROM track`, (chunk, rows) => {
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
    });
    const pack =
      packedNames.length === 0 ? null : await readPackedText(connection, packedNames, rank, count, largest, blockRows);

    const columns: Record<string, CatalogueColumn> = {};
    numberNames.forEach((name, k) => (columns[name] = arrayColumn(numbers[k])));
    coded.forEach((name, k) => (columns[name] = codedColumn(codes[k], labels.get(name)!)));
    packedNames.forEach((name, t) => (columns[name] = pack!.column(t)));
    ids = columns.track_id as RowText;
    // the key keeps the ids distinct (and they are present); DuckDB sorted them by their bytes
    const idsInOrder = state.trackKeyed && nullIds === 0;
    return { columns: { size: count, names, columns, idsInOrder }, clusters };
  });
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

/** The items of a DuckDB LIST value (none for NULL). */
function listItems(value: unknown): readonly unknown[] {
  return (value as { items?: unknown[] } | null)?.items ?? [];
}

/**
 * One stored clustering with each cluster's catalogue rows (ascending, so in track id order) and
 * its track ids made from them when asked for.
 */
async function readClusterRows(
  connection: DuckDBConnection,
  kind: 'kmeans' | 'kmedoids',
  table: string,
  members: string,
  rank: Int32Array,
  size: number,
  idsOf: () => RowText,
): Promise<Map<number, StoredCluster>> {
  const out = new Map<number, StoredCluster>();
  const shape = await clusteringShape(connection, table, members);
  if (shape === null) return out;
  const listed = (
    await connection.runAndReadAll(
      `SELECT id, ${shape.named ? 'name' : 'NULL'}, ${shape.medoid ? 'medoid_track_id' : 'NULL'} FROM ${table} ORDER BY id`,
    )
  ).getRows();
  const index = new Map<number, number>(listed.map(([id], k) => [Number(id), k]));
  // each catalogue row's cluster (as its place in `listed`), then the rows of each cluster
  const place = new Int32Array(size).fill(-1);
  await eachChunk(
    connection,
    `SELECT t.rowid::INTEGER, m.cluster_id::INTEGER FROM ${members} m JOIN track t USING (track_id)`,
    (chunk, rows) => {
      const rowids = integers(chunk.getColumnVector(0), rows);
      const clusters = chunk.getColumnVector(1);
      for (let i = 0; i < rows; i++) {
        const k = index.get(clusters.getItem(i) as number);
        if (k !== undefined) place[rank[rowids[i]]] = k;
      }
    },
  );
  const sizes = new Int32Array(listed.length);
  for (const k of place) if (k >= 0) sizes[k]++;
  const rowsOf = Array.from(sizes, (size) => new Int32Array(size));
  sizes.fill(0);
  place.forEach((k, row) => {
    if (k >= 0) rowsOf[k][sizes[k]++] = row;
  });
  listed.forEach(([id, name, medoidId], k) => {
    const cluster = Number(id);
    const rows = rowsOf[k];
    let trackIds: string[] | undefined;
    out.set(cluster, {
      kind,
      id: cluster,
      name: typeof name === 'string' && name.trim() !== '' ? name : defaultClusterName(kind, cluster),
      medoid: medoidId === null || medoidId === undefined ? null : String(medoidId),
      get trackIds(): readonly string[] {
        return (trackIds ??= Array.from(rows, (row) => idsOf().get(row) as string));
      },
      rows,
    });
  });
  return out;
}

/** Runs `sql` and hands each chunk of the result to `visit` as it arrives (no chunk is kept). */
async function eachChunk(
  connection: DuckDBConnection,
  sql: string,
  visit: (chunk: DuckDBDataChunk, rows: number) => void,
): Promise<void> {
  const result = await connection.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null) break;
    const rows = chunk.rowCount;
    if (rows === 0) break;
    visit(chunk, rows);
  }
}

/**
 * The values of a DOUBLE vector without NULLs: the vector's own array where the client exposes it
 * (no copy, no check per value), else value by value.
 */
function doubles(vector: DuckDBVector, rows: number): ArrayLike<number> {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items instanceof Float64Array && items.length >= rows) return items;
  return Float64Array.from({ length: rows }, (_, i) => Number(vector.getItem(i) ?? NaN));
}

/** The values of an INTEGER vector without NULLs (see {@link doubles}). */
function integers(vector: DuckDBVector, rows: number): ArrayLike<number> {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items instanceof Int32Array && items.length >= rows) return items;
  return Int32Array.from({ length: rows }, (_, i) => Number(vector.getItem(i) ?? 0));
}

/**
 * The row of each track id. Rows in increasing id order (as the catalogue reads them) are searched
 * by bisection and need nothing more; other rows get an open-addressing hash table of row numbers
 * (FNV-1a over the id's characters, linear probing, 4 bytes a slot and two slots a row at least)
 * instead of a Map holding every id as a string of its own. Refuses a missing or repeated id.
 * @example new IdIndex(arrayColumn(['b', 'a']) as RowText, 2).row('a') // 1
 */
export class IdIndex {
  /** The hash table, or null when the ids are in order. */
  private readonly slots: Int32Array | null = null;
  private readonly mask: number = 0;

  /**
   * @param inOrder true when the ids are known to be present, distinct and in increasing code point
   * order (then they are not checked); otherwise they are, and taken in order when they are
   */
  constructor(
    private readonly ids: RowText,
    private readonly size: number,
    inOrder = false,
  ) {
    if (inOrder) return;
    let previous: string | null = null;
    let sorted = true;
    for (let row = 0; row < size && sorted; row++) {
      const id = ids.get(row);
      if (id === null || (previous !== null && compareCodePoints(previous, id) >= 0)) sorted = false;
      previous = id;
    }
    if (sorted) return;
    let capacity = 16;
    while (capacity < 2 * size) capacity *= 2;
    const slots = new Int32Array(capacity).fill(-1);
    this.slots = slots;
    this.mask = capacity - 1;
    for (let row = 0; row < size; row++) {
      const id = ids.get(row);
      let slot = id === null ? 0 : hashText(id) & this.mask;
      while (id !== null && slots[slot] !== -1 && ids.get(slots[slot]) !== id) slot = (slot + 1) & this.mask;
      if (id === null || slots[slot] !== -1)
        throw new Error(
          `The track id ${String(id)} in row ${row} is ${id === null ? 'empty' : 'repeated'}; the catalogue needs one id per track.`,
        );
      slots[slot] = row;
    }
  }

  /** The row of `id`, or undefined when no row has it. */
  row(id: string): number | undefined {
    const { slots, ids } = this;
    if (slots === null) {
      let low = 0;
      let high = this.size - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        const order = compareCodePoints(ids.get(middle) as string, id);
        if (order === 0) return middle;
        if (order < 0) low = middle + 1;
        else high = middle - 1;
      }
      return undefined;
    }
    for (let slot = hashText(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const row = slots[slot];
      if (row === -1) return undefined;
      if (ids.get(row) === id) return row;
    }
  }
}

/**
 * Texts in code point order (the order of their UTF-8 bytes, which DuckDB sorts by), where `<`
 * takes UTF-16 code units: a surrogate (a code point above U+FFFF) then sorts after U+E000–U+FFFF.
 * @example compareCodePoints('\uffff', '\u{1f600}') < 0 // true, though '\uffff' > '\u{1f600}'
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x += x <= 0xdfff ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y <= 0xdfff ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** FNV-1a over the UTF-16 code units of a text (32 bits). */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
