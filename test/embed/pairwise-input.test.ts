import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../lib/matrix/distance-matrix';
import { readPairwiseInput } from '../../lib/embed/pairwise-input';

test('rows, { data, rows, cols } and { data, n, d } are read as the same vectors', () => {
  const expected = { kind: 'vectors', n: 2, d: 2, data: Float64Array.from([0, 0, 3, 4]) };
  assert.deepEqual(
    readPairwiseInput([
      [0, 0],
      [3, 4],
    ]),
    expected,
  );
  assert.deepEqual(readPairwiseInput({ data: Float32Array.from([0, 0, 3, 4]), rows: 2, cols: 2 }), expected);
  const data = Float64Array.from([0, 0, 3, 4]);
  const read = readPairwiseInput({ data, n: 2, d: 2 });
  assert.deepEqual(read, expected);
  assert.equal((read as { data: Float64Array }).data, data); // a Float64Array is not copied
});

test('an object with size and get is read as distances (duck typed)', () => {
  const matrix = DistanceMatrix.fromSquare([
    [0, 1],
    [1, 0],
  ]);
  assert.deepEqual(readPairwiseInput(matrix), { kind: 'distances', n: 2, matrix });
  const plain = { size: 3, get: () => 1 };
  assert.equal(readPairwiseInput(plain).kind, 'distances');
});

test('awkward input is refused with a sentence naming the place', () => {
  assert.throws(
    () =>
      readPairwiseInput([
        [1, 2],
        [3, Infinity],
      ]),
    /Row 1, column 1 holds Infinity/,
  );
  assert.throws(() => readPairwiseInput([[1, 2], [3]]), /Row 1 has 1 values, but row 0 has 2/);
  assert.throws(() => readPairwiseInput([[1], null as unknown as number[]]), /Row 1 is not an array of numbers/);
  assert.throws(
    () => readPairwiseInput({ data: new Float64Array(5), rows: 2, cols: 2 }),
    /needs 4 values, but data has 5/,
  );
  assert.throws(
    () => readPairwiseInput({ data: [1, 2] as unknown as Float64Array, rows: 1, cols: 2 }),
    /Float64Array or Float32Array/,
  );
  assert.throws(
    () => readPairwiseInput({ size: 3, get: () => 0, condensed: new Float32Array(2) }),
    /holds 3 values, but it has 2/,
  );
  assert.throws(() => readPairwiseInput('text' as never), /distance matrix \(an object with size and get\)/);
});
