import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inertiaOf, lloyd, meanColumnVariance, nearestCenters } from '../../../lib/cluster/kmeans/lloyd';
import { kMeansPlusPlus } from '../../../lib/cluster/kmeans/kmeans-plus-plus';
import { NumericMatrix, matrixFromRows } from '../../../lib/matrix/numeric-matrix';
import { seededRandom, randomNormal } from '../../../lib/random';

/** Plain Lloyd with scikit-learn's stopping rule: every distance, every iteration. */
function plainLloyd(matrix: NumericMatrix, start: Float64Array, tolerance = 1e-4, maxIterations = 300) {
  const { data, n, d } = matrix;
  const k = start.length / d;
  const tol = tolerance * meanColumnVariance(matrix);
  let centers = Float64Array.from(start);
  const labels = new Int32Array(n).fill(-1);
  let strict = false;
  let iterations = 0;
  for (let it = 0; it < maxIterations; it++) {
    iterations = it + 1;
    const changed = nearestCenters(matrix, centers, labels);
    const sums = new Float64Array(k * d);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (let j = 0; j < d; j++) sums[labels[i] * d + j] += data[i * d + j];
    }
    const next = Float64Array.from(sums, (s, index) => s / counts[Math.floor(index / d)]);
    let shift = 0;
    for (let x = 0; x < k * d; x++) shift += (next[x] - centers[x]) ** 2;
    centers = next;
    if (it > 0 && changed === 0) {
      strict = true;
      break;
    }
    if (shift <= tol) break;
  }
  if (!strict) nearestCenters(matrix, centers, labels);
  return { labels, centers, iterations, inertia: inertiaOf(matrix, centers, labels) };
}

function blobs(seed: number, n: number, d: number, spread: number): NumericMatrix {
  const random = seededRandom(seed);
  const rows = Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, (_, j) => (i % 5 === j % 5 ? spread : 0) + randomNormal(random)),
  );
  return matrixFromRows(rows);
}

test('two pairs of points: labels, centres and inertia worked by hand', () => {
  // Centres start at (0, 0) and (10, 0); the means are (0, 1) and (10, 1); each point is 1 away.
  const points = matrixFromRows([
    [0, 0],
    [0, 2],
    [10, 0],
    [10, 2],
  ]);
  const result = lloyd(points, new Float64Array([0, 0, 10, 0]));
  assert.deepEqual(Array.from(result.labels), [0, 0, 1, 1]);
  assert.deepEqual(Array.from(result.centers), [0, 1, 10, 1]);
  assert.equal(result.inertia, 4);
  assert.equal(result.strictConvergence, true);
});

test("Elkan's bounds change nothing: same labels, centres and iterations as plain Lloyd (6 cases)", () => {
  for (const [seed, k, spread] of [
    [1, 3, 4],
    [2, 7, 1],
    [3, 12, 0.5],
    [4, 19, 2],
    [5, 2, 0],
    [6, 25, 3],
  ]) {
    const points = blobs(seed, 600, 6, spread);
    const start = kMeansPlusPlus(points, k, seededRandom(seed)).centers;
    const fast = lloyd(points, start);
    const plain = plainLloyd(points, start);
    assert.deepEqual(fast.labels, plain.labels, `seed ${seed}, k ${k}: labels`);
    assert.equal(fast.iterations, plain.iterations, `seed ${seed}, k ${k}: iterations`);
    fast.centers.forEach((value, x) =>
      assert.ok(Math.abs(value - plain.centers[x]) < 1e-9, `seed ${seed}, k ${k}: centre value ${x}`),
    );
    assert.ok(Math.abs(fast.inertia - plain.inertia) <= 1e-9 * plain.inertia, `seed ${seed}, k ${k}: inertia`);
  }
});

test('the returned labels always name the nearest centre, and the inertia is their squared distances', () => {
  const points = blobs(9, 500, 4, 1);
  for (const maxIterations of [1, 2, 5, 300]) {
    const result = lloyd(points, kMeansPlusPlus(points, 6, seededRandom(3)).centers, { maxIterations });
    const labels = Int32Array.from(result.labels);
    assert.equal(nearestCenters(points, result.centers, labels), 0, `maxIterations ${maxIterations}`);
    assert.ok(Math.abs(result.inertia - inertiaOf(points, result.centers, labels)) < 1e-9);
  }
});

test('tolerance 0 runs until no label changes; a strictly converged centre is the mean of its points', () => {
  const points = blobs(11, 400, 3, 2);
  const result = lloyd(points, kMeansPlusPlus(points, 5, seededRandom(1)).centers, { tolerance: 0 });
  assert.equal(result.strictConvergence, true);
  for (let c = 0; c < 5; c++) {
    const members = Array.from(result.labels.keys()).filter((i) => result.labels[i] === c);
    for (let j = 0; j < 3; j++) {
      const mean = members.reduce((sum, i) => sum + points.data[i * 3 + j], 0) / members.length;
      assert.ok(Math.abs(mean - result.centers[c * 3 + j]) < 1e-9);
    }
  }
});

test('an empty cluster moves to the point farthest from its centre, as scikit-learn relocates it', () => {
  // Points 0, 1, 10; centres 0, 1, 100. First assignment: 10 goes to centre 1 (9 away, not 90),
  // centre 2 is empty, so it takes the point farthest from its own centre, 10 (81 away).
  const result = lloyd(matrixFromRows([[0], [1], [10]]), new Float64Array([0, 1, 100]));
  assert.deepEqual(Array.from(result.centers), [0, 1, 10]);
  assert.deepEqual(Array.from(result.labels), [0, 1, 2]);
  assert.equal(result.inertia, 0);
});

test('duplicate points with more centres than distinct points still give finite centres', () => {
  const result = lloyd(matrixFromRows([[1], [1], [1], [5]]), new Float64Array([1, 1, 5]));
  result.centers.forEach((value) => assert.ok(Number.isFinite(value)));
});

test('the starting centres are not changed', () => {
  // (Typed arrays cannot be frozen, so compare with a copy.)
  const start = new Float64Array([0, 0, 10, 0]);
  const copy = Array.from(start);
  lloyd(
    matrixFromRows([
      [0, 0],
      [0, 2],
      [10, 0],
      [10, 2],
    ]),
    start,
  );
  assert.deepEqual(Array.from(start), copy);
});

test('bad options and shapes are refused with a sentence', () => {
  const points = matrixFromRows([[0], [1]]);
  assert.throws(() => lloyd(points, new Float64Array([0, 1, 2])), /3 centres but only 2 points/);
  assert.throws(() => lloyd(matrixFromRows([[0, 0]]), new Float64Array([0, 1, 2])), /whole number of rows of 2 values/);
  assert.throws(() => lloyd(points, new Float64Array([0]), { maxIterations: 0 }), /maximum number of iterations/);
  assert.throws(() => lloyd(points, new Float64Array([0]), { tolerance: -1 }), /tolerance must be zero or positive/);
});
