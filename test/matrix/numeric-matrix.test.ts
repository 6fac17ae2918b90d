import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  matrixColumn,
  matrixFromData,
  matrixFromRows,
  matrixRow,
  matrixTable,
  matrixToRows,
  stackRows,
} from '../../lib/matrix/numeric-matrix';

test('rows become one row-major Float64Array with default column names', () => {
  const m = matrixFromRows([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.equal(m.n, 2);
  assert.equal(m.d, 3);
  assert.deepEqual(Array.from(m.data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(m.columns, ['x0', 'x1', 'x2']);
});

test('rows, columns and round trips read back what went in', () => {
  const rows = Object.freeze([Object.freeze([1, 2]), Object.freeze([3, 4]), Object.freeze([5, 6])]);
  const m = matrixFromRows(rows, ['a', 'b']);
  assert.deepEqual(matrixToRows(m), [
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  assert.deepEqual(Array.from(matrixRow(m, 1)), [3, 4]);
  assert.deepEqual(Array.from(matrixColumn(m, 'b')), [2, 4, 6]);
  assert.deepEqual(Array.from(matrixColumn(m, 0)), [1, 3, 5]);
});

test('an empty list of rows is a 0 by 0 matrix', () => {
  const m = matrixFromRows([]);
  assert.equal(m.n, 0);
  assert.equal(m.d, 0);
});

test('ragged rows, non-finite values, wrong lengths and unknown columns are refused with a sentence', () => {
  assert.throws(() => matrixFromRows([[1, 2], [3]]), /Row 1 has 1 values but the matrix has 2 columns/);
  assert.throws(() => matrixFromRows([[1, NaN]]), /Row 0, column 1 holds NaN/);
  assert.throws(() => matrixFromData(new Float64Array(5), 2, 3), /A 2 by 3 matrix needs 6 values, got 5/);
  assert.throws(() => matrixFromData(new Float64Array(4), 2, 2, ['a']), /needs 2 column names, got 1/);
  assert.throws(() => matrixColumn(matrixFromRows([[1]], ['a']), 'b'), /no column "b"/);
  assert.throws(() => matrixRow(matrixFromRows([[1]]), 1), /Row 1 does not exist/);
});

test("stacking puts the rows of the second matrix under the first, keeping the first one's column names", () => {
  const tracks = Object.freeze(
    matrixFromRows(
      [
        [1, 2],
        [3, 4],
      ],
      ['a', 'b'],
    ),
  );
  const centroids = Object.freeze(matrixFromRows([[5, 6]], ['c0', 'c1']));
  const stacked = stackRows(tracks, centroids);
  assert.deepEqual(matrixToRows(stacked), [
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  assert.deepEqual(stacked.columns, ['a', 'b']);
  assert.deepEqual(Array.from(tracks.data), [1, 2, 3, 4], 'the inputs are not changed');
  assert.equal(stackRows(matrixFromRows([], ['a']), matrixFromRows([[7]], ['a'])).n, 1);
});

test('stacking matrices of different widths is refused with a sentence', () => {
  assert.throws(
    () => stackRows(matrixFromRows([[1, 2]]), matrixFromRows([[1]])),
    /Cannot stack a 1-column matrix under a 2-column one; they need the same columns/,
  );
});

test('a matrix as a table has its column names, its rows and, when given, row labels', () => {
  const m = matrixFromRows(
    [
      [1, 2],
      [3, 4],
    ],
    ['a', 'b'],
  );
  assert.deepEqual(matrixTable(m, ['t1', 't2']), {
    columns: ['a', 'b'],
    values: [
      [1, 2],
      [3, 4],
    ],
    index: ['t1', 't2'],
  });
  assert.deepEqual(matrixTable(m), {
    columns: ['a', 'b'],
    values: [
      [1, 2],
      [3, 4],
    ],
  });
  assert.throws(() => matrixTable(m, ['t1']), /There are 1 row labels for the 2 rows of the matrix/);
});
