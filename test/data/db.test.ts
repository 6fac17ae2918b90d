import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkDatabaseFile,
  DatabaseError,
  inTransaction,
  queryRows,
  storeClustering,
  storedTrackCount,
  storeGowerClustering,
  storeTracks,
  tableCounts,
  tracksFromFrame,
  withDatabase,
} from '../../lib/data/db';
import { databaseContentHash } from '../helpers';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { dropDuplicateTracks } from '../../lib/data/clean';
import { SPOTIFY_COLUMNS } from '../../lib/data/schema';
import { generatedFrame } from './generated-frame';

const freshPath = (): string => join(mkdtempSync(join(tmpdir(), 'db-')), 'test.duckdb');
const tracks = () =>
  tracksFromFrame(dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows: 300, seed: 1 }))).df);

async function addClustering(path: string): Promise<void> {
  await withDatabase(path, async (con) => {
    await con.run('INSERT INTO cluster (id, x, y, size) VALUES (0, 0.5, 0.5, 2), (1, -0.5, 0.5, 1)');
    await con.run('INSERT INTO track_to_cluster SELECT track_id, 0 FROM track LIMIT 2');
    await con.run('INSERT INTO track_to_cluster SELECT track_id, 1 FROM track ORDER BY track_id DESC LIMIT 1');
  });
}

test("the three tables have the original notebook's names, columns, types and keys", async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  const columns = await queryRows(
    path,
    "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_name IN ('cluster', 'track_to_cluster') ORDER BY table_name, ordinal_position",
  );
  assert.deepEqual(
    columns.map((c) => `${c.table_name}.${c.column_name} ${c.data_type}`),
    [
      'cluster.id INTEGER',
      'cluster.x FLOAT',
      'cluster.y FLOAT',
      'cluster.size FLOAT',
      'cluster.name VARCHAR',
      'track_to_cluster.track_id VARCHAR',
      'track_to_cluster.cluster_id INTEGER',
    ],
  );
  const trackColumns = await queryRows(
    path,
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'track' ORDER BY ordinal_position",
  );
  assert.deepEqual(
    trackColumns.map((c) => c.column_name),
    SPOTIFY_COLUMNS.map((c) => c.name),
  );
  assert.equal(trackColumns.find((c) => c.column_name === 'popularity')?.data_type, 'BIGINT');
  assert.equal(trackColumns.find((c) => c.column_name === 'tempo')?.data_type, 'DOUBLE');
  const constraints = await queryRows(
    path,
    'SELECT table_name, constraint_type FROM duckdb_constraints() ORDER BY table_name, constraint_type',
  );
  const kinds = constraints.map((c) => `${c.table_name} ${c.constraint_type}`);
  assert.ok(kinds.includes('track PRIMARY KEY'));
  assert.ok(kinds.includes('cluster PRIMARY KEY'));
  assert.equal(kinds.filter((k) => k === 'track_to_cluster FOREIGN KEY').length, 2);
});

test('the primary key refuses a second row with the same track id', async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  await assert.rejects(
    withDatabase(path, (con) => con.run('INSERT INTO track (track_id) SELECT track_id FROM track LIMIT 1')),
    /[Dd]uplicate key|PRIMARY KEY|constraint/,
  );
});

test('queryRows binds values to $1 … or $name, so a value holding quotes is matched as it is, never run', async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  const [{ track_id: id }] = await queryRows(path, 'SELECT track_id FROM track ORDER BY track_id LIMIT 1');
  const name = `It's "quoted" ''twice''; --`;
  await withDatabase(path, (con) =>
    con.run('UPDATE track SET track_name = $1 WHERE track_id = $2', [name, String(id)]),
  );
  const sql = 'SELECT track_id, track_name FROM track WHERE track_name = $1 AND popularity >= $2';
  assert.deepEqual(await queryRows(path, sql, [name, 0]), [{ track_id: id, track_name: name }]);
  const named = await queryRows(path, 'SELECT count(*) AS n FROM track WHERE track_id = $id', { id: String(id) });
  assert.deepEqual(named, [{ n: 1 }]);
  const injection = "x' OR '1'='1";
  assert.deepEqual(await queryRows(path, 'SELECT track_id FROM track WHERE track_id = $1', [injection]), []);
  await assert.rejects(queryRows(path, sql, 'x' as never), /as a list \(\[id\] for \$1\) or an object/);
});

