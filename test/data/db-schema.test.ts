/**
 * Only the project's own databases: another program's DuckDB file is refused with one sentence
 * naming the table and left byte for byte as it was; a database written by an earlier version (the
 * original notebook's three tables, made here with their old DDL, copied from the first commit of
 * lib/data/db.ts and from the original notebook) is upgraded in one transaction by the next store, or
 * refused with the notebook to run; readers never write and say which notebook makes what they lack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  DatabaseError,
  queryRows,
  requireStored,
  SCHEMA_VERSION,
  setupDb,
  storeClustering,
  storedTrackCount,
  storeGowerClustering,
  storeTracks,
  tableCounts,
  withDatabase,
} from '../../lib/data/db';
import { readTracks } from '../../lib/data/sample';
import { loadCatalogue } from '../../lib/catalogue/catalogue';
import { databaseContentHash } from '../helpers';
import { assertRefusedUntouched, fileState, freshPath, idsOf, raw, tracks } from './db-fixtures';

/** The original notebook's `track` (first version of lib/data/db.ts, `trackTableSql()` with BIGINT/DOUBLE/VARCHAR). */
const OLD_TRACK_TABLE_SQL =
  'CREATE TABLE track ("genre" VARCHAR, "artist_name" VARCHAR, "track_name" VARCHAR, "track_id" VARCHAR, "popularity" BIGINT, ' +
  '"acousticness" DOUBLE, "danceability" DOUBLE, "duration_ms" BIGINT, "energy" DOUBLE, "instrumentalness" DOUBLE, "key" VARCHAR, "liveness" DOUBLE, ' +
  '"loudness" DOUBLE, "mode" VARCHAR, "speechiness" DOUBLE, "tempo" DOUBLE, "time_signature" VARCHAR, "valence" DOUBLE, PRIMARY KEY (track_id))';
/** `cluster` and `track_to_cluster`, as the original notebook and the first commit write them. */
const OLD_CLUSTER_TABLE_SQL = 'CREATE TABLE cluster (id INTEGER PRIMARY KEY, x FLOAT, y FLOAT, size FLOAT)';
const OLD_TRACK_TO_CLUSTER_TABLE_SQL = `CREATE TABLE track_to_cluster
  (track_id VARCHAR, cluster_id INTEGER,
  FOREIGN KEY (track_id) REFERENCES track (track_id),
  FOREIGN KEY (cluster_id) REFERENCES cluster (id))`;

/** Tracks stored by this version, to copy into the older fixtures. */
async function source(): Promise<string> {
  const path = freshPath();
  await storeTracks(path, tracks());
  return path;
}

/**
 * A database from before the k-medoids tables and the mark: the three tables of the first commit,
 * the tracks and a k-means clustering of two clusters.
 */
async function olderDatabase(): Promise<string> {
  const from = await source();
  const path = freshPath();
  await raw(
    path,
    OLD_TRACK_TABLE_SQL,
    OLD_CLUSTER_TABLE_SQL,
    OLD_TRACK_TO_CLUSTER_TABLE_SQL,
    `ATTACH '${from}' AS src (READ_ONLY)`,
    'INSERT INTO track SELECT * FROM src.track',
    'DETACH src',
    'INSERT INTO cluster VALUES (0, 0.5, 0.5, 2), (1, -0.5, 0.5, 1)',
    'INSERT INTO track_to_cluster SELECT track_id, 0 FROM track ORDER BY track_id LIMIT 2',
    'INSERT INTO track_to_cluster SELECT track_id, 1 FROM track ORDER BY track_id DESC LIMIT 1',
  );
  return path;
}

/** The original notebook's `CREATE TABLE track AS SELECT * FROM spotify_df`, without (yet) its `ALTER TABLE … ADD PRIMARY KEY`. */
async function unkeyedTrackDatabase(repeat: boolean): Promise<string> {
  const from = await source();
  const path = freshPath();
  await raw(
    path,
    `ATTACH '${from}' AS src (READ_ONLY)`,
    'CREATE TABLE track AS SELECT * FROM src.track',
    'DETACH src',
    ...(repeat ? ['INSERT INTO track SELECT * FROM track ORDER BY track_id LIMIT 2'] : []),
  );
  return path;
}

