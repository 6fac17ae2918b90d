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
    'InternedField',
    'bytesText',
    'resetPlotlyEmbedding',
    'runStart',
    'scanCsv',
  ]) {
    assert.ok(!exported.has(name), `${name} is an internal detail but lib/index.ts exports it`);
  }
});
