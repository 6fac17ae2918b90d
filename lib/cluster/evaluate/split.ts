/**
 * Seeded shuffling and the train/test split of the clustering sweep.
 *
 * Both build on `shuffledIndices` (lib/random.ts), so the same seed gives the same order and the
 * same split on every run.
 */
import { shuffledIndices } from '../../random';

/**
 * A new array with the items in a seeded random order (Fisher–Yates); the input is not changed.
 * @example shuffle(['a', 'b', 'c', 'd'], 42) // ['a', 'd', 'b', 'c'], on every run
 */
export function shuffle<T>(items: ArrayLike<T>, seed: number): T[] {
  const order = shuffledIndices(items.length, seed);
  return Array.from(order, (i) => items[i]);
}

/** Options of {@link trainTestSplit}. */
export interface SplitOptions {
  /** The share of rows that go to the training block, strictly between 0 and 1. Default 0.8. */
  trainSize?: number;
  /** Seed of the shuffle. Default 0. */
  seed?: number;
}

/** Two disjoint blocks of row indices. */
export interface TrainTestSplit {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Splits rows at random into a training and a test block: floor(trainSize · n) rows train (as
 * scikit-learn's `train_test_split` rounds), the rest test. Which rows go where is seeded; each
 * block is returned sorted ascending, so that `DistanceMatrix.subset` reads the matrix in order.
 * @param rows the number of rows n (indices 0..n−1), or the row indices to split
 * @example
 * const { train, test } = trainTestSplit(10, { seed: 42 });
 * train // Int32Array [0, 1, 2, 3, 5, 7, 8, 9]
 * test  // Int32Array [4, 6]
 */
export function trainTestSplit(rows: number | ArrayLike<number>, options: SplitOptions = {}): TrainTestSplit {
  const { trainSize = 0.8, seed = 0 } = options;
  if (!(trainSize > 0 && trainSize < 1))
    throw new Error(`trainSize must be strictly between 0 and 1, got ${trainSize}.`);
  let indices: Int32Array;
  if (typeof rows === 'number') {
    if (!Number.isInteger(rows) || rows < 0)
      throw new Error(`The number of rows must be a whole number ≥ 0, got ${rows}.`);
    indices = new Int32Array(rows);
    for (let i = 0; i < rows; i++) indices[i] = i;
  } else {
    indices = Int32Array.from(rows);
  }
  const n = indices.length;
  const trainCount = Math.floor(trainSize * n);
  if (n >= 2 && (trainCount === 0 || trainCount === n)) {
    throw new Error(`A trainSize of ${trainSize} leaves one of the blocks empty for ${n} rows.`);
  }
  const order = shuffledIndices(n, seed);
  const train = new Int32Array(trainCount);
  const test = new Int32Array(n - trainCount);
  for (let r = 0; r < trainCount; r++) train[r] = indices[order[r]];
  for (let r = trainCount; r < n; r++) test[r - trainCount] = indices[order[r]];
  train.sort();
  test.sort();
  return { train, test };
}
