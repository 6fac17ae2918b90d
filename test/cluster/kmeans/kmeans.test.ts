import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { initSeeds, kMeans } from '../../../lib/cluster/kmeans/kmeans';
import { kMeansPlusPlus } from '../../../lib/cluster/kmeans/kmeans-plus-plus';
import { inertiaOf, nearestCenters } from '../../../lib/cluster/kmeans/lloyd';
import { NumericMatrix, matrixFromData, matrixFromRows, matrixToRows } from '../../../lib/matrix/numeric-matrix';
import { StandardScaler } from '../../../lib/distance/scaler';
import { seededRandom, randomNormal } from '../../../lib/random';
import { readFixture } from '../../helpers';

// Made by test/reference/kmeans_fixtures.py: a 2,000 x 15 frame shaped like the original notebook's, and
// scikit-learn's KMeans(n_clusters=k, n_init=10, random_state=0).inertia_ on it after
// StandardScaler (versions pinned in test/reference/requirements.txt).
const fixture = readFixture('kmeans.json').kmeans;

function fixtureMatrix(): NumericMatrix {
  const { frame, columns, rows } = fixture;
  const data = new Float64Array(rows * columns.length);
  columns.forEach((name: string, j: number) =>
    frame[name].forEach((value: number, i: number) => {
      data[i * columns.length + j] = value;
    }),
  );
  return new StandardScaler().fitTransform(matrixFromData(data, rows, columns.length, columns));
}

function blobs(seed: number, n: number, d: number): NumericMatrix {
  const random = seededRandom(seed);
  return matrixFromRows(
    Array.from({ length: n }, (_, i) =>
      Array.from({ length: d }, (_, j) => (i % 4 === j % 4 ? 3 : 0) + randomNormal(random)),
    ),
  );
}

/** Brute force: each point's nearest centroid (ties to the lower index) and the summed squared distances. */
function nearest(matrix: NumericMatrix, centroids: NumericMatrix) {
  const labels: number[] = [];
  let inertia = 0;
  for (let i = 0; i < matrix.n; i++) {
    let best = Infinity;
    let bestAt = -1;
    for (let c = 0; c < centroids.n; c++) {
      let sum = 0;
      for (let j = 0; j < matrix.d; j++) sum += (matrix.data[i * matrix.d + j] - centroids.data[c * matrix.d + j]) ** 2;
      if (sum < best) {
        best = sum;
        bestAt = c;
      }
    }
    labels.push(bestAt);
    inertia += best;
  }
  return { labels, inertia };
}

/**
 * The cross-check: ml-kmeans 6.0.0 (the package the project's brief names) run from the k-means++
 * starts `kMeans` would use (the same seeds, `initSeeds`), each start's labels taken from its final
 * centres (ml-kmeans returns those of the centres before the last move). Tolerance 0 only: both
 * loops then run until no label changes, so the comparison does not depend on their stopping rules.
 */
function mlKmeansFit(points: NumericMatrix, k: number, nInit: number, seed: number) {
  const { d } = points;
  let best: { labels: Int32Array; inertia: number } | undefined;
  const inertias: number[] = [];
  for (const startSeed of initSeeds(seed, nInit)) {
    const start = kMeansPlusPlus(points, k, seededRandom(startSeed)).centers;
    const initialization = Array.from({ length: k }, (_, c) => Array.from(start.subarray(c * d, (c + 1) * d)));
    const result = mlKmeans(matrixToRows(points), k, { initialization, maxIterations: 300, tolerance: 0 });
    const centers = new Float64Array(k * d);
    result.centroids.forEach((centre, c) => centers.set(centre, c * d));
    const labels = new Int32Array(points.n);
    nearestCenters(points, centers, labels);
    const inertia = inertiaOf(points, centers, labels);
    inertias.push(inertia);
    if (!best || inertia < best.inertia) best = { labels, inertia };
  }
  return { ...best!, inertias };
}

test('four points in two pairs: the pairs are the clusters and the inertia is 4', () => {
  // Each pair's centroid is the midpoint, 1 away from both of its points: 4 x 1^2.
  const points = matrixFromRows(
    [
      [0, 0],
      [0, 2],
      [10, 0],
      [10, 2],
    ],
    ['x', 'y'],
  );
  const result = kMeans(points, 2, { seed: 1 });
  assert.equal(result.labels[0], result.labels[1]);
  assert.equal(result.labels[2], result.labels[3]);
  assert.notEqual(result.labels[0], result.labels[2]);
  assert.equal(result.inertia, 4);
  assert.deepEqual(result.centroids.columns, ['x', 'y']);
  assert.equal(result.k, 2);
});

test("inertia is within 1% of scikit-learn's (or lower) for every k = 2..19 on the 2,000-row frame", () => {
  const matrix = fixtureMatrix();
  const worse: string[] = [];
  fixture.ks.forEach((k: number, index: number) => {
    const ours = kMeans(matrix, k, { nInit: 10, seed: 0 }).inertia;
    const theirs = fixture.inertias[index];
    if (ours > theirs * 1.01) worse.push(`k = ${k}: ${ours} against ${theirs}`);
  });
  assert.deepEqual(worse, []);
});

