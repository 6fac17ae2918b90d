import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kMeansPlusPlus } from '../../../lib/cluster/kmeans/kmeans-plus-plus';
import { matrixFromRows } from '../../../lib/matrix/numeric-matrix';
import { seededRandom, randomNormal } from '../../../lib/random';

test('with two far-apart pairs, the second centre lands in the pair the first did not (20 seeds)', () => {
  // Squared distance 1 inside a pair, about 1e6 across: a candidate from the first centre's own
  // pair has probability about 1e-6, and the greedy step keeps the better of 2 candidates.
  const points = matrixFromRows([
    [0, 0],
    [0, 1],
    [1000, 0],
    [1000, 1],
  ]);
  for (let seed = 0; seed < 20; seed++) {
    const { indices } = kMeansPlusPlus(points, 2, seededRandom(seed));
    assert.notEqual(indices[0] < 2, indices[1] < 2, `seed ${seed}: ${Array.from(indices)}`);
  }
});

test('centres are copies of distinct data rows, and the same seed gives the same centres', () => {
  const random = seededRandom(1);
  const rows = Array.from({ length: 300 }, () => [randomNormal(random), randomNormal(random), randomNormal(random)]);
  const points = matrixFromRows(rows);
  const first = kMeansPlusPlus(points, 8, seededRandom(42));
  const again = kMeansPlusPlus(points, 8, seededRandom(42));
  assert.deepEqual(first.indices, again.indices);
  assert.equal(new Set(first.indices).size, 8);
  first.indices.forEach((row, c) => assert.deepEqual(Array.from(first.centers.subarray(c * 3, c * 3 + 3)), rows[row]));
});

test('k-means++ leaves a far smaller sum of squared distances than picking k random rows (property)', () => {
  // Nine tight blobs: k-means++ should find (nearly) one centre per blob; random rows often miss.
  const random = seededRandom(5);
  const rows: number[][] = [];
  for (let b = 0; b < 9; b++)
    for (let i = 0; i < 30; i++)
      rows.push([(b % 3) * 20 + 0.3 * randomNormal(random), Math.floor(b / 3) * 20 + 0.3 * randomNormal(random)]);
  const points = matrixFromRows(rows);
  const potential = (centers: Float64Array) =>
    rows.reduce((sum, [x, y]) => {
      let best = Infinity;
      for (let c = 0; c < 9; c++) best = Math.min(best, (x - centers[2 * c]) ** 2 + (y - centers[2 * c + 1]) ** 2);
      return sum + best;
    }, 0);
  let plusPlus = 0;
  let uniform = 0;
  for (let seed = 0; seed < 10; seed++) {
    plusPlus += potential(kMeansPlusPlus(points, 9, seededRandom(seed)).centers);
    const pick = seededRandom(100 + seed);
    const centers = new Float64Array(18);
    for (let c = 0; c < 9; c++) centers.set(rows[Math.floor(pick() * rows.length)], 2 * c);
    uniform += potential(centers);
  }
  assert.ok(plusPlus < uniform / 3, `k-means++ ${plusPlus} against random rows ${uniform}`);
});

test('k = 1 picks one row and k = n picks every row', () => {
  const points = matrixFromRows([[1], [2], [3]]);
  assert.equal(kMeansPlusPlus(points, 1, seededRandom(0)).indices.length, 1);
  assert.deepEqual(Array.from(kMeansPlusPlus(points, 3, seededRandom(0)).indices).sort(), [0, 1, 2]);
});

test('bad k and trial counts are refused with a sentence', () => {
  const points = matrixFromRows([[1], [2]]);
  assert.throws(() => kMeansPlusPlus(points, 3, seededRandom(0)), /from 1 to the number of points \(2\), got 3/);
  assert.throws(() => kMeansPlusPlus(points, 1.5, seededRandom(0)), /whole number/);
  assert.throws(() => kMeansPlusPlus(points, 1, seededRandom(0), { localTrials: 0 }), /local trials/);
});
