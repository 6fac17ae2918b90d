import test from 'node:test';
import assert from 'node:assert/strict';
import { catalogueFromColumns } from '../../lib/catalogue/catalogue';
import { describeDifferences, findTrack } from '../../lib/catalogue/find-track';
import { generateSpotifyRows } from '../../lib/data/synthetic';
import { ORIGINAL_EXAMPLE_TRACK_ID, SPOTIFY_COLUMNS } from '../../lib/data/schema';

function catalogue(rows = generateSpotifyRows({ rows: 300, seed: 5 })) {
  const unique = [...new Map(rows.map((row) => [row.track_id, row])).values()].sort((x, y) =>
    x.track_id < y.track_id ? -1 : 1,
  );
  const names = SPOTIFY_COLUMNS.map((c) => c.name);
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const { name, kind } of SPOTIFY_COLUMNS) {
    const values = unique.map((row) => (row as unknown as Record<string, string | number>)[name]);
    columns[name] = kind === 'text' ? values.map(String) : Float64Array.from(values.map(Number));
  }
  return catalogueFromColumns({ size: unique.length, names, columns });
}

test('a query picks its most popular match; no match is refused with what to do', () => {
  const c = catalogue();
  const [someone] = c.search('', 1);
  const artist = String(someone.artist_name);
  const found = findTrack(c, artist.toUpperCase(), ORIGINAL_EXAMPLE_TRACK_ID);
  assert.equal(found.track.artist_name, found.hits[0].artist_name);
  assert.match(found.how, /matching/);
  assert.throws(
    () => findTrack(c, 'no such artist ×××', ORIGINAL_EXAMPLE_TRACK_ID),
    /No stored track has "no such artist ×××" in its name or artist; try a shorter part/,
  );
});

test('an empty query takes the example track, or the most popular one when it is not stored', () => {
  const c = catalogue();
  assert.equal(findTrack(c, '', ORIGINAL_EXAMPLE_TRACK_ID).track.track_id, ORIGINAL_EXAMPLE_TRACK_ID);
  const other = findTrack(c, '  ', 'not-a-stored-id');
  assert.equal(other.track.track_id, c.search('', 1)[0].track_id);
  assert.match(other.how, /is not stored, so the most popular track/);
});

test('differences read "feature query → track", numbers to three significant digits', () => {
  assert.equal(
    describeDifferences([
      { feature: 'tempo', query: 120.456, track: 95 },
      { feature: 'key', query: 'C', track: 'A' },
    ]),
    'tempo 120 → 95; key C → A',
  );
  assert.equal(describeDifferences([]), '');
});
