import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElbowProgress, elbowSweep } from '../../../lib/cluster/kmeans/elbow';
import { findKnee } from '../../../lib/cluster/kmeans/knee';
import { kMeans } from '../../../lib/cluster/kmeans/kmeans';
import { NumericMatrix, matrixFromRows } from '../../../lib/matrix/numeric-matrix';
import { seededRandom, randomNormal } from '../../../lib/random';

/** Four tight, well separated blobs of 50 points in the plane. */
function fourBlobs(): NumericMatrix {
  const random = seededRandom(8);
  const corners = [
    [0, 0],
    [10, 0],
    [0, 10],
    [10, 10],
  ];
  return matrixFromRows(
    corners.flatMap(([x, y]) =>
      Array.from({ length: 50 }, () => [x + 0.5 * randomNormal(random), y + 0.5 * randomNormal(random)]),
    ),
  );
}

test('one inertia per k from kMin to kMax, each the same as fitting that k alone', () => {
  const points = fourBlobs();
  const sweep = elbowSweep(points, { kMin: 2, kMax: 6, nInit: 3, seed: 4 });
  assert.deepEqual(sweep.ks, [2, 3, 4, 5, 6]);
  sweep.ks.forEach((k, i) => assert.equal(sweep.inertias[i], kMeans(points, k, { nInit: 3, seed: 4 }).inertia));
  assert.equal(sweep.iterations.length, 5);
  assert.equal(sweep.seconds.length, 5);
});

test('four separated blobs: the inertia falls steeply to k = 4, then slowly, and the knee is 4', () => {
  const sweep = elbowSweep(fourBlobs(), { kMin: 1, kMax: 10, nInit: 5, seed: 0 });
  for (let i = 1; i < sweep.inertias.length; i++) assert.ok(sweep.inertias[i] <= sweep.inertias[i - 1] * 1.0001);
  assert.equal(findKnee(sweep.ks, sweep.inertias), 4);
});

test('progress is reported after every k, in order, in work units of k, ending at done = total', () => {
  // k = 2..5: total work 2 + 3 + 4 + 5 = 14; done after each k: 2, 5, 9, 14.
  const seen: [number, number, ElbowProgress][] = [];
  elbowSweep(fourBlobs(), {
    kMin: 2,
    kMax: 5,
    nInit: 1,
    onProgress: (done, total, progress) => seen.push([done, total, progress]),
  });
  assert.deepEqual(
    seen.map(([done, total, p]) => [p.k, p.fitted, done, total]),
    [
      [2, 1, 2, 14],
      [3, 2, 5, 14],
      [4, 3, 9, 14],
      [5, 4, 14, 14],
    ],
  );
  seen.forEach(([, , p]) => assert.ok(p.inertia > 0 && p.seconds >= 0));
});

test("the defaults are the original notebook's k = 2..19", () => {
  const random = seededRandom(1);
  const points = matrixFromRows(Array.from({ length: 40 }, () => [random(), random()]));
  assert.deepEqual(
    elbowSweep(points, { nInit: 1 }).ks,
    Array.from({ length: 18 }, (_, i) => i + 2),
  );
});

test('a bad k range is refused with a sentence', () => {
  const points = matrixFromRows([[0], [1], [2]]);
  assert.throws(() => elbowSweep(points, { kMin: 3, kMax: 2 }), /1 <= kMin <= kMax, got 3..2/);
  assert.throws(() => elbowSweep(points, { kMin: 2, kMax: 4 }), /kMax is 4 but there are only 3 points/);
});
