/**
 * How big a pairwise matrix may get before we refuse to allocate it.
 *
 * A distance matrix over n rows has n(n−1)/2 pairs. Stored condensed, as this project does, it
 * needs n(n−1)/2 × 4 bytes in Float32 (200 MB for 10,000 rows, 800 MB for 20,000) and twice that
 * in Float64. Two limits apply:
 * - memory: by default 80 % of the memory the process can still get (`process.availableMemory()`
 *   in Node ≥ 20.13, which honours container limits; `os.freemem()` before that);
 * - length: one typed array in Node 20 holds at most 2^32 = 4,294,967,296 elements (checked:
 *   `new Float32Array(2 ** 32)` works, `2 ** 32 + 1` throws "Invalid typed array length"), so a
 *   condensed matrix can cover at most 92,682 rows whatever the memory.
 * Functions here refuse early with a sentence that says how much is needed and how large a sample
 * fits, instead of letting V8 die half-way.
 */
import * as os from 'node:os';

/** Elements one typed array may hold in Node 20 (2^32). */
export const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

/** The share of the currently available memory that one matrix may take by default. */
export const DEFAULT_MEMORY_FRACTION = 0.8;

/**
 * The number of pairs i < j among n rows: n(n−1)/2.
 * @example pairCount(10_000) // 49_995_000
 */
export function pairCount(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * Bytes a condensed pairwise matrix over n rows needs.
 * @param n number of rows
 * @param bytesPerValue 4 for Float32 (the Gower matrix), 8 for Float64 (the linkage working copy)
 * @example condensedBytes(10_000, 4) // 199_980_000, about 200 MB
 */
export function condensedBytes(n: number, bytesPerValue = 4): number {
  return pairCount(n) * bytesPerValue;
}

/** The bytes the process can get now (Node's `process.availableMemory`, else the free memory). */
export function availableMemory(): number {
  const proc = process as { availableMemory?: () => number };
  return typeof proc.availableMemory === 'function' ? proc.availableMemory() : os.freemem();
}

/**
 * The bytes one new matrix may take by default: 80 % of the memory the process can get now.
 * @param available the bytes available; default {@link availableMemory}
 * @example defaultMemoryLimit(1_000) // 800
 */
export function defaultMemoryLimit(available: number = availableMemory()): number {
  return Math.floor(DEFAULT_MEMORY_FRACTION * available);
}

/**
 * The largest number of rows whose condensed matrix fits in `limitBytes` and in one typed array.
 * @param bytesPerValue 4 for Float32, 8 for Float64
 * @param limitBytes defaults to {@link defaultMemoryLimit}
 * @example largestSampleThatFits(4, 200_000_000) // 10_000 (10,001 rows would need 200,020,000 bytes)
 */
export function largestSampleThatFits(bytesPerValue = 4, limitBytes: number = defaultMemoryLimit()): number {
  const maxPairs = Math.min(Math.floor(limitBytes / bytesPerValue), MAX_TYPED_ARRAY_LENGTH);
  if (maxPairs < 1) return 1;
  // n(n−1)/2 ≤ maxPairs  ⇔  n ≤ (1 + √(1 + 8·maxPairs)) / 2; step to the exact integer.
  let n = Math.floor((1 + Math.sqrt(1 + 8 * maxPairs)) / 2);
  while (pairCount(n) > maxPairs) n--;
  while (pairCount(n + 1) <= maxPairs) n++;
  return n;
}

/**
 * Bytes as a short decimal amount (1 GB = 10^9 bytes).
 * @example formatBytes(28.8e9) // '28.8 GB'
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

/** Options of {@link assertMatrixFits}. */
export interface MatrixFitOptions {
  /** 4 for Float32, 8 for Float64. Default 4. */
  bytesPerValue?: number;
  /** Bytes the matrix may take. Default {@link defaultMemoryLimit}. */
  memoryLimit?: number;
  /** What the matrix is, for the message. Default "A Gower matrix". */
  what?: string;
}

/**
 * Throws a sentence naming the bytes needed and the largest sample that fits, when a condensed
 * matrix over n rows would not fit; does nothing otherwise. Call it before allocating.
 * @example
 * assertMatrixFits(120_000, { memoryLimit: 12e9 });
 * // throws "A Gower matrix for 120,000 rows needs 28.8 GB, more than the 12.0 GB this machine can
 * //   give it; use a sample (SAMPLE_SIZE) of at most 77,460 rows."
 */
export function assertMatrixFits(n: number, options: MatrixFitOptions = {}): void {
  const { bytesPerValue = 4, what = 'A Gower matrix' } = options;
  const limit = options.memoryLimit ?? defaultMemoryLimit();
  const pairs = pairCount(n);
  const needed = pairs * bytesPerValue;
  if (needed > limit) {
    const largest = largestSampleThatFits(bytesPerValue, limit);
    throw new Error(
      `${what} for ${n.toLocaleString('en-US')} rows needs ${formatBytes(needed)}, more than the ` +
        `${formatBytes(limit)} this machine can give it; use a sample (SAMPLE_SIZE) of at most ` +
        `${largest.toLocaleString('en-US')} rows.`,
    );
  }
  if (pairs > MAX_TYPED_ARRAY_LENGTH) {
    const largest = largestSampleThatFits(bytesPerValue, Infinity);
    throw new Error(
      `${what} for ${n.toLocaleString('en-US')} rows has ${pairs.toLocaleString('en-US')} pairs, more than ` +
        `the ${MAX_TYPED_ARRAY_LENGTH.toLocaleString('en-US')} values one typed array can hold in Node; ` +
        `use a sample (SAMPLE_SIZE) of at most ${largest.toLocaleString('en-US')} rows.`,
    );
  }
}

/**
 * Bytes the clustering of a sample of n rows holds at its peak (notebook 02): the Gower matrix
 * (Float32, kept to the end) plus the larger of its two trees: the silhouette sweep's tree on the
 * training split (a Float32 copy of the training rows' distances and average linkage's Float64
 * working copy of it, ⌊trainShare · n⌋ rows) and the tree on the whole sample (a Float64 working
 * copy over n rows). Everything else (labels, neighbour lists, t-SNE) is linear in n.
 * @param n rows in the sample
 * @param trainShare the share of rows in the sweep's training split (0.8 in the notebooks)
 * @example clusteringPeakBytes(10_000) // 599_940_000: 200 MB of Gower matrix + 400 MB for the tree on all rows
 */
export function clusteringPeakBytes(n: number, trainShare = 0.8): number {
  const train = Math.floor(trainShare * n);
  const sweep = condensedBytes(train, 4) + condensedBytes(train, 8);
  const wholeTree = condensedBytes(n, 8);
  return condensedBytes(n, 4) + Math.max(sweep, wholeTree);
}

/**
 * The largest sample whose clustering ({@link clusteringPeakBytes}) fits in `limitBytes`, with
 * every matrix within one typed array's length.
 * @param limitBytes defaults to {@link defaultMemoryLimit}
 * @example largestClusteringSample(599_940_000) // 10_000
 */
export function largestClusteringSample(limitBytes: number = defaultMemoryLimit(), trainShare = 0.8): number {
  const fits = (n: number): boolean =>
    clusteringPeakBytes(n, trainShare) <= limitBytes && pairCount(n) <= MAX_TYPED_ARRAY_LENGTH;
  if (!fits(2)) return 1;
  let low = 2; // fits
  let high = 2;
  while (fits(high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}