test('a membership of an unknown track or cluster is refused by the foreign keys', async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  await assert.rejects(
    withDatabase(path, (con) => con.run("INSERT INTO track_to_cluster VALUES ('no-such-track', 0)")),
    /foreign key/i,
  );
});

test('storing twice, even after a clustering was written, gives the same database without key errors', async () => {
  const path = freshPath();
  const first = await storeTracks(path, tracks());
  const snapshot = await queryRows(path, 'SELECT * FROM track ORDER BY track_id');
  await addClustering(path);
  const second = await storeTracks(path, tracks());
  assert.deepEqual(first, {
    tracks: second.tracks,
    clearedMemberships: 0,
    clearedClusters: 0,
    clearedSampleTracks: 0,
    clearedGowerMemberships: 0,
    clearedGowerClusters: 0,
  });
  assert.equal(second.clearedMemberships, 3);
  assert.equal(second.clearedClusters, 2);
  assert.deepEqual(await queryRows(path, 'SELECT * FROM track ORDER BY track_id'), snapshot);
  assert.deepEqual(await tableCounts(path), {
    track: first.tracks,
    cluster: 0,
    track_to_cluster: 0,
    sample_track: 0,
    gower_cluster: 0,
    track_to_gower_cluster: 0,
  });
});

test('a failure in the middle of a write leaves the previous contents intact', async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  await addClustering(path);
  const before = await queryRows(path, 'SELECT * FROM track ORDER BY track_id');
  const broken = tracks();
  const rows = broken.rows.map((row) => [...row]);
  rows[rows.length - 1][4] = 'not a number' as unknown as number; // popularity, fails inside the appender
  await assert.rejects(storeTracks(path, { columns: broken.columns, rows }));
  assert.deepEqual(await queryRows(path, 'SELECT * FROM track ORDER BY track_id'), before);
  assert.deepEqual(await tableCounts(path), {
    track: before.length,
    cluster: 2,
    track_to_cluster: 3,
    sample_track: 0,
    gower_cluster: 0,
    track_to_gower_cluster: 0,
  });
});

test('repeated track ids are refused before the database is touched', async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  const t = tracks();
  await assert.rejects(
    storeTracks(path, { columns: t.columns, rows: [...t.rows, t.rows[0]] }),
    /appears more than once; drop duplicate track ids first/,
  );
  assert.equal((await tableCounts(path)).track, t.rows.length);
});

test('a file locked by another process gets a sentence that says so and what to do', async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `
    require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(path)})
      .then((db) => db.connect()).then(() => { console.log('holding'); setTimeout(() => {}, 30000); });
  `,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    await assert.rejects(tableCounts(path), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.match(
        error.message,
        /is in use by another process \(.*PID \d+\).*Close that program \(or restart that kernel\) and run this step again; nothing was changed/,
      );
      return true;
    });
  } finally {
    holder.kill();
  }
  await new Promise((resolve) => holder.once('exit', resolve));
  assert.equal((await tableCounts(path)).track > 0, true); // usable again once released
});

