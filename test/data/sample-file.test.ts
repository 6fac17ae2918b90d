/**
 * The bundled data/SpotifyFeatures.sample.csv is exactly what the seeded generator makes
 * (`npm run generate-data`: 20,000 rows, seed 2024), so nobody edits it by hand by mistake.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { BUNDLED_CSV } from '../../lib/paths';

test('the bundled sample file is the generator’s output for 20,000 rows and seed 2024, byte for byte', () => {
  const expected = spotifyCsvText(generateSpotifyRows({ rows: 20000, seed: 2024 }));
  const actual = readFileSync(BUNDLED_CSV, 'utf8');
  assert.equal(actual.length, expected.length, 'length');
  assert.ok(
    actual === expected,
    'the file differs from the generator’s output: run `npm run generate-data` to remake it',
  );
});
