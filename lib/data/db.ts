/**
 * The DuckDB store (the seed's `setup_db`): one place for the schema, and helpers that open the
 * database for one step, work inside a transaction, and close it again, so that no notebook
 * kernel keeps a lock that would block another notebook, a headless run or the `duckdb` CLI.
 *
 * Tables, exactly as the seed makes them (extra tables are allowed, these three are a contract):
 * - `track`: every CSV column, primary key `track_id`;
 * - `cluster (id INTEGER PRIMARY KEY, x FLOAT, y FLOAT, size FLOAT)`;
 * - `track_to_cluster (track_id VARCHAR, cluster_id INTEGER)`, foreign keys to both.
 *
 * Re-running is safe: storing tracks again replaces the three tables inside one transaction
 * (memberships and clusters first, since they depend on the tracks), and a failure anywhere rolls
 * the whole step back, leaving the previous contents as they were. A step never replaces a table
 * with nothing (no tracks, no clusters: refused), and a path that is not a DuckDB database is never
 * opened.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ColumnKind, SPOTIFY_COLUMNS } from './schema';
import { COLUMN_TYPES, columnKind, FrameLike, frameColumnNames, frameKinds, frameRows } from './frame';

/** The database is held by another process, or cannot be opened; the message says what to do. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

/** Quote an identifier for SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The DDL of `cluster`, as the seed writes it. */
export const CLUSTER_TABLE_SQL = 'CREATE TABLE cluster (id INTEGER PRIMARY KEY, x FLOAT, y FLOAT, size FLOAT)';
/** The DDL of `track_to_cluster`, as the seed writes it. */
export const TRACK_TO_CLUSTER_TABLE_SQL = `CREATE TABLE track_to_cluster (
  track_id VARCHAR, cluster_id INTEGER,
  FOREIGN KEY (track_id) REFERENCES track (track_id),
  FOREIGN KEY (cluster_id) REFERENCES cluster (id))`;

/**
 * The DDL of `track` for these columns (the 18 of the schema plus any extra ones the file had).
 * @example trackTableSql([{ name: 'track_id', kind: 'text' }]) // 'CREATE TABLE track ("track_id" VARCHAR, PRIMARY KEY (track_id))'
 */
export function trackTableSql(columns: readonly { name: string; kind: ColumnKind }[] = SPOTIFY_COLUMNS): string {
  const body = columns.map((c) => `${quoteIdentifier(c.name)} ${COLUMN_TYPES[c.kind].sql}`).join(', ');
  return `CREATE TABLE track (${body}, PRIMARY KEY (track_id))`;
}

function explainOpenError(path: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/Could not set lock|Conflicting lock/i.test(message)) {
    const program = /held in (\S+)/.exec(message)?.[1];
    const pid = /PID (\d+)/.exec(message)?.[1];
    const holder = [program, pid && `PID ${pid}`].filter(Boolean).join(', ');
    return new DatabaseError(
      `The database ${path} is in use by another process${holder ? ` (${holder})` : ''}: a notebook kernel that still holds it, ` +
      'a running `npm run notebooks`, or the duckdb command line. Close that program (or restart that kernel) and run this step again; nothing was changed.',
    );
  }
  return new DatabaseError(`Could not open the database ${path}: ${message}. Check that DB_PATH points at a DuckDB file (or at a new path) in a folder you can write.`);
}

/** DuckDB's database files carry these four bytes at offset 8 (after a checksum). */
const DUCKDB_MAGIC = 'DUCK';

/**
 * What is wrong with a database path, as a phrase completing "The database path … is": a folder,
 * or an existing file that is not a DuckDB database (DuckDB would otherwise try to use it, or
 * overwrite it); null when the path is fine: a DuckDB file, a path where nothing exists yet, or an
 * empty file (the database is made there).
 * @example databaseFileProblem('data/SpotifyFeatures.csv') // 'an existing file that is not a DuckDB database (it starts with "genre,artist_name,track_name,t")'
 */
export function databaseFileProblem(path: string): string | null {
  if (path === ':memory:' || !existsSync(path)) return null;
  const stats = statSync(path);
  if (stats.isDirectory()) return 'a folder';
  if (stats.size === 0) return null;
  const head = Buffer.alloc(64);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1', 8, 12) === DUCKDB_MAGIC) return null;
  const start = head.subarray(0, read).toString('utf8').split(/\r?\n/)[0].replace(/[^\x20-\x7e]/g, '?').slice(0, 30);
  return `an existing file that is not a DuckDB database (it starts with ${JSON.stringify(start)})`;
}

