import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterStability, Refit, StabilityResult } from '../../../lib/cluster/evaluate/stability';
import { averageLinkageRefit, kMeansRefit, kMedoidsRefit } from '../../../lib/cluster/evaluate/refits';
import { kMedoids } from '../../../lib/cluster/kmedoids/kmedoids';
import { averageLinkage } from '../../../lib/cluster/linkage/linkage';
import { kMeans } from '../../../lib/cluster/kmeans/kmeans';
import { matrixFromRows } from '../../../lib/matrix/numeric-matrix';
import { seededRandom } from '../../../lib/random';
import { blobDistances, withThreads } from '../../helpers';

const distances = blobDistances(30, 5, 'float32');
const vectors = matrixFromRows(
  Array.from({ length: 90 }, (_, i) => {
    const random = seededRandom(i);
    return [(i % 3) * 5 + random(), Math.floor(i / 30) + random()];
  }),
);

test('a refit on the pool gives exactly what the same refit as a function gives, at 1 and 2 threads', () => {
  const medoidLabels = kMedoids(distances, 3, { seed: 1 }).labels;
  const linkageLabels = averageLinkage(distances).cut(3);
  const meansLabels = kMeans(vectors, 3, { seed: 1 }).labels;
  const options = { B: 6, seed: 7 };
  const cases: [string, () => StabilityResult, (threads: number) => StabilityResult][] = [
    [
      'k-medoids',
      () => clusterStability(distances, medoidLabels, (s, run) => kMedoids(s, 3, { seed: run.seed }).labels, options),
      (threads) => withThreads(threads, () => clusterStability(distances, medoidLabels, kMedoidsRefit(3), options)),
    ],
    [
      'average linkage',
      () => clusterStability(distances, linkageLabels, (s) => averageLinkage(s).cut(3), options),
      (threads) =>
        withThreads(threads, () => clusterStability(distances, linkageLabels, averageLinkageRefit(3), options)),
    ],
    [
      'k-means',
      () =>
        clusterStability(
          vectors,
          meansLabels,
          (rows, run) => kMeans(rows, 3, { nInit: 4, seed: run.seed }).labels,
          options,
        ),
      (threads) =>
        withThreads(threads, () => clusterStability(vectors, meansLabels, kMeansRefit(3, { nInit: 4 }), options)),
    ],
  ];
  for (const [method, sequential, pooled] of cases) {
    const expected = sequential();
    assert.deepEqual(pooled(1), expected, `${method}, 1 thread`);
    assert.deepEqual(pooled(2), expected, `${method}, 2 threads`);
  }
});

test('a refit on the pool reports progress up to every run', () => {
  const labels = kMedoids(distances, 3, { seed: 1 }).labels;
  const calls: [number, number][] = [];
  clusterStability(distances, labels, kMedoidsRefit(3), {
    B: 4,
    onProgress: (done, total) => calls.push([done, total]),
  });
  assert.ok(calls.length >= 1);
  assert.deepEqual(calls[calls.length - 1], [4, 4]);
  for (let c = 1; c < calls.length; c++) assert.ok(calls[c][0] > calls[c - 1][0]);
});

test('bad refits are refused with a sentence', () => {
  const labels = kMedoids(distances, 3, { seed: 1 }).labels;
  assert.throws(() => kMedoidsRefit(0), /k-medoids refit needs a whole number of clusters of at least 1, got 0/);
  assert.throws(() => averageLinkageRefit(2.5), /average-linkage refit needs a whole number of clusters/);
  assert.throws(() => kMeansRefit(3, { nInit: 0 }), /whole number of starts \(nInit\) of at least 1, got 0/);
  const missing: Refit = { ...kMedoidsRefit(3), name: 'noSuchRefit' };
  assert.throws(() => clusterStability(distances, labels, missing), /exports no function noSuchRefit/);
  assert.throws(() => clusterStability(distances, labels, {} as Refit), /must be a function or a refit/);
  // More clusters than a subsample has rows: the refit's own sentence comes back.
  assert.throws(() => clusterStability(distances, labels, kMedoidsRefit(60), { B: 2 }), /k must be a whole number/);
});
