import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusteringFeatures, readTracks, sampleTracks } from '../../lib/data/sample';
import { storeTracks, tracksFromFrame, withDatabase, setupDb } from '../../lib/data/db';
import { parseSpotifyCsv, tableToDataFrame } from '../../lib/data/loader';
import { dropDuplicateTracks } from '../../lib/data/clean';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { generatedFrame } from './generated-frame';

const frame = () => dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows: 400, seed: 9 }))).df;

test("stored tracks read back ordered by track_id with the schema's dtypes", async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'sample-')), 'db.duckdb');
  const df = frame();
  await storeTracks(path, tracksFromFrame(df));
  const back = await readTracks(path);
  assert.deepEqual(back.shape, df.shape);
  const ids = back.column('track_id').values as string[];
  assert.deepEqual(ids, [...ids].sort());
  assert.equal(back.dtypes[4], 'int32');
  assert.equal(typeof (back.values as unknown as unknown[][])[0][4], 'number');
});

test('an empty store is refused with a sentence saying to run notebook 01 first', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'sample-')), 'db.duckdb');
  await withDatabase(path, (con) => setupDb(con));
  await assert.rejects(readTracks(path), /holds no tracks yet: run notebook 01/);
});

test('the same seed gives the same sample, another seed another one', () => {
  const df = frame();
  const ids = (seed: number) => sampleTracks(df, 50, seed).column('track_id').values;
  assert.deepEqual(ids(42), ids(42));
  assert.notDeepEqual(ids(42), ids(43));
});

test('a sample larger than the frame is every track, in shuffled order', () => {
  const df = frame();
  const all = sampleTracks(df, 10 ** 6, 1);
  assert.equal(all.shape[0], df.shape[0]);
  assert.deepEqual(
    [...(all.column('track_id').values as string[])].sort(),
    [...(df.column('track_id').values as string[])].sort(),
  );
});

test('the clustering features are the 15 columns without metadata, indexed by track id', () => {
  const sample = sampleTracks(frame(), 20, 42);
  const features = clusteringFeatures(sample);
  assert.equal(features.columns.length, 15);
  assert.ok(!features.columns.includes('artist_name') && !features.columns.includes('track_id'));
  assert.deepEqual(features.index, sample.column('track_id').values);
});

test('an extra column of the input file is stored in track but never reaches the sample or the clustering features', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'sample-')), 'db.duckdb');
  const text = spotifyCsvText(generateSpotifyRows({ rows: 200, seed: 4 }))
    .replace(/\n(?=.)/g, ',web\n')
    .replace(/^([^\n]*),web\n/, '$1,source\n')
    .replace(/\n$/, ',web\n');
  const df = dropDuplicateTracks(tableToDataFrame((await parseSpotifyCsv(text)).table)).df;
  assert.equal(df.columns[18], 'source');
  await storeTracks(path, tracksFromFrame(df));
  const [stored] = await withDatabase(path, async (con) =>
    (await con.runAndReadAll("SELECT count(*) FROM track WHERE source = 'web'")).getRows(),
  );
  assert.equal(Number(stored[0]), df.shape[0]);
  const back = await readTracks(path);
  assert.equal(back.columns.includes('source'), false);
  assert.equal(clusteringFeatures(df).columns.includes('source'), false);
  assert.equal(clusteringFeatures(df).columns.length, 15);
});