/** Another program's database: the issue's `track(id, title, plays)`. */
async function foreignDatabase(): Promise<string> {
  const path = freshPath();
  await raw(
    path,
    'CREATE TABLE track (id INTEGER, title VARCHAR, plays INTEGER)',
    "INSERT INTO track SELECT i, 'song ' || i, i * 7 FROM range(500) t(i)",
  );
  return path;
}

test("another program's track(id, title, plays) is refused by every step with one sentence naming the table, and left byte for byte as it was", async () => {
  const path = await foreignDatabase();
  const contents = await withDatabase(path, async (con) =>
    JSON.stringify((await con.runAndReadAll('SELECT * FROM track ORDER BY id')).getRows()),
  );
  await assertRefusedUntouched(
    path,
    /^The database .*test\.duckdb has a table track with other columns than this project's \(it has id INTEGER, title VARCHAR, plays INTEGER and lacks genre, artist_name, track_name, track_id and 14 more of the 18 columns this project stores\), so it belongs to another program and was left as it was; point DB_PATH at a new file \(a path where no file exists yet\)\.$/,
  );
  assert.equal(
    await withDatabase(path, async (con) =>
      JSON.stringify((await con.runAndReadAll('SELECT * FROM track ORDER BY id')).getRows()),
    ),
    contents,
  );
});

test('a table, view or schema the project does not make, in an unmarked database, is refused by name', async () => {
  const withTable = await olderDatabase();
  await raw(
    withTable,
    'CREATE TABLE playlist (name VARCHAR, track_id VARCHAR)',
    "INSERT INTO playlist VALUES ('mine', 'x')",
  );
  await assertRefusedUntouched(
    withTable,
    /holds a table playlist that this project does not make, so it belongs to another program and was left as it was; point DB_PATH at a new file/,
  );
  const withView = await olderDatabase();
  await raw(withView, 'CREATE VIEW loud AS SELECT * FROM track WHERE loudness > -5');
  await assertRefusedUntouched(withView, /holds a view loud that this project does not make/);
  const otherSchema = freshPath();
  await raw(
    otherSchema,
    'CREATE SCHEMA shop',
    'CREATE TABLE shop.orders (id INTEGER)',
    'CREATE TABLE shop.items (id INTEGER)',
  );
  await assertRefusedUntouched(
    otherSchema,
    /holds a table shop\.items \(and shop\.orders\) that this project does not make/,
  );
});

test('a track table of the right names but other types, or a cluster table of other columns, is refused naming it', async () => {
  const textPopularity = freshPath();
  await raw(textPopularity, OLD_TRACK_TABLE_SQL.replace('"popularity" BIGINT', '"popularity" VARCHAR'));
  await assertRefusedUntouched(
    textPopularity,
    /has a table track with other columns than this project's \(its column popularity is VARCHAR, where this project stores numbers\)/,
  );
  const otherCluster = freshPath();
  await raw(otherCluster, 'CREATE TABLE cluster (id INTEGER, name VARCHAR, members INTEGER)');
  await assertRefusedUntouched(
    otherCluster,
    /has a table cluster with other columns than this project's \(it has id INTEGER, name VARCHAR, members INTEGER; this project's cluster has id INTEGER, x FLOAT, y FLOAT, size FLOAT, name VARCHAR\)/,
  );
});

test("another project's mark, or a newer schema version, is refused and left as it was", async () => {
  const other = await olderDatabase();
  await raw(
    other,
    'CREATE TABLE project_metadata (key VARCHAR PRIMARY KEY, value VARCHAR)',
    "INSERT INTO project_metadata VALUES ('project', 'jukebox'), ('schema_version', '1')",
  );
  await assertRefusedUntouched(
    other,
    /was marked by another program \(its project_metadata table names the project "jukebox", not "spotify-clusters"\), so it was left as it was; point DB_PATH at a new file/,
  );
  const newer = await source();
  await raw(newer, `UPDATE project_metadata SET value = '${SCHEMA_VERSION + 1}' WHERE key = 'schema_version'`);
  await assertRefusedUntouched(
    newer,
    new RegExp(
      `was written by a newer version of this project \\(schema version ${SCHEMA_VERSION + 1}; this version reads up to ${SCHEMA_VERSION}\\), so it was left as it was; update the project \\(git pull, then npm run setup\\) or point DB_PATH at a new file\\.$`,
    ),
  );
});

