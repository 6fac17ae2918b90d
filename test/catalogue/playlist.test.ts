import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogueFromColumns, loadCatalogue, TrackColumns } from '../../lib/catalogue/catalogue';
import {
  chainOrder,
  describePlaylistOrder,
  meanStep,
  normaliseTitle,
  playlistRows,
  songKey,
} from '../../lib/catalogue/playlist';
import { storeClustering, storeGowerClustering, storeTracks, tracksFromFrame } from '../../lib/data/db';
import { dropDuplicateTracks } from '../../lib/data/clean';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { readFixture } from '../helpers';
import { handMade } from '../helpers';
import { generatedFrame } from '../data/generated-frame';

const fixture: { columns: Record<string, (string | number)[]> } = readFixture('catalogue_topn.json');

/** The 400 tracks of the similar-tracks fixture (made by test/reference/catalogue_fixtures.py). */
function fixtureColumns(): TrackColumns {
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const [name, values] of Object.entries(fixture.columns)) {
    columns[name] = typeof values[0] === 'number' ? Float64Array.from(values as number[]) : (values as string[]);
  }
  return { size: fixture.columns.track_id.length, names: Object.keys(columns), columns };
}

test('normaliseTitle strips remasters, edits, live takes, features and years, and keeps other brackets', () => {
  const cases: [string, string][] = [
    ['Hey Jude - Remastered 2015', 'hey jude'],
    ['Hey Jude - 2015 Remaster', 'hey jude'],
    ['Rain (feat. Ana) - Radio Edit', 'rain'],
    ['Rain [feat. Ana]', 'rain'],
    ['Rain feat. Ana', 'rain'],
    ['Rain (with Ana)', 'rain'],
    ['Rain (Live)', 'rain'],
    ['Rain - Live at Wembley, 1986', 'rain'],
    ['Rain - Remastered 2011 - Mono', 'rain'],
    ['Rain - Re-Recorded', 'rain'],
    ['Rain (Remastered)', 'rain'],
    ['Rain - Single Version', 'rain'],
    ['Rain - Acoustic', 'rain'],
    ['RAIN', 'rain'],
    ['Ráin', 'rain'],
    ["(I Can't Get No) Satisfaction", "(i can't get no) satisfaction"],
    ['Live and Let Die', 'live and let die'],
    ['Rain - Part Two', 'rain - part two'],
  ];
  for (const [title, expected] of cases) assert.equal(normaliseTitle(title), expected, title);
  assert.equal(songKey('Hey Jude - Remastered 2015', 'The Beatles'), songKey('Hey Jude', 'the beatles'));
  assert.notEqual(songKey('Hey Jude', 'The Beatles'), songKey('Hey Jude', 'Wilson Pickett'));
});

test('the artist cap: at most maxPerArtist tracks per artist (default 2), the nearest ones', () => {
  // Ten tracks of artist A at energies 0.50, 0.51, …; three of B further away; the seed is A's first.
  const tracks = [
    ...Array.from({ length: 10 }, (_, i) => ({
      track_id: `a${i}`,
      track_name: `A song ${i}`,
      artist_name: 'A',
      energy: 0.5 + i / 100,
    })),
    ...Array.from({ length: 3 }, (_, i) => ({
      track_id: `b${i}`,
      track_name: `B song ${i}`,
      artist_name: 'B',
      energy: 0.8 + i / 100,
    })),
    { track_id: 'c0', track_name: 'C song', artist_name: 'C', energy: 0.95 },
  ];
  const catalogue = catalogueFromColumns(handMade(tracks));
  const list = catalogue.playlist('a0', 10);
  const ids = list.tracks.map((t) => t.track_id).sort();
  assert.deepEqual(ids, ['a0', 'a1', 'b0', 'b1', 'c0']);
  assert.equal(list.skipped.artistCap, 8 + 1);
  assert.equal(list.tracks[0].track_id, 'a0', 'the seed opens the list');
  const three = catalogue.playlist('a0', 10, { maxPerArtist: 3 });
  assert.equal(three.tracks.filter((t) => t.artist_name === 'A').length, 3);
  // artist names compared without case or accents
  const folded = catalogueFromColumns(
    handMade([
      { track_id: 'x1', track_name: 'one', artist_name: 'Beyoncé' },
      { track_id: 'x2', track_name: 'two', artist_name: 'BEYONCE', energy: 0.51 },
      { track_id: 'x3', track_name: 'three', artist_name: 'beyonce', energy: 0.52 },
    ]),
  );
  assert.equal(folded.playlist('x1', 3).tracks.length, 2);
});