test('the connection is closed after each step, so another process can open the file', async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  const other = spawn(
    process.execPath,
    [
      '-e',
      `
    require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(path)})
      .then((db) => db.connect()).then((c) => c.runAndReadAll('SELECT count(*) FROM track')).then((r) => console.log(String(r.getRows()[0][0])));
  `,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  other.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  const code = await new Promise((resolve) => other.once('exit', resolve));
  assert.equal(code, 0);
  assert.equal(Number(output.trim()), tracks().rows.length);
});

test('a clustering is stored and replaced by the next one, without key errors', async () => {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  const ids = t.rows.slice(0, 10).map((row) => String(row[3]));
  const clusters = [
    { id: 0, x: 0, y: 1, size: 6 },
    { id: 1, x: 1, y: 0, size: 4 },
  ];
  const labels = ids.map((_, i) => (i < 6 ? 0 : 1));
  const first = await storeClustering(path, clusters, { trackIds: ids, clusterIds: labels });
  assert.deepEqual(first, {
    clusters: 2,
    memberships: 10,
    sampleTracks: 10,
    replacedClusters: 0,
    replacedMemberships: 0,
  });
  const second = await storeClustering(path, clusters, { trackIds: ids, clusterIds: labels });
  assert.deepEqual(second, {
    clusters: 2,
    memberships: 10,
    sampleTracks: 10,
    replacedClusters: 2,
    replacedMemberships: 10,
  });
  const joined = await queryRows(
    path,
    'SELECT c.id, count(*) AS n, any_value(c.size) AS size FROM track_to_cluster m JOIN cluster c ON m.cluster_id = c.id JOIN track t USING (track_id) GROUP BY c.id ORDER BY c.id',
  );
  assert.deepEqual(joined, [
    { id: 0, n: 6, size: 6 },
    { id: 1, n: 4, size: 4 },
  ]);
});

test('a membership naming an unknown track leaves the previous clustering in place', async () => {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  const ids = t.rows.slice(0, 4).map((row) => String(row[3]));
  await storeClustering(path, [{ id: 0, x: 0, y: 0, size: 4 }], { trackIds: ids, clusterIds: [0, 0, 0, 0] });
  await assert.rejects(
    storeClustering(path, [{ id: 0, x: 0, y: 0, size: 2 }], {
      trackIds: [ids[0], 'no-such-track'],
      clusterIds: [0, 0],
    }),
    /The track no-such-track is not in the track table.*Nothing was stored/,
  );
  assert.deepEqual(await tableCounts(path), {
    track: t.rows.length,
    cluster: 1,
    track_to_cluster: 4,
    sample_track: 4,
    gower_cluster: 0,
    track_to_gower_cluster: 0,
  });
  await assert.rejects(
    storeClustering(path, [{ id: 0, x: 0, y: 0, size: 2 }], { trackIds: [ids[0]], clusterIds: [5] }),
    /cluster 5, which is not among the clusters/,
  );
});

test('an existing file that is not a DuckDB database is refused before it is opened, and left byte for byte as it was', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'db-'));
  const csvFile = join(dir, 'SpotifyFeatures.csv');
  const text = 'genre,artist_name,track_name\nPop,A,B\n';
  writeFileSync(csvFile, text);
  for (const step of [
    () => storeTracks(csvFile, tracks()),
    () => tableCounts(csvFile),
    () => storedTrackCount(csvFile),
  ]) {
    await assert.rejects(step(), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.match(
        error.message,
        /is an existing file that is not a DuckDB database \(it starts with "genre,artist_name,track_name"\), so it was left alone and nothing was changed; point DB_PATH at a DuckDB file or at a path where no file exists yet/,
      );
      return true;
    });
  }
  assert.equal(readFileSync(csvFile, 'utf8'), text);
  assert.deepEqual(readdirSync(dir), ['SpotifyFeatures.csv']); // no .wal beside it either
  assert.throws(
    () => checkDatabaseFile(dir),
    /is a folder, so it was left alone and nothing was changed; point DB_PATH at a DuckDB file inside it/,
  );
});

test('storing no tracks, or an empty clustering, is refused and leaves the database exactly as it was', async () => {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  await addClustering(path);
  const before = await databaseContentHash(path);
  await assert.rejects(
    storeTracks(path, { columns: t.columns, rows: [] }),
    /There are no tracks to store, and storing none would empty the track table and the clustering; the database was left as it was/,
  );
  await assert.rejects(
    storeClustering(path, [], { trackIds: [], clusterIds: [] }),
    /There are 0 clusters and 0 memberships to store; storing none would empty the stored clustering/,
  );
  assert.equal(await databaseContentHash(path), before);
  const counts = await tableCounts(path);
  assert.deepEqual([counts.track, counts.cluster, counts.track_to_cluster], [t.rows.length, 2, 3]);
});

