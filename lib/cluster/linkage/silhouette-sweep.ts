/**
 * The honest silhouette sweep: how well does average linkage with k clusters, fitted on a
 * training block, separate rows it has never seen?
 *
 * The original Python notebook fitted on the training rows and then called `fit_predict` on the test rows,
 * which re-clusters the test rows alone and throws the training fit away. Here one average-linkage
 * tree is built on the training block; for each k it is cut into k clusters, every test row joins
 * the training cluster with the smallest mean distance to it (the average-linkage criterion, see
 * `assign.ts` beside this file), and the silhouette is scored on the test block with those labels.
 *
 * The cuts of one tree are nested, so the test rows' distances to the clusters are summed once for
 * the finest cut (kMax clusters) and merged for the coarser ones: the sweep costs one tree plus one
 * pass over the test × train distances, whatever the number of k.
 */
import { nearestByMean, summedDistancesToClusters } from './assign';
import { DistanceMatrix } from '../../matrix/distance-matrix';
import { averageLinkage, Dendrogram } from './linkage';
import { clusterSizes } from '../evaluate/cluster-sizes';
import { scoreSweepSteps } from '../evaluate/sweep-scores';

/** Options of {@link silhouetteSweep}. */
export interface SweepOptions {
  /** Rows the tree is built on (indices into the matrix). */
  train: ArrayLike<number>;
  /** Rows scored (indices into the matrix), disjoint from `train`. */
  test: ArrayLike<number>;
  /** Smallest number of clusters tried. Default 2. */
  kMin?: number;
  /** Largest number of clusters tried. Default 14. */
  kMax?: number;
  /** Called now and then with work done and total (the tree is most of it). */
  onProgress?: (done: number, total: number) => void;
  /** Passed on to {@link averageLinkage}. */
  memoryLimit?: number;
}

/** The outcome for one number of clusters. */
export interface SweepStep {
  /** Number of clusters cut from the training tree. */
  k: number;
  /**
   * Mean silhouette of the test rows under their assigned labels; NaN when the test rows all fell
   * into one cluster (the silhouette is then undefined).
   */
  score: number;
  /** Training rows per cluster 0..k−1 (labels numbered by first appearance in `train`). */
  trainSizes: Int32Array;
  /** Test rows assigned to each cluster 0..k−1 (a cluster may get none). */
  testSizes: Int32Array;
  /** The cluster of each test row, in the order of `test`. */
  testLabels: Int32Array;
}

/** The outcome of {@link silhouetteSweep}. */
export interface SweepResult {
  /** One step per k from kMin to kMax. */
  steps: SweepStep[];
  /** The k with the highest finite score (the smaller k on a tie); NaN if no score is finite. */
  bestK: number;
  /** The tree on the training rows; `tree.cut(k)` gives the training labels of any step. */
  tree: Dendrogram;
  /** The training rows, as given. */
  train: Int32Array;
  /** The test rows, as given. */
  test: Int32Array;
  /** The number of rows of the matrix swept. */
  size: number;
}

/**
 * The silhouette sweep described in the file header.
 * @param distances distances between all rows (train and test)
 * @example
 * const { train, test } = trainTestSplit(distances.size, { seed: 42 });
 * const sweep = silhouetteSweep(distances, { train, test, kMin: 2, kMax: 14 });
 * sweep.bestK;                 // e.g. 3
 * sweep.steps[0].trainSizes;   // e.g. Int32Array [7972, 28]  (k = 2)
 * // Then cluster the whole sample with one tree, cut at the best k:
 * const labels = averageLinkage(distances).cut(sweep.bestK);
 */
export function silhouetteSweep(distances: DistanceMatrix, options: SweepOptions): SweepResult {
  const { train, test, kMin = 2, kMax = 14, onProgress } = options;
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMin < 2 || kMax < kMin) {
    throw new Error(`kMin and kMax must be whole numbers with 2 ≤ kMin ≤ kMax, got ${kMin} and ${kMax}.`);
  }
  if (kMax > train.length) {
    throw new Error(
      `Cannot cut ${train.length} training rows into ${kMax} clusters; lower kMax or enlarge the sample.`,
    );
  }
  if (test.length < 3)
    throw new Error(`The test block needs at least 3 rows to score a silhouette, it has ${test.length}.`);
  const inTrain = new Uint8Array(distances.size);
  for (let a = 0; a < train.length; a++) inTrain[train[a]] = 1;
  for (let a = 0; a < test.length; a++) {
    if (inTrain[test[a]]) throw new Error(`Row ${test[a]} is in both the training and the test block.`);
  }

  const kCount = kMax - kMin + 1;
  const treeWork = Math.max(train.length - 1, 1);
  const total = treeWork + kCount;
  const tree = averageLinkage(distances.subset(train), {
    memoryLimit: options.memoryLimit,
    onProgress: onProgress ? (done) => onProgress(done, total) : undefined,
  });

  // Summed distances from each test row to the finest clusters, merged for coarser cuts.
  const fine = tree.cut(kMax);
  const fineSums = summedDistancesToClusters(distances, train, fine, kMax, test);
  const member = new Int32Array(kMax).fill(-1); // one training row of each fine cluster
  for (let r = 0; r < fine.length; r++) if (member[fine[r]] < 0) member[fine[r]] = r;

  const steps: SweepStep[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const labels = tree.cut(k);
    const trainSizes = clusterSizes(labels, k);
    const sums = new Float64Array(test.length * k);
    for (let c = 0; c < kMax; c++) {
      const coarse = labels[member[c]];
      for (let q = 0; q < test.length; q++) sums[q * k + coarse] += fineSums[q * kMax + c];
    }
    const testLabels = nearestByMean(sums, trainSizes, test.length);
    const testSizes = clusterSizes(testLabels, k);
    steps.push({ k, score: NaN, trainSizes, testSizes, testLabels });
    if (onProgress) onProgress(treeWork + (k - kMin + 1), total);
  }
  const bestK = scoreSweepSteps(distances, test, steps);
  return { steps, bestK, tree, train: Int32Array.from(train), test: Int32Array.from(test), size: distances.size };
}

/**
 * Cluster labels for every row of the swept matrix at one k of the sweep, without a second tree:
 * training rows get their cut of the training tree, test rows the cluster they were assigned to;
 * rows in neither block get −1. (To cluster the whole sample with its own tree instead, use
 * `averageLinkage(distances).cut(k)`.)
 * @param sweep the result of {@link silhouetteSweep}
 * @param k one of the k swept
 * @example
 * const labels = sweepLabels(sweep, sweep.bestK); // Int32Array with one label per row
 */
export function sweepLabels(sweep: SweepResult, k: number): Int32Array {
  const step = sweep.steps.find((s) => s.k === k);
  if (!step) {
    const swept = sweep.steps.map((s) => s.k);
    throw new Error(`The sweep did not try k = ${k}; it tried ${swept[0]} to ${swept[swept.length - 1]}.`);
  }
  const labels = new Int32Array(sweep.size).fill(-1);
  const trainLabels = sweep.tree.cut(k);
  sweep.train.forEach((row, r) => (labels[row] = trainLabels[r]));
  sweep.test.forEach((row, t) => (labels[row] = step.testLabels[t]));
  return labels;
}
