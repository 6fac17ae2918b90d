/**
 * The honest silhouette sweep for k-medoids: how well do k medoids, fitted on a training block,
 * separate rows they have never seen? For each k: FasterPAM on the training rows, every test row
 * assigned to its nearest medoid, the silhouette scored on the test block; the same recipe and step
 * shape as the average-linkage sweep (lib/cluster/linkage/silhouette-sweep.ts), so a notebook can put
 * both in one table. Each step also reports the fit's loss, the test rows' loss and their medoid
 * silhouette. The fits run side by side on the worker pool (kmedoids-fits.ts), each the same
 * whatever the number of threads. What the steps share (split, matrices, left parts, BUILD, the
 * seeded draws), each step still equal to an independent fit: docs/kmedoids.md.
 */
import { clusterSizes } from '../evaluate/cluster-sizes';
import { DistanceMatrix } from '../../matrix/distance-matrix';
import { sharedFloat32, sharedFloat64 } from '../../parallel/pool';
import { K_MEDOIDS_DEFAULTS } from './kmedoids';
import { kMedoidsFits } from './kmedoids-fits';
import { assignToMedoids } from './assign';
import { scoreSweepSteps } from '../evaluate/sweep-scores';
import { trainTestSplit } from '../evaluate/split';

/** Options of {@link kMedoidsSweep}; `undefined` fields mean the default. */
export interface KMedoidsSweepOptions {
  /** Rows the medoids are fitted on; with `test`, replaces the seeded split. */
  train?: ArrayLike<number>;
  /** Rows scored, disjoint from `train`; with `train`, replaces the seeded split. */
  test?: ArrayLike<number>;
  /** Share of rows held out for scoring when no `train`/`test` are given. Default 0.2. */
  testFraction?: number;
  /** Smallest number of clusters tried. Default 2. */
  kMin?: number;
  /** Largest number of clusters tried. Default 14. */
  kMax?: number;
  /** Seed of the split (when made here) and of the random initial medoids. Default 0. */
  seed?: number;
  /** `'random'` (default) or `'build'`, as in `kMedoids`. */
  init?: 'random' | 'build';
  /** The most passes of each fit's swap search. Default 100. */
  maxIterations?: number;
  /** Called after each k with the number of k done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** The outcome for one number of clusters (the fields of `SweepStep` first). */
export interface KMedoidsSweepStep {
  /** Number of clusters (medoids). */
  k: number;
  /**
   * Mean silhouette of the test rows under their assigned labels; NaN when the test rows all fell
   * into one cluster (the silhouette is then undefined).
   */
  score: number;
  /** Training rows per cluster 0..k−1 (cluster l is medoid l). */
  trainSizes: Int32Array;
  /** Test rows assigned to each cluster 0..k−1 (a cluster may get none). */
  testSizes: Int32Array;
  /** The cluster of each test row, in the order of `test`. */
  testLabels: Int32Array;
  /** The medoids as rows of the full matrix (indices into it, not into `train`). */
  medoids: Int32Array;
  /** The cluster of each training row, in the order of `train`. */
  trainLabels: Int32Array;
  /** The fit's loss: summed distance from each training row to its medoid. */
  loss: number;
  /** Summed distance from each test row to its nearest medoid. */
  testLoss: number;
  /** Mean medoid silhouette of the test rows (1 − a/b, see `medoidSilhouette`). */
  medoidSilhouette: number;
  /** Passes of the fit's swap search. */
  iterations: number;
}

/** The outcome of {@link kMedoidsSweep}. */
export interface KMedoidsSweepResult {
  /** One step per k from kMin to kMax. */
  steps: KMedoidsSweepStep[];
  /** The k with the highest finite score (the smaller k on a tie); NaN if no score is finite. */
  bestK: number;
  /** The training rows. */
  train: Int32Array;
  /** The test rows. */
  test: Int32Array;
  /** The number of rows of the matrix swept. */
  size: number;
}

/**
 * The k-medoids silhouette sweep described in the file header. To label every row of the matrix
 * at one k afterwards, assign them all to that step's medoids: `assignToMedoids(distances,
 * step.medoids).labels`.
 * @param distances distances between all rows (train and test)
 * @example
 * const sweep = kMedoidsSweep(distances, { kMin: 2, kMax: 14, seed: 42 });
 * sweep.bestK;              // e.g. 4
 * sweep.steps[0].medoids;   // e.g. Int32Array [812, 5077]  (k = 2, rows of distances)
 * sweep.steps[0].testSizes; // e.g. Int32Array [1204, 796]
 */
export function kMedoidsSweep(distances: DistanceMatrix, options: KMedoidsSweepOptions = {}): KMedoidsSweepResult {
  const { kMin = 2, kMax = 14, testFraction = 0.2, onProgress } = options;
  const seed = options.seed ?? K_MEDOIDS_DEFAULTS.seed;
  const init = options.init ?? 'random';
  const maxIterations = options.maxIterations ?? K_MEDOIDS_DEFAULTS.maxIterations;
  if (!(distances instanceof DistanceMatrix))
    throw new Error('The k-medoids sweep needs a DistanceMatrix; build one with gowerMatrix.');
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMin < 2 || kMax < kMin) {
    throw new Error(`kMin and kMax must be whole numbers with 2 ≤ kMin ≤ kMax, got ${kMin} and ${kMax}.`);
  }
  if (init !== 'random' && init !== 'build')
    throw new Error(`The sweep's init must be 'random' or 'build', got ${String(init)}.`);
  const { train, test } = splitRows(distances.size, options.train, options.test, testFraction, seed);
  if (kMax > train.length) {
    throw new Error(`Cannot fit ${kMax} medoids to ${train.length} training rows; lower kMax or enlarge the sample.`);
  }
  if (test.length < 3)
    throw new Error(`The test block needs at least 3 rows to score a silhouette, it has ${test.length}.`);

