import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkParameters } from '../../lib/notebook/check-parameters';
import {
  choiceParameter,
  CLUSTERING_STEPS,
  ParameterError,
  PLAYLIST_FOLDER,
  smallestSample,
} from '../../lib/notebook/parameters';
import { clusteringPeakBytes, largestClusteringSample } from '../../lib/matrix/memory';

// checkParameters: every parameter of every notebook, alone and in relation, before anything runs.

const folder = mkdtempSync(join(tmpdir(), 'config-'));
const csvFile = join(folder, 'tracks.csv');
writeFileSync(csvFile, 'genre\n');
/** An environment that passes, plus the changes of one case. */
const env = (changes: Record<string, string> = {}): Record<string, string> => ({
  SPOTIFY_CSV: csvFile,
  DB_PATH: join(folder, 'new.duckdb'),
  ...changes,
});

function refuses(
  changes: Record<string, string>,
  pattern: RegExp,
  facts = {},
  notebooks?: ('01' | '02' | '03' | '04' | '05')[],
): void {
  assert.throws(
    () => checkParameters(env(changes), facts, notebooks),
    (error: unknown) => {
      assert.ok(error instanceof ParameterError, `not a ParameterError: ${error}`);
      assert.match(error.message, pattern);
      assert.equal(error.message.split(/(?<=[.!?])\s+(?=[A-Z])/).length, 1, `one sentence: ${error.message}`);
      return true;
    },
  );
}

test("checkParameters returns every notebook's parameters, with the defaults", () => {
  const parameters = checkParameters(env());
  assert.deepEqual(parameters, {
    SPOTIFY_CSV: csvFile,
    DB_PATH: join(folder, 'new.duckdb'),
    THREADS: availableParallelism(),
    POPULARITY_MIN: 10,
    SAMPLE_SIZE: 10000,
    SEED: 42,
    K: 12,
    N_CLUSTERS: 0,
    CLARA_SAMPLES: 5,
    ENCODING: 'label',
    LAYOUT: 'circular',
    GOWER_WEIGHTS: {},
    TRACK_QUERY: '',
    N_SIMILAR: 10,
    PLAYLIST_SIZE: 20,
    PLAYLIST_DIR: PLAYLIST_FOLDER,
    RUNS_KEPT: 20,
    RUN_A: 0,
    RUN_B: 0,
  });
  const chosen = checkParameters(
    env({
      ENCODING: 'onehot',
      LAYOUT: 'Packed',
      GOWER_WEIGHTS: 'key=0.5, mode=0',
      TRACK_QUERY: ' Halo ',
      N_SIMILAR: '25',
      N_CLUSTERS: '3',
    }),
  );
  assert.deepEqual(
    [chosen.ENCODING, chosen.LAYOUT, chosen.GOWER_WEIGHTS, chosen.TRACK_QUERY, chosen.N_SIMILAR, chosen.N_CLUSTERS],
    ['onehot', 'packed', { key: 0.5, mode: 0 }, 'Halo', 25, 3],
  );
});

test('a word outside its choices is refused with the choices and the default', () => {
  refuses(
    { LAYOUT: 'hexagon' },
    /^LAYOUT is 'hexagon', but it must be one of circular, grid, packed; unset it to use the default circular\.$/,
  );
  refuses(
    { ENCODING: 'bogus' },
    /^ENCODING is 'bogus', but it must be one of label, onehot; unset it to use the default label\.$/,
  );
  assert.equal(choiceParameter('LAYOUT', 'circular', ['circular', 'grid'], {}), 'circular');
});

