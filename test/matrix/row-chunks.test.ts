import { test } from 'node:test';
import assert from 'node:assert/strict';
import { triangleChunkCount, triangleChunkStarts } from '../../lib/matrix/row-chunks';

test('the chunks cover every row once, in order, with about equal numbers of pairs', () => {
  // worked by hand: rows of 4 points hold 3, 2, 1, 0 pairs
  assert.deepEqual(Array.from(triangleChunkStarts(4, 2)), [0, 1, 4]);
  assert.deepEqual(Array.from(triangleChunkStarts(10, 3)), [0, 2, 4, 10]); // 17, 13 and 15 pairs
  assert.deepEqual(Array.from(triangleChunkStarts(2, 5)), [0, 2]);
  assert.deepEqual(Array.from(triangleChunkStarts(1, 5)), [0, 1]);
  assert.deepEqual(Array.from(triangleChunkStarts(0, 5)), [0, 0]);
  for (const [n, chunks] of [
    [1000, 100],
    [10_001, 100],
    [50, 49],
    [50, 500],
  ]) {
    const starts = triangleChunkStarts(n, chunks);
    assert.equal(starts[0], 0);
    assert.equal(starts[starts.length - 1], n);
    const pairs: number[] = [];
    for (let c = 0; c + 1 < starts.length; c++) {
      assert.ok(starts[c + 1] > starts[c], `chunk ${c} of ${n} rows is not empty`);
      let sum = 0;
      for (let i = starts[c]; i < starts[c + 1]; i++) sum += n - i - 1;
      pairs.push(sum);
    }
    assert.ok(starts.length - 1 <= Math.min(chunks, n - 1));
    const total = (n * (n - 1)) / 2;
    assert.equal(
      pairs.reduce((a, b) => a + b, 0),
      total,
    );
    // no chunk holds more than its share plus one row
    assert.ok(Math.max(...pairs) <= total / (starts.length - 1) + n, `${n} rows`);
  }
});

test('a pass over all pairs is split into about 2^19 pairs a chunk, at least 100 chunks, at most one a row', () => {
  assert.equal(triangleChunkCount(10_000), 100);
  assert.equal(triangleChunkCount(20_000), Math.ceil((20_000 * 19_999) / 2 / 2 ** 19));
  assert.equal(triangleChunkCount(30), 29);
  assert.equal(triangleChunkCount(1), 0);
});
