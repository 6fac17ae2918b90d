import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../lib/matrix/distance-matrix';
import { nearestNeighbours, POOL_FROM_ROWS } from '../../lib/embed/nearest-neighbours';
import { randomNormal, seededRandom } from '../../lib/random';
import { withThreads } from '../helpers';

test('a worked case on a line: 0, 1, 3, 7', () => {
  // Row 0: 1 (at 1), 2 (at 3); row 1: 0 (1), 2 (2); row 2: 1 (2), 0 (3); row 3: 2 (4), 1 (6).
  const graph = nearestNeighbours([[0], [1], [3], [7]], 2);
  assert.deepEqual(Array.from(graph.indices), [1, 2, 0, 2, 1, 0, 2, 1]);
  assert.deepEqual(Array.from(graph.distances), [1, 3, 1, 2, 2, 3, 4, 6]);
});

test('ties go to the lower index, and a row is never its own neighbour', () => {
  // Four corners of a unit square: every point has two neighbours at 1 and one at √2.
  const graph = nearestNeighbours(
    [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ],
    2,
  );
  assert.deepEqual(Array.from(graph.indices), [1, 2, 0, 3, 0, 3, 1, 2]);
  const same = nearestNeighbours([[5], [5], [5]], 1);
  assert.deepEqual(Array.from(same.indices), [1, 0, 0]);
});

test('equals sorting every row, for vectors and for a precomputed matrix', () => {
  const random = seededRandom(3);
  const n = 120;
  const rows = Array.from({ length: n }, () => Array.from({ length: 4 }, () => randomNormal(random)));
  const square = rows.map((a) => rows.map((b) => Math.hypot(...a.map((v, t) => v - b[t]))));
  const k = 7;
  const fromVectors = nearestNeighbours(rows, k);
  const fromMatrix = nearestNeighbours(DistanceMatrix.fromSquare(square, 'float64'), k);
  for (let i = 0; i < n; i++) {
    const expected = square[i]
      .map((d, j) => ({ d, j }))
      .filter(({ j }) => j !== i)
      .sort((a, b) => a.d - b.d || a.j - b.j)
      .slice(0, k);
    assert.deepEqual(
      Array.from(fromVectors.indices.subarray(i * k, i * k + k)),
      expected.map((e) => e.j),
    );
    assert.deepEqual(
      Array.from(fromMatrix.indices.subarray(i * k, i * k + k)),
      expected.map((e) => e.j),
    );
    for (let a = 0; a < k; a++) assert.ok(Math.abs(fromVectors.distances[i * k + a] - expected[a].d) < 1e-12);
  }
});

test('a matrix read through get(i, j) only gives the same neighbours as its condensed array', () => {
  const random = seededRandom(8);
  const matrix = new DistanceMatrix(
    50,
    new Float32Array(1225).map(() => random()),
  );
  const onlyGet = { size: 50, get: (i: number, j: number) => matrix.get(i, j) };
  assert.deepEqual(nearestNeighbours(onlyGet, 5), nearestNeighbours(matrix, 5));
});

test('bad k and bad distances are refused with a sentence', () => {
  assert.throws(() => nearestNeighbours([[0], [1], [2]], 3), /from 1 to 2 \(rows − 1\), got 3/);
  assert.throws(() => nearestNeighbours([[0], [1], [2]], 0), /got 0/);
  assert.throws(() => nearestNeighbours(new DistanceMatrix(3, new Float32Array([1, -2, 3])), 1), /rows 0 and 2 is -2/);
  assert.throws(
    () => nearestNeighbours(new DistanceMatrix(3, new Float32Array([1, 2, Infinity])), 1),
    /rows 1 and 2 is Infinity/,
  );
});

test('progress counts the pairs scanned, from 0 to n(n−1)/2, for vectors and for a matrix', () => {
  // 4 rows: rows 0, 1, 2, 3 cover 3, 2, 1, 0 pairs, so the counts after each row are 3, 5, 6, 6.
  const line = [[0], [1], [3], [7]];
  const square = line.map(([a]) => line.map(([b]) => Math.abs(a - b)));
  for (const input of [line, DistanceMatrix.fromSquare(square, 'float64')]) {
    const seen: [number, number][] = [];
    nearestNeighbours(input, 2, (done, total) => seen.push([done, total]));
    assert.deepEqual(seen, [
      [0, 6],
      [3, 6],
      [5, 6],
      [6, 6],
    ]);
  }
  // At 300 rows (44,850 pairs) about every 1% (the first rows hold more than 1% each): increasing, ending at all.
  const random = seededRandom(8);
  const seen: number[] = [];
  nearestNeighbours(
    Array.from({ length: 300 }, () => [random(), random()]),
    5,
    (done) => seen.push(done),
  );
  assert.ok(seen.length >= 80 && seen.length <= 110, `${seen.length} reports`);
  assert.deepEqual([seen[0], seen[seen.length - 1]], [0, 44850]);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1]);
});

test('vectors on the worker pool: the same neighbours and distances, bit for bit, on 1, 2 and 3 threads', () => {
  // Rows of small whole numbers (many tied distances), 3 and 12 columns (below and above the
  // 8-coordinate partial sums), POOL_FROM_ROWS + 100 rows (34 chunks of 64 rows).
  const random = seededRandom(12);
  for (const d of [3, 12]) {
    const rows = Array.from({ length: POOL_FROM_ROWS + 100 }, () =>
      Array.from({ length: d }, () => Math.floor(random() * 4)),
    );
    const one = withThreads(1, () => nearestNeighbours(rows, 9));
    for (const threads of [2, 3]) {
      const other = withThreads(threads, () => nearestNeighbours(rows, 9));
      assert.deepEqual(other.indices, one.indices, `${d} columns, ${threads} threads`);
      assert.deepEqual(other.distances, one.distances, `${d} columns, ${threads} threads`);
    }
  }
});
