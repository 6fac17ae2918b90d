/**
 * Splitting the rows of a condensed upper triangle (distance-matrix.ts) into chunks of about equal
 * work for the worker pool (lib/parallel/pool.ts): row i holds n − i − 1 pairs, so equal row counts
 * would give the first chunk far more work than the last. The boundaries depend only on n and the
 * number of chunks, never on the thread count, so results computed chunk by chunk do not either.
 * Written here: a few lines of arithmetic on the project's own layout.
 */

/**
 * The first row of each of `chunks` runs of rows 0..n−1 holding about equal numbers of pairs (i, j),
 * i < j, plus n at the end: chunk c covers rows starts[c] .. starts[c + 1] − 1. Fewer chunks than
 * asked when there are fewer rows with pairs; none for n < 2.
 * @example triangleChunkStarts(4, 2) // Int32Array [0, 1, 4]: row 0 has 3 pairs, rows 1–3 have 3
 */
export function triangleChunkStarts(n: number, chunks: number): Int32Array {
  if (n < 2) return Int32Array.of(0, Math.max(n, 0));
  const total = (n * (n - 1)) / 2;
  const parts = Math.max(1, Math.min(chunks, n - 1));
  const starts: number[] = [0];
  let before = 0; // pairs in rows 0..i−1
  for (let i = 0; i < n - 1; i++) {
    before += n - i - 1;
    const c = starts.length;
    if (c < parts && before >= (c * total) / parts) starts.push(i + 1);
  }
  starts.push(n);
  return Int32Array.from(starts);
}

/**
 * How many chunks a pass over all pairs of n rows is split into: about `pairsPerChunk` pairs
 * each, at least `fewest` (progress reports stay fine-grained), at most one per row with pairs.
 * @example triangleChunkCount(10_000) // 100
 */
export function triangleChunkCount(n: number, pairsPerChunk = 2 ** 19, fewest = 100): number {
  if (n < 2) return 0;
  const total = (n * (n - 1)) / 2;
  return Math.min(n - 1, Math.max(fewest, Math.ceil(total / pairsPerChunk)));
}
