import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUNDLED_CSV, checkParameters, PARAMETER_DEFAULTS, withLiterals, choiceParameter, CLUSTERING_STEPS, DB_NAME, describeParameters, ParameterError, parseGowerWeights, readParameters, smallestSample, userPath,
} from '../../lib/data/config';
import { clusteringPeakBytes, largestClusteringSample } from '../../lib/matrix/memory';

test('without environment variables the original notebook\'s defaults are in force', () => {
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
  assert.throws(() => readParameters({ K: 'twelve' }), /^ParameterError: K is 'twelve', but it must be a whole number 2 or more; unset it to use the default 12\.$/);
  assert.throws(() => readParameters({ SAMPLE_SIZE: '1' }), /SAMPLE_SIZE is 1, but it must be a whole number 2 or more; the smallest value that works is 2\./);
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

// checkParameters: every parameter of every notebook, alone and in relation, before anything runs.

const folder = mkdtempSync(join(tmpdir(), 'config-'));
const csvFile = join(folder, 'tracks.csv');
writeFileSync(csvFile, 'genre\n');
/** An environment that passes, plus the changes of one case. */
const env = (changes: Record<string, string> = {}): Record<string, string> => ({ SPOTIFY_CSV: csvFile, DB_PATH: join(folder, 'new.duckdb'), ...changes });

function refuses(changes: Record<string, string>, pattern: RegExp, facts = {}): void {
  assert.throws(() => checkParameters(env(changes), facts), (error: unknown) => {
    assert.ok(error instanceof ParameterError, `not a ParameterError: ${error}`);
    assert.match(error.message, pattern);
    assert.equal(error.message.split(/(?<=[.!?])\s+(?=[A-Z])/).length, 1, `one sentence: ${error.message}`);
    return true;
  });
}

test('checkParameters returns every notebook\'s parameters, with the defaults', () => {
  const parameters = checkParameters(env());
  assert.deepEqual(parameters, {
    SPOTIFY_CSV: csvFile, DB_PATH: join(folder, 'new.duckdb'), POPULARITY_MIN: 10, SAMPLE_SIZE: 10000, SEED: 42, K: 12,
    N_CLUSTERS: 0, ENCODING: 'label', LAYOUT: 'circular', GOWER_WEIGHTS: {}, TRACK_QUERY: '', N_SIMILAR: 10,
  });
  const chosen = checkParameters(env({ ENCODING: 'onehot', LAYOUT: 'Packed', GOWER_WEIGHTS: 'key=0.5, mode=0', TRACK_QUERY: ' Halo ', N_SIMILAR: '25', N_CLUSTERS: '3' }));
  assert.deepEqual([chosen.ENCODING, chosen.LAYOUT, chosen.GOWER_WEIGHTS, chosen.TRACK_QUERY, chosen.N_SIMILAR, chosen.N_CLUSTERS], ['onehot', 'packed', { key: 0.5, mode: 0 }, 'Halo', 25, 3]);
});

test('a word outside its choices is refused with the choices and the default', () => {
  refuses({ LAYOUT: 'hexagon' }, /^LAYOUT is 'hexagon', but it must be one of circular, grid, packed; unset it to use the default circular\.$/);
  refuses({ ENCODING: 'bogus' }, /^ENCODING is 'bogus', but it must be one of label, onehot; unset it to use the default label\.$/);
  assert.equal(choiceParameter('LAYOUT', 'circular', ['circular', 'grid'], {}), 'circular');
});

test('a number outside its range is refused with the range and the nearest value that works', () => {
  refuses({ POPULARITY_MIN: '100' }, /^POPULARITY_MIN is 100, but it must be a whole number from -1 to 99; the largest value that works is 99\.$/);
  refuses({ SAMPLE_SIZE: '2' }, /^SAMPLE_SIZE is 2, but it must be a whole number 91 or more; the smallest value that works is 91\.$/);
  refuses({ SAMPLE_SIZE: '10' }, /SAMPLE_SIZE is 10, .* the smallest value that works is 91/);
  refuses({ K: '1' }, /^K is 1, but it must be a whole number 2 or more; the smallest value that works is 2\.$/);
  refuses({ N_CLUSTERS: '1' }, /^N_CLUSTERS is 1, but it must be 0 \(take the sweep's best\) or a whole number of 2 or more; the smallest value that works is 2\.$/);
  refuses({ SEED: '-1' }, /^SEED is -1, but it must be a whole number from 0 to 4,294,967,295; the smallest value that works is 0\.$/);
  refuses({ N_SIMILAR: '0' }, /^N_SIMILAR is 0, but it must be a whole number from 1 to 1,000; the smallest value that works is 1\.$/);
  refuses({ N_SIMILAR: '5000' }, /the largest value that works is 1,000\.$/);
  refuses({ K: '7.5' }, /^K is '7\.5', but it must be a whole number 2 or more; unset it to use the default 12\.$/);
});

test('GOWER_WEIGHTS takes feature=weight pairs with known features and finite weights of 0 or more', () => {
  refuses({ GOWER_WEIGHTS: 'tmpo=2' }, /^GOWER_WEIGHTS names "tmpo", which is not a feature; give weights only for genre, key, .*valence/);
  refuses({ GOWER_WEIGHTS: 'key=-1' }, /^GOWER_WEIGHTS gives "key" the weight -1, but weights must be ≥ 0/);
  refuses({ GOWER_WEIGHTS: 'key=1e400' }, /the weight 1e400, too large to be a finite number/);
  refuses({ GOWER_WEIGHTS: 'key' }, /^GOWER_WEIGHTS has "key", which is not a feature=weight pair/);
  refuses({ GOWER_WEIGHTS: 'key=1,key=2' }, /gives "key" a weight twice/);
});

test('K and N_CLUSTERS are checked against the sample: SAMPLE_SIZE, or the tracks there are when fewer', () => {
  refuses({ SAMPLE_SIZE: '500', K: '600' }, /^K is 600, but it must be a whole number from 2 to SAMPLE_SIZE, the size of the sample; the largest value that works is 500\.$/);
  refuses({ K: '300' }, /^K is 300, but it must be a whole number from 2 to 200, the tracks in the sample; the largest value that works is 200\.$/, { storedTracks: 200 });
  refuses({ N_CLUSTERS: '200' }, /^N_CLUSTERS is 200, but it must be 0 \(take the sweep's best\) or a whole number from 2 to one less than 200, the tracks in the sample; the largest value that works is 199\.$/, { storedTracks: 200 });
  assert.equal(checkParameters(env({ K: '200', N_CLUSTERS: '199' }), { storedTracks: 200 }).K, 200);
});

test('the smallest sample is the one every step can use: t-SNE\'s perplexity 30 needs more than 90 tracks', () => {
  assert.equal(smallestSample(), 91);
  // without t-SNE the sweep (14 clusters on an 80 % split, 3 test tracks) and the elbow (k = 19) would decide
  assert.equal(smallestSample({ ...CLUSTERING_STEPS, perplexity: 1 }), 19);
  assert.equal(smallestSample({ ...CLUSTERING_STEPS, perplexity: 1, elbowKMax: 2 }), 18);
});

test('POPULARITY_MIN that keeps too few tracks is refused with the largest value that works for the file', () => {
  const spread = Array.from({ length: 300 }, (_, i) => Math.floor(i / 3)); // three tracks at each popularity 0..99
  // 91 tracks above t ⇔ t < the 91st largest, which is floor((300 − 91) / 3) = 69
  refuses({ POPULARITY_MIN: '95' }, /only 12 of the 300 distinct tracks .* the largest value that works for this file is 68\.$/, { popularity: spread });
  assert.equal(checkParameters(env({ POPULARITY_MIN: '68' }), { popularity: spread }).POPULARITY_MIN, 68);
  refuses({ POPULARITY_MIN: '69' }, /only 90 of the 300/, { popularity: spread });
  refuses({}, /^SPOTIFY_CSV is .*tracks\.csv, which holds only 50 distinct tracks, fewer than the 91 the clustering needs; use a larger copy/, { popularity: new Array(50).fill(50) });
});

test('a database with no or too few tracks is refused for the clustering notebooks, which do not need the CSV', () => {
  refuses({}, /^DB_PATH is .*new\.duckdb, which holds no tracks yet; run notebook 01 \(or npm run notebooks\) first, with the same DB_PATH\.$/, { storedTracks: 0 });
  refuses({}, /which holds only 40 tracks, fewer than the 91 the clustering needs/, { storedTracks: 40 });
  assert.equal(checkParameters(env({ SPOTIFY_CSV: join(folder, 'gone.csv') }), { storedTracks: 500 }).SAMPLE_SIZE, 10000);
});

test('a sample whose Gower matrix and trees do not fit in memory is refused with the largest SAMPLE_SIZE that fits', () => {
  const limit = clusteringPeakBytes(1000); // room for exactly 1,000 tracks
  assert.equal(largestClusteringSample(limit), 1000);
  refuses({ SAMPLE_SIZE: '5000' }, /^SAMPLE_SIZE is 5,000, so the sample holds 5,000 tracks, whose Gower matrix and average-linkage trees need 150\.0 MB at once, more than the 6\.0 MB this machine can give; the largest value that works here is 1,000\.$/, { storedTracks: 12000, memoryLimit: limit });
  refuses({ SAMPLE_SIZE: '1000000' }, /so the sample holds all the 12,000 tracks stored in .*, whose .* the largest value that works here is 1,000/, { storedTracks: 12000, memoryLimit: limit });
  assert.equal(checkParameters(env({ SAMPLE_SIZE: '1000000' }), { storedTracks: 1000, memoryLimit: limit }).SAMPLE_SIZE, 1000000); // "more than there are means all"
  // the peak is the Gower matrix plus the larger tree: for 1,000 tracks 2.0 MB of Gower matrix + 4.0 MB for the tree on all of them
  assert.equal(clusteringPeakBytes(1000), 1000 * 999 / 2 * 12);
});

test('paths: a missing input file, a DB_PATH that is no DuckDB file or cannot be written are refused', () => {
  refuses({ SPOTIFY_CSV: join(folder, 'missing.csv') }, /^SPOTIFY_CSV is .*missing\.csv, but there is no file there; download SpotifyFeatures\.csv/);
  refuses({ DB_PATH: csvFile }, /^DB_PATH is .*tracks\.csv, an existing file that is not a DuckDB database \(it starts with "genre"\), so it was left alone; point DB_PATH at a DuckDB file or at a path where no file exists yet\.$/);
  refuses({ DB_PATH: join(csvFile, 'x.duckdb') }, /^DB_PATH is .*x\.duckdb, but .*tracks\.csv is a file, not a folder/);
  const deep = join(folder, 'a', 'b', 'c.duckdb');
  assert.equal(checkParameters(env({ DB_PATH: deep })).DB_PATH, deep); // a folder that does not exist yet is made later
  mkdirSync(join(folder, 'sub'));
  refuses({ DB_PATH: join(folder, 'sub') }, /^DB_PATH is .*sub, a folder, so it was left alone; point DB_PATH at a DuckDB file inside it \(such as .*sub\/spotify\.duckdb\)\.$/);
});

test('relative paths are taken from the folder the command was started in (INIT_CWD), and ~ is the home folder', () => {
  assert.equal(userPath('data/x.csv', { INIT_CWD: '/home/me/music' }), '/home/me/music/data/x.csv');
  assert.equal(userPath('/abs/x.csv', { INIT_CWD: '/home/me' }), '/abs/x.csv');
  assert.equal(userPath('~/x.csv', {}), join(homedir(), 'x.csv'));
  assert.equal(userPath('x.csv', {}), join(process.cwd(), 'x.csv'));
  const parameters = checkParameters({ SPOTIFY_CSV: 'tracks.csv', DB_PATH: 'out/my.duckdb', INIT_CWD: folder });
  assert.equal(parameters.SPOTIFY_CSV, csvFile);
  assert.equal(parameters.DB_PATH, join(folder, 'out', 'my.duckdb'));
});

test('objects such as GOWER_WEIGHTS print as JSON among the parameters', () => {
  assert.equal(describeParameters({ K: 12, GOWER_WEIGHTS: { key: 0.5 } }), 'K             = 12\nGOWER_WEIGHTS = {"key":0.5}');
});

test('a parameters cell: literals a reader edits, the environment still overriding, read afresh', () => {
  assert.deepEqual(withLiterals({ K: 12, LAYOUT: 'grid' }, { K: '8' }), { K: '8', LAYOUT: 'grid' });
  assert.deepEqual(withLiterals({ K: 12 }, { K: '' }), { K: '12' }, 'an empty variable does not override');
  assert.equal(checkParameters(withLiterals({ K: 7 }, { SPOTIFY_CSV: BUNDLED_CSV })).K, 7);
  assert.equal(PARAMETER_DEFAULTS.K, 12);
});

test('the parameters printout says which values came from the environment and which were edited', () => {
  const text = describeParameters({ K: 8, SEED: 42, LAYOUT: 'grid' }, { K: 8, SEED: 42, LAYOUT: 'circular' }, { LAYOUT: 'grid' });
  assert.equal(text, 'K      = 8   (edited in this notebook; the default is 12)\nSEED   = 42\nLAYOUT = grid   (from the environment variable LAYOUT)');
});
