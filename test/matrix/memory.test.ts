import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertMatrixFits,
  condensedBytes,
  defaultMemoryLimit,
  availableMemory,
  formatBytes,
  largestSampleThatFits,
  MAX_TYPED_ARRAY_LENGTH,
  pairCount,
} from '../../lib/matrix/memory';

test('10,000 rows have 49,995,000 pairs and need about 200 MB in Float32', () => {
  assert.equal(pairCount(10_000), 49_995_000);
  assert.equal(condensedBytes(10_000, 4), 199_980_000);
  assert.equal(condensedBytes(20_000, 8), 1_599_920_000);
});

test('the largest sample that fits is exact at the boundary', () => {
  // 10,000 rows need exactly 199,980,000 bytes; one byte less no longer fits them.
  assert.equal(largestSampleThatFits(4, 199_980_000), 10_000);
  assert.equal(largestSampleThatFits(4, 199_979_999), 9_999);
  assert.equal(largestSampleThatFits(8, 0), 1);
});

test('without a memory limit the typed-array length caps the sample at 92,682 rows', () => {
  const n = largestSampleThatFits(4, Infinity);
  assert.equal(n, 92_682);
  assert.ok(pairCount(n) <= MAX_TYPED_ARRAY_LENGTH && pairCount(n + 1) > MAX_TYPED_ARRAY_LENGTH);
});

test('a matrix over the limit is refused with the bytes needed and the largest sample that fits', () => {
  assert.throws(
    () => assertMatrixFits(120_000, { memoryLimit: 12e9 }),
    {
      message:
        'A Gower matrix for 120,000 rows needs 28.8 GB, more than the 12.0 GB this machine can give it; ' +
        'use a sample (SAMPLE_SIZE) of at most 77,460 rows.',
    },
  );
  assert.ok(pairCount(77_460) * 4 <= 12e9 && pairCount(77_461) * 4 > 12e9);
});

test('a matrix longer than one typed array is refused whatever the memory', () => {
  assert.throws(() => assertMatrixFits(100_000, { memoryLimit: Infinity }), /at most 92,682 rows/);
});

test('a matrix under the limit passes', () => {
  assert.doesNotThrow(() => assertMatrixFits(10_000, { memoryLimit: 2e8 }));
});

test('the default limit is a positive number of bytes', () => {
  assert.ok(defaultMemoryLimit() > 0);
  assert.ok(defaultMemoryLimit() <= 0.8 * availableMemory() + 1, 'at most 80 % of what the process can get');
  assert.equal(defaultMemoryLimit(1_000), 800);
  assert.equal(defaultMemoryLimit(1_001), 800, 'rounded down to whole bytes');
});

test('byte amounts are written in decimal units', () => {
  assert.equal(formatBytes(28.8e9), '28.8 GB');
  assert.equal(formatBytes(199_980_000), '200.0 MB');
  assert.equal(formatBytes(512), '512 bytes');
});
