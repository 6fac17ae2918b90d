import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBeforeRun, notebooksOf } from '../../lib/notebook/preflight';
import { ParameterError } from '../../lib/notebook/parameters';
import { storedTrackCount, storeTracks, tracksFromFrame } from '../../lib/data/db';
import { storeOneClusterEach } from '../helpers';
import { dropDuplicateTracks } from '../../lib/data/clean';
import { SpotifyCsvError } from '../../lib/data/csv-checks';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { generatedFrame } from '../data/generated-frame';

const folder = mkdtempSync(join(tmpdir(), 'preflight-'));
const rows = generateSpotifyRows({ rows: 1200, seed: 8 });
const csv = join(folder, 'tracks.csv');
writeFileSync(csv, spotifyCsvText(rows));
const env = (changes: Record<string, string> = {}) => ({
  SPOTIFY_CSV: csv,
  DB_PATH: join(folder, 'new.duckdb'),
  SAMPLE_SIZE: '300',
  K: '4',
  ...changes,
});

/** Distinct tracks (first row of each id) with popularity above 10, counted from the generator's rows. */
function expectedTracks(): number {
  const seen = new Set<string>();
  let kept = 0;
  for (const row of rows) {
    if (seen.has(row.track_id)) continue;
    seen.add(row.track_id);
    if (row.popularity > 10) kept++;
  }
  return kept;
}

test('a run that can finish is described: the tracks notebook 01 will store and every parameter', async () => {
  const checked = await checkBeforeRun(env());
  assert.equal(checked.tracks, expectedTracks());
  assert.equal(checked.storedTracks, 0);
  assert.equal(checked.parameters.K, 4);
});

test('the tracks the file keeps decide: a sample or a K they cannot hold is refused before anything runs', async () => {
  await assert.rejects(checkBeforeRun(env({ SAMPLE_SIZE: '5000', K: '2000' })), (error: unknown) => {
    assert.ok(error instanceof ParameterError);
    assert.match(
      error.message,
      new RegExp(`^K is 2,000, but it must be a whole number from 2 to ${expectedTracks()}, the tracks in the sample`),
    );
    return true;
  });
  await assert.rejects(
    checkBeforeRun(env({ POPULARITY_MIN: '95' })),
    /^ParameterError: POPULARITY_MIN is 95, but only \d+ of the/,
  );
});

test('a damaged input file is refused by the loader before anything runs', async () => {
  const bad = join(folder, 'bad.csv');
  writeFileSync(bad, spotifyCsvText(rows.slice(0, 200)).replace(/,4\/4,/, ',7/8,'));
  await assert.rejects(checkBeforeRun(env({ SPOTIFY_CSV: bad })), (error: unknown) => {
    assert.ok(error instanceof SpotifyCsvError);
    assert.match(
      error.message,
      /the column 'time_signature' holds 1 value that is not one of 4\/4, 3\/4, 5\/4, 1\/4, 0\/4, such as "7\/8" on line \d+/,
    );
    return true;
  });
});

test('the notebooks of a run are known by their file names; an unknown notebook counts as all five', () => {
  assert.deepEqual(notebooksOf(['notebooks/04-catalogue.ipynb']), ['04']);
  assert.deepEqual(notebooksOf(['/x/notebooks/03-kmeans-clustering.ipynb', '/x/notebooks/01-cleaning.ipynb']), [
    '01',
    '03',
  ]);
  assert.deepEqual(notebooksOf(['02']), ['02']);
  assert.deepEqual(notebooksOf(['notebooks/my-own.ipynb']), ['01', '02', '03', '04', '05']);
  assert.deepEqual(notebooksOf(['notebooks/07-extra.ipynb', '04']), ['01', '02', '03', '04', '05']);
  assert.deepEqual(notebooksOf(['notebooks/05-runs.ipynb']), ['05']);
});

test('a run of notebook 04 alone needs no input file: it checks the stored tracks and what 04 reads', async () => {
  const db = join(folder, 'stored.duckdb');
  await storeTracks(db, tracksFromFrame(dropDuplicateTracks(generatedFrame(rows)).df));
  const stored = await storedTrackCount(db);
  const only04 = { SPOTIFY_CSV: join(folder, 'gone.csv'), DB_PATH: db, K: 'many' };
  // tracks but no clusterings yet: refused, naming the notebook that makes what 04 reads
  await assert.rejects(
    checkBeforeRun(only04, ['notebooks/04-catalogue.ipynb']),
    /^DatabaseError: The database .*stored\.duckdb has no k-means clustering yet \(its table track_to_cluster is empty\): run notebook 03 first/,
  );
  const ids = await storeOneClusterEach(db);
  assert.ok(ids.length > 0);
  // notebook 01 empties the clusterings: 01 then 04 needs 02 and 03 between them
  await assert.rejects(
    checkBeforeRun({ ...only04, SPOTIFY_CSV: csv, K: '4' }, ['01', '04']),
    /^DatabaseError: Notebook 04 reads track_to_cluster, which notebook 01 empties earlier in this run and no notebook after it remakes: run notebook 03 before 04 too, or leave 01 out\.$/,
  );
  const checked = await checkBeforeRun(only04, ['notebooks/04-catalogue.ipynb']);
  assert.deepEqual(
    [checked.notebooks, checked.tracks, checked.storedTracks, checked.warnings],
    [['04'], stored, stored, []],
  );
  assert.equal(checked.parameters.N_SIMILAR, 10);
  // the whole run does need the file
  await assert.rejects(checkBeforeRun(only04), /^ParameterError: K is 'many'/);
  await assert.rejects(
    checkBeforeRun({ ...only04, K: '4' }),
    /^ParameterError: SPOTIFY_CSV is .*gone\.csv, but there is no file there/,
  );
  // notebook 04 on a database without tracks is refused before it starts, and no file is made
  await assert.rejects(
    checkBeforeRun({ DB_PATH: join(folder, 'none.duckdb') }, ['04']),
    /^ParameterError: DB_PATH is .*none\.duckdb, which holds no tracks yet/,
  );
  assert.equal(existsSync(join(folder, 'none.duckdb')), false);
  // notebook 03 alone: K against the stored tracks
  await assert.rejects(
    checkBeforeRun({ DB_PATH: db, K: String(stored + 1) }, ['03']),
    new RegExp(
      `^ParameterError: K is ${(stored + 1).toLocaleString('en-US')}, but it must be a whole number from 2 to ${stored.toLocaleString('en-US')}`,
    ),
  );
});

test("a run of notebook 01 alone checks the file and POPULARITY_MIN, not the later notebooks' parameters", async () => {
  const checked = await checkBeforeRun(env({ LAYOUT: 'hexagon', K: '100000' }), ['notebooks/01-cleaning.ipynb']);
  assert.equal(checked.tracks, expectedTracks());
  assert.deepEqual(checked.notebooks, ['01']);
  await assert.rejects(
    checkBeforeRun(env({ POPULARITY_MIN: '95' }), ['01']),
    /^ParameterError: POPULARITY_MIN is 95, but only \d+ of the/,
  );
});

test('DB_PATH=/dev/null is refused before the run, with a sentence', async () => {
  await assert.rejects(
    checkBeforeRun(env({ DB_PATH: '/dev/null' })),
    /^ParameterError: DB_PATH is \/dev\/null, a device, not a file, so it was left alone;/,
  );
});