test('one version of a song per artist: the nearest version is kept, other artists keep theirs', () => {
  const catalogue = catalogueFromColumns(
    handMade([
      { track_id: 's', track_name: 'Seed', artist_name: 'Z' },
      { track_id: 'v1', track_name: 'Hey Jude - Remastered 2015', artist_name: 'The Beatles', energy: 0.52 },
      { track_id: 'v2', track_name: 'Hey Jude', artist_name: 'The Beatles', energy: 0.51 },
      { track_id: 'v3', track_name: 'Hey Jude (Live)', artist_name: 'The Beatles', energy: 0.53 },
      { track_id: 'w1', track_name: 'Hey Jude', artist_name: 'Wilson Pickett', energy: 0.54 },
      { track_id: 's2', track_name: 'Seed - Radio Edit', artist_name: 'Z', energy: 0.5 },
    ]),
  );
  const list = catalogue.playlist('s', 10, { maxPerArtist: 5 });
  assert.deepEqual(list.tracks.map((t) => t.track_id).sort(), ['s', 'v2', 'w1']);
  assert.equal(list.skipped.otherVersions, 3, "two more Beatles versions, and the seed's radio edit");
});

test('order: the chain from the seed has a mean step no larger than the random order, on the 400-track fixture', () => {
  const catalogue = catalogueFromColumns(fixtureColumns());
  for (const seed of fixture.columns.track_id.slice(0, 5) as string[]) {
    const list = catalogue.playlist(seed, 20);
    assert.equal(list.tracks.length, 20);
    assert.equal(list.tracks[0].track_id, seed);
    assert.ok(list.meanStep <= list.randomMeanStep, `${seed}: ${list.meanStep} vs random ${list.randomMeanStep}`);
    const steps = list.tracks.slice(1).map((t) => t.step);
    assert.ok(Math.abs(steps.reduce((a, b) => a + b, 0) / steps.length - list.meanStep) < 1e-12);
    assert.deepEqual(
      list.tracks.map((t) => t.rank),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    // the tracks are the nearest to the seed that pass the cap and the version rule: distances within those of `similar`
    const farthest = Math.max(...list.tracks.map((t) => t.distance));
    assert.ok(farthest <= catalogue.similar(seed, 399).at(-1)!.distance);
  }
  const twoSeeds = catalogue.playlist(fixture.columns.track_id.slice(0, 2) as string[], 10);
  assert.deepEqual(
    twoSeeds.tracks.slice(0, 1).map((t) => t.track_id),
    [fixture.columns.track_id[0]],
  );
  assert.ok(twoSeeds.tracks.some((t) => t.track_id === fixture.columns.track_id[1]));
  const mean = catalogue.playlist(fixture.columns.track_id.slice(0, 2) as string[], 10, { seedDistance: 'mean' });
  assert.equal(mean.tracks.length, 10);
  const unordered = catalogue.playlist(fixture.columns.track_id[0] as string, 20, { twoOpt: false });
  const ordered = catalogue.playlist(fixture.columns.track_id[0] as string, 20);
  assert.ok(ordered.meanStep <= unordered.meanStep + 1e-12, '2-opt never lengthens the greedy path');
});

test('chainOrder worked by hand: the greedy chain, then a 2-opt reversal that shortens it', () => {
  // Points on a line at 0, 2, 3, 1 (indices 0..3): greedy from 0 takes 3 (at 1), then 1 (at 2), then 2 (at 3).
  const at = [0, 2, 3, 1];
  const d = Float64Array.from({ length: 16 }, (_, k) => Math.abs(at[Math.floor(k / 4)] - at[k % 4]));
  assert.deepEqual(chainOrder(d, 4), [0, 3, 1, 2]);
  assert.equal(meanStep(d, 4, [0, 3, 1, 2]), 1);
  // A greedy trap on a line, points 0, -5, 2, -0.5, 4.5: greedy from 0 takes -0.5, 2, 4.5, then -5
  // (steps 0.5 + 2.5 + 2.5 + 9.5 = 15); reversing the middle three gives 0 → 4.5 → 2 → -0.5 → -5
  // (4.5 + 2.5 + 2.5 + 4.5 = 14).
  const trap = [0, -5, 2, -0.5, 4.5];
  const t = Float64Array.from({ length: 25 }, (_, k) => Math.abs(trap[Math.floor(k / 5)] - trap[k % 5]));
  assert.deepEqual(chainOrder(t, 5, false), [0, 3, 2, 4, 1]);
  assert.equal(meanStep(t, 5, [0, 3, 2, 4, 1]) * 4, 15);
  assert.deepEqual(chainOrder(t, 5), [0, 4, 2, 3, 1]);
  assert.equal(meanStep(t, 5, [0, 4, 2, 3, 1]) * 4, 14);
  assert.equal(meanStep(t, 5, [0]), 0);
});

test('the refusals: bad n, bad options, unknown tracks, clusters not stored or unknown', () => {
  const catalogue = catalogueFromColumns(fixtureColumns());
  const id = fixture.columns.track_id[0] as string;
  assert.throws(
    () => catalogue.playlist(id, 0),
    /^Error: The playlist size n must be a whole number of at least 1, got 0\.$/,
  );
  assert.throws(
    () => catalogue.playlist(id, 5, { maxPerArtist: 0 }),
    /maxPerArtist must be a whole number of at least 1/,
  );
  assert.throws(
    () => catalogue.playlist(id, 5, { seedDistance: 'max' as 'mean' }),
    /seedDistance must be 'nearest' or 'mean'/,
  );
  assert.throws(() => catalogue.playlist('nope', 5), /No stored track has the id "nope"/);
  assert.throws(() => catalogue.playlist([], 5), /at least one seed track id/);
  assert.throws(
    () => catalogue.playlist({ kmedoids: 0 }, 5),
    /No k-medoids clusters are stored; run notebook 02 first/,
  );
  assert.throws(() => catalogue.playlist({ kmeans: 0 }, 5), /No k-means clusters are stored; run notebook 03 first/);
  assert.throws(() => catalogue.playlist({ kmeans: 1.5 }, 5), /must be a track id, a list of them, or a cluster/);
  assert.throws(() => catalogue.playlist(id, 5, { weights: { nope: 1 } }), /nope/);
});

test('cluster seeds from the database, with their stored names: a k-medoids cluster starts at its medoid, a k-means one nearest its centroid', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'playlist-')), 'test.duckdb');
  const frame = dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows: 300, seed: 9 }))).df;
  await storeTracks(path, tracksFromFrame(frame));
  const before = await loadCatalogue(path);
  assert.deepEqual(before.clusters('kmedoids'), []);
  const ids = before
    .search('', before.size)
    .map((t) => String(t.track_id))
    .sort();
  const labels = Int32Array.from(ids, (_, i) => i % 2);
  const half = (c: number): number => ids.filter((_, i) => i % 2 === c).length;
  await storeClustering(
    path,
    [0, 1].map((c) => ({ id: c, x: 0, y: 0, size: half(c), name: ['calm', 'loud'][c] })),
    {
      trackIds: ids,
      clusterIds: labels,
      sampleTrackIds: ids.slice(0, 10),
    },
  );
  await storeGowerClustering(path, {
    clusters: [0, 1].map((c) => ({
      id: c,
      medoidTrackId: ids[c + 2],
      size: half(c),
      name: ['Country', 'Dance · minor'][c],
    })),
    assignments: { trackIds: ids, clusterIds: labels, distances: new Float64Array(ids.length) },
  });
  const catalogue = await loadCatalogue(path);
  assert.deepEqual(
    catalogue.clusters('kmedoids').map((c) => [c.id, c.name, c.medoid, c.trackIds.length]),
    [
      [0, 'Country', ids[2], half(0)],
      [1, 'Dance · minor', ids[3], half(1)],
    ],
  );
  const medoidList = catalogue.playlist({ kmedoids: 1 }, 15);
  assert.equal(medoidList.name, 'Dance · minor');
  assert.equal(medoidList.tracks[0].track_id, ids[3]);
  const members = new Set(ids.filter((_, i) => i % 2 === 1));
  assert.ok(
    medoidList.tracks.every((t) => members.has(t.track_id)),
    'only the cluster’s tracks',
  );
  const centroidList = catalogue.playlist({ kmeans: 0 }, 15);
  assert.equal(centroidList.name, 'calm');
  assert.ok(centroidList.tracks.every((t) => !members.has(t.track_id)));
  const nearest = Math.min(...centroidList.tracks.map((t) => t.distance));
  assert.equal(centroidList.tracks[0].distance, nearest, 'the list starts at the track nearest the centroid');
  assert.throws(
    () => catalogue.playlist({ kmedoids: 7 }, 5),
    /There is no k-medoids cluster 7; the stored ones are 0, 1\./,
  );
});

test('playlistRows and describePlaylistOrder: the table rows and the sentence of the notebook', () => {
  const catalogue = catalogueFromColumns(fixtureColumns());
  const list = catalogue.playlist(fixture.columns.track_id[0] as string, 5);
  const rows = playlistRows(list);
  assert.deepEqual(Object.keys(rows[0]), ['rank', 'track', 'artist', 'genre', 'distance', 'step', 'track_id']);
  assert.equal(rows[0].track_id, list.tracks[0].track_id);
  assert.equal(rows[1].step, Number(list.tracks[1].step.toFixed(4)));
  assert.match(
    describePlaylistOrder(list),
    /^5 tracks, mean step 0\.\d{4} against 0\.\d{4} in a random order; \d+\.\d times closer; passed over \d+ \(artist full\) and \d+ \(another version of a song\)$/,
  );
});