  // The fits, one per k, side by side on the pool, on the training block's matrix (cut into
  // shared memory once, read by every fit).
  const nTrain = train.length;
  const total = kMax - kMin + 1;
  const pairs = (nTrain * (nTrain - 1)) / 2;
  const shared = distances.condensed instanceof Float64Array ? sharedFloat64(pairs) : sharedFloat32(pairs);
  const trainMatrix = distances.subset(train, shared);
  const ks = Array.from({ length: total }, (_, a) => kMin + a);
  const fits = kMedoidsFits(trainMatrix, ks, { seed, init, maxIterations, onProgress });

  const steps: KMedoidsSweepStep[] = [];
  for (let a = 0; a < total; a++) {
    const k = kMin + a;
    const medoids = fits[a].medoids.map((m) => train[m]);
    const trainLabels = fits[a].labels;
    const assigned = assignToMedoids(distances, medoids, test);
    let silhouette = 0;
    for (let t = 0; t < test.length; t++) {
      const b = assigned.second[t];
      silhouette += b > 0 ? 1 - assigned.nearest[t] / b : 1;
    }
    steps.push({
      k,
      score: NaN,
      trainSizes: clusterSizes(trainLabels, k),
      testSizes: clusterSizes(assigned.labels, k),
      testLabels: assigned.labels,
      medoids,
      trainLabels,
      loss: fits[a].loss,
      testLoss: assigned.loss,
      medoidSilhouette: silhouette / test.length,
      iterations: fits[a].iterations,
    });
  }
  const bestK = scoreSweepSteps(distances, test, steps);
  return { steps, bestK, train, test, size: distances.size };
}

/** The given blocks (checked), or a seeded split holding out `testFraction` of the rows. */
function splitRows(
  size: number,
  train: ArrayLike<number> | undefined,
  test: ArrayLike<number> | undefined,
  testFraction: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  if ((train === undefined) !== (test === undefined)) {
    throw new Error('Give both train and test rows, or neither (then the rows are split with testFraction and seed).');
  }
  if (train === undefined || test === undefined) {
    if (!(testFraction > 0 && testFraction < 1))
      throw new Error(`testFraction must be strictly between 0 and 1, got ${testFraction}.`);
    return trainTestSplit(size, { trainSize: 1 - testFraction, seed });
  }
  const block = new Uint8Array(size);
  const check = (rows: ArrayLike<number>, mark: number, name: string): Int32Array => {
    const out = new Int32Array(rows.length);
    for (let a = 0; a < rows.length; a++) {
      const row = rows[a];
      if (!Number.isInteger(row) || row < 0 || row >= size)
        throw new Error(`${name} row ${row} is outside the rows 0..${size - 1}.`);
      if (block[row] === mark) throw new Error(`Row ${row} appears twice in the ${name.toLowerCase()} block.`);
      if (block[row] !== 0) throw new Error(`Row ${row} is in both the training and the test block.`);
      block[row] = mark;
      out[a] = row;
    }
    return out;
  };
  return { train: check(train, 1, 'Training'), test: check(test, 2, 'Test') };
}