test("a failed COMMIT is reported with the COMMIT's own error, not the ROLLBACK that follows it", async () => {
  const statements: string[] = [];
  const connection = {
    async run(sql: string) {
      statements.push(sql);
      if (sql === 'COMMIT')
        throw new Error('IO Error: could not write to the write-ahead log: No space left on device');
      if (sql === 'ROLLBACK') throw new Error('TransactionContext Error: cannot rollback - no transaction is active');
      return undefined as never;
    },
  };
  await assert.rejects(
    inTransaction(connection, async () => 7),
    (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.match(
        error.message,
        /could not commit this step \(IO Error: could not write to the write-ahead log: No space left on device\); it was rolled back/,
      );
      return true;
    },
  );
  assert.deepEqual(statements, ['BEGIN TRANSACTION', 'COMMIT', 'ROLLBACK']);
  // and an error inside the work stays that error when the ROLLBACK fails too
  await assert.rejects(
    inTransaction(connection, async () => {
      throw new Error('the real cause');
    }),
    /^Error: the real cause$/,
  );
});

test('storedTrackCount is 0 for a path without a database, without making a file there', async () => {
  const path = freshPath();
  assert.equal(await storedTrackCount(path), 0);
  assert.equal(existsSync(path), false);
  await storeTracks(path, tracks());
  assert.equal(await storedTrackCount(path), tracks().rows.length);
});

// The sample and the k-medoids clustering.

const idsOf = (t: ReturnType<typeof tracks>): string[] => t.rows.map((row) => String(row[3]));

test('sample_track, gower_cluster and track_to_gower_cluster have exactly the columns, keys and references asked for', async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  const columns = await queryRows(
    path,
    "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_name IN ('sample_track', 'gower_cluster', 'track_to_gower_cluster') ORDER BY table_name, ordinal_position",
  );
  assert.deepEqual(
    columns.map((c) => `${c.table_name}.${c.column_name} ${c.data_type}`),
    [
      'gower_cluster.id INTEGER',
      'gower_cluster.medoid_track_id VARCHAR',
      'gower_cluster.size INTEGER',
      'gower_cluster.name VARCHAR',
      'sample_track.track_id VARCHAR',
      'track_to_gower_cluster.track_id VARCHAR',
      'track_to_gower_cluster.cluster_id INTEGER',
      'track_to_gower_cluster.distance FLOAT',
    ],
  );
  const constraints = await queryRows(
    path,
    "SELECT table_name, constraint_text FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY') AND table_name IN ('sample_track', 'gower_cluster', 'track_to_gower_cluster') ORDER BY table_name, constraint_text",
  );
  assert.deepEqual(
    constraints.map((c) => `${c.table_name}: ${c.constraint_text}`),
    [
      'gower_cluster: FOREIGN KEY (medoid_track_id) REFERENCES track(track_id)',
      'gower_cluster: PRIMARY KEY(id)',
      'sample_track: FOREIGN KEY (track_id) REFERENCES track(track_id)',
      'sample_track: PRIMARY KEY(track_id)',
      'track_to_gower_cluster: FOREIGN KEY (cluster_id) REFERENCES gower_cluster(id)',
      'track_to_gower_cluster: FOREIGN KEY (track_id) REFERENCES track(track_id)',
      'track_to_gower_cluster: PRIMARY KEY(track_id)',
    ],
  );
});

test('a clustering of every track stores its sample in sample_track, in the same transaction', async () => {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  const ids = idsOf(t);
  const labels = ids.map((_, i) => i % 3);
  const clusters = [0, 1, 2].map((id) => ({ id, x: id, y: 0, size: labels.filter((l) => l === id).length }));
  const sample = ids.slice(0, 20);
  const report = await storeClustering(path, clusters, { trackIds: ids, clusterIds: labels, sampleTrackIds: sample });
  assert.equal(report.memberships, ids.length);
  assert.equal(report.sampleTracks, 20);
  const [check] = await queryRows(
    path,
    `SELECT (SELECT count(*) FROM sample_track s JOIN track USING (track_id)) AS sampled,
    (SELECT count(*) FROM track_to_cluster m JOIN track USING (track_id) JOIN cluster c ON m.cluster_id = c.id) AS resolved,
    (SELECT sum(size) FROM cluster) AS total`,
  );
  assert.deepEqual(check, { sampled: 20, resolved: ids.length, total: ids.length });
  // An unknown sampled track leaves everything as it was.
  await assert.rejects(
    storeClustering(path, clusters, { trackIds: ids, clusterIds: labels, sampleTrackIds: ['no-such-track'] }),
    /The sampled track no-such-track is not in the track table.*Nothing was stored/,
  );
  assert.deepEqual(await tableCounts(path), {
    track: ids.length,
    cluster: 3,
    track_to_cluster: ids.length,
    sample_track: 20,
    gower_cluster: 0,
    track_to_gower_cluster: 0,
  });
  await assert.rejects(
    storeClustering(path, clusters, { trackIds: ids, clusterIds: labels, sampleTrackIds: [ids[0], ids[0]] }),
    /appears twice in the sample track ids/,
  );
});

