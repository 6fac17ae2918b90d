import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogueFromColumns, foldText, loadCatalogue, TrackColumns } from '../../lib/catalogue/catalogue';
import { readTrackColumns } from './track-columns-reference';
import { storeTracks, tracksFromFrame } from '../../lib/data/db';
import { dropDuplicateTracks } from '../../lib/data/clean';
import { readTracks } from '../../lib/data/sample';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { gowerMatrix } from '../../lib/distance/gower';
import { fitGower } from '../../lib/distance/gower-metric';
import { CATEGORICAL_FEATURES } from '../../lib/data/schema';
import { assertClose, readFixture } from '../helpers';
import { handMade } from '../helpers';
import { generatedFrame } from '../data/generated-frame';

interface TopnCase {
  track_id: string;
  n: number;
  weights: Record<string, number> | null;
  topn_track_ids: string[];
  topn_values: number[];
}
// Made by test/reference/catalogue_fixtures.py with the Python `gower` package 0.1.2 (gower_topn).
const fixture: { features: string[]; columns: Record<string, (string | number)[]>; cases: TopnCase[] } =
  readFixture('catalogue_topn.json');

function fixtureCatalogue() {
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const [name, values] of Object.entries(fixture.columns)) {
    columns[name] = typeof values[0] === 'number' ? Float64Array.from(values as number[]) : (values as string[]);
  }
  return catalogueFromColumns({ size: fixture.columns.track_id.length, names: Object.keys(columns), columns });
}

test('similar equals gower_topn on the fixtures: same tracks in the same order, distances within 1e-6, the track itself left out', () => {
  const catalogue = fixtureCatalogue();
  assert.ok(fixture.cases.length >= 10);
  for (const c of fixture.cases) {
    const result = catalogue.similar(c.track_id, c.n, { weights: c.weights ?? undefined });
    // gower_topn returns the track itself first, at distance 0.
    assert.equal(c.topn_track_ids[0], c.track_id);
    assert.deepEqual(
      result.map((r) => r.track_id),
      c.topn_track_ids.slice(1),
      `${c.track_id}, n = ${c.n}${c.weights ? ', weighted' : ''}`,
    );
    result.forEach((r, i) => assertClose(r.distance, c.topn_values[i + 1], 1e-6, `${c.track_id} rank ${i + 1}`));
  }
});

test('similar worked by hand: genre counts 1/15, a numeric feature its difference over the catalogue range', () => {
  const catalogue = catalogueFromColumns(
    handMade([
      { track_id: 'a', energy: 0.2 },
      { track_id: 'b', energy: 0.6 },
      { track_id: 'c', energy: 1.0, genre: 'Jazz' },
    ]),
  );
  // energy range 0.8: a–b 0.4/0.8/15 = 1/30; a–c (1 + 1)/15.
  const result = catalogue.similar('a', 5);
  assert.deepEqual(
    result.map((r) => r.track_id),
    ['b', 'c'],
  );
  assertClose(result[0].distance, 1 / 30, 1e-12, 'a–b');
  assertClose(result[1].distance, 2 / 15, 1e-12, 'a–c');
  assert.deepEqual(
    result[1].differs.map((d) => [d.feature, d.query, d.track]),
    [
      ['genre', 'Pop', 'Jazz'],
      ['energy', 0.2, 1],
    ],
  );
  assertClose(result[1].differs[0].contribution, 1 / 15, 1e-12, 'genre share');
  assert.deepEqual(
    catalogue.similar('a', 1, { weights: { energy: 0 } }).map((r) => [r.track_id, r.distance]),
    [['b', 0]],
  );
});

test('equal distances are ordered by track id, and the query is left out even when another track equals it', () => {
  const catalogue = catalogueFromColumns(
    handMade([
      { track_id: 'a' },
      { track_id: 'b', tempo: 130 },
      { track_id: 'c' },
      { track_id: 'd', tempo: 100 },
      { track_id: 'e', tempo: 140 },
    ]),
  );
  // c equals a (distance 0); b and d are 10 / 40 of tempo away; e 20 / 40.
  assert.deepEqual(
    catalogue.similar('a', 4).map((r) => r.track_id),
    ['c', 'b', 'd', 'e'],
  );
  assert.deepEqual(
    catalogue.similar('a', 2).map((r) => r.track_id),
    ['c', 'b'],
  );
  assert.equal(catalogue.similar('a', 100).length, 4, 'n beyond the catalogue gives every other track');
});

