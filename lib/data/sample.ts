/**
 * The clustering notebooks' input: the stored tracks read back from DuckDB, and the original notebook's sample
 * of them (`shuffle(spotify_df)`, then `.head(10000)` with `artist_name` and `track_name` dropped and
 * `track_id` as the index). Notebooks 02 and 03 call the same functions with the same `SEED`, so
 * they cluster the same tracks. They read the tracks light (`readStoredTracks`,
 * lib/data/stored-tracks.ts) and the sample with `readSample`, which gives exactly
 * `sampleTracks(readTracks(db), size, seed)` while reading only the sampled tracks' columns.
 */
import { DataFrame } from 'danfojs-node';
import { quoteIdentifier, readDatabase } from './db';
import { shuffledIndices } from '../random';
import { COLUMN_TYPES, columnKind, FrameColumn, frameColumn, frameColumns, frameFromColumns, takeRows } from './frame';
import { CATEGORICAL_FEATURES, NUMERIC_FEATURES, SPOTIFY_COLUMNS } from './schema';
import { checkTrackTable, readTracksById, StoredTracks } from './stored-tracks';

/** A column DuckDB returned: numbers (BIGINT as bigint) become a Float64Array unless one is null. */
function storedColumn(values: readonly unknown[], numeric: boolean): FrameColumn {
  const numbers = values.map((value) => (typeof value === 'bigint' ? Number(value) : value));
  return numeric && numbers.every((value) => typeof value === 'number')
    ? Float64Array.from(numbers as number[])
    : numbers;
}

/**
 * Every stored track, ordered by `track_id` (so the order, and hence the sample, does not depend
 * on how DuckDB laid the rows out), with the 18 columns of the schema: extra columns of the input
 * file stay in the `track` table and never reach the clustering. Says what to do when notebook 01
 * has not stored any tracks yet.
 * @example (await readTracks(DB_NAME)).shape // [12395, 18] on the bundled sample
 */
export async function readTracks(dbPath: string): Promise<DataFrame> {
  return readDatabase(dbPath, async (connection) => {
    await checkTrackTable(connection, dbPath);
    const reader = await connection.runAndReadAll(
      `SELECT ${SPOTIFY_COLUMNS.map((c) => quoteIdentifier(c.name)).join(', ')} FROM track ORDER BY track_id`,
    );
    const names = reader.columnNames();
    const kinds = names.map((name) => columnKind(name));
    const columns = reader.getColumnsJS().map((values, c) => storedColumn(values, kinds[c] !== 'text'));
    return frameFromColumns(
      columns,
      names,
      kinds.map((kind) => COLUMN_TYPES[kind].dtype),
    );
  });
}

/**
 * The original notebook's sample: the rows in a seeded random order, the first `size` of them (all of them when
 * `size` is larger than the frame). Same frame and seed, same sample.
 * @example sampleTracks(tracks, 10000, 42).shape[0] // 10000
 */
export function sampleTracks(df: DataFrame, size: number, seed: number): DataFrame {
  return takeRows(df, sampleRows(df.shape[0], size, seed));
}

/** The rows of the sample of `size` of `count` tracks with `seed` (see {@link sampleTracks}). */
function sampleRows(count: number, size: number, seed: number): Int32Array {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`The sample size must be a whole number of at least 1, got ${size}.`);
  const order = shuffledIndices(count, seed);
  return order.subarray(0, Math.min(size, order.length));
}

/**
 * The same sample as `sampleTracks(await readTracks(db), size, seed)` (the same rows in the same
 * order, the same values and dtypes), from the light columns of {@link readStoredTracks}: only
 * the sampled tracks' 18 columns are read from the database.
 * @example (await readSample(await readStoredTracks(DB_PATH), 10000, 42)).shape // [10000, 18]
 */
export async function readSample(tracks: StoredTracks, size: number, seed: number): Promise<DataFrame> {
  const rows = sampleRows(tracks.size, size, seed);
  const ids = Array.from(rows, (row) => tracks.ids[row]);
  const names = SPOTIFY_COLUMNS.map((c) => c.name);
  const values = await readTracksById(tracks.dbPath, ids, names);
  const kinds = names.map((name) => columnKind(name));
  // a number column with a NULL anywhere is an array in readTracks' frame, and so in its sample
  const columns = values.map((column, c) =>
    storedColumn(column, kinds[c] !== 'text' && !tracks.withNulls.has(names[c])),
  );
  return frameFromColumns(
    columns,
    names,
    kinds.map((kind) => COLUMN_TYPES[kind].dtype),
  );
}

/** The columns the original notebook drops before clustering (metadata, not audio features). */
export const METADATA_COLUMNS: readonly string[] = Object.freeze(['artist_name', 'track_name', 'track_id']);

/**
 * The 15 clustering features of a tracks frame (every column of the schema but artist_name,
 * track_name and track_id; columns beyond the schema never count), with the track ids as the
 * frame's index, as the original notebook's `set_index('track_id').drop(...)`.
 * @example clusteringFeatures(sample).columns.length // 15
 */
export function clusteringFeatures(df: DataFrame): DataFrame {
  const featureNames = new Set([...CATEGORICAL_FEATURES, ...NUMERIC_FEATURES]);
  const keep = df.columns.map((name, i) => ({ name, i })).filter(({ name }) => featureNames.has(name));
  const names = keep.map(({ name }) => name);
  // copies, so the features never share a column with the tracks
  const columns = frameColumns(df, names).map((column): FrameColumn =>
    column instanceof Float64Array ? column.slice() : Array.from(column),
  );
  const index = df.columns.includes('track_id') ? Array.from(frameColumn(df, 'track_id'), String) : undefined;
  return frameFromColumns(
    columns,
    names,
    keep.map(({ i }) => df.dtypes[i]),
    { index },
  );
}