test("a database the project wrote is marked with its name and schema version, and may hold the user's own tables", async () => {
  const path = await source();
  assert.deepEqual(await queryRows(path, 'SELECT key, value FROM project_metadata ORDER BY key'), [
    { key: 'project', value: 'spotify-clusters' },
    { key: 'schema_version', value: String(SCHEMA_VERSION) },
  ]);
  await raw(path, 'CREATE TABLE favourites AS SELECT track_id FROM track LIMIT 3');
  const t = tracks();
  await storeTracks(path, t);
  assert.equal(await storedTrackCount(path), t.rows.length);
  assert.deepEqual(await queryRows(path, 'SELECT count(*) AS n FROM favourites'), [{ n: 3 }]);
  const empty = freshPath();
  await withDatabase(empty, (con) => setupDb(con));
  assert.deepEqual(await queryRows(empty, "SELECT value FROM project_metadata WHERE key = 'project'"), [
    { value: 'spotify-clusters' },
  ]);
});

test('a database from before the k-medoids tables is read without a write, and a query of what it lacks names the notebook that makes it', async () => {
  const path = await olderDatabase();
  const before = fileState(path);
  const t = tracks();
  assert.equal(await storedTrackCount(path), t.rows.length);
  assert.deepEqual(await tableCounts(path), {
    track: t.rows.length,
    cluster: 2,
    track_to_cluster: 3,
    sample_track: 0,
    gower_cluster: 0,
    track_to_gower_cluster: 0,
  });
  assert.equal((await readTracks(path)).shape[0], t.rows.length);
  assert.equal((await loadCatalogue(path)).size, t.rows.length);
  // notebook 04's query of a track's clusters
  const id = idsOf(t)[0];
  const notebook04 = `SELECT m.cluster_id AS kmeans_cluster, c.size AS kmeans_cluster_size,
         g.cluster_id AS kmedoids_cluster, gc.size AS kmedoids_cluster_size, round(g.distance, 4) AS distance_to_medoid,
         medoid.track_name AS medoid_track, EXISTS (SELECT 1 FROM sample_track s WHERE s.track_id = '${id}') AS in_sample
  FROM track_to_cluster m JOIN cluster c ON c.id = m.cluster_id
  JOIN track_to_gower_cluster g ON g.track_id = m.track_id JOIN gower_cluster gc ON gc.id = g.cluster_id
  JOIN track medoid ON medoid.track_id = gc.medoid_track_id WHERE m.track_id = '${id}'`;
  await assert.rejects(queryRows(path, notebook04), (error: unknown) => {
    assert.ok(error instanceof DatabaseError);
    assert.equal(
      error.message,
      `The database ${path} has no k-medoids clustering yet (it has no table track_to_gower_cluster): run notebook 02 first, with the same DB_PATH.`,
    );
    return true;
  });
  await assert.rejects(
    queryRows(path, 'SELECT count(*) FROM sample_track'),
    /has no k-means sample yet \(it has no table sample_track\): run notebook 03 first, with the same DB_PATH\.$/,
  );
  await assert.rejects(queryRows(path, 'SELECT * FROM no_such_table'), /Table with name no_such_table does not exist/); // the user's own typo keeps DuckDB's words
  await assert.rejects(
    requireStored(path, ['track', 'track_to_cluster', 'gower_cluster']),
    /has no k-medoids clustering yet \(it has no table gower_cluster\): run notebook 02 first/,
  );
  assert.equal(fileState(path), before);
});

test('the tables notebook 01 leaves empty are named with the notebook that fills them', async () => {
  const path = await source();
  assert.deepEqual(await requireStored(path, ['track']), { track: tracks().rows.length });
  await assert.rejects(
    requireStored(path, ['track', 'track_to_cluster']),
    /has no k-means clustering yet \(its table track_to_cluster is empty\): run notebook 03 first, with the same DB_PATH\.$/,
  );
  await assert.rejects(requireStored(freshPath(), ['track']), /holds no tracks yet: run notebook 01/);
  // without tracks, notebook 01 comes first, whatever else is asked for
  await assert.rejects(requireStored(freshPath(), ['track_to_gower_cluster']), /holds no tracks yet: run notebook 01/);
  await assert.rejects(queryRows(freshPath(), 'SELECT * FROM gower_cluster'), /holds no tracks yet: run notebook 01/);
});