test('the differing features add up to the distance, largest first', () => {
  const catalogue = fixtureCatalogue();
  for (const r of catalogue.similar('t0007', 5, { differences: 15 })) {
    const total = r.differs.reduce((sum, d) => sum + d.contribution, 0);
    assertClose(total, r.distance, 1e-12, r.track_id);
    for (let i = 1; i < r.differs.length; i++) assert.ok(r.differs[i - 1].contribution >= r.differs[i].contribution);
  }
  assert.equal(catalogue.similar('t0007', 1)[0].differs.length, 3);
});

test('property: the results are the nearest rows of the Gower matrix of the whole catalogue', () => {
  const catalogue = fixtureCatalogue();
  const matrix = gowerMatrix(Object.fromEntries(fixture.features.map((f) => [f, fixture.columns[f]])), {
    categorical: CATEGORICAL_FEATURES,
  });
  const ids = fixture.columns.track_id as string[];
  for (const q of [0, 55, 399]) {
    const expected = ids
      .map((id, j) => ({ id, d: j === q ? Infinity : matrix.get(q, j) }))
      .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1));
    const result = catalogue.similar(ids[q], 8);
    result.forEach((r, i) => assertClose(r.distance, expected[i].d, 1e-6, `${ids[q]} rank ${i}`));
  }
});

test('an unknown track id is refused with a sentence pointing at search; bad counts too', () => {
  const catalogue = fixtureCatalogue();
  assert.throws(
    () => catalogue.similar('nope'),
    /No stored track has the id "nope"; find a track's id with search\(text\)/,
  );
  assert.throws(() => catalogue.track('nope'), /search\(text\)/);
  assert.throws(() => catalogue.similar('t0001', 0), /n must be a whole number of at least 1, got 0/);
  assert.throws(
    () => catalogue.similar('t0001', 3, { weights: { colour: 1 } }),
    /"colour", which is not among the columns used/,
  );
});

test('search ignores case and accents, looks in names and artists, and puts the most popular first', () => {
  const catalogue = catalogueFromColumns(
    handMade([
      { track_id: 'a', track_name: 'Halo', artist_name: 'Beyoncé', popularity: 70 },
      { track_id: 'b', track_name: 'Crazy in Love', artist_name: 'BEYONCE', popularity: 90 },
      { track_id: 'c', track_name: 'Beyonce tribute', artist_name: 'Someone', popularity: 80 },
      { track_id: 'd', track_name: 'Ñandú', artist_name: 'Los Ríos', popularity: 80 },
      { track_id: 'e', track_name: 'Other', artist_name: 'Band', popularity: 80 },
    ]),
  );
  assert.deepEqual(
    catalogue.search('beyoncé').map((t) => t.track_id),
    ['b', 'c', 'a'],
  );
  assert.deepEqual(
    catalogue.search('BEYONCE', 2).map((t) => t.track_id),
    ['b', 'c'],
  );
  assert.deepEqual(
    catalogue.search('nandu').map((t) => t.track_id),
    ['d'],
  );
  assert.deepEqual(
    catalogue.search('rios').map((t) => t.track_id),
    ['d'],
  );
  assert.deepEqual(catalogue.search('haloBeyonce'), [], 'a match may not run from the name into the artist');
  assert.deepEqual(
    catalogue.search('').map((t) => t.track_id),
    ['b', 'c', 'd', 'e', 'a'],
    'ties by track id',
  );
  assert.equal(catalogue.search('halo')[0].artist_name, 'Beyoncé');
  assert.equal(foldText('Crème Brûlée'), 'creme brulee');
});

test('track gives every column of one track', () => {
  const catalogue = catalogueFromColumns(handMade([{ track_id: 'a', track_name: 'Halo' }, { track_id: 'b' }]));
  const track = catalogue.track('a');
  assert.equal(track.track_name, 'Halo');
  assert.equal(track.tempo, 120);
  assert.equal(Object.keys(track).length, 18);
});

