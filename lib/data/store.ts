/**
 * Writing to the DuckDB store: the tracks (notebook 01), the k-means clustering with its sample
 * (notebook 03) and the k-medoids clustering (notebook 02), each in one transaction.
 *
 * Re-running is safe: storing tracks again replaces the tables inside one transaction (the
 * tables that refer to the tracks first, see {@link DEPENDENT_TABLES}), and a failure anywhere rolls
 * the whole step back, leaving the previous contents as they were. A step never replaces a table
 * with nothing (no tracks, no clusters: refused). Before anything is opened for writing, the file
 * is read once, read-only: another program's database, a newer or a damaged one is refused there
 * and left byte for byte as it was; an older database of the project's is upgraded inside the
 * step's own transaction (see db-schema.ts), so a refused step leaves no half upgrade either.
 */
import { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { ColumnKind, SPOTIFY_COLUMNS } from './schema';
import { columnKind, FrameLike, frameColumnNames, frameKinds, frameRows } from './frame';
import { countRows, inTransaction, withDatabase } from './db-open';
import {
  CLUSTER_TABLE_SQL,
  DEPENDENT_TABLES,
  GOWER_CLUSTER_TABLE_SQL,
  inspectDatabase,
  readDatabase,
  SAMPLE_TRACK_TABLE_SQL,
  TRACK_TO_CLUSTER_TABLE_SQL,
  TRACK_TO_GOWER_CLUSTER_TABLE_SQL,
  trackTableSql,
  upgradeDatabase,
} from './db-schema';

/**
 * Refuse, before the file is opened for writing, a database that is not the project's, newer or
 * damaged (read-only, so a refused file is left byte for byte as it was).
 */
export async function checkBeforeWriting(path: string): Promise<void> {
  await readDatabase(path, async () => undefined);
}

/**
 * Inside a step's transaction: refuse a database without tracks (the clusterings refer to them),
 * then upgrade an older one (see db-schema.ts).
 */
async function upgradeForClustering(connection: DuckDBConnection, path: string): Promise<void> {
  const state = await inspectDatabase(connection, path);
  if (!state.tables.includes('track')) {
    throw new Error(
      `The database ${path} has no track table yet: run notebook 01 first, with the same DB_PATH. Nothing was stored.`,
    );
  }
  await upgradeDatabase(connection, path, state);
}

/** Append row arrays to a table with DuckDB's appender: one call per value, flushed in chunks. */
async function appendRows(
  appender: DuckDBAppender,
  rows: TrackRows['rows'],
  kinds: readonly ColumnKind[],
): Promise<void> {
  const width = kinds.length;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < width; c++) {
      const value = row[c];
      if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value)))
        appender.appendNull();
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
  const columns = frameColumnNames(df).map((name, i) => ({
    name,
    kind: SPOTIFY_COLUMNS.some((c) => c.name === name) ? columnKind(name) : kinds[i],
  }));
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
 * foreign-key error, and any failure leaves the previous contents intact; the database is marked
 * as the project's (`project_metadata`). Repeated track ids, and a database that is not the
 * project's, are refused before anything is touched.
 * @example
 * await storeTracks(DB_NAME, tracksFromFrame(df))
 * // { tracks: 145602, clearedMemberships: 0, clearedClusters: 0, clearedSampleTracks: 0, clearedGowerMemberships: 0, clearedGowerClusters: 0 }
 */
export async function storeTracks(path: string, tracks: TrackRows): Promise<StoreReport> {
  const idColumn = tracks.columns.findIndex((c) => c.name === 'track_id');
  if (idColumn < 0) throw new Error('The tracks have no track_id column, the primary key of the track table.');
  if (tracks.rows.length === 0) {
    throw new Error(
      'There are no tracks to store, and storing none would empty the track table and the clustering; the database was left as it was. Loosen the filter (POPULARITY_MIN) or check the input file.',
    );
  }
  const seen = new Set<unknown>();
  for (const row of tracks.rows) {
    const id = row[idColumn];
    if (id === null || id === undefined || id === '')
      throw new Error('A track has an empty track_id; the track table needs one per track. Nothing was stored.');
    if (seen.has(id))
      throw new Error(
        `The track id ${id} appears more than once; drop duplicate track ids first (dropDuplicateTracks). Nothing was stored.`,
      );
    seen.add(id);
  }
  await checkBeforeWriting(path);
  return withDatabase(path, (connection) =>
    inTransaction(connection, () =>
      replaceTracks(connection, path, tracks.columns, async () => {
        const appender = await connection.createAppender('track');
        try {
          await appendRows(
            appender,
            tracks.rows,
            tracks.columns.map((c) => c.kind),
          );
        } finally {
          appender.closeSync();
        }
        return tracks.rows.length;
      }),
    ),
  );
}

/**
 * Inside a transaction on the database at `path`: drop the tables that refer to the tracks (counting
 * their rows), make `track` again for `columns`, let `fill` fill it (returning how many tracks it
 * wrote), make the dependent tables again, empty, and mark the database as the project's. Shared by
 * `storeTracks` (rows from JavaScript) and `StagedTracks.store` (rows by SQL, lib/data/load-tracks.ts).
 */
