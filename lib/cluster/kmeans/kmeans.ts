/**
 * k-means clustering with scikit-learn's recipe: greedy k-means++ seeding, Lloyd's iterations,
 * `nInit` independent starts keeping the one with the lowest inertia.
 * https://scikit-learn.org/stable/modules/generated/sklearn.cluster.KMeans.html
 *
 * Written here rather than taken from ml-kmeans (6.0.0, the version tslab can import), for speed
 * only (measured on a 10,000 x 15 frame, k = 2..19, ten initialisations):
 * - its k-means++ seeding alone took longer than scikit-learn's whole sweep (see `kmeans-plus-plus.ts`);
 * - its Lloyd loop took about ten times scikit-learn's sweep and returns labels from the centres before their last
 *   move (see `lloyd.ts`, which adds Elkan's bounds and scikit-learn's stopping rule);
 * - the starts run on every core, as scikit-learn's do (see `kmeans-threads.ts`).
 * ml-kmeans stays as the cross-check in the tests: from the same starting centres it reaches the
 * same clustering. `npm run bench -- kmeans` compares the sweep with scikit-learn's (README, Speed).
 * `inertia` is scikit-learn's `inertia_`: the sum of squared distances from each point to its
 * nearest centre, with labels naming that centre.
 */
import { NumericMatrix, matrixFromData } from '../../matrix/numeric-matrix';
import { defaultThreads, runStarts } from './kmeans-threads';
import { inertiaOf, nearestCenters } from './lloyd';
import { seededRandom } from '../../random';
import { withDefaults } from '../../options';

/** Options of `kMeans`, merged over `K_MEANS_DEFAULTS`. */
export interface KMeansOptions {
  /** Independent k-means++ starts; the lowest inertia wins (scikit-learn's `n_init`). */
  nInit?: number;
  /** Seed of the whole fit: one seed per start is drawn from it. */
  seed?: number;
  /** Most Lloyd iterations per start. */
  maxIterations?: number;
  /** Stop when the summed squared centre movement is at most this times the mean column variance. */
  tolerance?: number;
  /**
   * Threads sharing the starts, this one included (default: one per core, at most `nInit`; see
   * `kmeans-threads.ts`). The result does not depend on it.
   */
  threads?: number;
}

/**
 * The written-down defaults: scikit-learn's `KMeans` ones, with its pre-1.4 `n_init = 10` (what
 * the original Python notebook ran with).
 * @example K_MEANS_DEFAULTS.nInit // 10
 */
export const K_MEANS_DEFAULTS: Readonly<Required<Omit<KMeansOptions, 'threads'>>> = Object.freeze({
  nInit: 10,
  seed: 0,
  maxIterations: 300,
  tolerance: 1e-4,
});

/** A fitted k-means clustering. */
export interface KMeansResult {
  /** Cluster of each point, 0 .. k - 1; always the point's nearest centroid. */
  readonly labels: Int32Array;
  /** `k x d` centroids, with the input's column names. */
  readonly centroids: NumericMatrix;
  /** Sum of squared distances from each point to its centroid (scikit-learn's `inertia_`). */
  readonly inertia: number;
  /** Lloyd iterations of the winning start (scikit-learn's `n_iter_`). */
  readonly iterations: number;
  /** The inertia every start reached, in order. */
  readonly inertias: readonly number[];
  /** The number of clusters. */
  readonly k: number;
}

/**
 * Clusters the rows of `matrix` into `k` groups by k-means.
 * @param matrix the points, for example z-scored features
 * @param k the number of clusters, 1 <= k <= number of rows
 * @param options `nInit`, `seed`, `maxIterations`, `tolerance`, `threads` (see `K_MEANS_DEFAULTS`)
 * @example
 * const points = matrixFromRows([[0, 0], [0, 2], [10, 0], [10, 2]]);
 * const { labels, inertia } = kMeans(points, 2, { seed: 1 });
 * // labels put rows 0, 1 together and rows 2, 3 together; inertia === 4
 */
export function kMeans(matrix: NumericMatrix, k: number, options: KMeansOptions = {}): KMeansResult {
  const settings = withDefaults(K_MEANS_DEFAULTS, options);
  const { nInit, seed, maxIterations, tolerance } = settings;
  const { n, d } = matrix;
  if (n === 0 || d === 0) throw new Error('k-means needs at least one row and one column.');
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new Error(`The number of clusters must be a whole number from 1 to the number of points (${n}), got ${k}.`);
  }
  if (!Number.isInteger(nInit) || nInit < 1)
    throw new Error(`The number of initialisations must be a whole number of at least 1, got ${nInit}.`);
  const threads = options.threads ?? defaultThreads(nInit);
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`The number of threads must be a whole number of at least 1, got ${threads}.`);
  for (let index = 0; index < matrix.data.length; index++) {
    if (!Number.isFinite(matrix.data[index])) {
      const row = Math.floor(index / d);
      throw new Error(
        `Column ${matrix.columns[index % d]} holds ${matrix.data[index]} in row ${row}; k-means needs finite numbers.`,
      );
    }
  }

  const seeds = initSeeds(seed, nInit);
  const winner = runStarts(matrix, { k, seeds, maxIterations, tolerance }, threads);
  // Check the winner's labels against every centroid (the bounds in Elkan's loop could in
  // principle differ from a full comparison by a rounding error).
  const labels = Int32Array.from(winner.labels);
  const changed = nearestCenters(matrix, winner.centers, labels);
  const inertia = changed === 0 ? winner.inertia : inertiaOf(matrix, winner.centers, labels);
  return {
    labels,
    centroids: matrixFromData(Float64Array.from(winner.centers), k, d, matrix.columns),
    inertia,
    iterations: winner.iterations,
    inertias: Array.from(winner.inertias),
    k,
  };
}

/**
 * The seeds of the `nInit` starts, drawn from the fit's seed (as scikit-learn draws one seed per
 * start from `random_state`).
 * @example initSeeds(0, 3).length // 3, the same three numbers on every run
 */
export function initSeeds(seed: number, nInit: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: nInit }, () => Math.floor(random() * 4294967296));
}
