/**
 * The record of runs (lib/data/runs.ts): a run and its clustering written and read back, the cap
 * dropping the oldest first, notebook 01's new tracks leaving the record alone, an older database
 * given the run tables, and every bad record refused with one sentence, the file left as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryRows, SCHEMA_VERSION, storeTracks, withDatabase } from '../../lib/data/db';
import { readRunAssignments, readRuns, storeRun, TRACK_SOURCE_KEY } from '../../lib/data/runs';
import type { RunRecord } from '../../lib/data/runs';
import { databaseContentHash } from '../helpers';
import { fileState, freshPath, idsOf, raw, tracks } from './db-fixtures';

const started = new Date('2026-12-06T09:00:00.000Z');
const finished = new Date('2026-12-06T09:00:41.250Z');
const HASH = 'ab'.repeat(32);

/** A run of notebook 03 with K clusters over the first tracks. */
function kMeansRun(K: number, trackIds: readonly string[], changes: Partial<RunRecord> = {}): RunRecord {
  return {
    notebook: '03',
    started,
    finished,
    parameters: { K, SEED: 42, GOWER_WEIGHTS: { key: 0.5 } },
    projectVersion: 'commit 0123456789ab',
    merits: { K, inertia: 1000 / K, knee: null },
    stepSeconds: { 'k-means elbow sweep': 3.5 },
    clustering: {
      method: 'k-means',
      trackIds,
      clusterIds: trackIds.map((_, i) => i % K),
      names: Array.from({ length: K }, (_, c) => `cluster ${c}`),
    },
    ...changes,
  };
}

async function stored(): Promise<{ path: string; ids: string[] }> {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  return { path, ids: idsOf(t) };
}

test('a run and its clustering are written in one row and read back as they were given', async () => {
  const { path, ids } = await stored();
  const record = kMeansRun(3, ids.slice(0, 10));
  assert.deepEqual(await storeRun(path, record, 20), { id: 1, kept: 1, dropped: [] });
  const [run] = await readRuns(path);
  assert.deepEqual(run, {
    id: 1,
    notebook: '03',
    started,
    finished,
    seconds: 41.25,
    parameters: { K: 3, SEED: 42, GOWER_WEIGHTS: { key: 0.5 } },
    input: null,
    projectVersion: 'commit 0123456789ab',
    merits: { K: 3, inertia: 1000 / 3, knee: null },
    stepSeconds: { 'k-means elbow sweep': 3.5 },
    clustering: 'k-means',
    clusterNames: ['cluster 0', 'cluster 1', 'cluster 2'],
    tracks: 10,
  });
  const kept = await readRunAssignments(path, 1);
  const sorted = ids.slice(0, 10).sort();
  assert.deepEqual(kept.trackIds, sorted);
  assert.deepEqual(
    Array.from(kept.clusterIds),
    sorted.map((id) => ids.indexOf(id) % 3),
  );
  // a run without a clustering (notebooks 01 and 04) has none to compare
  await storeRun(path, { ...kMeansRun(3, []), notebook: '04', clustering: null }, 20);
  assert.equal((await readRuns(path))[1].tracks, 0);
  await assert.rejects(
    readRunAssignments(path, 2),
    /keeps no clustering of run 2 \(the run is not kept, or its notebook clusters nothing\)/,
  );
  await assert.rejects(readRunAssignments(path, 9), /keeps no clustering of run 9/);
});

