import { test } from 'node:test';
import { storeOneClusterEach } from '../helpers';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkParameters } from '../../lib/notebook/check-parameters';
import {
  checkBeforeStoring,
  describeParameters,
  notebookParameters,
  parametersTable,
  withLiterals,
} from '../../lib/notebook/parameters-cell';
import {
  NOTEBOOKS,
  PARAMETERS,
  ParameterError,
  parameterSpec,
  parametersReadBy,
  PLAYLIST_FOLDER,
} from '../../lib/notebook/parameters';
import type { NotebookName } from '../../lib/notebook/parameters';
import { storeTracks, tracksFromFrame } from '../../lib/data/db';
import { dropDuplicateTracks } from '../../lib/data/clean';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { BUNDLED_CSV, PROJECT_ROOT } from '../../lib/paths';
import { generatedFrame } from '../data/generated-frame';
import { getThreads, setThreads } from '../../lib/parallel/pool';

test('parameters print as aligned NAME = value lines', () => {
  assert.equal(describeParameters({ K: 12, SEED: 42, DB_PATH: 'x' }), 'K       = 12\nSEED    = 42\nDB_PATH = x');
});

test('objects such as GOWER_WEIGHTS print as JSON among the parameters', () => {
  assert.equal(
    describeParameters({ K: 12, GOWER_WEIGHTS: { key: 0.5 } }),
    'K             = 12\nGOWER_WEIGHTS = {"key":0.5}',
  );
});

test('equal Gower weights print as "every feature 1", not as an empty object', () => {
  assert.equal(describeParameters({ GOWER_WEIGHTS: {} }, {}, {}), 'GOWER_WEIGHTS = every feature 1');
});

test('a SAMPLE_SIZE above the stored tracks is said to be capped to them', () => {
  const text = describeParameters(
    { SAMPLE_SIZE: 1000000 },
    { SAMPLE_SIZE: 10000 },
    { SAMPLE_SIZE: '1000000' },
    { storedTracks: 12395 },
  );
  assert.equal(
    text,
    'SAMPLE_SIZE = 1000000   (from the environment variable SAMPLE_SIZE; capped to the 12,395 stored tracks: the sample holds them all)',
  );
  assert.equal(describeParameters({ SAMPLE_SIZE: 10000 }, {}, {}, { storedTracks: 12395 }), 'SAMPLE_SIZE = 10000');
});

test('a long TRACK_QUERY is echoed shortened to 60 characters and "…"; an empty one says what it means', () => {
  const long = 'Never gonna give you up, never gonna let you down, never gonna run around and desert you';
  assert.equal(describeParameters({ TRACK_QUERY: long }, {}, {}), `TRACK_QUERY = ${long.slice(0, 60)}…`);
  assert.equal(describeParameters({ TRACK_QUERY: 'Halo' }, {}, {}), 'TRACK_QUERY = Halo');
  assert.equal(
    describeParameters({ TRACK_QUERY: '' }, {}, {}),
    "TRACK_QUERY = '' (the original notebook's example track)",
  );
});

test('a parameters cell: literals a reader edits, the environment still overriding, read afresh', () => {
  assert.deepEqual(withLiterals({ K: 12, LAYOUT: 'grid' }, { K: '8' }), { K: '8', LAYOUT: 'grid' });
  assert.deepEqual(withLiterals({ K: 12 }, { K: '' }), { K: '12' }, 'an empty variable does not override');
  assert.equal(checkParameters(withLiterals({ K: 7 }, { SPOTIFY_CSV: BUNDLED_CSV })).K, 7);
  assert.equal(PARAMETERS.K.default, 12);
});

test('the parameters printout says which values came from the environment and which were edited', () => {
  const text = describeParameters(
    { K: 8, SEED: 42, LAYOUT: 'grid' },
    { K: 8, SEED: 42, LAYOUT: 'circular' },
    { LAYOUT: 'grid' },
  );
  assert.equal(
    text,
    'K      = 8   (edited in this notebook; the default is 12)\nSEED   = 42\nLAYOUT = grid   (from the environment variable LAYOUT)',
  );
});