test('loadCatalogue reads every stored track with its values, in track id order', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'catalogue-')), 'test.duckdb');
  await assert.rejects(loadCatalogue(path), /holds no tracks yet: run notebook 01/);
  const frame = dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows: 400, seed: 5 }))).df;
  await storeTracks(path, tracksFromFrame(frame));
  const columns = await readTrackColumns(path);
  const stored = await readTracks(path);
  assert.equal(columns.size, stored.shape[0]);
  assert.deepEqual(columns.names, stored.columns);
  assert.ok(columns.columns.popularity instanceof Float64Array);
  const rows = stored.values as unknown as (string | number)[][];
  for (const r of [0, 17, columns.size - 1]) {
    stored.columns.forEach((name, c) => assert.equal(columns.columns[name][r], rows[r][c], `${name} of row ${r}`));
  }
  const catalogue = await loadCatalogue(path);
  assert.equal(catalogue.size, stored.shape[0]);
  const id = String(rows[3][stored.columns.indexOf('track_id')]);
  const similar = catalogue.similar(id, 5);
  assert.equal(similar.length, 5);
  assert.ok(similar.every((s) => s.track_id !== id && s.distance >= 0 && s.distance <= 1));
});

test('text with the separator character and missing values read back as stored', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'catalogue-')), 'test.duckdb');
  const frame = dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows: 60, seed: 6 }))).df;
  const stored = tracksFromFrame(frame);
  const name = stored.columns.findIndex((c) => c.name === 'track_name');
  const artist = stored.columns.findIndex((c) => c.name === 'artist_name');
  const id = stored.columns.findIndex((c) => c.name === 'track_id');
  const rows = stored.rows.map((row) => [...row]);
  rows[0][artist] = null;
  await storeTracks(path, { columns: stored.columns, rows });
  const plain = await readTrackColumns(path);
  const idsOf = (c: Awaited<ReturnType<typeof readTrackColumns>>): (string | null)[] =>
    c.columns.track_id as (string | null)[];
  const row0 = idsOf(plain).indexOf(rows[0][id] as string);
  assert.equal(plain.columns.artist_name[row0], null);
  rows[1][name] = 'odd\u001fname';
  await storeTracks(path, { columns: stored.columns, rows });
  const odd = await readTrackColumns(path);
  const row1 = idsOf(odd).indexOf(rows[1][id] as string);
  assert.equal(odd.columns.track_name[row1], 'odd\u001fname');
  assert.equal(odd.columns.artist_name[idsOf(odd).indexOf(rows[0][id] as string)], null);
  assert.deepEqual(odd.columns.genre, plain.columns.genre);
});

test('similar() takes the rows group by group of the categories they differ in, and gives what one pass over every track gives, bit for bit', () => {
  const rows = generateSpotifyRows({ rows: 6000, seed: 11 });
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  const names = Object.keys(rows[0]);
  for (const name of names) {
    const values = rows.map((row) => (row as unknown as Record<string, unknown>)[name]);
    columns[name] =
      typeof values[0] === 'number' ? Float64Array.from(values as number[]) : values.map((v) => String(v));
  }
  // one id per row
  columns.track_id = rows.map((_, i) => `t${String(i).padStart(5, '0')}`);
  const catalogue = catalogueFromColumns({ size: rows.length, names, columns });
  const features = catalogue.features;
  const metric = fitGower(Object.fromEntries(features.map((name) => [name, columns[name]])), {
    columns: features,
    categorical: CATEGORICAL_FEATURES,
  });
  for (const [query, n, weights] of [
    [0, 10, undefined],
    [17, 50, undefined],
    [4242, 3, { genre: 0, key: 2 }],
    [5999, 400, { mode: 0.01 }],
  ] as const) {
    const used = weights === undefined ? metric : metric.withWeights(weights);
    const all = used.distanceToRows(used.rows, query, used.rows);
    const expected = Array.from(all.keys())
      .filter((row) => row !== query)
      .sort((a, b) => all[a] - all[b] || a - b)
      .slice(0, n);
    const found = catalogue.similar(`t${String(query).padStart(5, '0')}`, n, { weights, differences: 0 });
    assert.deepEqual(
      found.map((t) => t.track_id),
      expected.map((row) => `t${String(row).padStart(5, '0')}`),
    );
    assert.deepEqual(
      found.map((t) => t.distance),
      expected.map((row) => all[row]),
    );
  }
});