/**
 * Refuse a database path that must not be opened as a database (see {@link databaseFileProblem}).
 * @example checkDatabaseFile('data/SpotifyFeatures.csv') // throws "The database path … is an existing file that is not a DuckDB database …"
 */
export function checkDatabaseFile(path: string): void {
  const problem = databaseFileProblem(path);
  if (problem === null) return;
  throw new DatabaseError(`The database path ${path} is ${problem}, so it was left alone and nothing was changed; ${fixDatabasePath(path, problem)}.`);
}

/**
 * What to do about a database path with a problem (see {@link databaseFileProblem}).
 * @example fixDatabasePath('data', 'a folder') // 'point DB_PATH at a DuckDB file inside it (such as data/spotify.duckdb)'
 */
export function fixDatabasePath(path: string, problem: string): string {
  return problem === 'a folder'
    ? `point DB_PATH at a DuckDB file inside it (such as ${join(path, 'spotify.duckdb')})`
    : 'point DB_PATH at a DuckDB file or at a path where no file exists yet';
}

/**
 * The number of stored tracks: 0 when the file or its `track` table does not exist yet. Never
 * creates the file.
 * @example await storedTrackCount('data/spotify.duckdb') // 12395 after notebook 01 on the bundled sample
 */
export async function storedTrackCount(path: string): Promise<number> {
  checkDatabaseFile(path);
  if (path !== ':memory:' && (!existsSync(path) || statSync(path).size === 0)) return 0;
  return withDatabase(path, (connection) => countRows(connection, 'track'));
}

/**
 * Open the database at `path`, run `work` with a connection, and close it whatever happens.
 * A file held by another process is refused with a sentence that says so and what to do, and so is
 * a path that is not a DuckDB database (see {@link checkDatabaseFile}).
 * @example
 * const count = await withDatabase(DB_NAME, async (con) => (await con.runAndReadAll('SELECT count(*) FROM track')).getRows()[0][0]);
 */
export async function withDatabase<T>(path: string, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  checkDatabaseFile(path);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path);
  } catch (error) {
    throw explainOpenError(path, error);
  }
  try {
    const connection = await instance.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * Run `work` inside BEGIN … COMMIT; any error rolls everything back and is thrown again. The error
 * thrown is always the first one: when COMMIT itself fails, DuckDB has usually ended the
 * transaction already, and the ROLLBACK after it ("no transaction is active") must not hide why.
 * @example await inTransaction(con, async () => { await con.run('DELETE FROM cluster'); });
 */
export async function inTransaction<T>(connection: Pick<DuckDBConnection, 'run'>, work: () => Promise<T>): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await rollBack(connection);
    throw error;
  }
  try {
    await connection.run('COMMIT');
  } catch (error) {
    await rollBack(connection);
    const message = error instanceof Error ? error.message : String(error);
    throw new DatabaseError(`The database could not commit this step (${message}); it was rolled back, so the database holds what it held before.`);
  }
  return result;
}

/** ROLLBACK, ignoring the error of a transaction that is no longer active. */
async function rollBack(connection: Pick<DuckDBConnection, 'run'>): Promise<void> {
  try {
    await connection.run('ROLLBACK');
  } catch {
    // the transaction already ended (a failed COMMIT ends it); the caller reports the first error
  }
}

/**
 * Create the three tables if they do not exist yet (an empty store), inside the caller's work.
 * @example await withDatabase(DB_NAME, (con) => setupDb(con));
 */
export async function setupDb(connection: DuckDBConnection): Promise<void> {
  const existing = new Set((await tableNames(connection)));
  if (!existing.has('track')) await connection.run(trackTableSql());
  if (!existing.has('cluster')) await connection.run(CLUSTER_TABLE_SQL);
  if (!existing.has('track_to_cluster')) await connection.run(TRACK_TO_CLUSTER_TABLE_SQL);
}

/** The names of the tables in the main schema. */
export async function tableNames(connection: DuckDBConnection): Promise<string[]> {
  const reader = await connection.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name");
  return reader.getRows().map((row) => String(row[0]));
}