test('storing a k-medoids clustering upgrades an older database in the same transaction: tables and mark added, nothing dropped', async () => {
  const path = await olderDatabase();
  const ids = idsOf(tracks());
  const keptKmeans = await queryRows(path, 'SELECT * FROM track_to_cluster ORDER BY ALL');
  const keptTracks = await queryRows(path, 'SELECT * FROM track ORDER BY track_id');
  const report = await storeGowerClustering(path, {
    clusters: [{ id: 0, medoidTrackId: ids[0] }],
    assignments: { trackIds: ids, clusterIds: ids.map(() => 0), distances: ids.map(() => 0.5) },
  });
  assert.deepEqual(report, { clusters: 1, assignments: ids.length, replacedClusters: 0, replacedAssignments: 0 });
  assert.deepEqual(await tableCounts(path), {
    track: ids.length,
    cluster: 2,
    track_to_cluster: 3,
    sample_track: 0,
    gower_cluster: 1,
    track_to_gower_cluster: ids.length,
  });
  assert.deepEqual(await queryRows(path, 'SELECT * FROM track_to_cluster ORDER BY ALL'), keptKmeans);
  assert.deepEqual(await queryRows(path, 'SELECT * FROM track ORDER BY track_id'), keptTracks);
  assert.deepEqual(await queryRows(path, "SELECT value FROM project_metadata WHERE key = 'schema_version'"), [
    { value: String(SCHEMA_VERSION) },
  ]);
  const keys = await queryRows(
    path,
    "SELECT table_name, constraint_text FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY' AND table_name = 'sample_track'",
  );
  assert.deepEqual(
    keys.map((k) => k.constraint_text),
    ['FOREIGN KEY (track_id) REFERENCES track(track_id)'],
  );
});

test('a store refused after the upgrade began leaves an older database exactly as it was: no mark, no tables', async () => {
  const path = await olderDatabase();
  const before = fileState(path);
  const hash = await databaseContentHash(path);
  const ids = idsOf(tracks()).slice(0, 3);
  await assert.rejects(
    storeGowerClustering(path, {
      clusters: [{ id: 0, medoidTrackId: 'no-such-track' }],
      assignments: { trackIds: ids, clusterIds: [0, 0, 0], distances: [0, 0, 0] },
    }),
    /The medoid no-such-track is not in the track table/,
  );
  await assert.rejects(
    storeClustering(path, [{ id: 0, x: 0, y: 0, size: 1 }], { trackIds: ['gone'], clusterIds: [0] }),
    /The track gone is not in the track table/,
  );
  assert.equal(fileState(path), before);
  assert.equal(await databaseContentHash(path), hash);
});

test('storing a k-means clustering or the tracks again upgrades an older database too', async () => {
  const path = await olderDatabase();
  const ids = idsOf(tracks());
  await storeClustering(path, [{ id: 0, x: 0, y: 0, size: 4 }], {
    trackIds: ids.slice(0, 4),
    clusterIds: [0, 0, 0, 0],
  });
  assert.deepEqual(await tableCounts(path), {
    track: ids.length,
    cluster: 1,
    track_to_cluster: 4,
    sample_track: 4,
    gower_cluster: 0,
    track_to_gower_cluster: 0,
  });
  assert.equal((await requireStored(path, ['track'])).track, ids.length);
  const again = await olderDatabase();
  const report = await storeTracks(again, tracks());
  assert.equal(report.clearedClusters, 2);
  assert.deepEqual(await queryRows(again, "SELECT value FROM project_metadata WHERE key = 'project'"), [
    { value: 'spotify-clusters' },
  ]);
});

