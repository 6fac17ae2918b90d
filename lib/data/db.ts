/**
 * The DuckDB store (the original notebook's `setup_db`): one place for the schema, and helpers that open the
 * database for one step, work inside a transaction, and close it again, so that no notebook
 * kernel keeps a lock that would block another notebook, a headless run or the `duckdb` CLI.
 *
 * Tables, exactly as the original notebook makes them (extra tables are allowed, these three are a contract):
 * - `track`: every CSV column, primary key `track_id`;
 * - `cluster (id INTEGER PRIMARY KEY, x FLOAT, y FLOAT, size FLOAT)`;
 * - `track_to_cluster (track_id VARCHAR, cluster_id INTEGER)`, foreign keys to both.
 * Three more record the sample and the k-medoids clustering (see {@link SAMPLE_TRACK_TABLE_SQL},
 * {@link GOWER_CLUSTER_TABLE_SQL}, {@link TRACK_TO_GOWER_CLUSTER_TABLE_SQL}).
 *
 * Re-running is safe: storing tracks again replaces the tables inside one transaction (the
 * tables that refer to the tracks first, see {@link DEPENDENT_TABLES}), and a failure anywhere rolls
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

/** The DDL of `cluster`, as the original notebook writes it. */
export const CLUSTER_TABLE_SQL = 'CREATE TABLE cluster (id INTEGER PRIMARY KEY, x FLOAT, y FLOAT, size FLOAT)';
/** The DDL of `track_to_cluster`, as the original notebook writes it. */
export const TRACK_TO_CLUSTER_TABLE_SQL = `CREATE TABLE track_to_cluster (
  track_id VARCHAR, cluster_id INTEGER,
  FOREIGN KEY (track_id) REFERENCES track (track_id),
  FOREIGN KEY (cluster_id) REFERENCES cluster (id))`;

/** The DDL of `sample_track`: the tracks the clusterings were fitted on. */
export const SAMPLE_TRACK_TABLE_SQL = 'CREATE TABLE sample_track (track_id VARCHAR PRIMARY KEY REFERENCES track(track_id))';
/** The DDL of `gower_cluster`: one row per k-medoids cluster, with its medoid track and size. */
export const GOWER_CLUSTER_TABLE_SQL = 'CREATE TABLE gower_cluster (id INTEGER PRIMARY KEY, medoid_track_id VARCHAR REFERENCES track(track_id), size INTEGER)';
/** The DDL of `track_to_gower_cluster`: each track's k-medoids cluster and its Gower distance to the medoid. */
export const TRACK_TO_GOWER_CLUSTER_TABLE_SQL =
  'CREATE TABLE track_to_gower_cluster (track_id VARCHAR PRIMARY KEY REFERENCES track(track_id), cluster_id INTEGER REFERENCES gower_cluster(id), distance FLOAT)';

/**
 * The tables that refer to `track`, in an order that can be dropped one after the other (a table
 * that is referenced goes after every table referring to it), with their DDL in the reverse order.
 */
export const DEPENDENT_TABLES: readonly { name: string; sql: string }[] = Object.freeze([
  { name: 'track_to_gower_cluster', sql: TRACK_TO_GOWER_CLUSTER_TABLE_SQL },
  { name: 'gower_cluster', sql: GOWER_CLUSTER_TABLE_SQL },
  { name: 'sample_track', sql: SAMPLE_TRACK_TABLE_SQL },
  { name: 'track_to_cluster', sql: TRACK_TO_CLUSTER_TABLE_SQL },
  { name: 'cluster', sql: CLUSTER_TABLE_SQL },
]);

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
 * Create the tables if they do not exist yet (an empty store), inside the caller's work.
 * @example await withDatabase(DB_NAME, (con) => setupDb(con));
 */
export async function setupDb(connection: DuckDBConnection): Promise<void> {
  const existing = new Set((await tableNames(connection)));
  if (!existing.has('track')) await connection.run(trackTableSql());
  for (const table of [...DEPENDENT_TABLES].reverse()) if (!existing.has(table.name)) await connection.run(table.sql);
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
  /** Rows of `sample_track`, `track_to_gower_cluster` and `gower_cluster` that went too. */
  clearedSampleTracks: number;
  clearedGowerMemberships: number;
  clearedGowerClusters: number;
}

