import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  integerParameter,
  NOTEBOOKS,
  PARAMETER_NAMES,
  parameterSpec,
  PARAMETERS,
  ParameterError,
  parametersReadBy,
  parseGowerWeights,
  readParameters,
} from '../../lib/notebook/parameters';
import { BUILD_DIR, BUNDLED_CSV, DB_NAME } from '../../lib/paths';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test("without environment variables the original notebook's defaults are in force", () => {
  const parameters = readParameters({});
  assert.equal(parameters.POPULARITY_MIN, 10);
  assert.equal(parameters.SAMPLE_SIZE, 10000);
  assert.equal(parameters.SEED, 42);
  assert.equal(parameters.K, 12);
  assert.equal(parameters.DB_PATH, DB_NAME);
  assert.ok([BUNDLED_CSV, BUNDLED_CSV.replace('.sample', '')].includes(parameters.SPOTIFY_CSV));
});

test('environment variables override the defaults', () => {
  const parameters = readParameters({
    SPOTIFY_CSV: '/tmp/x.csv',
    DB_PATH: '/tmp/x.duckdb',
    POPULARITY_MIN: '0',
    SAMPLE_SIZE: '500',
    SEED: '7',
    K: '4',
  });
  const { SPOTIFY_CSV, DB_PATH, POPULARITY_MIN, SAMPLE_SIZE, SEED, K } = parameters;
  assert.deepEqual(
    { SPOTIFY_CSV, DB_PATH, POPULARITY_MIN, SAMPLE_SIZE, SEED, K },
    { SPOTIFY_CSV: '/tmp/x.csv', DB_PATH: '/tmp/x.duckdb', POPULARITY_MIN: 0, SAMPLE_SIZE: 500, SEED: 7, K: 4 },
  );
});

test('a value that is not a whole number is refused with a sentence naming the variable', () => {
  assert.throws(
    () => readParameters({ K: 'twelve' }),
    /^ParameterError: K is 'twelve', but it must be a whole number 2 or more; unset it to use the default 12\.$/,
  );
  assert.throws(
    () => integerParameter('SAMPLE_SIZE', 10000, { SAMPLE_SIZE: '1' }, 2),
    /SAMPLE_SIZE is 1, but it must be a whole number 2 or more; the smallest value that works is 2\./,
  );
  // read from the table, SAMPLE_SIZE starts at the smallest sample every step can use
  assert.throws(
    () => readParameters({ SAMPLE_SIZE: '1' }),
    /SAMPLE_SIZE is 1, but it must be a whole number 91 or more; the smallest value that works is 91\./,
  );
});

test('readParameters reads only what the chosen notebooks read, and the two paths', () => {
  const parameters = readParameters({ K: 'twelve', SEED: '-1' }, ['04']);
  assert.deepEqual(Object.keys(parameters).sort(), [
    'DB_PATH',
    'GOWER_WEIGHTS',
    'N_SIMILAR',
    'PLAYLIST_DIR',
    'PLAYLIST_SIZE',
    'RUNS_KEPT',
    'SPOTIFY_CSV',
    'THREADS',
    'TRACK_QUERY',
  ]);
  assert.deepEqual(parametersReadBy(['04']), [
    'DB_PATH',
    'THREADS',
    'TRACK_QUERY',
    'N_SIMILAR',
    'GOWER_WEIGHTS',
    'PLAYLIST_SIZE',
    'PLAYLIST_DIR',
    'RUNS_KEPT',
  ]);
  assert.deepEqual(parametersReadBy(['01']), ['SPOTIFY_CSV', 'DB_PATH', 'THREADS', 'POPULARITY_MIN', 'RUNS_KEPT']);
  assert.deepEqual(parametersReadBy(['02']), [
    'DB_PATH',
    'THREADS',
    'SAMPLE_SIZE',
    'SEED',
    'N_CLUSTERS',
    'CLARA_SAMPLES',
    'GOWER_WEIGHTS',
    'RUNS_KEPT',
  ]);
  assert.deepEqual(parametersReadBy(['03']), [
    'DB_PATH',
    'THREADS',
    'SAMPLE_SIZE',
    'SEED',
    'K',
    'ENCODING',
    'LAYOUT',
    'RUNS_KEPT',
  ]);
  assert.deepEqual(parametersReadBy(['05']), ['DB_PATH', 'THREADS', 'RUN_A', 'RUN_B']);
});

