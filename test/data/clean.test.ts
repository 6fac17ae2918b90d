import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataFrame } from 'danfojs-node';
import { dropDuplicateTracks, keepPopularTracks, multiGenreTrackId, rowsOfTrack } from '../../lib/data/clean';
import { frameFromRows } from '../../lib/data/frame';

const frame = (): DataFrame =>
  frameFromRows(
    [
      ['Pop', 'a', 5],
      ['Rock', 'b', 50],
      ['Jazz', 'a', 5],
      ['Soul', 'c', 11],
      ['Folk', 'a', 5],
      ['Rap', 'd', 10],
    ],
    ['genre', 'track_id', 'popularity'],
    ['string', 'string', 'int32'],
  );

test('dropping duplicates keeps the first row of each track id, like pandas keep="first"', () => {
  const { df, dropped } = dropDuplicateTracks(frame());
  assert.equal(dropped, 2);
  assert.deepEqual(df.values, [
    ['Pop', 'a', 5],
    ['Rock', 'b', 50],
    ['Soul', 'c', 11],
    ['Rap', 'd', 10],
  ]);
});

test("the popularity filter is strictly above the threshold, as the original notebook's > 10", () => {
  const kept = keepPopularTracks(frame(), 10);
  assert.deepEqual(kept.column('track_id').values, ['b', 'c']);
});

test('results are copies: changing one never changes the frame it came from', () => {
  const original = frame();
  const { df } = dropDuplicateTracks(original);
  (df.values as unknown as unknown[][])[0][0] = 'changed';
  assert.equal((original.values as unknown as unknown[][])[0][0], 'Pop');
});

test('a multi-genre track is found, the preferred one first', () => {
  assert.equal(multiGenreTrackId(frame(), 'a'), 'a');
  assert.equal(multiGenreTrackId(frame(), 'zzz'), 'a');
  assert.equal(multiGenreTrackId(dropDuplicateTracks(frame()).df), null);
  assert.equal(rowsOfTrack(frame(), 'a').shape[0], 3);
});

test('a missing column is named', () => {
  assert.throws(() => keepPopularTracks(frame(), 10, 'plays'), /no column 'plays'/);
});