// notebookParameters: the one call of every parameters cell.

const folder = mkdtempSync(join(tmpdir(), 'parameters-cell-'));
const rows = generateSpotifyRows({ rows: 400, seed: 3 });
const frame = dropDuplicateTracks(generatedFrame(rows)).df;
const stored = join(folder, 'stored.duckdb');
const ready = storeTracks(stored, tracksFromFrame(frame));

/** Runs the call with `env` only, returning what it returned and what it printed. */
async function call<N extends NotebookName>(
  notebook: N,
  literals: Record<string, string | number>,
  env: Record<string, string>,
) {
  const printed: string[] = [];
  const parameters = await notebookParameters(notebook, literals, { env, print: (text) => printed.push(text) });
  return { parameters, printed: printed.join('\n') };
}

test('notebook 04: checks and prints only its parameters, counts the stored tracks, and needs no input file', async () => {
  const { tracks } = await ready;
  const literals = { TRACK_QUERY: '', N_SIMILAR: 10, GOWER_WEIGHTS: '' };
  // tracks but no clusterings: refused in the parameters cell, naming the notebook that makes them
  await assert.rejects(
    call('04', literals, { DB_PATH: stored }),
    /^DatabaseError: The database .*stored\.duckdb has no k-means clustering yet \(its table track_to_cluster is empty\): run notebook 03 first, with the same DB_PATH\.$/,
  );
  await storeOneClusterEach(stored);
  const { parameters, printed } = await call('04', literals, {
    DB_PATH: stored,
    SPOTIFY_CSV: join(folder, 'gone.csv'),
    K: 'many',
  });
  assert.deepEqual(parameters, {
    DB_PATH: stored,
    THREADS: availableParallelism(),
    TRACK_QUERY: '',
    N_SIMILAR: 10,
    GOWER_WEIGHTS: {},
    PLAYLIST_SIZE: 20,
    PLAYLIST_DIR: PLAYLIST_FOLDER,
    RUNS_KEPT: 20,
  });
  assert.equal(
    printed,
    `DB_PATH       = ${stored}\nTHREADS       = ${availableParallelism()}\nTRACK_QUERY   = '' (the original notebook's example track)\nN_SIMILAR     = 10\nGOWER_WEIGHTS = every feature 1` +
      `\nPLAYLIST_SIZE = 20\nPLAYLIST_DIR  = ${PLAYLIST_FOLDER}\nRUNS_KEPT     = 20`,
  );
  assert.ok(tracks > 0);
  await assert.rejects(
    call('04', literals, { DB_PATH: join(folder, 'none.duckdb') }),
    /^ParameterError: DB_PATH is .*none\.duckdb, which holds no tracks yet; run notebook 01/,
  );
  assert.equal(existsSync(join(folder, 'none.duckdb')), false, 'the check made no database');
});

test('notebooks 02 and 03: the sample is checked against the stored tracks, and a larger SAMPLE_SIZE is said to be capped', async () => {
  const { tracks } = await ready;
  const literals = { SAMPLE_SIZE: 10000, SEED: 42, K: 12, ENCODING: 'label', LAYOUT: 'circular' };
  const { parameters, printed } = await call('03', literals, { DB_PATH: stored, K: '5' });
  assert.deepEqual(Object.keys(parameters), [
    'DB_PATH',
    'THREADS',
    'SAMPLE_SIZE',
    'SEED',
    'K',
    'ENCODING',
    'LAYOUT',
    'RUNS_KEPT',
  ]);
  assert.equal(parameters.K, 5);
  assert.match(
    printed,
    new RegExp(`^SAMPLE_SIZE = 10000   \\(capped to the ${tracks} stored tracks: the sample holds them all\\)$`, 'm'),
  );
  assert.match(printed, /^K {11}= 5 {3}\(from the environment variable K\)$/m);
  await assert.rejects(
    call('03', literals, { DB_PATH: stored, K: String(tracks + 1) }),
    new RegExp(`K is ${tracks + 1}, but it must be a whole number from 2 to ${tracks}, the tracks in the sample`),
  );
  const gower = { SAMPLE_SIZE: 10000, SEED: 42, N_CLUSTERS: 0, GOWER_WEIGHTS: '' };
  await assert.rejects(
    call('02', gower, { DB_PATH: stored, GOWER_WEIGHTS: 'genre=1e308,key=1e308' }),
    /GOWER_WEIGHTS gives weights that add up to more than the largest finite number/,
  );
});