/**
 * Replace the `track` table with these tracks, in one transaction. The sample, memberships and
 * clusters of an earlier run are removed first (they refer to the old tracks: re-run notebooks 02
 * and 03 to make them again) and their tables made again empty, so re-running never hits a key or
 * foreign-key error, and any failure leaves the previous contents intact. Repeated track ids are
 * refused before anything is touched.
 * @example
 * await storeTracks(DB_NAME, tracksFromFrame(df))
 * // { tracks: 145602, clearedMemberships: 0, clearedClusters: 0, clearedSampleTracks: 0, clearedGowerMemberships: 0, clearedGowerClusters: 0 }
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
    const cleared: Record<string, number> = {};
    for (const table of DEPENDENT_TABLES) cleared[table.name] = await countRows(connection, table.name);
    for (const table of DEPENDENT_TABLES) await connection.run(`DROP TABLE IF EXISTS ${table.name}`);
    await connection.run('DROP TABLE IF EXISTS track');
    await connection.run(trackTableSql(tracks.columns));
    const appender = await connection.createAppender('track');
    try {
      await appendRows(appender, tracks.rows, tracks.columns.map((c) => c.kind));
    } finally {
      appender.closeSync();
    }
    for (const table of [...DEPENDENT_TABLES].reverse()) await connection.run(table.sql);
    return {
      tracks: tracks.rows.length,
      clearedMemberships: cleared.track_to_cluster,
      clearedClusters: cleared.cluster,
      clearedSampleTracks: cleared.sample_track,
      clearedGowerMemberships: cleared.track_to_gower_cluster,
      clearedGowerClusters: cleared.gower_cluster,
    };
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

/** Row counts of the stored tables. */
export interface TableCounts {
  track: number;
  cluster: number;
  track_to_cluster: number;
  sample_track: number;
  gower_cluster: number;
  track_to_gower_cluster: number;
}

/**
 * Row counts of the stored tables (0 for a table that does not exist yet).
 * @example
 * await tableCounts(DB_NAME)
 * // { track: 145602, cluster: 12, track_to_cluster: 145602, sample_track: 10000, gower_cluster: 12, track_to_gower_cluster: 145602 }
 */
export async function tableCounts(path: string): Promise<TableCounts> {
  return withDatabase(path, async (connection) => {
    return {
      track: await countRows(connection, 'track'),
      cluster: await countRows(connection, 'cluster'),
      track_to_cluster: await countRows(connection, 'track_to_cluster'),
      sample_track: await countRows(connection, 'sample_track'),
      gower_cluster: await countRows(connection, 'gower_cluster'),
      track_to_gower_cluster: await countRows(connection, 'track_to_gower_cluster'),
    };
  });
}

/** One row of the `cluster` table (the original notebook's cluster positions renamed to id, x, y, size). */
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
  /** Rows written to `sample_track`. */
  sampleTracks: number;
  /** Rows of the previous clustering that this one replaced. */
  replacedClusters: number;
  replacedMemberships: number;
}

/** The tracks and clusters of `storeClustering`, and the sample the clustering was fitted on. */
export interface ClusterMemberships {
  /** One id per track with a cluster: the sample, or every stored track. */
  trackIds: readonly string[];
  /** The cluster of each of those tracks. */
  clusterIds: ArrayLike<number>;
  /** The tracks the clustering was fitted on, written to `sample_track`; default `trackIds`. */
  sampleTrackIds?: readonly string[];
}

/**
 * Replace the stored clustering: the `cluster` rows, one `track_to_cluster` row per track given
 * (the sample, or every stored track) and the `sample_track` rows, in one transaction, so a re-run
 * never meets a key error and a failure leaves the previous clustering in place. Memberships must
 * name stored tracks and given clusters, and the sample stored tracks; otherwise nothing is written
 * and the error says which track or cluster is unknown.
 * @example
 * await storeClustering(DB_NAME, positions, { trackIds: allIds, clusterIds: allLabels, sampleTrackIds: sampleIds })
 * // { clusters: 12, memberships: 145602, sampleTracks: 10000, replacedClusters: 0, replacedMemberships: 0 }
 */
