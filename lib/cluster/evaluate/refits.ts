/**
 * The refits of a stability check (stability.ts) as `Refit`s the worker pool can run in any
 * thread: a module path and a function name instead of a closure, which a worker cannot receive.
 * Each refit clusters the run's subset exactly as the notebooks cluster the sample: k-medoids
 * (FasterPAM, random start from the run's seed), average linkage cut at k, k-means with `nInit`
 * starts from the run's seed.
 *
 * Written here (not in the notebooks) because a refit must be a named export of a compiled module.
 */
import { DistanceMatrix } from '../../matrix/distance-matrix';
import { NumericMatrix } from '../../matrix/numeric-matrix';
import { kMedoids } from '../kmedoids/kmedoids';
import { averageLinkage } from '../linkage/linkage';
import { kMeans } from '../kmeans/kmeans';
import type { Refit, StabilityRun } from './stability';

function checkK(k: number, method: string): void {
  if (!Number.isInteger(k) || k < 1)
    throw new Error(`A ${method} refit needs a whole number of clusters of at least 1, got ${k}.`);
}

/**
 * Each run refitted by `kMedoids(subset, k, { seed: run.seed })`.
 * @example clusterStability(gower, medoidLabels, kMedoidsRefit(8), { seed: 42 })
 */
export function kMedoidsRefit(k: number): Refit {
  checkK(k, 'k-medoids');
  return { module: __filename, name: 'refitKMedoids', args: { k } };
}

/**
 * Each run refitted by `averageLinkage(subset).cut(k)`.
 * @example clusterStability(gower, linkageLabels, averageLinkageRefit(5), { seed: 42 })
 */
export function averageLinkageRefit(k: number): Refit {
  checkK(k, 'average-linkage');
  return { module: __filename, name: 'refitAverageLinkage', args: { k } };
}

/**
 * Each run refitted by `kMeans(rows, k, { nInit, seed: run.seed })` on the subset's rows.
 * @param options `nInit`: k-means++ starts per refit (default 10, as `kMeans`)
 * @example clusterStability(z, km.labels, kMeansRefit(12, { nInit: 10 }), { seed: 42 })
 */
export function kMeansRefit(k: number, options: { nInit?: number } = {}): Refit {
  checkK(k, 'k-means');
  const nInit = options.nInit ?? 10;
  if (!Number.isInteger(nInit) || nInit < 1)
    throw new Error(`A k-means refit needs a whole number of starts (nInit) of at least 1, got ${nInit}.`);
  return { module: __filename, name: 'refitKMeans', args: { k, nInit } };
}

/** The k-medoids refit, run by the pool. @example refitKMedoids(subset, run, { k: 8 }) */
export function refitKMedoids(subset: DistanceMatrix, run: StabilityRun, args: { k: number }): Int32Array {
  return kMedoids(subset, args.k, { seed: run.seed }).labels;
}

/** The average-linkage refit, run by the pool. @example refitAverageLinkage(subset, run, { k: 5 }) */
export function refitAverageLinkage(subset: DistanceMatrix, _run: StabilityRun, args: { k: number }): Int32Array {
  return averageLinkage(subset).cut(args.k);
}

/** The k-means refit, run by the pool. @example refitKMeans(rows, run, { k: 12, nInit: 10 }) */
export function refitKMeans(rows: NumericMatrix, run: StabilityRun, args: { k: number; nInit: number }): Int32Array {
  return kMeans(rows, args.k, { nInit: args.nInit, seed: run.seed }).labels;
}