/** Rows in a table of the main schema, 0 when it does not exist. */
export async function countRows(connection: DuckDBConnection, table: string): Promise<number> {
  if (!(await tableNames(connection)).includes(table)) return 0;
  return Number((await connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdentifier(table)}`)).getRows()[0][0]);
}

/** Append row arrays to a table with DuckDB's appender: one call per value, flushed in chunks. */
async function appendRows(appender: DuckDBAppender, rows: TrackRows['rows'], kinds: readonly ColumnKind[]): Promise<void> {
  const width = kinds.length;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < width; c++) {
      const value = row[c];
      if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) appender.appendNull();
      else if (kinds[c] === 'text') appender.appendVarchar(String(value));
      else if (kinds[c] === 'integer') appender.appendBigInt(BigInt(value as number));
      else appender.appendDouble(value as number);
    }
    appender.endRow();
  }
  appender.flushSync();
}

/** The tracks to store: column names with their kinds, and rows in that column order. */
export interface TrackRows {
  columns: readonly { name: string; kind: ColumnKind }[];
  rows: readonly (readonly unknown[])[];
}

/**
 * The rows of a tracks frame, with each column's kind from the schema (or, for an extra column,
 * from its dtype or values, see `frameKinds`), ready for `storeTracks`.
 * @example tracksFromFrame(df).columns.length // 18
 */
export function tracksFromFrame(df: FrameLike): TrackRows {
  const kinds = frameKinds(df);
  const columns = frameColumnNames(df).map((name, i) => ({ name, kind: SPOTIFY_COLUMNS.some((c) => c.name === name) ? columnKind(name) : kinds[i] }));
  return { columns, rows: frameRows(df) };
}

/** What `storeTracks` did. */
export interface StoreReport {
  tracks: number;
  /** Memberships and clusters of an earlier clustering that had to go with the old tracks. */
  clearedMemberships: number;
  clearedClusters: number;
}

/**
 * Replace the `track` table with these tracks, in one transaction. Memberships and clusters of an
 * earlier run are removed first (they refer to the old tracks: re-run notebook 03 to make them
 * again), so re-running never hits a key or foreign-key error, and any failure leaves the previous
 * contents intact. Repeated track ids are refused before anything is touched.
 * @example await storeTracks(DB_NAME, tracksFromFrame(df)) // { tracks: 145602, clearedMemberships: 0, clearedClusters: 0 }
 */
export async function storeTracks(path: string, tracks: TrackRows): Promise<StoreReport> {
  const idColumn = tracks.columns.findIndex((c) => c.name === 'track_id');
  if (idColumn < 0) throw new Error('The tracks have no track_id column, the primary key of the track table.');
  if (tracks.rows.length === 0) {
    throw new Error('There are no tracks to store, and storing none would empty the track table and the clustering; the database was left as it was. Loosen the filter (POPULARITY_MIN) or check the input file.');
  }
  const seen = new Set<unknown>();
  for (const row of tracks.rows) {
    const id = row[idColumn];
    if (id === null || id === undefined || id === '') throw new Error('A track has an empty track_id; the track table needs one per track. Nothing was stored.');
    if (seen.has(id)) throw new Error(`The track id ${id} appears more than once; drop duplicate track ids first (dropDuplicateTracks). Nothing was stored.`);
    seen.add(id);
  }
  return withDatabase(path, (connection) => inTransaction(connection, async () => {
    const clearedMemberships = await countRows(connection, 'track_to_cluster');
    const clearedClusters = await countRows(connection, 'cluster');
    await connection.run('DROP TABLE IF EXISTS track_to_cluster');
    await connection.run('DROP TABLE IF EXISTS cluster');
    await connection.run('DROP TABLE IF EXISTS track');
    await connection.run(trackTableSql(tracks.columns));
    const appender = await connection.createAppender('track');
    try {
      await appendRows(appender, tracks.rows, tracks.columns.map((c) => c.kind));
    } finally {
      appender.closeSync();
    }
    await connection.run(CLUSTER_TABLE_SQL);
    await connection.run(TRACK_TO_CLUSTER_TABLE_SQL);
    return { tracks: tracks.rows.length, clearedMemberships, clearedClusters };
  }));
}

/**
 * Run a query and return its rows as objects (numbers for BIGINT counts that fit).
 * @example await queryRows(DB_NAME, 'SELECT count(*) AS n FROM track') // [{ n: 145602 }]
 */
export async function queryRows(path: string, sql: string): Promise<Record<string, unknown>[]> {
  return withDatabase(path, async (connection) => {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' && Number.isSafeInteger(Number(v)) ? Number(v) : v])));
  });
}

/**
 * Row counts of the three tables (0 for a table that does not exist yet).
 * @example await tableCounts(DB_NAME) // { track: 145602, cluster: 12, track_to_cluster: 10000 }
 */
export async function tableCounts(path: string): Promise<{ track: number; cluster: number; track_to_cluster: number }> {
  return withDatabase(path, async (connection) => {
    return {
      track: await countRows(connection, 'track'),
      cluster: await countRows(connection, 'cluster'),
      track_to_cluster: await countRows(connection, 'track_to_cluster'),
    };
  });
}

/** One row of the `cluster` table (the seed's cluster positions renamed to id, x, y, size). */
export interface ClusterRow {
  id: number;
  x: number;
  y: number;
  size: number;
}

/** What `storeClustering` did. */
export interface ClusteringReport {
  clusters: number;
  memberships: number;
  /** Rows of the previous clustering that this one replaced. */
  replacedClusters: number;
  replacedMemberships: number;
}

/**
 * Replace the stored clustering: the `cluster` rows and one `track_to_cluster` row per track, in
 * one transaction, so a re-run never meets a key error and a failure leaves the previous clustering
 * in place. Memberships must name stored tracks and given clusters; otherwise nothing is written
 * and the error says which track or cluster is unknown.
 * @example
 * await storeClustering(DB_NAME, positions, { trackIds: ids, clusterIds: labels })
 * // { clusters: 12, memberships: 10000, replacedClusters: 0, replacedMemberships: 0 }
 */
export async function storeClustering(
  path: string,
  clusters: readonly ClusterRow[],
  memberships: { trackIds: readonly string[]; clusterIds: ArrayLike<number> },
): Promise<ClusteringReport> {
  const { trackIds, clusterIds } = memberships;
  if (clusters.length === 0 || trackIds.length === 0) {
    throw new Error(`There are ${clusters.length} clusters and ${trackIds.length} memberships to store; storing none would empty the stored clustering, so the database was left as it was.`);
  }
  if (trackIds.length !== clusterIds.length) throw new Error(`There are ${trackIds.length} track ids for ${clusterIds.length} cluster ids; give one cluster per track.`);
  const known = new Set(clusters.map((c) => c.id));
  if (known.size !== clusters.length) throw new Error('Two clusters share an id; cluster ids must be unique. Nothing was stored.');
  for (let i = 0; i < clusterIds.length; i++) {
    if (!known.has(clusterIds[i])) throw new Error(`Track ${trackIds[i]} is in cluster ${clusterIds[i]}, which is not among the clusters to store (${[...known].join(', ')}). Nothing was stored.`);
  }
  if (new Set(trackIds).size !== trackIds.length) throw new Error('A track appears twice in the memberships; each sampled track belongs to one cluster. Nothing was stored.');
  return withDatabase(path, (connection) => inTransaction(connection, async () => {
    if (!(await tableNames(connection)).includes('track')) {
      throw new Error(`The database ${path} has no track table yet: run notebook 01 first, with the same DB_PATH. Nothing was stored.`);
    }
    const replacedMemberships = await countRows(connection, 'track_to_cluster');
    const replacedClusters = await countRows(connection, 'cluster');
    await connection.run('DROP TABLE IF EXISTS track_to_cluster');
    await connection.run('DROP TABLE IF EXISTS cluster');
    await connection.run(CLUSTER_TABLE_SQL);
    await connection.run(TRACK_TO_CLUSTER_TABLE_SQL);
    // Unknown tracks are found before the foreign key refuses them, to name one in the message.
    await connection.run('CREATE TEMP TABLE incoming (track_id VARCHAR, cluster_id INTEGER)');
    const staging = await connection.createAppender('incoming', 'main', 'temp');
    try {
      for (let i = 0; i < trackIds.length; i++) { staging.appendVarchar(trackIds[i]); staging.appendInteger(clusterIds[i]); staging.endRow(); }
      staging.flushSync();
    } finally {
      staging.closeSync();
    }
    const unknown = (await connection.runAndReadAll('SELECT i.track_id FROM incoming i ANTI JOIN track t ON i.track_id = t.track_id LIMIT 1')).getRows();
    if (unknown.length) {
      throw new Error(`The sampled track ${unknown[0][0]} is not in the track table (the tracks changed since the sample was taken?): re-run this notebook after notebook 01. Nothing was stored.`);
    }
    const appender = await connection.createAppender('cluster');
    try {
      for (const c of clusters) { appender.appendInteger(c.id); appender.appendFloat(c.x); appender.appendFloat(c.y); appender.appendFloat(c.size); appender.endRow(); }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await connection.run('INSERT INTO track_to_cluster SELECT track_id, cluster_id FROM incoming');
    await connection.run('DROP TABLE incoming');
    return { clusters: clusters.length, memberships: trackIds.length, replacedClusters, replacedMemberships };
  }));
}
