import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KdTree } from '../../lib/embed/kd-tree';
import { seededRandom, randomNormal } from '../../lib/matrix/random';

/** Brute force: every reference point, sorted by (distance, index). */
function bruteForce(data: Float64Array, n: number, d: number, query: Float64Array, k: number): { indices: number[]; distances: number[] } {
  const all = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += (data[j * d + t] - query[t]) ** 2;
    return { j, s };
  }).sort((a, b) => a.s - b.s || a.j - b.j);
  return { indices: all.slice(0, k).map((e) => e.j), distances: all.slice(0, k).map((e) => Math.sqrt(e.s)) };
}

test('three points in the plane, worked by hand', () => {
  const tree = new KdTree(new Float64Array([0, 0, 1, 0, 5, 5]), 3, 2);
  const { indices, distances } = tree.query(new Float64Array([0.9, 0.1, 5, 4]), 2, 2);
  assert.deepEqual(Array.from(indices), [1, 0, 2, 1]);
  assert.ok(Math.abs(distances[0] - Math.sqrt(0.02)) < 1e-12);
  assert.ok(Math.abs(distances[1] - Math.sqrt(0.82)) < 1e-12);
  assert.equal(distances[2], 1);
});

test('property: the same neighbours as brute force, in the same order, for several dimensions, k and leaf sizes', () => {
  const random = seededRandom(7);
  for (const [n, d, k, leafSize] of [[300, 3, 5, 1], [500, 15, 25, 16], [200, 40, 10, 4], [64, 2, 64, 8]]) {
    const data = Float64Array.from({ length: n * d }, () => randomNormal(random));
    const m = 60;
    const queries = Float64Array.from({ length: m * d }, () => 1.5 * randomNormal(random));
    const tree = new KdTree(data, n, d, { leafSize });
    const result = tree.query(queries, m, k);
    for (let i = 0; i < m; i++) {
      const expected = bruteForce(data, n, d, queries.subarray(i * d, i * d + d), k);
      assert.deepEqual(Array.from(result.indices.subarray(i * k, i * k + k)), expected.indices, `n ${n} d ${d} k ${k} query ${i}`);
      expected.distances.forEach((e, a) => assert.ok(Math.abs(result.distances[i * k + a] - e) < 1e-12));
    }
  }
});

test('ties and repeated points are broken by the lower reference index', () => {
  // Integer grid points, many at equal distances, and every point twice.
  const random = seededRandom(3);
  const n = 200;
  const d = 3;
  const data = new Float64Array(n * d);
  for (let j = 0; j < n / 2; j++) {
    for (let t = 0; t < d; t++) data[j * d + t] = data[(j + n / 2) * d + t] = Math.floor(random() * 4);
  }
  const queries = Float64Array.from({ length: 30 * d }, () => Math.floor(random() * 4));
  const result = new KdTree(data, n, d, { leafSize: 2 }).query(queries, 30, 12);
  for (let i = 0; i < 30; i++) {
    assert.deepEqual(Array.from(result.indices.subarray(i * 12, i * 12 + 12)), bruteForce(data, n, d, queries.subarray(i * d, i * d + d), 12).indices);
  }
});

test('bad input is refused with a sentence', () => {
  assert.throws(() => new KdTree(new Float64Array([0, 1, 2]), 2, 2), /needs n × d values/);
  assert.throws(() => new KdTree(new Float64Array([0, NaN]), 1, 2), /Reference point 0 holds NaN/);
  const tree = new KdTree(new Float64Array([0, 0, 1, 1]), 2, 2);
  assert.throws(() => tree.query(new Float64Array([0, 0]), 1, 3), /from 1 to 2, got 3/);
  assert.throws(() => tree.query(new Float64Array([0]), 1, 1), /Expected 1 query points of 2 values/);
});
