import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StagedTracks } from '../../lib/data/load-tracks';
import { dropDuplicateTracks, keepPopularTracks, multiGenreTrackId, rowsOfTrack } from '../../lib/data/clean';
import { storeTracks, tracksFromFrame, withDatabase } from '../../lib/data/db';
import { frameNumbers } from '../../lib/data/frame';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { ORIGINAL_EXAMPLE_TRACK_ID } from '../../lib/data/schema';
import { databaseContentHash } from '../helpers';
import { generatedFrame } from './generated-frame';

const folder = mkdtempSync(join(tmpdir(), 'load-tracks-'));
const rows = generateSpotifyRows({ rows: 600, seed: 12 });
const csv = join(folder, 'tracks.csv');
writeFileSync(csv, spotifyCsvText(rows));
const frame = generatedFrame(rows);

test('the SQL steps give what the frame steps give: rows of a track, the multi-genre example, popularities', async () => {
  const staged = await StagedTracks.load(csv);
  try {
    const unique = dropDuplicateTracks(frame).df;
    assert.equal(await staged.uniqueCount(), unique.shape[0]);
    assert.deepEqual(Array.from(await staged.popularity()), Array.from(frameNumbers(unique, 'popularity')));
    const example = await staged.multiGenreTrackId(ORIGINAL_EXAMPLE_TRACK_ID);
    assert.equal(example, multiGenreTrackId(frame, ORIGINAL_EXAMPLE_TRACK_ID));
    assert.equal(await staged.multiGenreTrackId('no such id'), multiGenreTrackId(frame));
    assert.deepEqual((await staged.rowsOfTrack(example!)).values, rowsOfTrack(frame, example!).values);
    assert.deepEqual(
      (await staged.rowsOfTrack(example!, { unique: true })).values,
      rowsOfTrack(unique, example!).values,
    );
    assert.deepEqual((await staged.head(5)).values, frame.head(5).values);
    for (const threshold of [-1, 10, 50, 100])
      assert.equal(await staged.keptCount(threshold), keepPopularTracks(unique, threshold).shape[0]);
  } finally {
    staged.close();
  }
});

test('track filled by SQL is the track table storeTracks writes from the cleaned frame', async () => {
  const bySql = join(folder, 'sql.duckdb');
  const byFrame = join(folder, 'frame.duckdb');
  const staged = await StagedTracks.load(csv);
  try {
    const report = await staged.store(bySql, 10);
    const kept = keepPopularTracks(dropDuplicateTracks(frame).df, 10);
    assert.equal(report.tracks, kept.shape[0]);
    await storeTracks(byFrame, tracksFromFrame(kept));
    assert.equal(await databaseContentHash(bySql), await databaseContentHash(byFrame));
    // storing again replaces the tracks
    assert.equal((await staged.store(bySql, 50)).tracks, keepPopularTracks(dropDuplicateTracks(frame).df, 50).shape[0]);
  } finally {
    staged.close();
  }
});

test("no track above the threshold, or a database that is not the project's, is refused and leaves the database as it was", async () => {
  const path = join(folder, 'kept.duckdb');
  const staged = await StagedTracks.load(csv);
  try {
    await staged.store(path, 10);
    const before = await databaseContentHash(path);
    await assert.rejects(staged.store(path, 100), /There are no tracks to store/);
    assert.equal(await databaseContentHash(path), before);
    const other = join(folder, 'other.duckdb');
    await withDatabase(other, async (c) => {
      await c.run('CREATE TABLE track (id INTEGER, title VARCHAR, plays INTEGER)');
    });
    const otherBefore = readFileSync(other);
    await assert.rejects(staged.store(other, 10), /belongs to another program and was left as it was/);
    assert.deepEqual(readFileSync(other), otherBefore);
    const missing = join(folder, 'never.duckdb');
    await assert.rejects(staged.store(missing, 100), /There are no tracks to store/);
    assert.equal(await databaseContentHash(missing), 'no database');
  } finally {
    staged.close();
  }
});