test('a k-medoids clustering is stored with sizes counted, every key resolving, and replaced by the next one', async () => {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  const ids = idsOf(t);
  const labels = ids.map((_, i) => (i < 100 ? 0 : 1));
  const distances = ids.map((_, i) => (i === 0 || i === 100 ? 0 : 0.25));
  const clustering = {
    clusters: [
      { id: 0, medoidTrackId: ids[0] },
      { id: 1, medoidTrackId: ids[100] },
    ],
    assignments: { trackIds: ids, clusterIds: labels, distances },
  };
  const first = await storeGowerClustering(path, clustering);
  assert.deepEqual(first, { clusters: 2, assignments: ids.length, replacedClusters: 0, replacedAssignments: 0 });
  const second = await storeGowerClustering(path, clustering);
  assert.deepEqual(second, {
    clusters: 2,
    assignments: ids.length,
    replacedClusters: 2,
    replacedAssignments: ids.length,
  });
  const rows = await queryRows(
    path,
    `SELECT g.id, g.medoid_track_id, g.size, count(*) AS n, min(m.distance) AS nearest
    FROM track_to_gower_cluster m JOIN gower_cluster g ON m.cluster_id = g.id JOIN track t USING (track_id) JOIN track medoid ON medoid.track_id = g.medoid_track_id
    GROUP BY ALL ORDER BY g.id`,
  );
  assert.deepEqual(rows, [
    { id: 0, medoid_track_id: ids[0], size: 100, n: 100, nearest: 0 },
    { id: 1, medoid_track_id: ids[100], size: ids.length - 100, n: ids.length - 100, nearest: 0 },
  ]);
});

test('a bad k-medoids clustering is refused and leaves the previous one in place', async () => {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  const ids = idsOf(t).slice(0, 4);
  const good = {
    clusters: [{ id: 0, medoidTrackId: ids[0], size: 4 }],
    assignments: { trackIds: ids, clusterIds: [0, 0, 0, 0], distances: [0, 0.1, 0.2, 0.3] },
  };
  await storeGowerClustering(path, good);
  const counts = await tableCounts(path);
  await assert.rejects(
    storeGowerClustering(path, { ...good, clusters: [{ id: 0, medoidTrackId: 'no-such-track' }] }),
    /The medoid no-such-track is not in the track table.*Nothing was stored/,
  );
  await assert.rejects(
    storeGowerClustering(path, {
      ...good,
      assignments: { ...good.assignments, trackIds: [...ids.slice(0, 3), 'gone'] },
    }),
    /The track gone is not in the track table/,
  );
  await assert.rejects(
    storeGowerClustering(path, { ...good, clusters: [{ id: 0, medoidTrackId: ids[0], size: 3 }] }),
    /Cluster 0 has size 3, but 4 tracks are assigned to it/,
  );
  await assert.rejects(
    storeGowerClustering(path, { ...good, assignments: { ...good.assignments, clusterIds: [0, 0, 0, 7] } }),
    /cluster 7, which is not among the clusters/,
  );
  await assert.rejects(
    storeGowerClustering(path, { ...good, assignments: { ...good.assignments, distances: [0, 0, 0, 1.5] } }),
    /Gower distance 1.5 to its medoid/,
  );
  await assert.rejects(
    storeGowerClustering(path, {
      ...good,
      assignments: { ...good.assignments, trackIds: [ids[0], ids[0], ids[1], ids[2]] },
    }),
    /appears twice in the assignments/,
  );
  assert.deepEqual(await tableCounts(path), counts);
});