test('the table: every parameter is read by a notebook, has a meaning, and its written default reads as itself', () => {
  assert.equal(PARAMETERS.K.default, 12);
  assert.equal(PARAMETERS.SAMPLE_SIZE.default, 10000);
  for (const name of PARAMETER_NAMES) {
    const spec = parameterSpec(name);
    assert.ok(spec.notebooks.length > 0 && spec.notebooks.every((notebook) => NOTEBOOKS.includes(notebook)), name);
    assert.ok(spec.meaning.length > 0 && spec.allowed.length > 0, name);
    assert.ok(spec.default !== undefined || spec.defaultText !== undefined, `${name} has a default`);
    if (spec.default === undefined) continue;
    const fromDefault = spec.read(String(spec.default), name, {});
    assert.deepEqual(fromDefault, spec.read(undefined, name, {}), `${name}: the written default is the default`);
  }
});

test('PLAYLIST_SIZE: 20 by default, from 1 to 1,000; PLAYLIST_DIR: build/playlists by default, resolved like DB_PATH, not a file', () => {
  const defaults = readParameters({}, ['04']);
  assert.equal(defaults.PLAYLIST_SIZE, 20);
  assert.equal(defaults.PLAYLIST_DIR, join(BUILD_DIR, 'playlists'));
  assert.equal(readParameters({ PLAYLIST_SIZE: '5' }, ['04']).PLAYLIST_SIZE, 5);
  assert.throws(
    () => readParameters({ PLAYLIST_SIZE: '0' }, ['04']),
    /^ParameterError: PLAYLIST_SIZE is 0, but it must be a whole number from 1 to 1,000; the smallest value that works is 1\.$/,
  );
  assert.throws(() => readParameters({ PLAYLIST_SIZE: '1001' }, ['04']), /the largest value that works is 1,000\./);
  const folder = mkdtempSync(join(tmpdir(), 'playlist-dir-'));
  assert.equal(readParameters({ PLAYLIST_DIR: 'lists', INIT_CWD: folder }, ['04']).PLAYLIST_DIR, join(folder, 'lists'));
  mkdirSync(join(folder, 'made'));
  assert.equal(readParameters({ PLAYLIST_DIR: join(folder, 'made') }, ['04']).PLAYLIST_DIR, join(folder, 'made'));
  writeFileSync(join(folder, 'file'), 'x');
  assert.throws(
    () => readParameters({ PLAYLIST_DIR: join(folder, 'file') }, ['04']),
    /^ParameterError: PLAYLIST_DIR is .*file, which is a file, not a folder; point PLAYLIST_DIR at a folder \(it is made if missing\), or unset it to use build\/playlists\.$/,
  );
});

const FEATURES = ['genre', 'key', 'mode', 'tempo'];

test('GOWER_WEIGHTS text becomes feature weights; spaces are tolerated and empty means equal weights', () => {
  assert.deepEqual(parseGowerWeights('key=0.5,mode=0.5', FEATURES), { key: 0.5, mode: 0.5 });
  assert.deepEqual(parseGowerWeights('  key = 0.5 ,  tempo=2 ', FEATURES), { key: 0.5, tempo: 2 });
  assert.deepEqual(parseGowerWeights('genre=0, tempo=1e-1, mode=.25, key=+3', FEATURES), {
    genre: 0,
    tempo: 0.1,
    mode: 0.25,
    key: 3,
  });
  assert.deepEqual(parseGowerWeights('', FEATURES), {});
  assert.deepEqual(parseGowerWeights('   ', FEATURES), {});
});

test('GOWER_WEIGHTS: an unknown feature is refused with the allowed names', () => {
  assert.throws(() => parseGowerWeights('tempoo=2', FEATURES), {
    message:
      'GOWER_WEIGHTS names "tempoo", which is not a feature; give weights only for genre, key, mode, tempo (for example GOWER_WEIGHTS="key=0.5,mode=0.5"), or unset it for equal weights.',
  });
});

