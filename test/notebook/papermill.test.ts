import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPapermill, papermillText, papermillValues } from '../../lib/notebook/papermill';
import { notebookParameters } from '../../lib/notebook/parameters-cell';
import { ParameterError, parametersReadBy } from '../../lib/notebook/parameters';
import type { NotebookName } from '../../lib/notebook/parameters';
import { storeTracks, tracksFromFrame } from '../../lib/data/db';
import { dropDuplicateTracks } from '../../lib/data/clean';
import { parseSpotifyCsv, tableToDataFrame } from '../../lib/data/loader';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { BUNDLED_CSV } from '../../lib/paths';

test('papermill values become the texts parameters read: strings, numbers, booleans, weights as pairs', () => {
  assert.equal(papermillText('grid'), 'grid');
  assert.equal(papermillText(8), '8');
  assert.equal(papermillText(0.25), '0.25');
  assert.equal(papermillText(true), 'true');
  assert.equal(papermillText(false), 'false');
  assert.equal(papermillText({ key: 0.5, mode: 0.5 }), 'key=0.5,mode=0.5');
  assert.equal(papermillText([1, 2]), '[1,2]');
  assert.equal(papermillText({ key: 'half' }), '{"key":"half"}');
});

test('fromPapermill keeps the values beside the literals, leaves the literals as written, and null to the literal', () => {
  const literals = { K: 12, LAYOUT: 'circular' };
  assert.deepEqual(papermillValues(literals), {});
  fromPapermill(literals, { K: 8, LAYOUT: 'grid', SEED: null });
  assert.deepEqual(papermillValues(literals), { K: '8', LAYOUT: 'grid' });
  assert.deepEqual(literals, { K: 12, LAYOUT: 'circular' });
  assert.deepEqual(papermillValues({ K: 12, LAYOUT: 'circular' }), {}, 'another literals object has none');
  fromPapermill(literals, { K: 9 });
  assert.deepEqual(papermillValues(literals), { K: '9' }, 'a second call replaces the first');
  assert.throws(() => fromPapermill(literals, [] as never), ParameterError);
});

const folder = mkdtempSync(join(tmpdir(), 'papermill-'));
const stored = join(folder, 'stored.duckdb');
const ready = (async () => {
  const parsed = await parseSpotifyCsv(spotifyCsvText(generateSpotifyRows({ rows: 400, seed: 3 })));
  await storeTracks(stored, tracksFromFrame(dropDuplicateTracks(tableToDataFrame(parsed.table)).df));
})();

async function call(notebook: NotebookName, literals: Record<string, string | number>, env: Record<string, string>) {
  const printed: string[] = [];
  const parameters = await notebookParameters(notebook, literals, { env, print: (text) => printed.push(text) });
  return { parameters: parameters as Record<string, unknown>, printed: printed.join('\n') };
}

test('papermill values come above the environment and the literals, and the printout says they came from papermill', async () => {
  await ready;
  const literals = { SAMPLE_SIZE: 10000, SEED: 42, K: 12, ENCODING: 'label', LAYOUT: 'circular' };
  fromPapermill(literals, { K: 8, LAYOUT: 'grid', SAMPLE_SIZE: 200 });
  const { parameters, printed } = await call('03', literals, { DB_PATH: stored, K: '5', SEED: '7' });
  assert.equal(parameters.K, 8);
  assert.equal(parameters.LAYOUT, 'grid');
  assert.equal(parameters.SAMPLE_SIZE, 200);
  assert.equal(parameters.SEED, 7);
  assert.match(printed, /^K {11}= 8 {3}\(from papermill\)$/m);
  assert.match(printed, /^LAYOUT {6}= grid {3}\(from papermill\)$/m);
  assert.match(printed, /^SEED {8}= 7 {3}\(from the environment variable SEED\)$/m);
});

test('GOWER_WEIGHTS from papermill, as pairs or as an object of weights, reads as the same weights', async () => {
  await ready;
  for (const weights of ['key=0.5,mode=0.5', { key: 0.5, mode: 0.5 }]) {
    const literals = { SAMPLE_SIZE: 10000, SEED: 42, N_CLUSTERS: 0, GOWER_WEIGHTS: '' };
    fromPapermill(literals, { GOWER_WEIGHTS: weights });
    const { parameters, printed } = await call('02', literals, { DB_PATH: stored });
    assert.deepEqual(parameters.GOWER_WEIGHTS, { key: 0.5, mode: 0.5 });
    assert.match(printed, /^GOWER_WEIGHTS = \{"key":0\.5,"mode":0\.5\} {3}\(from papermill\)$/m);
  }
});

test('a value papermill passed is checked like any other: a refused one gets its sentence, the database untouched', async () => {
  await ready;
  const literals = { SAMPLE_SIZE: 10000, SEED: 42, K: 12, ENCODING: 'label', LAYOUT: 'circular' };
  fromPapermill(literals, { K: true });
  await assert.rejects(
    call('03', literals, { DB_PATH: stored }),
    /^ParameterError: K is 'true', but it must be a whole number/,
  );
});

test('a parameter papermill passed that the notebook does not read is refused with one sentence, before anything is made', async () => {
  const literals = { POPULARITY_MIN: 10 };
  fromPapermill(literals, { K: 8 });
  const db = join(folder, 'none.duckdb');
  await assert.rejects(call('01', literals, { SPOTIFY_CSV: BUNDLED_CSV, DB_PATH: db }), (error: unknown) => {
    assert.ok(error instanceof ParameterError);
    assert.equal(
      error.message,
      `papermill passed K, which is not a parameter of notebook 01; its parameters are ${parametersReadBy(['01']).join(', ')}.`,
    );
    return true;
  });
  assert.equal(existsSync(db), false);
  // the paths are parameters of the notebook: papermill may set them
  const paths = { POPULARITY_MIN: 10 };
  fromPapermill(paths, { DB_PATH: db, POPULARITY_MIN: 20 });
  const { parameters, printed } = await call('01', paths, { SPOTIFY_CSV: BUNDLED_CSV });
  assert.equal(parameters.DB_PATH, db);
  assert.equal(parameters.POPULARITY_MIN, 20);
  assert.match(printed, /^DB_PATH {8}= .*none\.duckdb {3}\(from papermill\)$/m);
});