test("the original notebook's track without its primary key gets one; with repeated ids it is refused with the notebook to run", async () => {
  const unkeyed = await unkeyedTrackDatabase(false);
  const ids = idsOf(tracks());
  await storeClustering(unkeyed, [{ id: 0, x: 0, y: 0, size: 2 }], { trackIds: ids.slice(0, 2), clusterIds: [0, 0] });
  const constraints = await queryRows(
    unkeyed,
    "SELECT constraint_text FROM duckdb_constraints() WHERE table_name = 'track' AND constraint_type = 'PRIMARY KEY'",
  );
  assert.deepEqual(constraints, [{ constraint_text: 'PRIMARY KEY(track_id)' }]);

  const repeated = await unkeyedTrackDatabase(true);
  const before = fileState(repeated);
  await assert.rejects(
    storeClustering(repeated, [{ id: 0, x: 0, y: 0, size: 2 }], { trackIds: ids.slice(0, 2), clusterIds: [0, 0] }),
    (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.equal(
        error.message,
        `The track table of ${repeated} was written by an earlier version without its primary key and holds 2 repeated or empty track ids, so it cannot be upgraded; run notebook 01 to store the tracks again (nothing was changed).`,
      );
      return true;
    },
  );
  assert.equal(fileState(repeated), before);
  // notebook 01 replaces the tracks, and the database is the project's from then on
  await storeTracks(repeated, tracks());
  assert.equal(await storedTrackCount(repeated), ids.length);
});

test("an older k-medoids table without its size column gets the column, filled with the clusters' sizes", async () => {
  const path = await olderDatabase();
  const ids = idsOf(tracks());
  await raw(
    path,
    'CREATE TABLE gower_cluster (id INTEGER PRIMARY KEY, medoid_track_id VARCHAR REFERENCES track(track_id))',
    'CREATE TABLE track_to_gower_cluster (track_id VARCHAR PRIMARY KEY REFERENCES track(track_id), cluster_id INTEGER REFERENCES gower_cluster(id), distance FLOAT)',
    `INSERT INTO gower_cluster VALUES (0, '${ids[0]}'), (1, '${ids[1]}')`,
    `INSERT INTO track_to_gower_cluster SELECT track_id, CASE WHEN track_id = '${ids[1]}' THEN 1 ELSE 0 END, 0.25 FROM track`,
  );
  await storeClustering(path, [{ id: 0, x: 0, y: 0, size: 2 }], { trackIds: ids.slice(0, 2), clusterIds: [0, 0] });
  assert.deepEqual(await queryRows(path, 'SELECT id, size FROM gower_cluster ORDER BY id'), [
    { id: 0, size: ids.length - 1 },
    { id: 1, size: 1 },
  ]);
  assert.equal(existsSync(path), true);
});

test('a database of schema version 2, without the name columns, gets them (NULL) when a clustering is stored', async () => {
  const path = await olderDatabase();
  const ids = idsOf(tracks());
  await raw(
    path,
    'CREATE TABLE gower_cluster (id INTEGER PRIMARY KEY, medoid_track_id VARCHAR REFERENCES track(track_id), size INTEGER)',
    'CREATE TABLE track_to_gower_cluster (track_id VARCHAR PRIMARY KEY REFERENCES track(track_id), cluster_id INTEGER REFERENCES gower_cluster(id), distance FLOAT)',
    'CREATE TABLE sample_track (track_id VARCHAR PRIMARY KEY REFERENCES track(track_id))',
    `INSERT INTO gower_cluster VALUES (0, '${ids[0]}', ${ids.length})`,
    `INSERT INTO track_to_gower_cluster SELECT track_id, 0, 0.25 FROM track`,
    'CREATE TABLE project_metadata (key VARCHAR PRIMARY KEY, value VARCHAR)',
    "INSERT INTO project_metadata VALUES ('project', 'spotify-clusters'), ('schema_version', '2')",
  );
  await storeClustering(path, [{ id: 0, x: 0, y: 0, size: 2, name: 'calm' }], {
    trackIds: ids.slice(0, 2),
    clusterIds: [0, 0],
  });
  assert.deepEqual(await queryRows(path, 'SELECT id, size, name FROM gower_cluster'), [
    { id: 0, size: ids.length, name: null },
  ]);
  assert.deepEqual(await queryRows(path, 'SELECT id, name FROM cluster'), [{ id: 0, name: 'calm' }]);
  assert.deepEqual(await queryRows(path, "SELECT value FROM project_metadata WHERE key = 'schema_version'"), [
    { value: String(SCHEMA_VERSION) },
  ]);
});
