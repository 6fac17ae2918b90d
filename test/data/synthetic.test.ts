import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSpotifyRows, mangleSpotifyCsv, spotifyCsvText } from '../../lib/data/synthetic';
import { parseSpotifyCsv } from '../../lib/data/loader';
import { GENRES, ORIGINAL_EXAMPLE_TRACK_ID, SPOTIFY_COLUMN_NAMES } from '../../lib/data/schema';

const rows = generateSpotifyRows({ rows: 20000, seed: 2024 });

test('the same seed gives the same file, another seed another one', () => {
  const small = spotifyCsvText(generateSpotifyRows({ rows: 500, seed: 5 }));
  assert.equal(spotifyCsvText(generateSpotifyRows({ rows: 500, seed: 5 })), small);
  assert.notEqual(spotifyCsvText(generateSpotifyRows({ rows: 500, seed: 6 })), small);
});

test('the file has the 18 columns of the schema in order and the rows asked for', async () => {
  const text = spotifyCsvText(rows);
  assert.equal(text.split('\n')[0], SPOTIFY_COLUMN_NAMES.join(','));
  const { table } = await parseSpotifyCsv(text);
  assert.equal(table.rows.length, 20000);
});

test("all 27 genre labels appear, both apostrophes of Children's Music included, grouped by genre", () => {
  const seen = [...new Set(rows.map((r) => r.genre))];
  assert.deepEqual(seen, GENRES); // first appearance order = the real file's genre order
  assert.ok(seen.includes("Children's Music") && seen.includes('Children\u2019s Music'));
});

test('about three quarters of the rows carry a distinct track id, and repeats have identical features', () => {
  const byId = new Map<string, typeof rows>();
  for (const row of rows) byId.set(row.track_id, [...(byId.get(row.track_id) ?? []), row]);
  const share = byId.size / rows.length;
  assert.ok(share > 0.74 && share < 0.78, `distinct share ${share}`);
  for (const group of byId.values()) {
    const { genre: _g, ...first } = group[0];
    for (const other of group.slice(1)) {
      const { genre: _o, ...rest } = other;
      assert.deepEqual(rest, first);
    }
  }
  assert.equal(byId.get(ORIGINAL_EXAMPLE_TRACK_ID)?.length, 3);
});

test('many tracks sit near zero popularity, and enough stay above 10 for a 10,000-track sample', () => {
  const seen = new Set<string>();
  let nearZero = 0;
  let kept = 0;
  for (const row of rows) {
    if (seen.has(row.track_id)) continue;
    seen.add(row.track_id);
    if (row.popularity <= 3) nearZero++;
    if (row.popularity > 10) kept++;
  }
  assert.ok(nearZero / seen.size > 0.08, `near zero share ${nearZero / seen.size}`);
  assert.ok(kept >= 10000, `kept ${kept}`);
});

test("values stay in the real file's ranges", () => {
  for (const row of rows) {
    for (const name of [
      'acousticness',
      'danceability',
      'energy',
      'instrumentalness',
      'liveness',
      'speechiness',
      'valence',
    ] as const) {
      assert.ok(row[name] >= 0 && row[name] <= 1, `${name} ${row[name]}`);
    }
    assert.ok(row.popularity >= 0 && row.popularity <= 100 && Number.isInteger(row.popularity));
    assert.ok(row.duration_ms >= 15000 && row.duration_ms <= 5552917);
    assert.ok(row.loudness >= -52.5 && row.loudness <= 3.8);
    assert.ok(row.tempo >= 30 && row.tempo <= 243);
    assert.match(row.track_id, /^[0-9A-Za-z]{22}$/);
  }
});

test('names need quoting and tiny numbers are written in scientific notation', () => {
  const text = spotifyCsvText(rows);
  assert.match(text, /,"[^"\n]*,[^"\n]*",/); // a quoted field with a comma
  assert.match(text, /""/); // a doubled quote
  assert.match(text, /,\d\.\d\dE-0\d,/); // 8.19E-06 style
});

test('the mangled copy has a BOM, CRLF, spreadsheet dates and a cut-off last line', () => {
  const text = mangleSpotifyCsv(spotifyCsvText(rows.slice(0, 200)), {
    bom: true,
    crlf: true,
    spreadsheetDates: 0.5,
    cutLastLine: true,
  });
  assert.equal(text.charCodeAt(0), 0xfeff);
  assert.match(text, /\r\n/);
  assert.match(text, /,0?\d-(Jan|Mar|Apr|May),/);
  assert.ok(!text.endsWith('\n'));
});