test('GOWER_WEIGHTS: negative, non-finite, malformed and repeated weights are refused with a sentence naming the variable', () => {
  const cases: [string, RegExp][] = [
    [
      'key=-1',
      /^Error: GOWER_WEIGHTS gives "key" the weight -1, but weights must be ≥ 0; write a number ≥ 0 such as key=0.5, or leave key out to keep its weight 1\.$/,
    ],
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
    [
      'genre=0,key=0,mode=0,tempo=0',
      /^Error: GOWER_WEIGHTS sets the weight of every feature to 0; give at least one feature a positive weight, or unset it for equal weights\.$/,
    ],
  ];
  for (const [text, message] of cases) assert.throws(() => parseGowerWeights(text, FEATURES), message, text);
});

test('GOWER_WEIGHTS whose sum is not a finite number are refused: every distance would come out 0', () => {
  // each weight is finite, but 1e308 + 1e308 is Infinity, and w·d / Σw is then 0 for every pair
  for (const text of ['genre=1e308,key=1e308', 'genre=1e308, key=1e308, mode=0', 'tempo=9e307,genre=9e307']) {
    assert.throws(
      () => parseGowerWeights(text, FEATURES),
      /^Error: GOWER_WEIGHTS gives weights that add up to more than the largest finite number, so every distance would come out 0; only their ratios matter, so divide them all by the same number \(genre=1,key=1 weighs like genre=1e308,key=1e308\)\.$/,
      text,
    );
  }
  // 1e308 alone with the others at 0 sums to a finite number: allowed
  assert.deepEqual(parseGowerWeights('genre=1e308,key=0,mode=0,tempo=0', FEATURES), {
    genre: 1e308,
    key: 0,
    mode: 0,
    tempo: 0,
  });
});

test('parseGowerWeights names another variable when asked, and keeps -0 as 0', () => {
  assert.throws(() => parseGowerWeights('x=1', FEATURES, 'MY_WEIGHTS'), /^Error: MY_WEIGHTS names "x"/);
  assert.ok(Object.is(parseGowerWeights('key=-0', FEATURES).key, 0));
});

test('RUNS_KEPT: 20 by default, from 1 to 1,000, read by notebooks 01–04; RUN_A and RUN_B: 0 or a run id, read by notebook 05', () => {
  assert.equal(readParameters({}, ['03']).RUNS_KEPT, 20);
  assert.equal(readParameters({ RUNS_KEPT: '3' }, ['01']).RUNS_KEPT, 3);
  assert.deepEqual(PARAMETERS.RUNS_KEPT.notebooks, ['01', '02', '03', '04']);
  const refused = (env: Record<string, string>, notebook: '01' | '05', message: RegExp) =>
    assert.throws(
      () => readParameters(env, [notebook]),
      (error: unknown) => {
        assert.ok(error instanceof ParameterError);
        assert.match(error.message, message);
        assert.equal(error.message.split(/(?<=[.!?])\s+(?=[A-Z])/).length, 1, error.message);
        return true;
      },
    );
  refused(
    { RUNS_KEPT: '0' },
    '01',
    /^RUNS_KEPT is 0, but it must be a whole number from 1 to 1,000; the smallest value that works is 1\.$/,
  );
  refused({ RUNS_KEPT: '1001' }, '01', /the largest value that works is 1,000\.$/);
  refused({ RUNS_KEPT: 'all' }, '01', /^RUNS_KEPT is 'all', but it must be a whole number from 1 to 1,000; unset it/);
  const defaults = readParameters({}, ['05']);
  assert.deepEqual([defaults.RUN_A, defaults.RUN_B], [0, 0]);
  assert.deepEqual(readParameters({ RUN_A: '4', RUN_B: '7' }, ['05']).RUN_B, 7);
  refused(
    { RUN_A: '-1' },
    '05',
    /^RUN_A is -1, but it must be a whole number from 0 to 2,147,483,647; the smallest value/,
  );
  refused({ RUN_B: 'last' }, '05', /^RUN_B is 'last', but it must be a whole number/);
  assert.equal(PARAMETERS.RUN_A.show!(0), '0 (the second-to-last run with a clustering)');
  assert.equal(PARAMETERS.RUN_B.show!(7), 'run 7');
});
