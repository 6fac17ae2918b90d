import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterProfiles, profileTable } from '../../../lib/cluster/describe/profile';
import { frameFromColumns } from '../../../lib/data/frame';

// Five tracks in two clusters, worked by hand:
// cluster 0 = rows 0, 2, 3: tempo (100 + 120 + 110) / 3 = 110, genre Pop 2 of 3, mode Major 2 of 3;
// cluster 1 = rows 1, 4:    tempo (90 + 60) / 2 = 75, genre Rock and Jazz once each (a tie: Rock,
// seen first, wins with 1/2), mode Minor 2 of 2.
const TRACKS = Object.freeze({
  genre: Object.freeze(['Pop', 'Rock', 'Pop', 'Folk', 'Jazz']),
  mode: Object.freeze(['Major', 'Minor', 'Minor', 'Major', 'Minor']),
  tempo: Object.freeze([100, 90, 120, 110, 60]),
});
const LABELS = Object.freeze([0, 1, 0, 0, 1]);

test('two clusters worked by hand: sizes, means of numbers, most common text values with their share', () => {
  const profiles = clusterProfiles(TRACKS, LABELS);
  assert.deepEqual(profiles, [
    {
      cluster: 0,
      size: 3,
      means: { tempo: 110 },
      top: { genre: { value: 'Pop', share: 2 / 3 }, mode: { value: 'Major', share: 2 / 3 } },
    },
    {
      cluster: 1,
      size: 2,
      means: { tempo: 75 },
      top: { genre: { value: 'Rock', share: 0.5 }, mode: { value: 'Minor', share: 1 } },
    },
  ]);
});

test('a DataFrame gives the same profiles as its columns, with kinds from its dtypes', () => {
  const df = frameFromColumns(
    [[...TRACKS.genre], [...TRACKS.mode], Float64Array.from(TRACKS.tempo)],
    ['genre', 'mode', 'tempo'],
    ['string', 'string', 'float32'],
  );
  assert.deepEqual(clusterProfiles(df, LABELS), clusterProfiles(TRACKS, LABELS));
  // a numeric column typed as text is profiled as text
  const asText = frameFromColumns(
    [[...TRACKS.genre], Float64Array.from(TRACKS.tempo)],
    ['genre', 'tempo'],
    ['string', 'string'],
  );
  assert.deepEqual(clusterProfiles(asText, LABELS)[1].top.tempo, { value: '90', share: 0.5 });
});

test('renaming the clusters only renames the profiles', () => {
  const swapped = LABELS.map((label) => 1 - label);
  const [a, b] = clusterProfiles(TRACKS, LABELS);
  assert.deepEqual(clusterProfiles(TRACKS, swapped), [
    { ...b, cluster: 0 },
    { ...a, cluster: 1 },
  ]);
});

test('with k given, a cluster without members gets a row of size 0', () => {
  const profiles = clusterProfiles(TRACKS, LABELS, { k: 3 });
  assert.equal(profiles.length, 3);
  assert.equal(profiles[2].size, 0);
  assert.ok(Number.isNaN(profiles[2].means.tempo));
  assert.deepEqual(profiles[2].top.genre, { value: '', share: 0 });
  assert.deepEqual(clusterProfiles({ tempo: [] }, []), []);
});

test('labels that are negative, fractional or out of range are refused with a sentence naming the row', () => {
  assert.throws(
    () => clusterProfiles(TRACKS, [0, 1, -1, 0, 1]),
    /Row 2 has the cluster label -1; cluster labels must be whole numbers from 0 to 4 \(5 rows make at most 5 clusters\)/,
  );
  assert.throws(() => clusterProfiles(TRACKS, [0, 1.5, 0, 0, 1]), /Row 1 has the cluster label 1.5/);
  assert.throws(
    () => clusterProfiles(TRACKS, [0, 1, 0, 0, 7]),
    /Row 4 has the cluster label 7; cluster labels must be whole numbers from 0 to 4/,
  );
  assert.throws(() => clusterProfiles(TRACKS, [0, 1, NaN, 0, 1]), /Row 2 has the cluster label NaN/);
  assert.throws(
    () => clusterProfiles(TRACKS, LABELS, { k: 1 }),
    /Row 1 has the cluster label 1; cluster labels must be whole numbers from 0 to 0 \(k is 1\)/,
  );
  assert.throws(() => clusterProfiles(TRACKS, LABELS, { k: 0 }), /k must be a whole number of at least 1, got 0/);
  assert.throws(() => clusterProfiles(TRACKS, [0, 1]), /There are 2 labels for 5 rows; give one label per row/);
});

test('the profile table has one row per cluster: size, top values with their share, means to 4 digits', () => {
  const table = profileTable(
    clusterProfiles({ genre: ['Pop', 'Pop', 'Rock'], tempo: [100, 120.123456, 90] }, [0, 0, 1]),
  );
  assert.deepEqual(table, {
    columns: ['cluster', 'size', 'top genre', 'mean tempo'],
    shape: [2, 4],
    values: [
      [0, 2, 'Pop (100%)', 110.1],
      [1, 1, 'Rock (100%)', 90],
    ],
  });
  assert.deepEqual(profileTable([]), { columns: ['cluster', 'size'], shape: [0, 2], values: [] });
});
