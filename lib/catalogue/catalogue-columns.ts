/**
 * The stored tracks as the catalogue keeps them, light at a million tracks: what the one reader of
 * the `track` table gives with `{ text: true }` (lib/data/stored-tracks.ts: numbers in
 * Float64Arrays, the categories as codes into their distinct values, the ids, names, artists and
 * other text packed into a few long strings, lib/data/text-pack.ts) seen as one column per name,
 * and the stored clusterings with each cluster's rows, read in the same visit by the reader's rank
 * of the rows (before the columns, while JavaScript holds little). {@link fromTrackColumns} wraps
 * columns already in arrays; {@link IdIndex} finds a track's row by its id. Written here: the
 * layout is the catalogue's own.
 */
import { DuckDBConnection } from '@duckdb/node-api';
import { readDatabase } from '../data/db';
import { eachChunk, integers } from '../data/chunks';
import { openTrackTable, StoredTracks } from '../data/stored-tracks';
import { RowText } from '../data/text-pack';
import { clusteringShape, defaultClusterName, StoredCluster, StoredClusters } from './playlist-clusters';

export type { RowText } from '../data/text-pack';

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

/**
 * The stored tracks read with `{ text: true }` as catalogue columns, in the table's column order:
 * numbers as arrays, categories as codes, text from its pack.
 */
export function catalogueColumnsOf(tracks: StoredTracks): CatalogueColumns {
  const columns: Record<string, CatalogueColumn> = {};
  for (const name of tracks.tableNames) {
    const numbers = tracks.numbers[name];
    const coded = tracks.categories[name];
    columns[name] =
      numbers !== undefined
        ? arrayColumn(numbers)
        : coded !== undefined
          ? codedColumn(coded.codes, coded.values)
          : tracks.packedText(name);
  }
  return { size: tracks.size, names: tracks.tableNames, columns, idsInOrder: tracks.idsInOrder };
}

/**
 * Reads the `track` table in track id order as light columns (`readStoredTracks` with
 * `{ text: true }`), and both stored clusterings with each cluster's rows (see the file header).
 * Says what to do when notebook 01 has not stored any tracks.
 * @example (await readCatalogueColumns(DB_NAME)).columns.size // 145,602
 */
export async function readCatalogueColumns(
  dbPath: string,
  options: ReadCatalogueOptions = {},
): Promise<{ columns: CatalogueColumns; clusters: StoredClusters }> {
  return readDatabase(dbPath, async (connection, state) => {
    const table = await openTrackTable(connection, dbPath, state, { text: true, blockRows: options.blockRows });
    const { rank, size } = table;
    // the stored clusterings first, while JavaScript holds little: DuckDB joins to find their rows
    let ids: RowText | undefined;
    const idsOf = (): RowText => ids!;
    const clusters: StoredClusters = {
      kmeans: await readClusterRows(connection, 'kmeans', 'cluster', 'track_to_cluster', rank, size, idsOf),
      kmedoids: await readClusterRows(
        connection,
        'kmedoids',
        'gower_cluster',
        'track_to_gower_cluster',
        rank,
        size,
        idsOf,
      ),
    };
    const columns = catalogueColumnsOf(await table.read());
    ids = columns.columns.track_id as RowText;
    return { columns, clusters };
  });
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