test('the parameters cell hands THREADS to the worker pool; a bad THREADS is refused before it', async () => {
  const literals = { POPULARITY_MIN: 10 };
  const env = { DB_PATH: join(folder, 'threads.duckdb'), SPOTIFY_CSV: BUNDLED_CSV };
  try {
    const { parameters, printed } = await call('01', literals, { ...env, THREADS: '1' });
    assert.equal(parameters.THREADS, 1);
    assert.equal(getThreads(), 1);
    assert.match(printed, /^THREADS {8}= 1$/m);
    await call('01', literals, { ...env, THREADS: '3' });
    assert.equal(getThreads(), 3);
    await assert.rejects(
      call('01', literals, { ...env, THREADS: '0' }),
      /^ParameterError: THREADS is 0, but it must be a whole number 1 or more; the smallest value that works is 1\.$/,
    );
    assert.equal(getThreads(), 3, 'a refused THREADS leaves the pool as it was');
    await call('01', literals, env);
    assert.equal(getThreads(), availableParallelism());
  } finally {
    setThreads(availableParallelism());
  }
});

test('notebook 01: needs the input file but no stored tracks, and does not create the database', async () => {
  const db = join(folder, 'later.duckdb');
  const { parameters, printed } = await call(
    '01',
    { POPULARITY_MIN: 20 },
    { DB_PATH: db, SPOTIFY_CSV: BUNDLED_CSV, LAYOUT: 'hexagon' },
  );
  assert.deepEqual(parameters, {
    SPOTIFY_CSV: BUNDLED_CSV,
    DB_PATH: db,
    THREADS: availableParallelism(),
    POPULARITY_MIN: 20,
    RUNS_KEPT: 20,
  });
  assert.match(printed, /^POPULARITY_MIN = 20 {3}\(edited in this notebook; the default is 10\)$/m);
  assert.equal(existsSync(db), false);
  await assert.rejects(
    call('01', { POPULARITY_MIN: 10 }, { DB_PATH: db, SPOTIFY_CSV: join(folder, 'gone.csv') }),
    /^ParameterError: SPOTIFY_CSV is .*gone\.csv, but there is no file there/,
  );
  await assert.rejects(
    call('01', { POPULARITY_MIN: 10 }, { DB_PATH: '/dev/null', SPOTIFY_CSV: BUNDLED_CSV }),
    /^ParameterError: DB_PATH is \/dev\/null, a device, not a file/,
  );
});

test("a literal that is not one of the notebook's parameters is refused, so a misspelt name does not pass unnoticed", async () => {
  await assert.rejects(call('01', { POPULARITY_MN: 10 }, { SPOTIFY_CSV: BUNDLED_CSV }), (error: unknown) => {
    assert.ok(error instanceof ParameterError);
    assert.equal(
      error.message,
      'The parameters cell sets POPULARITY_MN, which is not a parameter of notebook 01; its parameters are SPOTIFY_CSV, DB_PATH, THREADS, POPULARITY_MIN, RUNS_KEPT.',
    );
    return true;
  });
});