test('the cap keeps the newest runs: the oldest are dropped first, with their clusterings', async () => {
  const { path, ids } = await stored();
  const reports = [];
  for (let K = 2; K <= 6; K++) reports.push(await storeRun(path, kMeansRun(K, ids.slice(0, 12)), 3));
  assert.deepEqual(reports, [
    { id: 1, kept: 1, dropped: [] },
    { id: 2, kept: 2, dropped: [] },
    { id: 3, kept: 3, dropped: [] },
    { id: 4, kept: 3, dropped: [1] },
    { id: 5, kept: 3, dropped: [2] },
  ]);
  assert.deepEqual(
    (await readRuns(path)).map((run) => [run.id, run.parameters.K]),
    [
      [3, 4],
      [4, 5],
      [5, 6],
    ],
  );
  assert.deepEqual(await queryRows(path, 'SELECT DISTINCT run_id FROM run_assignment ORDER BY run_id'), [
    { run_id: 3 },
    { run_id: 4 },
    { run_id: 5 },
  ]);
  // a smaller cap drops several at once; ids go on from the newest kept
  assert.deepEqual(await storeRun(path, kMeansRun(7, ids.slice(0, 12)), 1), { id: 6, kept: 1, dropped: [3, 4, 5] });
  assert.deepEqual(await queryRows(path, 'SELECT count(*) AS n FROM run_assignment'), [{ n: 12 }]);
});

test("notebook 01's new tracks leave the runs alone, and its input file becomes the later runs' input", async () => {
  const { path, ids } = await stored();
  await storeRun(
    path,
    { ...kMeansRun(2, []), notebook: '01', clustering: null, input: { path: '/data/a.csv', size: 123, hash: HASH } },
    20,
  );
  await storeRun(path, kMeansRun(2, ids.slice(0, 5)), 20);
  await storeTracks(path, tracks()); // notebook 01 again: the clustering tables go, the runs stay
  const runs = await readRuns(path);
  assert.deepEqual(
    runs.map((run) => [run.id, run.notebook, run.input, run.tracks]),
    [
      [1, '01', { path: '/data/a.csv', size: 123, hash: HASH }, 0],
      [2, '03', { path: '/data/a.csv', size: 123, hash: HASH }, 5],
    ],
  );
  assert.deepEqual(await queryRows(path, 'SELECT value FROM project_metadata WHERE key = $1', [TRACK_SOURCE_KEY]), [
    { value: JSON.stringify({ path: '/data/a.csv', size: 123, hash: HASH }) },
  ]);
  // an input given explicitly wins; null says there is none
  await storeRun(path, kMeansRun(2, ids.slice(0, 5), { input: null }), 20);
  assert.equal((await readRuns(path))[2].input, null);
});

test('an older database (schema version 3) is read as having no runs, and gets the run tables from the first run recorded', async () => {
  const { path, ids } = await stored();
  await raw(
    path,
    'DROP TABLE run_assignment',
    'DROP TABLE run',
    "UPDATE project_metadata SET value = '3' WHERE key = 'schema_version'",
  );
  const before = fileState(path);
  assert.deepEqual(await readRuns(path), []);
  await assert.rejects(readRunAssignments(path, 1), /keeps no clustering of run 1/);
  assert.equal(fileState(path), before, 'reading wrote nothing');
  await storeRun(path, kMeansRun(2, ids.slice(0, 4)), 20);
  assert.equal((await readRuns(path)).length, 1);
  assert.deepEqual(await queryRows(path, "SELECT value FROM project_metadata WHERE key = 'schema_version'"), [
    { value: String(SCHEMA_VERSION) },
  ]);
  assert.equal(SCHEMA_VERSION, 4);
});

