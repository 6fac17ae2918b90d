import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLED_CSV, DB_NAME, describeParameters, readParameters } from '../../lib/data/config';

test('without environment variables the seed\'s defaults are in force', () => {
  const parameters = readParameters({});
  assert.equal(parameters.POPULARITY_MIN, 10);
  assert.equal(parameters.SAMPLE_SIZE, 10000);
  assert.equal(parameters.SEED, 42);
  assert.equal(parameters.K, 12);
  assert.equal(parameters.DB_PATH, DB_NAME);
  assert.ok([BUNDLED_CSV, BUNDLED_CSV.replace('.sample', '')].includes(parameters.SPOTIFY_CSV));
});

test('environment variables override the defaults', () => {
  const parameters = readParameters({ SPOTIFY_CSV: '/tmp/x.csv', DB_PATH: '/tmp/x.duckdb', POPULARITY_MIN: '0', SAMPLE_SIZE: '500', SEED: '7', K: '4' });
  assert.deepEqual(parameters, { SPOTIFY_CSV: '/tmp/x.csv', DB_PATH: '/tmp/x.duckdb', POPULARITY_MIN: 0, SAMPLE_SIZE: 500, SEED: 7, K: 4 });
});

test('a value that is not a whole number is refused with a sentence naming the variable', () => {
  assert.throws(() => readParameters({ K: 'twelve' }), /K must be a whole number, got 'twelve'/);
  assert.throws(() => readParameters({ SAMPLE_SIZE: '1' }), /SAMPLE_SIZE must be at least 2/);
});

test('parameters print as aligned NAME = value lines', () => {
  assert.equal(describeParameters({ K: 12, SEED: 42, DB_PATH: 'x' }), 'K       = 12\nSEED    = 42\nDB_PATH = x');
});