export async function storeClustering(
  path: string,
  clusters: readonly ClusterRow[],
  memberships: ClusterMemberships,
): Promise<ClusteringReport> {
  const { trackIds, clusterIds } = memberships;
  if (clusters.length === 0 || trackIds.length === 0) {
    throw new Error(`There are ${clusters.length} clusters and ${trackIds.length} memberships to store; storing none would empty the stored clustering, so the database was left as it was.`);
  }
  const sampleTrackIds = memberships.sampleTrackIds ?? trackIds;
  if (trackIds.length !== clusterIds.length) throw new Error(`There are ${trackIds.length} track ids for ${clusterIds.length} cluster ids; give one cluster per track.`);
  const known = new Set(clusters.map((c) => c.id));
  if (known.size !== clusters.length) throw new Error('Two clusters share an id; cluster ids must be unique. Nothing was stored.');
  for (let i = 0; i < clusterIds.length; i++) {
    if (!known.has(clusterIds[i])) throw new Error(`Track ${trackIds[i]} is in cluster ${clusterIds[i]}, which is not among the clusters to store (${[...known].join(', ')}). Nothing was stored.`);
  }
  if (new Set(trackIds).size !== trackIds.length) throw new Error('A track appears twice in the memberships; each track belongs to one cluster. Nothing was stored.');
  if (new Set(sampleTrackIds).size !== sampleTrackIds.length) throw new Error('A track appears twice in the sample track ids; list each sampled track once. Nothing was stored.');
  return withDatabase(path, (connection) => inTransaction(connection, async () => {
    if (!(await tableNames(connection)).includes('track')) {
      throw new Error(`The database ${path} has no track table yet: run notebook 01 first, with the same DB_PATH. Nothing was stored.`);
    }
    const replacedMemberships = await countRows(connection, 'track_to_cluster');
    const replacedClusters = await countRows(connection, 'cluster');
    await connection.run('DROP TABLE IF EXISTS track_to_cluster');
    await connection.run('DROP TABLE IF EXISTS cluster');
    await connection.run('DROP TABLE IF EXISTS sample_track');
    await connection.run(CLUSTER_TABLE_SQL);
    await connection.run(TRACK_TO_CLUSTER_TABLE_SQL);
    await connection.run(SAMPLE_TRACK_TABLE_SQL);
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
      throw new Error(`The track ${unknown[0][0]} is not in the track table (the tracks changed since the sample was taken?): re-run this notebook after notebook 01. Nothing was stored.`);
    }
    await stageIds(connection, 'incoming_sample', sampleTrackIds);
    const unknownSampled = (await connection.runAndReadAll('SELECT i.track_id FROM incoming_sample i ANTI JOIN track t ON i.track_id = t.track_id LIMIT 1')).getRows();
    if (unknownSampled.length) {
      throw new Error(`The sampled track ${unknownSampled[0][0]} is not in the track table (the tracks changed since the sample was taken?): re-run this notebook after notebook 01. Nothing was stored.`);
    }
    const appender = await connection.createAppender('cluster');
    try {
      for (const c of clusters) { appender.appendInteger(c.id); appender.appendFloat(c.x); appender.appendFloat(c.y); appender.appendFloat(c.size); appender.endRow(); }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await connection.run('INSERT INTO track_to_cluster SELECT track_id, cluster_id FROM incoming');
    await connection.run('INSERT INTO sample_track SELECT track_id FROM incoming_sample');
    await connection.run('DROP TABLE incoming');
    await connection.run('DROP TABLE incoming_sample');
    return { clusters: clusters.length, memberships: trackIds.length, sampleTracks: sampleTrackIds.length, replacedClusters, replacedMemberships };
  }));
}

