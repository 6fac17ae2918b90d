import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../lib/matrix/distance-matrix';
import { seededRandom } from '../../lib/random';

const square = [
  [0, 1, 2, 3],
  [1, 0, 4, 5],
  [2, 4, 0, 6],
  [3, 5, 6, 0],
];

test('the condensed layout is scipy squareform order: row 0 pairs first', () => {
  const d = DistanceMatrix.fromSquare(square);
  assert.deepEqual(Array.from(d.condensed), [1, 2, 3, 4, 5, 6]);
  assert.equal(d.size, 4);
  assert.equal(d.bytes, 24);
});

test('get is symmetric and 0 on the diagonal', () => {
  const d = DistanceMatrix.fromSquare(square);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.equal(d.get(i, j), square[i][j]);
});

test('rowInto gives every row of the square matrix', () => {
  const d = DistanceMatrix.fromSquare(square);
  for (let i = 0; i < 4; i++) assert.deepEqual(Array.from(d.rowInto(i)), square[i]);
  assert.deepEqual(d.toSquare(), square);
});

test('subset keeps the order given, increasing or not', () => {
  const d = DistanceMatrix.fromSquare(square);
  assert.deepEqual(d.subset([1, 3]).toSquare(), [
    [0, 5],
    [5, 0],
  ]);
  assert.deepEqual(d.subset([3, 0, 2]).toSquare(), [
    [0, 3, 6],
    [3, 0, 2],
    [6, 2, 0],
  ]);
});

test('subset of a random matrix matches get for increasing and shuffled indices', () => {
  const random = seededRandom(3);
  const n = 37;
  const values = new Float64Array((n * (n - 1)) / 2).map(() => random());
  const d = new DistanceMatrix(n, values);
  for (const indices of [
    [0, 4, 5, 9, 20, 36],
    [36, 2, 17, 5, 0],
  ]) {
    const s = d.subset(indices);
    assert.ok(s.condensed instanceof Float64Array);
    for (let a = 0; a < indices.length; a++) {
      for (let b = 0; b < indices.length; b++) assert.equal(s.get(a, b), d.get(indices[a], indices[b]));
    }
  }
});

test('subset writes into the array given (e.g. a shared one), of the matrix precision and length', () => {
  const d = DistanceMatrix.fromSquare(square);
  const out = new Float32Array(new SharedArrayBuffer(4 * 3));
  const s = d.subset([3, 0, 2], out);
  assert.equal(s.condensed, out);
  assert.deepEqual(s.toSquare(), d.subset([3, 0, 2]).toSquare());
  assert.throws(() => d.subset([0, 2], new Float32Array(2)), /needs a Float32Array of 1 values to write into, got 2/);
  assert.throws(() => d.subset([0, 2], new Float64Array(1)), /needs a Float32Array of 1 values/);
});

test('bad input is refused with a sentence', () => {
  assert.throws(() => new DistanceMatrix(4, new Float32Array(5)), /holds 6 values, but the array given has 5/);
  assert.throws(
    () =>
      DistanceMatrix.fromSquare([
        [0, 1],
        [2, 0],
      ]),
    /must be symmetric/,
  );
  assert.throws(
    () =>
      DistanceMatrix.fromSquare([
        [1, 1],
        [1, 0],
      ]),
    /diagonal must be 0/,
  );
  assert.throws(() => DistanceMatrix.fromSquare(square).subset([1, 1]), /appears more than once/);
  assert.throws(() => DistanceMatrix.fromSquare(square).subset([4]), /outside the rows 0..3/);
});

test('an empty and a one-row matrix have no pairs', () => {
  assert.equal(new DistanceMatrix(0).condensed.length, 0);
  assert.equal(new DistanceMatrix(1).get(0, 0), 0);
});
