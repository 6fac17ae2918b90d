import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBeforeRun } from '../../lib/data/preflight';
import { ParameterError } from '../../lib/data/config';
import { SpotifyCsvError } from '../../lib/data/loader';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';

const folder = mkdtempSync(join(tmpdir(), 'preflight-'));
const rows = generateSpotifyRows({ rows: 1200, seed: 8 });
const csv = join(folder, 'tracks.csv');
writeFileSync(csv, spotifyCsvText(rows));
const env = (changes: Record<string, string> = {}) => ({ SPOTIFY_CSV: csv, DB_PATH: join(folder, 'new.duckdb'), SAMPLE_SIZE: '300', K: '4', ...changes });

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
    assert.match(error.message, new RegExp(`^K is 2,000, but it must be a whole number from 2 to ${expectedTracks()}, the tracks in the sample`));
    return true;
  });
  await assert.rejects(checkBeforeRun(env({ POPULARITY_MIN: '95' })), /^ParameterError: POPULARITY_MIN is 95, but only \d+ of the/);
});

test('a damaged input file is refused by the loader before anything runs', async () => {
  const bad = join(folder, 'bad.csv');
  writeFileSync(bad, spotifyCsvText(rows.slice(0, 200)).replace(/,4\/4,/, ',7/8,'));
  await assert.rejects(checkBeforeRun(env({ SPOTIFY_CSV: bad })), (error: unknown) => {
    assert.ok(error instanceof SpotifyCsvError);
    assert.match(error.message, /the column 'time_signature' holds 1 value that is not one of 4\/4, 3\/4, 5\/4, 1\/4, 0\/4, such as "7\/8" on line \d+/);
    return true;
  });
});
