/**
 * Recording a notebook's run from the notebook (lib/notebook/run-record.ts): the parameters cell
 * begins it, long steps note their seconds, figures of merit are noted where they are computed,
 * and one call records it with the input file's hash and the project version, keeping RUNS_KEPT
 * runs; a run that has not begun, or was recorded already, is refused with a sentence and leaves the
 * database as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, BUNDLED_CSV } from '../../lib/paths';
import { readRuns } from '../../lib/data/runs';
import { storeTracks } from '../../lib/data/db';
import {
  beginRun,
  clusteringMerits,
  fileDigest,
  noteRunMerits,
  noteStepTime,
  projectVersion,
  recordRun,
} from '../../lib/notebook/run-record';
import { notebookParameters } from '../../lib/notebook/parameters-cell';
import { withProgress } from '../../lib/notebook/progress';
import { summariseClustering } from '../../lib/cluster/evaluate/compare';
import { databaseContentHash } from '../helpers';
import { freshPath, idsOf, tracks } from '../data/db-fixtures';

const quiet = { print: () => undefined };

test('the SHA-256 of a file equals node:crypto over its whole content, with its absolute path and size', () => {
  const folder = mkdtempSync(join(tmpdir(), 'run-record-'));
  const file = join(folder, 'three-blocks.bin');
  const bytes = Buffer.alloc(3 * (1 << 20) + 17, 7); // more than one 1 MB block, not a whole number of them
  bytes[5] = 1;
  writeFileSync(file, bytes);
  assert.deepEqual(fileDigest(file), {
    path: realpathSync(file),
    size: bytes.length,
    hash: createHash('sha256').update(bytes).digest('hex'),
  });
  writeFileSync(join(folder, 'empty.csv'), '');
  assert.equal(fileDigest(join(folder, 'empty.csv')).hash, createHash('sha256').digest('hex'));
});

test("the project version is the checkout's commit, or the package version outside git", () => {
  const version = projectVersion();
  assert.match(version, /^(commit [0-9a-f]{12}( with uncommitted changes)?|version \d+\.\d+\.\d+)$/);
  const outside = mkdtempSync(join(tmpdir(), 'not-a-checkout-'));
  writeFileSync(join(outside, 'package.json'), JSON.stringify({ version: '9.8.7' }));
  assert.equal(projectVersion(outside), 'version 9.8.7');
  const { version: ours } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
  assert.ok(version.startsWith('commit ') || version === `version ${ours}`);
});

test('the project version says when the code differs from its commit (tracked code files only)', () => {
  const repo = mkdtempSync(join(tmpdir(), 'a-checkout-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('init', '-q');
  mkdirSync(join(repo, 'lib'));
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ version: '1.2.3' }));
  writeFileSync(join(repo, 'lib', 'a.ts'), 'export const a = 1;\n');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', 'first');
  const commit = git('rev-parse', '--short=12', 'HEAD');
  assert.equal(projectVersion(repo), `commit ${commit}`);
  writeFileSync(join(repo, 'notes.txt'), 'not code, not tracked');
  mkdirSync(join(repo, 'data'));
  writeFileSync(join(repo, 'data', 'x.csv'), 'a\n1\n');
  assert.equal(projectVersion(repo), `commit ${commit}`, 'untracked and non-code files do not count');
  writeFileSync(join(repo, 'lib', 'a.ts'), 'export const a = 2;\n');
  assert.equal(projectVersion(repo), `commit ${commit} with uncommitted changes`);
  writeFileSync(join(repo, 'lib', 'a.ts'), 'export const a = 1;\n');
  assert.equal(projectVersion(repo), `commit ${commit}`, 'the change undone');
});

test("notebook 02's figures of merit: each method's k, silhouette, largest share, NMI and stability", () => {
  const summary = summariseClustering('k-medoids', [0, 0, 0, 1], { silhouette: 0.25, nmi: 0.5, stability: 0.75 });
  assert.deepEqual(clusteringMerits([summary]), {
    'k-medoids · k': 2,
    'k-medoids · silhouette': 0.25,
    'k-medoids · largest share': 0.75,
    'k-medoids · NMI': 0.5,
    'k-medoids · stability': 0.75,
  });
});

test('a run begun by the parameters cell is recorded with its parameters, step times, merits, input file and clustering', async () => {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  // notebook 01: the input file is SPOTIFY_CSV, hashed when the run is recorded
  await notebookParameters(
    '01',
    { POPULARITY_MIN: 10, RUNS_KEPT: 20 },
    { env: { SPOTIFY_CSV: BUNDLED_CSV, DB_PATH: path }, ...quiet },
  );
  const printed: string[] = [];
  const first = await recordRun(path, { merits: { 'tracks stored': 12 } }, { print: (line) => printed.push(line) });
  assert.deepEqual(first, { id: 1, kept: 1, dropped: [] });
  assert.match(
    printed[0],
    new RegExp(
      `^Recorded this run of notebook 01 as run 1 \\(\\d+\\.\\d s, 0 long steps timed\\) in ${path}; 1 run kept \\(RUNS_KEPT = 20\\)\\.$`,
    ),
  );
  // notebook 03 (begun directly, as its parameters cell would): steps under withProgress and noted merits
  const began = new Date();
  beginRun('03', { DB_PATH: path, K: 2, SEED: 42, RUNS_KEPT: 2 }, began);
  withProgress('k-means elbow sweep', () => 1);
  await withProgress('t-SNE', async () => 2);
  noteStepTime('t-SNE', 0.5); // a title seen twice gets " (2)"
  noteRunMerits({ 'placement trustworthiness': 0.9 });
  const ids = idsOf(t).slice(0, 6);
  await recordRun(
    path,
    {
      merits: { K: 2, knee: null },
      clustering: { method: 'k-means', trackIds: ids, clusterIds: [0, 1, 0, 1, 0, 1], names: ['a', 'b'] },
    },
    quiet,
  );
  const [loaded, clustered] = await readRuns(path);
  assert.equal(loaded.notebook, '01');
  assert.deepEqual(loaded.parameters, {
    SPOTIFY_CSV: BUNDLED_CSV,
    DB_PATH: path,
    THREADS: availableParallelism(),
    POPULARITY_MIN: 10,
    RUNS_KEPT: 20,
  });
  const bytes = readFileSync(BUNDLED_CSV);
  assert.deepEqual(loaded.input, {
    path: realpathSync(BUNDLED_CSV),
    size: bytes.length,
    hash: createHash('sha256').update(bytes).digest('hex'),
  });
  assert.deepEqual(loaded.merits, { 'tracks stored': 12 });
  assert.equal(loaded.projectVersion, projectVersion());
  assert.equal(clustered.notebook, '03');
  assert.deepEqual(clustered.input, loaded.input, "notebook 03's input: the file the stored tracks came from");
  assert.equal(clustered.started.getTime(), began.getTime());
  assert.deepEqual(Object.keys(clustered.stepSeconds), ['k-means elbow sweep', 't-SNE', 't-SNE (2)']);
  assert.equal(clustered.stepSeconds['t-SNE (2)'], 0.5);
  assert.deepEqual(clustered.merits, { K: 2, knee: null, 'placement trustworthiness': 0.9 });
  assert.deepEqual(Object.keys(clustered.merits), ['K', 'knee', 'placement trustworthiness'], "the cell's own first");
  assert.deepEqual([clustered.clustering, clustered.tracks, clustered.clusterNames], ['k-means', 6, ['a', 'b']]);
});

test('RUNS_KEPT in force caps the runs, and the line printed says which were dropped', async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  const lines: string[] = [];
  for (let i = 0; i < 3; i++) {
    beginRun('04', { DB_PATH: path, RUNS_KEPT: 2 });
    await recordRun(path, {}, { print: (line) => lines.push(line) });
  }
  assert.match(lines[2], /as run 3 .*; 2 runs kept \(RUNS_KEPT = 2\); dropped the oldest: run 1\.$/);
  assert.deepEqual(
    (await readRuns(path)).map((run) => run.id),
    [2, 3],
  );
});

test('a run recorded twice, or never begun, is refused with one sentence and the database left as it was', async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  beginRun('04', { DB_PATH: path });
  await recordRun(path, {}, quiet);
  const hash = await databaseContentHash(path);
  await assert.rejects(
    recordRun(path, {}, quiet),
    /^Error: This run of notebook 04 was recorded already, as run 1; run the notebook again from its parameters cell to record another\. Nothing was recorded\.$/,
  );
  // after recording, nothing more is noted for it
  noteRunMerits({ late: 1 });
  noteStepTime('late', 1);
  // a bad figure of merit is refused before the write, and the run can still be recorded afterwards
  beginRun('03', { DB_PATH: path });
  await assert.rejects(recordRun(path, { merits: { inertia: NaN } }, quiet), /"inertia" the value NaN/);
  assert.equal(await databaseContentHash(path), hash);
  await recordRun(path, { merits: { inertia: 1 } }, quiet);
  assert.equal((await readRuns(path)).length, 2);
});

test('recording before any run began in this process is refused (run in a fresh module)', async () => {
  // a fresh copy of the module: no parameters cell has run in it
  const modulePath = require.resolve('../../lib/notebook/run-record');
  const cached = require.cache[modulePath];
  delete require.cache[modulePath];
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const fresh = require('../../lib/notebook/run-record') as typeof import('../../lib/notebook/run-record');
    await assert.rejects(
      fresh.recordRun(freshPath(), {}, quiet),
      /^Error: No run has begun in this kernel: run the notebook's parameters cell first \(it begins the run\), then this cell\. Nothing was recorded\.$/,
    );
  } finally {
    require.cache[modulePath] = cached;
  }
});
