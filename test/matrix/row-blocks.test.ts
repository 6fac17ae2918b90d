import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../lib/matrix/distance-matrix';
import { rightBase, RowBlocks } from '../../lib/matrix/row-blocks';
import { seededRandom } from '../../lib/random';

function randomMatrix(n: number, seed: number, precision: 'float32' | 'float64'): DistanceMatrix {
  const random = seededRandom(seed);
  const pairs = (n * (n - 1)) / 2;
  const values = precision === 'float32' ? new Float32Array(pairs) : new Float64Array(pairs);
  for (let p = 0; p < pairs; p++) values[p] = random();
  return new DistanceMatrix(n, values);
}

test('every row read through blocks of any height equals DistanceMatrix.rowInto, in any visiting order', () => {
  for (const precision of ['float32', 'float64'] as const) {
    const d = randomMatrix(23, 3, precision);
    for (const [height, keep] of [1, 2, 5, 7, 23, 100].flatMap(
      (h) =>
        [
          [h, false],
          [h, true],
        ] as const,
    )) {
      const blocks = new RowBlocks(d, height, keep);
      assert.equal(blocks.blockRows, Math.min(height, 23));
      // In order, then backwards (each step may refill the block).
      const order = [...Array(23).keys(), ...Array.from({ length: 23 }, (_, i) => 22 - i)];
      for (const i of order) {
        assert.deepEqual(
          Array.from(blocks.rowInto(i)),
          Array.from(d.rowInto(i)),
          `${precision}, height ${height}, keep ${keep}, row ${i}`,
        );
        const at = blocks.leftOffset(i);
        for (let j = 0; j < i; j++) assert.equal(blocks.buffer[at + j], d.get(j, i));
        const base = rightBase(23, i);
        for (let j = i + 1; j < 23; j++) assert.equal(d.condensed[base + j], d.get(i, j));
      }
    }
  }
});

test("the default block holds as many rows as fit in 4 MB, in the matrix's precision", () => {
  assert.equal(new RowBlocks(new DistanceMatrix(1000)).blockRows, 1000); // all of them
  assert.equal(new RowBlocks(new DistanceMatrix(2000)).blockRows, 524);
  assert.ok(new RowBlocks(new DistanceMatrix(2000)).buffer instanceof Float32Array);
  assert.equal(new RowBlocks(new DistanceMatrix(2000, new Float64Array(1999000))).blockRows, 262);
  assert.equal(new RowBlocks(new DistanceMatrix(10)).blockRows, 10);
  assert.equal(new RowBlocks(new DistanceMatrix(1)).blockRows, 1);
});

test('keeping the blocks holds every left part, row i from i(i − 1)/2 on, in an array as long as the matrix', () => {
  const d = randomMatrix(9, 4, 'float32');
  const blocks = new RowBlocks(d, 4, true);
  assert.equal(blocks.buffer.length, d.condensed.length);
  assert.equal(blocks.leftOffset(5), 10);
  for (let j = 0; j < 5; j++) assert.equal(blocks.buffer[10 + j], d.get(j, 5));
});

test('a block height that is not a whole number of at least 1 is refused', () => {
  assert.throws(() => new RowBlocks(new DistanceMatrix(4), 0), /at least 1/);
  assert.throws(() => new RowBlocks(new DistanceMatrix(4), 1.5), /whole number/);
});

test('allLeftParts gathers the whole lower triangle at once; blocks given it read every row as rowInto, gathering nothing', () => {
  for (const precision of ['float32', 'float64'] as const) {
    const d = randomMatrix(19, 4, precision);
    const out = precision === 'float32' ? new Float32Array(d.condensed.length) : new Float64Array(d.condensed.length);
    const left = RowBlocks.allLeftParts(d, out);
    assert.equal(left, out);
    for (let i = 0; i < 19; i++)
      for (let j = 0; j < i; j++) assert.equal(left[(i * (i - 1)) / 2 + j], d.get(j, i), `${precision} (${i}, ${j})`);
    assert.deepEqual(RowBlocks.allLeftParts(d), left);
    const rows = new RowBlocks(d, 3, false, left);
    assert.equal(rows.keep, true);
    assert.equal(rows.buffer, left);
    for (const i of [18, 0, 7, 3]) assert.deepEqual(rows.rowInto(i), d.rowInto(i), `${precision} row ${i}`);
    assert.deepEqual(left, RowBlocks.allLeftParts(d), 'nothing written into the given left parts');
  }
  const d = randomMatrix(5, 1, 'float32');
  assert.throws(
    () => new RowBlocks(d, 2, true, new Float64Array(10)),
    /left parts must be a Float32Array of 10 values/,
  );
  assert.throws(() => new RowBlocks(d, 2, true, new Float32Array(9)), /left parts must be a Float32Array of 10 values/);
});