test('a store of tracks upgrades a version 3 database with the run tables too', async () => {
  const { path } = await stored();
  await raw(
    path,
    'DROP TABLE run_assignment',
    'DROP TABLE run',
    "UPDATE project_metadata SET value = '3' WHERE key = 'schema_version'",
  );
  await storeTracks(path, tracks());
  assert.deepEqual(
    await queryRows(path, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name IN ('run', 'run_assignment')"),
    [{ n: 2 }],
  );
});

test('every bad record is refused with one sentence before anything is written, and the database is left as it was', async () => {
  const { path, ids } = await stored();
  await storeRun(path, kMeansRun(2, ids.slice(0, 4)), 20);
  const before = fileState(path);
  const hash = await databaseContentHash(path);
  const four = ids.slice(0, 4);
  const cyclic: Record<string, unknown> = { K: 2 };
  cyclic.self = cyclic;
  const cases: [string, RunRecord, number, RegExp][] = [
    [
      'a cap of 0',
      kMeansRun(2, four),
      0,
      /^The number of runs to keep is 0, but it must be a whole number 1 or more \(RUNS_KEPT\)\./,
    ],
    ['a cap of 1.5', kMeansRun(2, four), 1.5, /runs to keep is 1\.5/],
    [
      'a notebook that is not two digits',
      kMeansRun(2, four, { notebook: '3' }),
      20,
      /^The run's notebook is "3"; name it by its two digits/,
    ],
    [
      'an invalid date',
      kMeansRun(2, four, { started: new Date('no') }),
      20,
      /^The run's start time is Invalid Date, which is not a valid date/,
    ],
    [
      'an end before the start',
      kMeansRun(2, four, { finished: new Date('2026-12-06T08:00:00Z') }),
      20,
      /^The run finished \(2026-12-06T08:00:00\.000Z\) before it started/,
    ],
    [
      'a parameter that is NaN',
      kMeansRun(2, four, { parameters: { K: NaN } }),
      20,
      /^The run's parameter K is NaN; parameters must be finite/,
    ],
    [
      'parameters that refer to themselves',
      kMeansRun(2, four, { parameters: cyclic }),
      20,
      /^The run's parameters cannot be written as JSON/,
    ],
    [
      'parameters that are not an object',
      kMeansRun(2, four, { parameters: [] as never }),
      20,
      /^The run's parameters must be an object/,
    ],
    [
      'an input hash that is not SHA-256',
      kMeansRun(2, four, { input: { path: '/a.csv', size: 1, hash: 'xyz' } }),
      20,
      /^The run's input file \/a\.csv has the hash "xyz"; give its SHA-256 as 64 lower-case hex digits/,
    ],
    [
      'an input size below 0',
      kMeansRun(2, four, { input: { path: '/a.csv', size: -1, hash: HASH } }),
      20,
      /has the size -1; give its size in bytes/,
    ],
    [
      'an input without a path',
      kMeansRun(2, four, { input: { path: '', size: 1, hash: HASH } }),
      20,
      /^The run's input file has no path/,
    ],
    [
      'a figure of merit that is not finite',
      kMeansRun(2, four, { merits: { inertia: Infinity } }),
      20,
      /^The run's figures of merit give "inertia" the value Infinity, but each must be a finite number or null\./,
    ],
    [
      'a figure of merit without a name',
      kMeansRun(2, four, { merits: { ' ': 1 } }),
      20,
      /^The run's figures of merit have an empty name/,
    ],
    [
      'a step of negative seconds',
      kMeansRun(2, four, { stepSeconds: { 'Gower matrix': -1 } }),
      20,
      /^The run's step times give "Gower matrix" the value -1, but each must be a finite number of 0 or more\./,
    ],
    ['a step time of null', kMeansRun(2, four, { stepSeconds: { t: null as never } }), 20, /give "t" the value null/],
    [
      'a clustering of more tracks than clusters',
      kMeansRun(2, four, { clustering: { method: 'k-means', trackIds: four, clusterIds: [0, 1] } }),
      20,
      /^The run's clustering has 4 track ids and 2 cluster ids; give one cluster for each of at least one track\./,
    ],
    [
      'an empty clustering',
      kMeansRun(2, four, { clustering: { method: 'k-means', trackIds: [], clusterIds: [] } }),
      20,
      /has 0 track ids and 0 cluster ids/,
    ],
    [
      'a track twice',
      kMeansRun(2, four, { clustering: { method: 'k-means', trackIds: [four[0], four[0]], clusterIds: [0, 1] } }),
      20,
      new RegExp(`^The track ${four[0]} appears twice in the run's clustering`),
    ],
    [
      'a track without an id',
      kMeansRun(2, four, { clustering: { method: 'k-means', trackIds: [''], clusterIds: [0] } }),
      20,
      /^Track 0 of the run's clustering has the id ""/,
    ],
    [
      'a negative cluster',
      kMeansRun(2, four, { clustering: { method: 'k-means', trackIds: [four[0]], clusterIds: [-1] } }),
      20,
      /is in cluster -1; clusters are whole numbers from 0\./,
    ],
    [
      'a cluster that is not whole',
      kMeansRun(2, four, { clustering: { method: 'k-means', trackIds: [four[0]], clusterIds: [0.5] } }),
      20,
      /is in cluster 0\.5/,
    ],
    [
      'too few names',
      kMeansRun(2, four, { clustering: { method: 'k-means', trackIds: four, clusterIds: [0, 1, 2, 2], names: ['a'] } }),
      20,
      /^The run's clustering names 1 clusters, but its tracks are in clusters up to 2; name every cluster\./,
    ],
    [
      'a blank name',
      kMeansRun(2, four, {
        clustering: { method: 'k-means', trackIds: four, clusterIds: [0, 0, 1, 1], names: ['a', ' '] },
      }),
      20,
      /^Cluster 1 of the run's clustering has no name/,
    ],
    [
      'a clustering without a method',
      kMeansRun(2, four, { clustering: { method: '', trackIds: four, clusterIds: [0, 0, 0, 0] } }),
      20,
      /^The run's clustering has no method/,
    ],
  ];
  for (const [what, record, keep, message] of cases) {
    await assert.rejects(storeRun(path, record, keep), (error: unknown) => {
      assert.ok(error instanceof Error, what);
      assert.match(error.message, message, what);
      assert.match(error.message, /Nothing was recorded\.$/, what);
      assert.equal(
        error.message.split(/(?<=[.!?])\s+(?=[A-Z])/).length,
        2,
        `${what}: one sentence and "Nothing was recorded."`,
      );
      return true;
    });
  }
  assert.equal(fileState(path), before);
  assert.equal(await databaseContentHash(path), hash);
});

test("another program's database, or a newer one, is refused by storeRun and readRuns and left byte for byte as it was", async () => {
  const foreign = freshPath();
  await raw(foreign, 'CREATE TABLE run (id INTEGER, title VARCHAR)');
  const before = fileState(foreign);
  await assert.rejects(
    storeRun(foreign, kMeansRun(2, [], { clustering: null }), 20),
    /has a table run with other columns than this project's .*, so it belongs to another program and was left as it was/,
  );
  await assert.rejects(
    readRuns(foreign),
    /has a table run with other columns than this project's .*, so it belongs to another program and was left as it was/,
  );
  assert.equal(fileState(foreign), before);
  const { path } = await stored();
  await raw(path, "UPDATE project_metadata SET value = '99' WHERE key = 'schema_version'");
  const newer = fileState(path);
  await assert.rejects(
    storeRun(path, kMeansRun(2, [], { clustering: null }), 20),
    /written by a newer version of this project \(schema version 99/,
  );
  assert.equal(fileState(path), newer);
});

test('the run tables are made with the DDL the README shows, without foreign keys to track', async () => {
  const { path } = await stored();
  const columns = await withDatabase(path, async (con) =>
    (
      await con.runAndReadAll(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE table_name IN ('run', 'run_assignment') ORDER BY table_name, column_index",
      )
    )
      .getRows()
      .map((row) => row.join(' ')),
  );
  assert.deepEqual(columns, [
    'run id INTEGER',
    'run notebook VARCHAR',
    'run started TIMESTAMP',
    'run finished TIMESTAMP',
    'run parameters VARCHAR',
    'run input_path VARCHAR',
    'run input_size BIGINT',
    'run input_hash VARCHAR',
    'run project_version VARCHAR',
    'run merits VARCHAR',
    'run step_seconds VARCHAR',
    'run clustering VARCHAR',
    'run cluster_names VARCHAR',
    'run_assignment run_id INTEGER',
    'run_assignment track_id VARCHAR',
    'run_assignment cluster_id INTEGER',
  ]);
  assert.deepEqual(
    await queryRows(
      path,
      "SELECT count(*) AS n FROM duckdb_constraints() WHERE table_name LIKE 'run%' AND constraint_type = 'FOREIGN KEY'",
    ),
    [{ n: 0 }],
  );
});
