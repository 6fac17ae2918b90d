import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blobDistances, withThreads } from '../../helpers';
import { assignByMeanDistance } from '../../../lib/cluster/linkage/assign';
import { DistanceMatrix } from '../../../lib/matrix/distance-matrix';
import { gowerMatrix } from '../../../lib/distance/gower';
import { seededRandom } from '../../../lib/random';
import { silhouetteScore } from '../../../lib/cluster/evaluate/silhouette';
import { trainTestSplit } from '../../../lib/cluster/evaluate/split';
import { silhouetteSweep, sweepLabels } from '../../../lib/cluster/linkage/silhouette-sweep';

const blobs = (perBlob: number, seed: number): DistanceMatrix => blobDistances(perBlob, seed, 'float64');

test('three well-separated blobs: the sweep picks k = 3 and the test rows split evenly', () => {
  const d = blobs(50, 1);
  const split = trainTestSplit(d.size, { seed: 1 });
  const sweep = silhouetteSweep(d, { ...split, kMin: 2, kMax: 6 });
  assert.equal(sweep.bestK, 3);
  assert.deepEqual(
    sweep.steps.map((s) => s.k),
    [2, 3, 4, 5, 6],
  );
  const three = sweep.steps[1];
  assert.ok(
    three.trainSizes.every((size) => size > 25),
    `train sizes ${three.trainSizes}`,
  );
  assert.equal(
    three.trainSizes.reduce((a, b) => a + b, 0),
    split.train.length,
  );
  assert.equal(
    three.testSizes.reduce((a, b) => a + b, 0),
    split.test.length,
  );
  // Every test row of a blob lands with the training rows of its blob.
  const blobOf = (row: number): number => Math.floor(row / 50);
  const train = sweep.tree.cut(3);
  const clusterOfBlob = new Map<number, number>();
  split.train.forEach((row, r) => clusterOfBlob.set(blobOf(row), train[r]));
  split.test.forEach((row, t) => assert.equal(three.testLabels[t], clusterOfBlob.get(blobOf(row))));
});

test('each step equals assigning test rows by mean distance to that cut and scoring them directly', () => {
  const rows = Array.from({ length: 120 }, (_, i) => {
    const random = seededRandom(i);
    return { genre: ['Pop', 'Rock', 'Jazz'][i % 3], energy: random(), tempo: 60 + 100 * random(), valence: random() };
  });
  const d = gowerMatrix(rows);
  const split = trainTestSplit(d.size, { seed: 5 });
  const sweep = silhouetteSweep(d, split);
  assert.equal(sweep.steps.length, 13);
  for (const step of sweep.steps) {
    const labels = sweep.tree.cut(step.k);
    const expected = assignByMeanDistance(d, split.train, labels, split.test);
    assert.deepEqual(Array.from(step.testLabels), Array.from(expected), `k = ${step.k}`);
    if (Number.isFinite(step.score)) {
      const direct = silhouetteScore(d.subset(split.test), expected);
      assert.ok(Math.abs(step.score - direct) <= 1e-12, `k = ${step.k}: ${step.score} vs ${direct}`);
    }
  }
  const finite = sweep.steps.filter((s) => Number.isFinite(s.score));
  assert.equal(sweep.bestK, finite.reduce((best, s) => (s.score > best.score ? s : best)).k);
});