/** Appends ids to a new temporary one-column table `name (track_id VARCHAR)`. */
async function stageIds(connection: DuckDBConnection, name: string, ids: readonly string[]): Promise<void> {
  await connection.run(`CREATE TEMP TABLE ${name} (track_id VARCHAR)`);
  const appender = await connection.createAppender(name, 'main', 'temp');
  try {
    for (const id of ids) { appender.appendVarchar(id); appender.endRow(); }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** One row of the `gower_cluster` table. */
export interface GowerClusterRow {
  id: number;
  /** The medoid, a stored track. */
  medoidTrackId: string;
  /** Tracks in the cluster; default: those assigned to it. */
  size?: number;
}

/** The k-medoids clustering to store with `storeGowerClustering`. */
export interface GowerClustering {
  clusters: readonly GowerClusterRow[];
  /** Each track's cluster and its Gower distance to the cluster's medoid. */
  assignments: { trackIds: readonly string[]; clusterIds: ArrayLike<number>; distances: ArrayLike<number> };
}

/** What `storeGowerClustering` did. */
export interface GowerClusteringReport {
  clusters: number;
  assignments: number;
  /** Rows of the previous k-medoids clustering that this one replaced. */
  replacedClusters: number;
  replacedAssignments: number;
}

/**
 * Replace the stored k-medoids clustering: `gower_cluster` (one row per cluster, its medoid and
 * size) and `track_to_gower_cluster` (one row per track, its cluster and distance to the medoid),
 * in one transaction, so a re-run never meets a key error and a failure leaves the previous
 * clustering in place. Clusters must be unique, every assignment must name a given cluster and a
 * stored track, and a given size must equal the number of tracks assigned; otherwise nothing is
 * written and the error names the first offender.
 * @example
 * await storeGowerClustering(DB_NAME, {
 *   clusters: medoidIds.map((id, c) => ({ id: c, medoidTrackId: id })),
 *   assignments: { trackIds: allIds, clusterIds: labels, distances },
 * }) // { clusters: 12, assignments: 145602, replacedClusters: 0, replacedAssignments: 0 }
 */
export async function storeGowerClustering(path: string, clustering: GowerClustering): Promise<GowerClusteringReport> {
  const { clusters, assignments } = clustering;
  const { trackIds, clusterIds, distances } = assignments;
  if (trackIds.length !== clusterIds.length || trackIds.length !== distances.length) {
    throw new Error(`There are ${trackIds.length} track ids, ${clusterIds.length} cluster ids and ${distances.length} distances; give one cluster and one distance per track.`);
  }
  const counts = new Map<number, number>();
  for (const c of clusters) {
    if (!Number.isInteger(c.id)) throw new Error(`A cluster id must be a whole number, got ${c.id}. Nothing was stored.`);
    if (counts.has(c.id)) throw new Error(`Two clusters share the id ${c.id}; cluster ids must be unique. Nothing was stored.`);
    counts.set(c.id, 0);
  }
  for (let i = 0; i < clusterIds.length; i++) {
    const count = counts.get(clusterIds[i]);
    if (count === undefined) throw new Error(`Track ${trackIds[i]} is in cluster ${clusterIds[i]}, which is not among the clusters to store (${[...counts.keys()].join(', ')}). Nothing was stored.`);
    counts.set(clusterIds[i], count + 1);
    const d = distances[i];
    if (!(d >= 0 && d <= 1)) throw new Error(`Track ${trackIds[i]} has Gower distance ${d} to its medoid; Gower distances lie between 0 and 1. Nothing was stored.`);
  }
  for (const c of clusters) {
    if (c.size !== undefined && c.size !== counts.get(c.id)) {
      throw new Error(`Cluster ${c.id} has size ${c.size}, but ${counts.get(c.id)} tracks are assigned to it; leave size out to store the count. Nothing was stored.`);
    }
  }
  if (new Set(trackIds).size !== trackIds.length) throw new Error('A track appears twice in the assignments; each track belongs to one cluster. Nothing was stored.');
  return withDatabase(path, (connection) => inTransaction(connection, async () => {
    if (!(await tableNames(connection)).includes('track')) {
      throw new Error(`The database ${path} has no track table yet: run notebook 01 first, with the same DB_PATH. Nothing was stored.`);
    }
    const replacedAssignments = await countRows(connection, 'track_to_gower_cluster');
    const replacedClusters = await countRows(connection, 'gower_cluster');
    await connection.run('DROP TABLE IF EXISTS track_to_gower_cluster');
    await connection.run('DROP TABLE IF EXISTS gower_cluster');
    await connection.run(GOWER_CLUSTER_TABLE_SQL);
    await connection.run(TRACK_TO_GOWER_CLUSTER_TABLE_SQL);
    await stageIds(connection, 'incoming_medoid', clusters.map((c) => c.medoidTrackId));
    const unknownMedoid = (await connection.runAndReadAll('SELECT i.track_id FROM incoming_medoid i ANTI JOIN track t ON i.track_id = t.track_id LIMIT 1')).getRows();
    if (unknownMedoid.length) {
      throw new Error(`The medoid ${unknownMedoid[0][0]} is not in the track table (the tracks changed since the sample was taken?): re-run this notebook after notebook 01. Nothing was stored.`);
    }
    await connection.run('DROP TABLE incoming_medoid');
    await connection.run('CREATE TEMP TABLE incoming_gower (track_id VARCHAR, cluster_id INTEGER, distance FLOAT)');
    const staging = await connection.createAppender('incoming_gower', 'main', 'temp');
    try {
      for (let i = 0; i < trackIds.length; i++) {
        staging.appendVarchar(trackIds[i]);
        staging.appendInteger(clusterIds[i]);
        staging.appendFloat(distances[i]);
        staging.endRow();
      }
      staging.flushSync();
    } finally {
      staging.closeSync();
    }
    const unknown = (await connection.runAndReadAll('SELECT i.track_id FROM incoming_gower i ANTI JOIN track t ON i.track_id = t.track_id LIMIT 1')).getRows();
    if (unknown.length) {
      throw new Error(`The track ${unknown[0][0]} is not in the track table (the tracks changed since the clustering was made?): re-run this notebook after notebook 01. Nothing was stored.`);
    }
    const appender = await connection.createAppender('gower_cluster');
    try {
      for (const c of clusters) { appender.appendInteger(c.id); appender.appendVarchar(c.medoidTrackId); appender.appendInteger(counts.get(c.id)!); appender.endRow(); }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await connection.run('INSERT INTO track_to_gower_cluster SELECT track_id, cluster_id, distance FROM incoming_gower');
    await connection.run('DROP TABLE incoming_gower');
    return { clusters: clusters.length, assignments: trackIds.length, replacedClusters, replacedAssignments };
  }));
}
