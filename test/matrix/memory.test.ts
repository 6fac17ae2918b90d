import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertMatrixFits,
  clusteringPeakBytes,
  condensedBytes,
  defaultMemoryLimit,
  availableMemory,
  formatBytes,
  largestClusteringSample,
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
  assert.throws(() => assertMatrixFits(120_000, { memoryLimit: 12e9 }), {
    message:
      'A Gower matrix for 120,000 rows needs 28.8 GB, more than the 12.0 GB this machine can give it; ' +
      'use a sample (SAMPLE_SIZE) of at most 77,460 rows.',
  });
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

test("the clustering peak is the Gower matrix plus the larger tree: the whole sample's, not the training split's", () => {
  // 10,000 rows: Gower 49,995,000 pairs × 4 B; tree on all rows × 8 B; the sweep's split (8,000 rows) needs 31,996,000 × 12 B, less
  assert.equal(clusteringPeakBytes(10_000), 49_995_000 * 4 + 49_995_000 * 8);
  assert.ok(condensedBytes(8_000, 4) + condensedBytes(8_000, 8) < condensedBytes(10_000, 8));
  // with a training share near 1 the sweep's two copies weigh more than the whole tree
  assert.equal(clusteringPeakBytes(100, 0.99), condensedBytes(100, 4) + condensedBytes(99, 4) + condensedBytes(99, 8));
});

test('the largest clustering sample is the last size whose peak fits, and no matrix outgrows a typed array', () => {
  assert.equal(largestClusteringSample(clusteringPeakBytes(777)), 777);
  assert.equal(largestClusteringSample(clusteringPeakBytes(777) - 1), 776);
  assert.equal(largestClusteringSample(Infinity), 92_682); // 92,682 · 92,681 / 2 ≤ 2^32 < 92,683 · 92,682 / 2
  assert.equal(largestClusteringSample(0), 1);
});
