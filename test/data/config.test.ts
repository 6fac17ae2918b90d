import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLED_CSV, DB_NAME, describeParameters, parseGowerWeights, readParameters } from '../../lib/data/config';

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

const FEATURES = ['genre', 'key', 'mode', 'tempo'];

test('GOWER_WEIGHTS text becomes feature weights; spaces are tolerated and empty means equal weights', () => {
  assert.deepEqual(parseGowerWeights('key=0.5,mode=0.5', FEATURES), { key: 0.5, mode: 0.5 });
  assert.deepEqual(parseGowerWeights('  key = 0.5 ,  tempo=2 ', FEATURES), { key: 0.5, tempo: 2 });
  assert.deepEqual(parseGowerWeights('genre=0, tempo=1e-1, mode=.25, key=+3', FEATURES), { genre: 0, tempo: 0.1, mode: 0.25, key: 3 });
  assert.deepEqual(parseGowerWeights('', FEATURES), {});
  assert.deepEqual(parseGowerWeights('   ', FEATURES), {});
});

test('GOWER_WEIGHTS: an unknown feature is refused with the allowed names', () => {
  assert.throws(() => parseGowerWeights('tempoo=2', FEATURES), {
    message: 'GOWER_WEIGHTS names "tempoo", which is not a feature; give weights only for genre, key, mode, tempo (for example GOWER_WEIGHTS="key=0.5,mode=0.5"), or unset it for equal weights.',
  });
});

test('GOWER_WEIGHTS: negative, non-finite, malformed and repeated weights are refused with a sentence naming the variable', () => {
  const cases: [string, RegExp][] = [
    ['key=-1', /^Error: GOWER_WEIGHTS gives "key" the weight -1, but weights must be ≥ 0; write a number ≥ 0 such as key=0.5, or leave key out to keep its weight 1\.$/],
    ['key=Infinity', /^Error: GOWER_WEIGHTS gives "key" the weight "Infinity", but weights must be finite;/],
    ['key=NaN', /the weight "NaN", but weights must be finite/],
    ['key=1e999', /the weight 1e999, too large to be a finite number/],
    ['key=half', /^Error: GOWER_WEIGHTS gives "key" the weight "half", which is not a number;/],
    ['key=', /the weight "", which is not a number/],
    ['key=0x10', /the weight "0x10", which is not a number/],
    ['key:0.5', /^Error: GOWER_WEIGHTS has "key:0.5", which is not a feature=weight pair;/],
    ['key=1=2', /has "key=1=2", which is not a feature=weight pair/],
    ['=1', /has "=1", which is not a feature=weight pair/],
    ['key=1,,mode=1', /^Error: GOWER_WEIGHTS has an empty entry between commas;/],
    ['key=1,', /empty entry between commas/],
    ['key=1, key=2', /^Error: GOWER_WEIGHTS gives "key" a weight twice; give each feature at most one weight/],
    ['genre=0,key=0,mode=0,tempo=0', /^Error: GOWER_WEIGHTS sets the weight of every feature to 0; give at least one feature a positive weight, or unset it for equal weights\.$/],
  ];
  for (const [text, message] of cases) assert.throws(() => parseGowerWeights(text, FEATURES), message, text);
});

test('parseGowerWeights names another variable when asked, and keeps -0 as 0', () => {
  assert.throws(() => parseGowerWeights('x=1', FEATURES, 'MY_WEIGHTS'), /^Error: MY_WEIGHTS names "x"/);
  assert.ok(Object.is(parseGowerWeights('key=-0', FEATURES).key, 0));
});
