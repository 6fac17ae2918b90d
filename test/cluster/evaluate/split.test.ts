import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shuffle, trainTestSplit } from '../../../lib/cluster/evaluate/split';

test('10,000 rows split 8,000 / 2,000 by default, disjoint, covering every row, each block sorted', () => {
  const { train, test: held } = trainTestSplit(10_000, { seed: 42 });
  assert.equal(train.length, 8_000);
  assert.equal(held.length, 2_000);
  const seen = new Uint8Array(10_000);
  for (const i of [...train, ...held]) seen[i]++;
  assert.ok(seen.every((count) => count === 1));
  for (const block of [train, held]) for (let a = 1; a < block.length; a++) assert.ok(block[a] > block[a - 1]);
});

test('the same seed gives the same split, another seed another one', () => {
  const a = trainTestSplit(100, { seed: 1 });
  const b = trainTestSplit(100, { seed: 1 });
  const c = trainTestSplit(100, { seed: 2 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.test, c.test);
  // The doc comment's example.
  assert.deepEqual(Array.from(trainTestSplit(10, { seed: 42 }).test), [4, 6]);
});

test('the training block has floor(trainSize · n) rows, as scikit-learn rounds', () => {
  assert.equal(trainTestSplit(10, { trainSize: 0.75, seed: 0 }).train.length, 7);
  assert.equal(trainTestSplit(101, { seed: 0 }).train.length, 80);
});

test('given indices, the blocks hold those indices', () => {
  const rows = [10, 20, 30, 40, 50];
  const { train, test: held } = trainTestSplit(rows, { seed: 3 });
  assert.deepEqual(
    [...train, ...held].sort((x, y) => x - y),
    rows,
  );
  assert.equal(train.length, 4);
});

test('a trainSize outside (0, 1) or one emptying a block is refused', () => {
  assert.throws(() => trainTestSplit(10, { trainSize: 1 }), /trainSize must be strictly between 0 and 1, got 1/);
  assert.throws(() => trainTestSplit(3, { trainSize: 0.2 }), /leaves one of the blocks empty for 3 rows/);
  assert.throws(() => trainTestSplit(-1), /whole number ≥ 0, got -1/);
});

test('shuffle returns a seeded permutation and leaves its input alone', () => {
  const items = Object.freeze(['a', 'b', 'c', 'd', 'e']);
  const once = shuffle(items, 7);
  assert.deepEqual(shuffle(items, 7), once);
  assert.deepEqual([...once].sort(), [...items]);
  assert.deepEqual(items, ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(shuffle(['a', 'b', 'c', 'd'], 42), ['a', 'd', 'b', 'c']);
});
