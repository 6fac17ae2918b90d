import test from 'node:test';
import assert from 'node:assert/strict';
import { catalogueMapPoints } from '../../lib/embed/catalogue-map';
import { matrixFromRows, matrixRows } from '../../lib/matrix/numeric-matrix';

test('sampled tracks keep their map positions, placed ones take theirs, in the order of all tracks', () => {
  const points = catalogueMapPoints(['a', 'b', 'c'], ['b'], Float64Array.of(1, 1), [0, 2], Float64Array.of(0, 0, 2, 2));
  assert.deepEqual(Array.from(points.x), [0, 1, 2]);
  assert.deepEqual(Array.from(points.y), [0, 1, 2]);
  assert.deepEqual(Array.from(points.sampled), [0, 1, 0]);
});

test('a track neither sampled nor placed, or a sampled track missing from the list, is refused', () => {
  assert.throws(() => catalogueMapPoints(['a', 'b'], ['b'], [1, 1], [], []), /Track a is neither sampled nor placed/);
  assert.throws(
    () => catalogueMapPoints(['a'], ['z'], [1, 1], [0], [0, 0]),
    /The sampled track z is not among the tracks/,
  );
});

test('matrixRows copies the rows asked for, in that order, and refuses a row that is not there', () => {
  const m = matrixFromRows(
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    ['p', 'q'],
  );
  const picked = matrixRows(m, [2, 0]);
  assert.deepEqual(Array.from(picked.data), [5, 6, 1, 2]);
  assert.deepEqual([picked.n, picked.d, picked.columns], [2, 2, ['p', 'q']]);
  assert.throws(() => matrixRows(m, [3]), /Row 3 is not a row of the 3-row matrix/);
});