export async function replaceTracks(
  connection: DuckDBConnection,
  path: string,
  columns: readonly { name: string; kind: ColumnKind }[],
  fill: () => Promise<number>,
): Promise<StoreReport> {
  await inspectDatabase(connection, path);
  const cleared: Record<string, number> = {};
  for (const table of DEPENDENT_TABLES) cleared[table.name] = await countRows(connection, table.name);
  for (const table of DEPENDENT_TABLES) await connection.run(`DROP TABLE IF EXISTS ${table.name}`);
  await connection.run('DROP TABLE IF EXISTS track');
  await connection.run(trackTableSql(columns));
  const tracks = await fill();
  for (const table of [...DEPENDENT_TABLES].reverse()) await connection.run(table.sql);
  await upgradeDatabase(connection, path); // only the mark is left to write
  return {
    tracks,
    clearedMemberships: cleared.track_to_cluster,
    clearedClusters: cleared.cluster,
    clearedSampleTracks: cleared.sample_track,
    clearedGowerMemberships: cleared.track_to_gower_cluster,
    clearedGowerClusters: cleared.gower_cluster,
  };
}

/** One row of the `cluster` table (the original notebook's cluster positions renamed to id, x, y, size). */
export interface ClusterRow {
  id: number;
  x: number;
  y: number;
  size: number;
  /** The cluster's name (`describeClusters`); default `cluster <id>`. Unique within the clustering. */
  name?: string;
}

/**
 * Each cluster's name, `cluster <id>` where none is given; a name that is not a non-empty text, or
 * one given to two clusters, is refused (nothing is stored).
 */
function clusterNames(clusters: readonly { id: number; name?: string }[]): string[] {
  const names = clusters.map((c) => (c.name === undefined ? `cluster ${c.id}` : c.name));
  names.forEach((name, i) => {
    if (typeof name !== 'string' || name.trim() === '')
      throw new Error(
        `Cluster ${clusters[i].id} has the name ${JSON.stringify(name)}; a name must be a non-empty text ` +
          '(leave it out for "cluster <id>"). Nothing was stored.',
      );
    const first = names.indexOf(name);
    if (first !== i)
      throw new Error(
        `Clusters ${clusters[first].id} and ${clusters[i].id} are both named "${name}"; names must be unique ` +
          'within a clustering (describeClusters makes them so). Nothing was stored.',
      );
  });
  return names;
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
 * Replace the stored clustering: the `cluster` rows (with their names), one `track_to_cluster` row per track given
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
    throw new Error(
      `There are ${clusters.length} clusters and ${trackIds.length} memberships to store; storing none would empty the stored clustering, so the database was left as it was.`,
    );
  }
  const sampleTrackIds = memberships.sampleTrackIds ?? trackIds;
  if (trackIds.length !== clusterIds.length)
    throw new Error(
      `There are ${trackIds.length} track ids for ${clusterIds.length} cluster ids; give one cluster per track.`,
    );
  const known = new Set(clusters.map((c) => c.id));
  if (known.size !== clusters.length)
    throw new Error('Two clusters share an id; cluster ids must be unique. Nothing was stored.');
  const names = clusterNames(clusters);
  for (let i = 0; i < clusterIds.length; i++) {
    if (!known.has(clusterIds[i]))
      throw new Error(
        `Track ${trackIds[i]} is in cluster ${clusterIds[i]}, which is not among the clusters to store (${[...known].join(', ')}). Nothing was stored.`,
      );
  }
  if (new Set(trackIds).size !== trackIds.length)
    throw new Error('A track appears twice in the memberships; each track belongs to one cluster. Nothing was stored.');
  if (new Set(sampleTrackIds).size !== sampleTrackIds.length)
    throw new Error('A track appears twice in the sample track ids; list each sampled track once. Nothing was stored.');
  await checkBeforeWriting(path);
  return withDatabase(path, (connection) =>
    inTransaction(connection, async () => {
      await upgradeForClustering(connection, path);
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
        for (let i = 0; i < trackIds.length; i++) {
          staging.appendVarchar(trackIds[i]);
          staging.appendInteger(clusterIds[i]);
          staging.endRow();
        }
        staging.flushSync();
      } finally {
        staging.closeSync();
      }
      await refuseUnknownTracks(connection, 'incoming', 'track', 'sample was taken');
      await stageIds(connection, 'incoming_sample', sampleTrackIds);
      await refuseUnknownTracks(connection, 'incoming_sample', 'sampled track', 'sample was taken');
      const appender = await connection.createAppender('cluster');
      try {
        clusters.forEach((c, i) => {
          appender.appendInteger(c.id);
          appender.appendFloat(c.x);
          appender.appendFloat(c.y);
          appender.appendFloat(c.size);
          appender.appendVarchar(names[i]);
          appender.endRow();
        });
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      await connection.run('INSERT INTO track_to_cluster SELECT track_id, cluster_id FROM incoming');
      await connection.run('INSERT INTO sample_track SELECT track_id FROM incoming_sample');
      await connection.run('DROP TABLE incoming');
      await connection.run('DROP TABLE incoming_sample');
      return {
        clusters: clusters.length,
        memberships: trackIds.length,
        sampleTracks: sampleTrackIds.length,
        replacedClusters,
        replacedMemberships,
      };
    }),
  );
}