test('a number outside its range is refused with the range and the nearest value that works', () => {
  refuses(
    { POPULARITY_MIN: '100' },
    /^POPULARITY_MIN is 100, but it must be a whole number from -1 to 99; the largest value that works is 99\.$/,
  );
  refuses(
    { SAMPLE_SIZE: '2' },
    /^SAMPLE_SIZE is 2, but it must be a whole number 91 or more; the smallest value that works is 91\.$/,
  );
  refuses({ SAMPLE_SIZE: '10' }, /SAMPLE_SIZE is 10, .* the smallest value that works is 91/);
  refuses({ K: '1' }, /^K is 1, but it must be a whole number 2 or more; the smallest value that works is 2\.$/);
  refuses(
    { N_CLUSTERS: '1' },
    /^N_CLUSTERS is 1, but it must be 0 \(take the sweep's best\) or a whole number of 2 or more; the smallest value that works is 2\.$/,
  );
  refuses(
    { SEED: '-1' },
    /^SEED is -1, but it must be a whole number from 0 to 4,294,967,295; the smallest value that works is 0\.$/,
  );
  refuses(
    { N_SIMILAR: '0' },
    /^N_SIMILAR is 0, but it must be a whole number from 1 to 1,000; the smallest value that works is 1\.$/,
  );
  refuses({ N_SIMILAR: '5000' }, /the largest value that works is 1,000\.$/);
  refuses({ K: '7.5' }, /^K is '7\.5', but it must be a whole number 2 or more; unset it to use the default 12\.$/);
});

test('THREADS is a whole number of at least 1, the cores Node reports by default, read by every notebook', () => {
  assert.equal(checkParameters(env()).THREADS, availableParallelism());
  assert.equal(checkParameters(env({ THREADS: '1' })).THREADS, 1);
  assert.equal(checkParameters(env({ THREADS: ' 3 ' }), { storedTracks: 500 }, ['04']).THREADS, 3);
  refuses(
    { THREADS: '0' },
    /^THREADS is 0, but it must be a whole number 1 or more; the smallest value that works is 1\.$/,
  );
  refuses(
    { THREADS: '-2' },
    /^THREADS is -2, but it must be a whole number 1 or more; the smallest value that works is 1\.$/,
  );
  refuses(
    { THREADS: 'two' },
    new RegExp(
      `^THREADS is 'two', but it must be a whole number 1 or more; unset it to use the default ${availableParallelism()}\\.$`,
    ),
  );
  refuses({ THREADS: '1.5' }, /^THREADS is '1\.5', but it must be a whole number 1 or more/, {}, ['01']);
});

test('CLARA_SAMPLES is a whole number of samples from 1 to 50, read by notebook 02 only (default 5)', () => {
  assert.equal(checkParameters(env(), {}).CLARA_SAMPLES, 5);
  assert.equal(checkParameters(env({ CLARA_SAMPLES: '1' }), {}).CLARA_SAMPLES, 1);
  refuses(
    { CLARA_SAMPLES: '0' },
    /^CLARA_SAMPLES is 0, but it must be a whole number from 1 to 50; the smallest value that works is 1\.$/,
  );
  refuses({ CLARA_SAMPLES: '51' }, /^CLARA_SAMPLES is 51, but .*; the largest value that works is 50\.$/);
  refuses(
    { CLARA_SAMPLES: 'five' },
    /^CLARA_SAMPLES is 'five', but it must be a whole number .*; unset it to use the default 5\.$/,
  );
  refuses({ CLARA_SAMPLES: '2.5' }, /^CLARA_SAMPLES is '2\.5', but it must be a whole number/);
  assert.equal(
    (checkParameters(env({ CLARA_SAMPLES: '0' }), {}, ['03']) as { CLARA_SAMPLES?: number }).CLARA_SAMPLES,
    undefined,
  );
});

test('GOWER_WEIGHTS takes feature=weight pairs with known features and finite weights of 0 or more', () => {
  refuses(
    { GOWER_WEIGHTS: 'tmpo=2' },
    /^GOWER_WEIGHTS names "tmpo", which is not a feature; give weights only for genre, key, .*valence/,
  );
  refuses({ GOWER_WEIGHTS: 'key=-1' }, /^GOWER_WEIGHTS gives "key" the weight -1, but weights must be ≥ 0/);
  refuses({ GOWER_WEIGHTS: 'key=1e400' }, /the weight 1e400, too large to be a finite number/);
  refuses({ GOWER_WEIGHTS: 'key' }, /^GOWER_WEIGHTS has "key", which is not a feature=weight pair/);
  refuses({ GOWER_WEIGHTS: 'key=1,key=2' }, /gives "key" a weight twice/);
});

test('GOWER_WEIGHTS whose sum is not finite (genre=1e308,key=1e308) are refused before anything runs', () => {
  refuses(
    { GOWER_WEIGHTS: 'genre=1e308,key=1e308' },
    /^GOWER_WEIGHTS gives weights that add up to more than the largest finite number, so every distance would come out 0;/,
  );
  refuses(
    { GOWER_WEIGHTS: 'genre=1e308,key=1e308' },
    /add up to more than the largest finite number/,
    { storedTracks: 500 },
    ['04'],
  );
});

test('K and N_CLUSTERS are checked against the sample: SAMPLE_SIZE, or the tracks there are when fewer', () => {
  refuses(
    { SAMPLE_SIZE: '500', K: '600' },
    /^K is 600, but it must be a whole number from 2 to SAMPLE_SIZE, the size of the sample; the largest value that works is 500\.$/,
  );
  refuses(
    { K: '300' },
    /^K is 300, but it must be a whole number from 2 to 200, the tracks in the sample; the largest value that works is 200\.$/,
    { storedTracks: 200 },
  );
  // the stability check refits on halves: 101 clusters cannot be cut from 100 tracks (it used to pass
  // the check and stop notebook 02 after notebook 01 had replaced the tracks)
  refuses(
    { N_CLUSTERS: '101' },
    /^N_CLUSTERS is 101, but it must be 0 \(take the sweep's best\) or a whole number from 2 to 100, half the 200 tracks in the sample \(the stability check refits each method on random halves\); the largest value that works is 100\.$/,
    { storedTracks: 200 },
  );
  refuses(
    { SAMPLE_SIZE: '91', N_CLUSTERS: '90' },
    /^N_CLUSTERS is 90, but it must be 0 .* from 2 to half of SAMPLE_SIZE .*; the largest value that works is 46\.$/,
  );
  assert.equal(checkParameters(env({ K: '200', N_CLUSTERS: '100' }), { storedTracks: 200 }).K, 200);
});

test("the smallest sample is the one every step can use: t-SNE's perplexity 30 needs more than 90 tracks", () => {
  assert.equal(smallestSample(), 91);
  // without t-SNE the sweep (14 clusters on an 80 % split, 3 test tracks) and the elbow (k = 19) would decide
  assert.equal(smallestSample({ ...CLUSTERING_STEPS, perplexity: 1 }), 19);
  assert.equal(smallestSample({ ...CLUSTERING_STEPS, perplexity: 1, elbowKMax: 2 }), 18);
});

test('POPULARITY_MIN that keeps too few tracks is refused with the largest value that works for the file', () => {
  const spread = Array.from({ length: 300 }, (_, i) => Math.floor(i / 3)); // three tracks at each popularity 0..99
  // 91 tracks above t ⇔ t < the 91st largest, which is floor((300 − 91) / 3) = 69
  refuses(
    { POPULARITY_MIN: '95' },
    /only 12 of the 300 distinct tracks .* the largest value that works for this file is 68\.$/,
    { popularity: spread },
  );
  assert.equal(checkParameters(env({ POPULARITY_MIN: '68' }), { popularity: spread }).POPULARITY_MIN, 68);
  refuses({ POPULARITY_MIN: '69' }, /only 90 of the 300/, { popularity: spread });
  refuses(
    {},
    /^SPOTIFY_CSV is .*tracks\.csv, which holds only 50 distinct tracks, fewer than the 91 the clustering needs; use a larger copy/,
    { popularity: new Array(50).fill(50) },
  );
  // notebook 01 alone checks the same, and nothing it does not read
  refuses({ POPULARITY_MIN: '95', K: 'many' }, /only 12 of the 300 distinct tracks/, { popularity: spread }, ['01']);
});

test('a database with no or too few tracks is refused for the clustering notebooks, which do not need the CSV', () => {
  refuses(
    {},
    /^DB_PATH is .*new\.duckdb, which holds no tracks yet; run notebook 01 \(or npm run notebooks\) first, with the same DB_PATH\.$/,
    { storedTracks: 0 },
  );
  refuses({}, /which holds only 40 tracks, fewer than the 91 the clustering needs/, { storedTracks: 40 });
  assert.equal(
    checkParameters(env({ SPOTIFY_CSV: join(folder, 'gone.csv') }), { storedTracks: 500 }).SAMPLE_SIZE,
    10000,
  );
});

test('chosen notebooks: only what they read is checked (notebook 04 needs no CSV, notebook 01 no stored tracks)', () => {
  const gone = join(folder, 'gone.csv');
  // notebook 04 alone: the input file is never read, K and SAMPLE_SIZE are not its parameters, 40 tracks are enough
  const only04 = checkParameters(env({ SPOTIFY_CSV: gone, K: 'many', SAMPLE_SIZE: '2' }), { storedTracks: 40 }, ['04']);
  assert.deepEqual(Object.keys(only04).sort(), [
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
  assert.equal(only04.N_SIMILAR, 10);
  refuses({ SPOTIFY_CSV: gone }, /holds no tracks yet; run notebook 01/, { storedTracks: 0 }, ['04']);
  refuses({ N_SIMILAR: '0' }, /^N_SIMILAR is 0/, { storedTracks: 500 }, ['04']);
  // notebook 01 alone: the input file is needed, LAYOUT and K are not its parameters
  assert.equal(checkParameters(env({ LAYOUT: 'hexagon', K: '1' }), {}, ['01']).POPULARITY_MIN, 10);
  refuses({ SPOTIFY_CSV: gone }, /^SPOTIFY_CSV is .*gone\.csv, but there is no file there/, {}, ['01']);
  // notebook 03 alone: K against the stored tracks, but not N_CLUSTERS or the Gower matrix's memory
  refuses({ K: '300' }, /^K is 300, .* the largest value that works is 200\.$/, { storedTracks: 200 }, ['03']);
  assert.equal(checkParameters(env({ N_CLUSTERS: '500' }), { storedTracks: 200, memoryLimit: 1 }, ['03']).K, 12);
  refuses({}, /which holds only 40 tracks, fewer than the 91/, { storedTracks: 40 }, ['03']);
});

test('a sample whose Gower matrix and trees do not fit in memory is refused with the largest SAMPLE_SIZE that fits', () => {
  const limit = clusteringPeakBytes(1000); // room for exactly 1,000 tracks
  assert.equal(largestClusteringSample(limit), 1000);
  refuses(
    { SAMPLE_SIZE: '5000' },
    /^SAMPLE_SIZE is 5,000, so the sample holds 5,000 tracks, whose Gower matrix and average-linkage trees need 150\.0 MB at once, more than the 6\.0 MB this machine can give; the largest value that works here is 1,000\.$/,
    { storedTracks: 12000, memoryLimit: limit },
  );
  refuses(
    { SAMPLE_SIZE: '1000000' },
    /so the sample holds all the 12,000 tracks stored in .*, whose .* the largest value that works here is 1,000/,
    { storedTracks: 12000, memoryLimit: limit },
  );
  assert.equal(
    checkParameters(env({ SAMPLE_SIZE: '1000000' }), { storedTracks: 1000, memoryLimit: limit }).SAMPLE_SIZE,
    1000000,
  ); // "more than there are means all"
  // the peak is the Gower matrix plus the larger tree: for 1,000 tracks 2.0 MB of Gower matrix + 4.0 MB for the tree on all of them
  assert.equal(clusteringPeakBytes(1000), ((1000 * 999) / 2) * 12);
});

test('paths: a missing input file, a DB_PATH that is no DuckDB file or cannot be written are refused', () => {
  refuses(
    { SPOTIFY_CSV: join(folder, 'missing.csv') },
    /^SPOTIFY_CSV is .*missing\.csv, but there is no file there; download SpotifyFeatures\.csv/,
  );
  refuses(
    { DB_PATH: csvFile },
    /^DB_PATH is .*tracks\.csv, an existing file that is not a DuckDB database \(it starts with "genre"\), so it was left alone; point DB_PATH at a DuckDB file or at a path where no file exists yet\.$/,
  );
  refuses({ DB_PATH: join(csvFile, 'x.duckdb') }, /^DB_PATH is .*x\.duckdb, but .*tracks\.csv is a file, not a folder/);
  const deep = join(folder, 'a', 'b', 'c.duckdb');
  assert.equal(checkParameters(env({ DB_PATH: deep })).DB_PATH, deep); // a folder that does not exist yet is made later
  mkdirSync(join(folder, 'sub'));
  refuses(
    { DB_PATH: join(folder, 'sub') },
    /^DB_PATH is .*sub, a folder, so it was left alone; point DB_PATH at a DuckDB file inside it \(such as .*sub\/spotify\.duckdb\)\.$/,
  );
});

test('DB_PATH: a device such as /dev/null, a named pipe and an empty file are refused up front, and left as they were', () => {
  refuses(
    { DB_PATH: '/dev/null' },
    /^DB_PATH is \/dev\/null, a device, not a file, so it was left alone; point DB_PATH at a DuckDB file or at a path where no file exists yet\.$/,
  );
  if (existsSync('/dev/zero'))
    refuses({ DB_PATH: '/dev/zero' }, /^DB_PATH is \/dev\/zero, a device, not a file/, { storedTracks: 500 }, ['04']);
  const empty = join(folder, 'empty.duckdb');
  writeFileSync(empty, '');
  refuses(
    { DB_PATH: empty },
    /^DB_PATH is .*empty\.duckdb, an empty file \(0 bytes\), not a DuckDB database, so it was left alone; delete it \(it holds nothing\) or point DB_PATH elsewhere\.$/,
  );
  refuses({ DB_PATH: empty }, /an empty file \(0 bytes\)/, {}, ['01']);
  assert.equal(readFileSync(empty, 'utf8'), '');
  const pipe = join(folder, 'pipe.duckdb');
  if (spawnSync('mkfifo', [pipe]).status === 0) {
    // refused from its file type alone: opening a pipe to read its first bytes would wait for a writer
    refuses({ DB_PATH: pipe }, /^DB_PATH is .*pipe\.duckdb, a named pipe \(FIFO\), not a file, so it was left alone;/);
  }
});

test('relative paths in the parameters are taken from the folder the command was started in (INIT_CWD)', () => {
  const parameters = checkParameters({ SPOTIFY_CSV: 'tracks.csv', DB_PATH: 'out/my.duckdb', INIT_CWD: folder });
  assert.equal(parameters.SPOTIFY_CSV, csvFile);
  assert.equal(parameters.DB_PATH, join(folder, 'out', 'my.duckdb'));
});
