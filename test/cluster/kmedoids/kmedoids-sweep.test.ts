import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../../lib/matrix/distance-matrix';
import { buildMedoids, kMedoids } from '../../../lib/cluster/kmedoids/kmedoids';
import { kMedoidsSweep } from '../../../lib/cluster/kmedoids/kmedoids-sweep';
import { assignToMedoids, medoidSilhouette } from '../../../lib/cluster/kmedoids/assign';
import { silhouetteScore } from '../../../lib/cluster/evaluate/silhouette';
import { trainTestSplit } from '../../../lib/cluster/evaluate/split';
import { assertClose, assertCloseRelative, blobDistances, withThreads } from '../../helpers';

const blobs = (perBlob: number, seed: number): DistanceMatrix => blobDistances(perBlob, seed, 'float32');

test('three well-separated blobs: the sweep picks k = 3, one medoid per blob, and test rows join their blob', () => {
  const d = blobs(50, 1);
  const sweep = kMedoidsSweep(d, { kMin: 2, kMax: 6, seed: 1 });
  assert.equal(sweep.bestK, 3);
  assert.deepEqual(
    sweep.steps.map((s) => s.k),
    [2, 3, 4, 5, 6],
  );
  assert.equal(sweep.train.length, 120); // floor(0.8 · 150)
  assert.equal(sweep.test.length, 30);
  const three = sweep.steps[1];
  const blobOf = (row: number): number => Math.floor(row / 50);
  assert.deepEqual(Array.from(three.medoids, blobOf).sort(), [0, 1, 2]);
  sweep.test.forEach((row, t) => assert.equal(blobOf(three.medoids[three.testLabels[t]]), blobOf(row)));
  assert.equal(
    three.trainSizes.reduce((a, b) => a + b, 0),
    120,
  );
  assert.equal(
    three.testSizes.reduce((a, b) => a + b, 0),
    30,
  );
  assert.ok(three.medoidSilhouette > 0.7, `medoid silhouette ${three.medoidSilhouette}`);
});

test('each step equals an independent fit on the training block, its test rows assigned and scored directly', () => {
  const d = blobs(40, 2);
  const split = trainTestSplit(d.size, { seed: 3 });
  for (const init of ['random', 'build'] as const) {
    const sweep = kMedoidsSweep(d, { ...split, kMin: 2, kMax: 7, seed: 4, init });
    const trainMatrix = d.subset(split.train);
    for (const step of sweep.steps) {
      const fit = kMedoids(trainMatrix, step.k, { seed: 4, init });
      const what = `${init}, k = ${step.k}`;
      assert.deepEqual(
        Array.from(step.medoids),
        Array.from(fit.medoids, (m) => split.train[m]),
        what,
      );
      assert.deepEqual(step.trainLabels, fit.labels, what);
      assert.equal(step.loss, fit.loss, what);
      assert.equal(step.iterations, fit.iterations, what);
      const assigned = assignToMedoids(d, step.medoids, split.test);
      assert.deepEqual(step.testLabels, assigned.labels, what);
      assertCloseRelative(step.testLoss, assigned.loss, 1e-12, what);
      assertClose(step.score, silhouetteScore(d.subset(split.test), assigned.labels), 1e-12, what);
      // The medoid silhouette of the test rows: 1 − a/b from their two nearest medoids.
      const samples = Array.from(assigned.nearest, (a, t) => (assigned.second[t] > 0 ? 1 - a / assigned.second[t] : 1));
      assertClose(step.medoidSilhouette, samples.reduce((x, y) => x + y, 0) / samples.length, 1e-12, what);
    }
  }
});

test("with BUILD, step k starts from step k − 1's BUILD medoids plus one BUILD step, which is BUILD for k", () => {
  const d = blobs(30, 5);
  const split = trainTestSplit(d.size, { seed: 6 });
  const trainMatrix = d.subset(split.train);
  let previous = buildMedoids(trainMatrix, 2);
  for (let k = 3; k <= 8; k++) {
    const extended = buildMedoids(trainMatrix, k, previous);
    assert.deepEqual(extended, buildMedoids(trainMatrix, k), `k = ${k}`);
    previous = extended;
  }
});

test('medoidSilhouette is the mean of 1 − a/b over the rows, a and b the distances to the two nearest medoids', () => {
  // A sanity check of the definition: for medoids inside the matrix, medoidSilhouette averages 1 − a/b.
  const d = blobs(20, 7);
  const fit = kMedoids(d, 3, { seed: 1 });
  const assigned = assignToMedoids(d, fit.medoids);
  const mean = Array.from(assigned.nearest, (a, i) => 1 - a / assigned.second[i]).reduce((x, y) => x + y, 0) / d.size;
  assertClose(medoidSilhouette(d, fit.medoids), mean, 1e-12, 'medoid silhouette');
});

test('the same seed gives the same sweep; the default split holds out 20 % with the seed', () => {
  const d = blobs(20, 8);
  const a = kMedoidsSweep(d, { kMin: 2, kMax: 4, seed: 9 });
  assert.deepEqual(kMedoidsSweep(d, { kMin: 2, kMax: 4, seed: 9 }), a);
  const split = trainTestSplit(d.size, { trainSize: 0.8, seed: 9 });
  assert.deepEqual(a.train, split.train);
  assert.deepEqual(a.test, split.test);
  const progress: [number, number][] = [];
  kMedoidsSweep(d, { kMin: 2, kMax: 4, onProgress: (done, total) => progress.push([done, total]) });
  assert.deepEqual(progress, [
    [1, 3],
    [2, 3],
    [3, 3],
  ]);
});

test('bad ranges, blocks and options are refused with a sentence', () => {
  const d = blobs(5, 1);
  assert.throws(() => kMedoidsSweep(d, { kMin: 1 }), /2 ≤ kMin ≤ kMax/);
  assert.throws(() => kMedoidsSweep(d, { kMin: 4, kMax: 3 }), /2 ≤ kMin ≤ kMax/);
  assert.throws(() => kMedoidsSweep(d, { kMax: 13 }), /Cannot fit 13 medoids to 12 training rows/);
  assert.throws(() => kMedoidsSweep(d, { train: [0, 1, 2] }), /Give both train and test rows, or neither/);
  assert.throws(() => kMedoidsSweep(d, { train: [0, 1, 2, 3], test: [3, 4, 5], kMax: 3 }), /Row 3 is in both/);
  assert.throws(() => kMedoidsSweep(d, { train: [0, 1, 2, 3], test: [4, 20, 5], kMax: 3 }), /Test row 20 is outside/);
  assert.throws(() => kMedoidsSweep(d, { train: [0, 1, 2, 3], test: [4, 5], kMax: 3 }), /at least 3 rows/);
  assert.throws(() => kMedoidsSweep(d, { testFraction: 1 }), /testFraction must be strictly between 0 and 1/);
  assert.throws(() => kMedoidsSweep(d, { init: [0, 1] as unknown as 'random' }), /init must be 'random' or 'build'/);
});

test('the fits run side by side on the pool: the same sweep at 1 and 2 threads, with either start', () => {
  const d = blobs(25, 6);
  for (const init of ['random', 'build'] as const) {
    const one = withThreads(1, () => kMedoidsSweep(d, { kMin: 2, kMax: 8, seed: 3, init }));
    const two = withThreads(2, () => kMedoidsSweep(d, { kMin: 2, kMax: 8, seed: 3, init }));
    assert.deepEqual(two, one, init);
  }
});