/**
 * Refuse, naming one, the staged track ids (`staged`, a temporary table of `track_id`s) that are not
 * stored tracks: found before the foreign key would refuse them, so the sentence can name the track.
 */
async function refuseUnknownTracks(
  connection: DuckDBConnection,
  staged: string,
  what: string,
  since: string,
): Promise<void> {
  const unknown = (
    await connection.runAndReadAll(
      `SELECT i.track_id FROM ${staged} i ANTI JOIN track t ON i.track_id = t.track_id LIMIT 1`,
    )
  ).getRows();
  if (unknown.length) {
    throw new Error(
      `The ${what} ${unknown[0][0]} is not in the track table (the tracks changed since the ${since}?): re-run this notebook after notebook 01. Nothing was stored.`,
    );
  }
}

/** Appends ids to a new temporary one-column table `name (track_id VARCHAR)`. */
async function stageIds(connection: DuckDBConnection, name: string, ids: readonly string[]): Promise<void> {
  await connection.run(`CREATE TEMP TABLE ${name} (track_id VARCHAR)`);
  const appender = await connection.createAppender(name, 'main', 'temp');
  try {
    for (const id of ids) {
      appender.appendVarchar(id);
      appender.endRow();
    }
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
  /** The cluster's name (`describeClusters`); default `cluster <id>`. Unique within the clustering. */
  name?: string;
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
 * Replace the stored k-medoids clustering: `gower_cluster` (one row per cluster, its medoid, size
 * and name) and `track_to_gower_cluster` (one row per track, its cluster and distance to the medoid),
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
    throw new Error(
      `There are ${trackIds.length} track ids, ${clusterIds.length} cluster ids and ${distances.length} distances; give one cluster and one distance per track.`,
    );
  }
  const counts = new Map<number, number>();
  for (const c of clusters) {
    if (!Number.isInteger(c.id))
      throw new Error(`A cluster id must be a whole number, got ${c.id}. Nothing was stored.`);
    if (counts.has(c.id))
      throw new Error(`Two clusters share the id ${c.id}; cluster ids must be unique. Nothing was stored.`);
    counts.set(c.id, 0);
  }
  for (let i = 0; i < clusterIds.length; i++) {
    const count = counts.get(clusterIds[i]);
    if (count === undefined)
      throw new Error(
        `Track ${trackIds[i]} is in cluster ${clusterIds[i]}, which is not among the clusters to store (${[...counts.keys()].join(', ')}). Nothing was stored.`,
      );
    counts.set(clusterIds[i], count + 1);
    const d = distances[i];
    if (!(d >= 0 && d <= 1))
      throw new Error(
        `Track ${trackIds[i]} has Gower distance ${d} to its medoid; Gower distances lie between 0 and 1. Nothing was stored.`,
      );
  }
  const names = clusterNames(clusters);
  for (const c of clusters) {
    if (c.size !== undefined && c.size !== counts.get(c.id)) {
      throw new Error(
        `Cluster ${c.id} has size ${c.size}, but ${counts.get(c.id)} tracks are assigned to it; leave size out to store the count. Nothing was stored.`,
      );
    }
  }
  if (new Set(trackIds).size !== trackIds.length)
    throw new Error('A track appears twice in the assignments; each track belongs to one cluster. Nothing was stored.');
  await checkBeforeWriting(path);
  return withDatabase(path, (connection) =>
    inTransaction(connection, async () => {
      await upgradeForClustering(connection, path);
      const replacedAssignments = await countRows(connection, 'track_to_gower_cluster');
      const replacedClusters = await countRows(connection, 'gower_cluster');
      await connection.run('DROP TABLE IF EXISTS track_to_gower_cluster');
      await connection.run('DROP TABLE IF EXISTS gower_cluster');
      await connection.run(GOWER_CLUSTER_TABLE_SQL);
      await connection.run(TRACK_TO_GOWER_CLUSTER_TABLE_SQL);
      await stageIds(
        connection,
        'incoming_medoid',
        clusters.map((c) => c.medoidTrackId),
      );
      await refuseUnknownTracks(connection, 'incoming_medoid', 'medoid', 'sample was taken');
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
      await refuseUnknownTracks(connection, 'incoming_gower', 'track', 'clustering was made');
      const appender = await connection.createAppender('gower_cluster');
      try {
        clusters.forEach((c, i) => {
          appender.appendInteger(c.id);
          appender.appendVarchar(c.medoidTrackId);
          appender.appendInteger(counts.get(c.id)!);
          appender.appendVarchar(names[i]);
          appender.endRow();
        });
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      await connection.run(
        'INSERT INTO track_to_gower_cluster SELECT track_id, cluster_id, distance FROM incoming_gower',
      );
      await connection.run('DROP TABLE incoming_gower');
      return { clusters: clusters.length, assignments: trackIds.length, replacedClusters, replacedAssignments };
    }),
  );
}