test('when every test row falls into one cluster the score is NaN and another k is chosen', () => {
  // Groups A = {0, 1, 2 | 6, 7} and B = {3, 4, 5 | 8, 9} (test rows after the bar) are 0.4 apart;
  // the training-only pair O = {10, 11} is 0.9 from everyone. At k = 2 the cut is A∪B against O,
  // so every test row joins A∪B; at k = 3 the test rows split between A and B.
  const group = (i: number): string => (i >= 10 ? 'O' : [0, 1, 2, 6, 7].includes(i) ? 'A' : 'B');
  const square = Array.from({ length: 12 }, (_, i) =>
    Array.from({ length: 12 }, (_, j) => {
      if (i === j) return 0;
      if (group(i) === group(j)) return group(i) === 'O' ? 0.1 : 0.2;
      return group(i) === 'O' || group(j) === 'O' ? 0.9 : 0.4;
    }),
  );
  const d = DistanceMatrix.fromSquare(square, 'float64');
  const sweep = silhouetteSweep(d, { train: [0, 1, 2, 3, 4, 5, 10, 11], test: [6, 7, 8, 9], kMin: 2, kMax: 3 });
  assert.deepEqual(Array.from(sweep.steps[0].trainSizes), [6, 2]);
  assert.deepEqual(Array.from(sweep.steps[0].testSizes), [4, 0]);
  assert.ok(Number.isNaN(sweep.steps[0].score));
  assert.deepEqual(Array.from(sweep.steps[1].testSizes), [2, 2, 0]);
  // Test rows: a = 0.2 (their partner), b = 0.4 → s = 0.5.
  assert.equal(sweep.steps[1].score, 0.5);
  assert.equal(sweep.bestK, 3);
});

test('sweepLabels gives training rows their cut and test rows their assignment', () => {
  const d = blobs(30, 4);
  const split = trainTestSplit(d.size, { seed: 4 });
  const sweep = silhouetteSweep(d, { ...split, kMax: 4 });
  const labels = sweepLabels(sweep, 3);
  const cut = sweep.tree.cut(3);
  split.train.forEach((row, r) => assert.equal(labels[row], cut[r]));
  split.test.forEach((row, t) => assert.equal(labels[row], sweep.steps[1].testLabels[t]));
  assert.throws(() => sweepLabels(sweep, 9), /did not try k = 9; it tried 2 to 4/);
});

test('progress is reported up to the total', () => {
  const d = blobs(20, 2);
  const calls: [number, number][] = [];
  silhouetteSweep(d, {
    ...trainTestSplit(d.size, { seed: 2 }),
    kMax: 5,
    onProgress: (done, total) => calls.push([done, total]),
  });
  const [done, total] = calls[calls.length - 1];
  assert.equal(done, total);
});

test('bad options are refused with a sentence', () => {
  const d = blobs(5, 3);
  assert.throws(
    () => silhouetteSweep(d, { train: [0, 1, 2, 3], test: [3, 4, 5], kMax: 2 }),
    /Row 3 is in both the training and the test block/,
  );
  assert.throws(
    () => silhouetteSweep(d, { train: [0, 1, 2], test: [3, 4, 5] }),
    /Cannot cut 3 training rows into 14 clusters/,
  );
  assert.throws(
    () => silhouetteSweep(d, { train: [0, 1, 2], test: [3, 4, 5], kMin: 1, kMax: 2 }),
    /2 ≤ kMin ≤ kMax, got 1 and 2/,
  );
  assert.throws(() => silhouetteSweep(d, { train: [0, 1, 2], test: [3, 4], kMax: 2 }), /at least 3 rows/);
});

test('1 and 2 threads give the bit-identical sweep: scores, test labels and sizes', () => {
  const rows = Array.from({ length: 260 }, (_, i) => {
    const random = seededRandom(i + 1);
    return { genre: ['Pop', 'Rock', 'Jazz'][i % 3], energy: random() + (i % 3), tempo: 100 * random() };
  });
  const d = gowerMatrix(rows);
  const split = trainTestSplit(d.size, { seed: 5 });
  const [one, two] = [1, 2].map((threads) =>
    withThreads(threads, () => silhouetteSweep(d, { ...split, kMin: 2, kMax: 8 })),
  );
  assert.equal(two.bestK, one.bestK);
  assert.deepEqual(
    two.steps.map((s) => [s.k, s.score, Array.from(s.testLabels), Array.from(s.testSizes)]),
    one.steps.map((s) => [s.k, s.score, Array.from(s.testLabels), Array.from(s.testSizes)]),
  );
});