test("notebook 01's check before storing: POPULARITY_MIN must keep enough of the de-duplicated tracks", () => {
  checkBeforeStoring({ POPULARITY_MIN: 10 }, frame, { DB_PATH: join(folder, 'x.duckdb'), SPOTIFY_CSV: BUNDLED_CSV });
  assert.throws(
    () =>
      checkBeforeStoring({ POPULARITY_MIN: 98 }, frame, {
        DB_PATH: join(folder, 'x.duckdb'),
        SPOTIFY_CSV: BUNDLED_CSV,
      }),
    /^ParameterError: POPULARITY_MIN is 98, but only \d+ of the \d+ distinct tracks in .* have a popularity above it, fewer than the 91 the clustering needs/,
  );
  // it checks what notebook 01 reads, not the later notebooks' K
  checkBeforeStoring({ POPULARITY_MIN: 10 }, frame, {
    DB_PATH: join(folder, 'x.duckdb'),
    SPOTIFY_CSV: BUNDLED_CSV,
    K: '100000',
  });
});

test("the README's parameter table is the one made from the table of parameters", () => {
  // compared cell by cell: Prettier pads the README's table columns
  const cells = (text: string): string =>
    text
      .split('\n')
      .map((line) =>
        line.startsWith('|')
          ? line
              .split('|')
              .map((cell) => cell.trim().replace(/^-+$/, '---'))
              .join('|')
          : line,
      )
      .join('\n');
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const fold = (text: string): string => text.replace(/,(\s*[)\]}])/g, '$1').replace(/\s+/g, '');
  assert.ok(
    cells(readme).includes(`\n${cells(parametersTable())}\n`),
    `README.md should hold, under Parameters:\n${parametersTable()}`,
  );
  assert.equal(parametersTable().split('\n').length, 2 + Object.keys(PARAMETERS).length); // the example parameters cell is notebook 02's, as committed
  const notebookCells = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'notebooks', '02-gower-clustering.ipynb'), 'utf8'),
  ).cells;
  assert.ok(
    // white space and trailing commas folded: Prettier wraps the README's code at 120, the cells at 100
    fold(readme).includes(
      fold(`\`\`\`ts\n${notebookCells[3].source.join('')}\n${notebookCells[4].source.join('')}\n\`\`\``),
    ),
    "the README shows notebook 02's parameters cell",
  );
});

test("each notebook's parameters are a literals cell tagged for papermill and one call: the literals are the table's defaults, for the parameters it reads", () => {
  const files: Record<NotebookName, string> = {
    '01': '01-cleaning.ipynb',
    '02': '02-gower-clustering.ipynb',
    '03': '03-kmeans-clustering.ipynb',
    '04': '04-catalogue.ipynb',
    '05': '05-runs.ipynb',
  };
  for (const notebook of NOTEBOOKS) {
    const cells = JSON.parse(readFileSync(join(PROJECT_ROOT, 'notebooks', files[notebook]), 'utf8')).cells as {
      source: string[];
      metadata: { tags?: string[] };
    }[];
    // papermill injects its cell after the one tagged `parameters`, so the literals are a cell of their own
    const literalsSource = cells[3].source.join('');
    assert.deepEqual(cells[3].metadata.tags, ['parameters'], `${files[notebook]}: cell 3 is tagged parameters`);
    assert.match(literalsSource, /^const literals = \{[^;]*\};$/, `${files[notebook]}: cell 3 holds the literals only`);
    const source = `${literalsSource}\n${cells[4].source.join('')}`;
    const literalsLine = /^const literals = (\{[^;]*\});$/m.exec(source); // one line, or one per literal
    assert.ok(literalsLine, `${files[notebook]}: cell 3 writes its literals`);
    const literals = Function(`return (${literalsLine[1]});`)() as Record<string, string | number>;
    const expected = parametersReadBy([notebook]).filter((name) => parameterSpec(name).default !== undefined);
    assert.deepEqual(Object.keys(literals), expected, `${files[notebook]}: the literals are the parameters it reads`);
    for (const [name, value] of Object.entries(literals))
      assert.equal(value, parameterSpec(name as never).default, `${files[notebook]}: ${name}`);
    // as the cell formatter writes it: on one line, or with each argument on its own
    assert.match(
      source,
      new RegExp(`await sc\\.notebookParameters\\(\\s*'${notebook}',\\s*literals,?\\s*\\)`),
      files[notebook],
    );
    assert.equal(source.match(/sc\./g)?.length, 1, `${files[notebook]}: one call`);
  }
});