test('storing the tracks again clears the sample and both clusterings, referring tables first', async () => {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  const ids = idsOf(t);
  await storeClustering(path, [{ id: 0, x: 0, y: 0, size: ids.length }], {
    trackIds: ids,
    clusterIds: ids.map(() => 0),
    sampleTrackIds: ids.slice(0, 5),
  });
  await storeGowerClustering(path, {
    clusters: [{ id: 0, medoidTrackId: ids[0] }],
    assignments: { trackIds: ids, clusterIds: ids.map(() => 0), distances: ids.map(() => 0) },
  });
  const report = await storeTracks(path, t);
  assert.deepEqual(report, {
    tracks: ids.length,
    clearedMemberships: ids.length,
    clearedClusters: 1,
    clearedSampleTracks: 5,
    clearedGowerMemberships: ids.length,
    clearedGowerClusters: 1,
  });
  assert.deepEqual(await tableCounts(path), {
    track: ids.length,
    cluster: 0,
    track_to_cluster: 0,
    sample_track: 0,
    gower_cluster: 0,
    track_to_gower_cluster: 0,
  });
});

test('a database written before these tables existed takes a sample and a k-medoids clustering', async () => {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  await withDatabase(path, async (con) => {
    for (const table of ['track_to_gower_cluster', 'gower_cluster', 'sample_track'])
      await con.run(`DROP TABLE ${table}`);
  });
  const ids = idsOf(t).slice(0, 3);
  await storeClustering(path, [{ id: 0, x: 0, y: 0, size: 3 }], { trackIds: ids, clusterIds: [0, 0, 0] });
  await storeGowerClustering(path, {
    clusters: [{ id: 0, medoidTrackId: ids[0] }],
    assignments: { trackIds: ids, clusterIds: [0, 0, 0], distances: [0, 0.5, 1] },
  });
  const counts = await tableCounts(path);
  assert.deepEqual([counts.sample_track, counts.gower_cluster, counts.track_to_gower_cluster], [3, 1, 3]);
});

test('cluster names are stored with both clusterings and read back; without names, "cluster <id>"', async () => {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  const ids = idsOf(t);
  const labels = ids.map((_, i) => (i < 100 ? 0 : 1));
  const medoids = [
    { id: 0, medoidTrackId: ids[0], name: 'Dance · minor' },
    { id: 1, medoidTrackId: ids[100], name: 'Country · acoustic · calm' },
  ];
  const assignments = { trackIds: ids, clusterIds: labels, distances: ids.map(() => 0) };
  await storeGowerClustering(path, { clusters: medoids, assignments });
  const positions = [
    { id: 0, x: 0, y: 0, size: 100, name: 'energetic · Pop' },
    { id: 1, x: 1, y: 0, size: ids.length - 100 },
  ];
  await storeClustering(path, positions, { trackIds: ids, clusterIds: labels });
  assert.deepEqual(await queryRows(path, 'SELECT id, name FROM gower_cluster ORDER BY id'), [
    { id: 0, name: 'Dance · minor' },
    { id: 1, name: 'Country · acoustic · calm' },
  ]);
  assert.deepEqual(await queryRows(path, 'SELECT id, name FROM cluster ORDER BY id'), [
    { id: 0, name: 'energetic · Pop' },
    { id: 1, name: 'cluster 1' },
  ]);
  // a repeated or empty name is refused before the database is touched
  const twice = [medoids[0], { ...medoids[1], name: 'Dance · minor' }];
  await assert.rejects(
    storeGowerClustering(path, { clusters: twice, assignments }),
    /^Error: Clusters 0 and 1 are both named "Dance · minor"; names must be unique/,
  );
  await assert.rejects(
    storeClustering(path, [{ ...positions[0], name: ' ' }, positions[1]], { trackIds: ids, clusterIds: labels }),
    /^Error: Cluster 0 has the name " "; a name must be a non-empty text/,
  );
  assert.deepEqual(await queryRows(path, 'SELECT name FROM gower_cluster ORDER BY id'), [
    { name: 'Dance · minor' },
    { name: 'Country · acoustic · calm' },
  ]);
});
