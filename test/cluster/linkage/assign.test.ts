import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignByMeanDistance, summedDistancesToClusters } from '../../../lib/cluster/linkage/assign';
import { withThreads } from '../../helpers';
import { DistanceMatrix } from '../../../lib/matrix/distance-matrix';
import { seededRandom } from '../../../lib/random';

test('a new row joins the cluster whose members are closest on average', () => {
  // Row 3 is 8 from rows 0 and 1 (cluster 0) and 1 from row 2 (cluster 1).
  const d = DistanceMatrix.fromSquare([
    [0, 1, 9, 8],
    [1, 0, 9, 8],
    [9, 9, 0, 1],
    [8, 8, 1, 0],
  ]);
  assert.deepEqual(Array.from(assignByMeanDistance(d, [0, 1, 2], [0, 0, 1], [3])), [1]);
});

test('the mean, not the nearest member, decides', () => {
  // Row 3: cluster 0 = {0, 1} at distances 1 and 9 (mean 5); cluster 1 = {2} at 4.
  const d = DistanceMatrix.fromSquare([
    [0, 2, 2, 1],
    [2, 0, 2, 9],
    [2, 2, 0, 4],
    [1, 9, 4, 0],
  ]);
  assert.deepEqual(Array.from(assignByMeanDistance(d, [0, 1, 2], [0, 0, 1], [3])), [1]);
});

test('on a tie the lower label wins', () => {
  const d = DistanceMatrix.fromSquare([
    [0, 2, 1],
    [2, 0, 1],
    [1, 1, 0],
  ]);
  assert.deepEqual(Array.from(assignByMeanDistance(d, [0, 1], [1, 0], [2])), [0]);
});

test('property: equals the mean distances computed pair by pair', () => {
  const random = seededRandom(4);
  const n = 40;
  const d = new DistanceMatrix(
    n,
    new Float64Array((n * (n - 1)) / 2).map(() => random()),
  );
  const reference = Array.from({ length: 30 }, (_, i) => i);
  const labels = reference.map((i) => i % 4);
  const queries = [30, 31, 32, 33, 34, 35, 36, 37, 38, 39];
  const assigned = assignByMeanDistance(d, reference, labels, queries);
  queries.forEach((q, a) => {
    const means = [0, 1, 2, 3].map((c) => {
      const members = reference.filter((_, r) => labels[r] === c);
      return members.reduce((sum, i) => sum + d.get(q, i), 0) / members.length;
    });
    assert.equal(assigned[a], means.indexOf(Math.min(...means)));
  });
});

test('bad input is refused with a sentence', () => {
  const d = DistanceMatrix.fromSquare([
    [0, 1, 2],
    [1, 0, 3],
    [2, 3, 0],
  ]);
  assert.throws(() => assignByMeanDistance(d, [0, 1], [0], [2]), /one label per reference row: 2 rows but 1 labels/);
  assert.throws(() => assignByMeanDistance(d, [0, 1], [0, 2], [2]), /Cluster 1 has no reference rows/);
  assert.throws(() => assignByMeanDistance(d, [0, 1], [0, 1], [5]), /Row index 5 is outside 0..2/);
});

test('1, 2 and 3 threads give bit-identical sums and labels, equal to summing row by row here', () => {
  const random = seededRandom(8);
  const n = 300;
  const d = new DistanceMatrix(
    n,
    new Float32Array((n * (n - 1)) / 2).map(() => random()),
  );
  const reference = Array.from({ length: 200 }, (_, i) => i);
  const labels = reference.map((i) => (i * 7) % 5);
  const queries = Array.from({ length: 100 }, (_, i) => 299 - i);
  const expected = new Float64Array(queries.length * 5);
  queries.forEach((q, a) => reference.forEach((r, b) => (expected[a * 5 + labels[b]] += d.get(q, r))));
  for (const threads of [1, 2, 3]) {
    const sums = withThreads(threads, () => summedDistancesToClusters(d, reference, labels, 5, queries));
    assert.deepEqual(sums, expected, `${threads} threads`);
    assert.deepEqual(
      withThreads(threads, () => assignByMeanDistance(d, reference, labels, queries)),
      withThreads(1, () => assignByMeanDistance(d, reference, labels, queries)),
    );
  }
});
