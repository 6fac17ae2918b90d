/**
 * The public API (lib/index.ts) keeps the names that notebooks, the README example, scripts outside
 * the notebooks and the benchmarks rely on, and no internals.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as sc from '../lib';
import { PROJECT_ROOT } from '../lib/paths';

const exported = new Set(Object.keys(sc));

test('the names other scripts rely on are exported', () => {
  const contract = [
    'loadSpotifyCsv',
    'dropDuplicateTracks',
    'keepPopularTracks',
    'tracksFromFrame',
    'storeTracks',
    'storeClustering',
    'readTracks',
    'tableCounts',
    'queryRows',
    'gowerMatrix',
    'averageLinkage',
    'silhouetteScore',
    'silhouetteScores',
    'kMeans',
    'elbowSweep',
    'findKnee',
    'StandardScaler',
    'matrixFromData',
    'matrixFromRows',
    'encodeFrame',
    'tsne',
    'trustworthiness',
    'generateClusterPositions',
    'exportPlaylist',
  ];
  for (const name of contract) assert.ok(exported.has(name), `lib/index.ts no longer exports ${name}`);
});

test('every value a notebook calls through sc. is exported', () => {
  const folder = join(PROJECT_ROOT, 'notebooks');
  // type-only names are checked by the notebooks' own compilation, not here
  const typeNames =
    /^(ElbowProgress|ClusterLayout|CategoricalEncoding|[A-Z][A-Za-z]*(Options|Result|Report|Row|Progress))$/;
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.ipynb'))) {
    const notebook = JSON.parse(readFileSync(join(folder, name), 'utf8')) as { cells: { source: string[] | string }[] };
    const code = notebook.cells
      .map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source))
      .join('\n');
    for (const [, used] of code.matchAll(/\bsc\.([A-Za-z_]\w*)/g)) {
      if (typeNames.test(used)) continue;
      assert.ok(exported.has(used), `${name} uses sc.${used}, which lib/index.ts does not export`);
    }
  }
});

test('worker internals, CSV internals and test-only helpers stay internal', () => {
  for (const name of [
    'claimStarts',
    'JOB_STATE',
    'TASK_STATE',
    'runChunks',
    'InternedField',
    'bytesText',
    'resetPlotlyEmbedding',
    'runStart',
    'scanCsv',
  ]) {
    assert.ok(!exported.has(name), `${name} is an internal detail but lib/index.ts exports it`);
  }
});

/** The text a user's code lives in: notebook cells, scripts, the README, the benchmarks. */
function userTexts(): { notebooks: string; others: { where: string; text: string }[] } {
  const read = (folder: string, pattern: RegExp) =>
    readdirSync(join(PROJECT_ROOT, folder))
      .filter((file) => pattern.test(file))
      .map((file) => ({ where: `${folder}/${file}`, text: readFileSync(join(PROJECT_ROOT, folder, file), 'utf8') }));
  const notebooks = read('notebooks', /\.ipynb$/)
    .map(({ text }) => (JSON.parse(text) as { cells: { source: string[] | string }[] }).cells)
    .flat()
    .map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source))
    .join('\n');
  const others = [
    ...read('scripts', /\.(js|py)$/),
    ...read('test/bench', /\.ts$/),
    { where: 'README.md', text: readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8') },
  ];
  return { notebooks, others };
}

test('every value lib/index.ts exports is used by a notebook, a script, the README or a benchmark', () => {
  const { notebooks, others } = userTexts();
  const unused = [...exported].filter(
    (name) =>
      !new RegExp(`\\bsc\\.${name}\\b`).test(notebooks) &&
      !others.some(({ text }) => new RegExp(`(\\bsc\\.|(?<![\\w.]))${name}\\b`).test(text)),
  );
  assert.deepEqual(unused, [], `lib/index.ts exports names nothing outside lib/ and the unit tests uses: ${unused}`);
});