test("averaged over 8 seeds, inertia is within 1% of scikit-learn's average over random_state 0..7", () => {
  // One seed is one draw: best-of-10 inertia varies by about +-1% with the seed on this frame (it
  // is 0.99% above scikit-learn's random_state=0 at k = 6 with seed 0, and 1.2% below at k = 7),
  // so this compares like with like; a systematic loss of quality would show here.
  const matrix = fixtureMatrix();
  fixture.mean_ks.forEach((k: number, index: number) => {
    let total = 0;
    for (let seed = 0; seed < 8; seed++) total += kMeans(matrix, k, { nInit: 10, seed }).inertia;
    const ours = total / 8;
    const theirs = fixture.mean_inertias[index];
    assert.ok(ours <= theirs * 1.01, `k = ${k}: ${ours} against ${theirs}`);
  });
});

test("labels name each point's nearest centroid and the inertia is the sum of squared distances to it", () => {
  const matrix = fixtureMatrix();
  for (const k of [3, 12]) {
    const result = kMeans(matrix, k, { nInit: 3, seed: 7 });
    const brute = nearest(matrix, result.centroids);
    assert.deepEqual(Array.from(result.labels), brute.labels, `k = ${k}`);
    assert.ok(Math.abs(result.inertia - brute.inertia) <= 1e-9 * brute.inertia, `k = ${k}`);
  }
});

test('the inertia kept is the lowest of the starts, and the same seed gives the same clustering', () => {
  const points = blobs(2, 800, 5);
  const first = kMeans(points, 6, { nInit: 5, seed: 11 });
  const again = kMeans(points, 6, { nInit: 5, seed: 11 });
  assert.equal(first.inertias.length, 5);
  assert.equal(first.inertia, Math.min(...first.inertias));
  assert.deepEqual(first.labels, again.labels);
  assert.deepEqual(first.centroids.data, again.centroids.data);
});

test('the result does not depend on the number of threads', () => {
  const points = blobs(3, 1500, 6);
  const one = kMeans(points, 8, { nInit: 6, seed: 5, threads: 1 });
  const two = kMeans(points, 8, { nInit: 6, seed: 5, threads: 2 });
  const three = kMeans(points, 8, { nInit: 6, seed: 5, threads: 3 });
  for (const other of [two, three]) {
    assert.deepEqual(other.labels, one.labels);
    assert.deepEqual(other.centroids.data, one.centroids.data);
    assert.deepEqual(other.inertias, one.inertias);
    assert.equal(other.iterations, one.iterations);
  }
});

test('cross-check: ml-kmeans reaches the same clustering from the same starts', () => {
  // Tolerance 0: both loops run until no label changes, so they follow the same path.
  const points = blobs(4, 300, 4);
  const ours = kMeans(points, 5, { nInit: 3, seed: 2, tolerance: 0 });
  const library = mlKmeansFit(points, 5, 3, 2);
  assert.deepEqual(library.labels, ours.labels);
  ours.inertias.forEach((inertia, i) => assert.ok(Math.abs(inertia - library.inertias[i]) <= 1e-9 * inertia));
});

test('cross-check: ml-kmeans reaches the same inertia from the same starts on the 2,000-row frame', () => {
  const matrix = fixtureMatrix();
  for (const k of [4, 9]) {
    const ours = kMeans(matrix, k, { nInit: 2, seed: 0, tolerance: 0 });
    const library = mlKmeansFit(matrix, k, 2, 0);
    ours.inertias.forEach((inertia, i) =>
      assert.ok(Math.abs(inertia - library.inertias[i]) <= 1e-9 * inertia, `k = ${k}, start ${i}`),
    );
    assert.deepEqual(library.labels, ours.labels, `k = ${k}`);
  }
});

test('doubling every value keeps the labels and multiplies the inertia by exactly 4 (property)', () => {
  // Doubling is exact in binary floating point, and k-means++ and the stopping rule are scale-free.
  const points = blobs(5, 500, 3);
  const doubled = matrixFromData(
    points.data.map((v) => 2 * v),
    points.n,
    points.d,
  );
  const a = kMeans(points, 4, { nInit: 2, seed: 3 });
  const b = kMeans(doubled, 4, { nInit: 2, seed: 3 });
  assert.deepEqual(b.labels, a.labels);
  assert.equal(b.inertia, 4 * a.inertia);
});

test('k = 1 puts every point in one cluster at the mean; k = n gives inertia 0', () => {
  const points = matrixFromRows([
    [1, 2],
    [3, 4],
    [5, 9],
  ]);
  const one = kMeans(points, 1);
  assert.deepEqual(Array.from(one.labels), [0, 0, 0]);
  assert.deepEqual(Array.from(one.centroids.data), [3, 5]);
  assert.equal(kMeans(points, 3).inertia, 0);
});

test('the seeds of the starts are fixed by the seed and differ between starts', () => {
  assert.deepEqual(initSeeds(0, 4), initSeeds(0, 4));
  assert.equal(new Set(initSeeds(0, 10)).size, 10);
  assert.notDeepEqual(initSeeds(0, 3), initSeeds(1, 3));
});

test('bad input is refused with a sentence', () => {
  const points = matrixFromRows([[0], [1]], ['tempo']);
  assert.throws(() => kMeans(points, 3), /from 1 to the number of points \(2\), got 3/);
  assert.throws(() => kMeans(points, 1, { nInit: 0 }), /initialisations must be a whole number/);
  assert.throws(() => kMeans(points, 1, { threads: 0 }), /threads must be a whole number/);
  assert.throws(
    () => kMeans({ data: new Float64Array([0, Infinity]), n: 2, d: 1, columns: ['tempo'] }, 1),
    /Column tempo holds Infinity in row 1/,
  );
  assert.throws(() => kMeans(matrixFromRows([]), 1), /at least one row and one column/);
});
