/**
 * Several k-medoids fits of one distance matrix, one per k, side by side on the worker pool
 * (lib/parallel/pool.ts): what the sweep (kmedoids-sweep.ts) and the k-medoids benchmark run.
 * Each fit is exactly `kMedoids(distances, k, options)`, whatever the number of threads: every fit
 * is one chunk, run whole by one thread from the same start, and writes its own slots. The fits
 * share the matrix and its left parts (gathered once, `RowBlocks.allLeftParts`) in shared memory,
 * where one fit after the other would each gather their own.
 *
 * Written here because FasterPAM's eager swap search is sequential within a fit (each candidate
 * sees the swaps before it); splitting one fit's O(n) candidate evaluation over threads costs more
 * in synchronisation per candidate than it saves at n ≈ 10,000, so the independent fits are the
 * unit of parallel work.
 */
import { DistanceArray, DistanceMatrix } from '../../matrix/distance-matrix';
import { RowBlocks } from '../../matrix/row-blocks';
import { getThreads, runChunks, sharedFloat32, sharedFloat64, sharedInt32, toShared } from '../../parallel/pool';
import {
  buildMedoids,
  checkKMedoidsInput,
  fitKMedoids,
  K_MEDOIDS_DEFAULTS,
  keepLeftParts,
  KMedoidsResult,
} from './kmedoids';

/** Options of {@link kMedoidsFits}: those of `kMedoids` every fit shares. */
export interface KMedoidsFitsOptions {
  /** Seed of the random initial medoids. Default 0. */
  seed?: number;
  /** `'random'` (default) or `'build'`. */
  init?: 'random' | 'build';
  /** The most passes of each fit's swap search. Default 100. */
  maxIterations?: number;
  /** Called with the fits done and their number, each count once, in order. */
  onProgress?: (done: number, total: number) => void;
}

/** What every thread needs (see {@link kMedoidsFitChunk}); big arrays are shared. */
export interface KMedoidsFitsTask {
  n: number;
  condensed: DistanceArray;
  /** The matrix's left parts, gathered once, or undefined (each fit then gathers its own). */
  leftParts: DistanceArray | undefined;
  ks: Int32Array;
  seed: number;
  init: 'random' | 'build';
  maxIterations: number;
  /** Chunk c runs fit order[c]: the largest k first (the longest fits start first, the short ones fill in). */
  order: Int32Array;
  /** Fit a's medoids at offsets[a] … offsets[a + 1] − 1 of `starts` and `medoids`. */
  offsets: Int32Array;
  /** BUILD's starts (init 'build'). */
  starts: Int32Array;
  /** Out: each fit's medoids, labels (fit a's at a · n …), loss, passes and swaps. */
  medoids: Int32Array;
  labels: Int32Array;
  losses: Float64Array;
  iterations: Int32Array;
  swaps: Int32Array;
  /** Out: fits finished, for progress. */
  done: Int32Array;
}

/**
 * `kMedoids(distances, k, options)` for every k of `ks`, side by side on the worker pool; the
 * results in the order of `ks`, the same whatever the number of threads.
 * @example
 * const fits = kMedoidsFits(gower, [2, 3, 4], { seed: 0 });
 * fits[1].loss // the loss of kMedoids(gower, 3, { seed: 0 })
 */
export function kMedoidsFits(
  distances: DistanceMatrix,
  ks: readonly number[],
  options: KMedoidsFitsOptions = {},
): KMedoidsResult[] {
  checkKMedoidsInput(distances);
  const n = distances.size;
  const seed = options.seed ?? K_MEDOIDS_DEFAULTS.seed;
  const init = options.init ?? 'random';
  const maxIterations = options.maxIterations ?? K_MEDOIDS_DEFAULTS.maxIterations;
  if (init !== 'random' && init !== 'build') throw new Error(`init must be 'random' or 'build', got ${String(init)}.`);
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1 || k > n)
      throw new Error(`k must be a whole number from 1 to the number of rows (${n}), got ${k}.`);
  }
  const total = ks.length;
  const offsets = new Int32Array(total + 1);
  for (let a = 0; a < total; a++) offsets[a + 1] = offsets[a] + ks[a];
  const starts = sharedInt32(offsets[total]);
  if (init === 'build' && total > 0) {
    // BUILD is greedy: BUILD for k is the first k medoids of BUILD for the largest k.
    const built = buildMedoids(distances, Math.max(...ks));
    ks.forEach((k, a) => starts.set(built.subarray(0, k), offsets[a]));
  }
  // Shared when other threads will read them (one thread needs no copy).
  const condensed = getThreads() > 1 ? toShared(distances.condensed) : distances.condensed;
  const shared = new DistanceMatrix(n, condensed);
  const length = condensed.length;
  const leftParts =
    total > 1 && keepLeftParts(shared, maxIterations)
      ? RowBlocks.allLeftParts(
          shared,
          condensed instanceof Float64Array ? sharedFloat64(length) : sharedFloat32(length),
        )
      : undefined;
  const task: KMedoidsFitsTask = {
    n,
    condensed,
    leftParts,
    ks: Int32Array.from(ks),
    order: Int32Array.from(ks.keys()).sort((a, b) => ks[b] - ks[a] || a - b),
    seed,
    init,
    maxIterations,
    offsets,
    starts,
    medoids: sharedInt32(offsets[total]),
    labels: sharedInt32(total * n),
    losses: sharedFloat64(total),
    iterations: sharedInt32(total),
    swaps: sharedInt32(total),
    done: sharedInt32(1),
  };
  let reported = 0;
  const report = (): void => {
    const done = Atomics.load(task.done, 0);
    while (options.onProgress && reported < done) options.onProgress(++reported, total);
  };
  runChunks({ module: __filename, name: 'kMedoidsFitChunk', args: task, chunks: total, onWait: report });
  report();
  return Array.from(ks, (_, a) => ({
    medoids: task.medoids.slice(offsets[a], offsets[a + 1]),
    labels: task.labels.slice(a * n, (a + 1) * n),
    loss: task.losses[a],
    iterations: task.iterations[a],
    swaps: task.swaps[a],
  }));
}

/**
 * Chunk `chunk` of {@link kMedoidsFits} (fit a = order[chunk]), run by the pool in any thread:
 * FasterPAM on the shared matrix, written to fit a's own slots.
 * @example runChunks({ module: __filename, name: 'kMedoidsFitChunk', args: task, chunks: task.ks.length })
 */
export function kMedoidsFitChunk(task: KMedoidsFitsTask, chunk: number): void {
  const a = task.order[chunk];
  const k = task.ks[a];
  const matrix = new DistanceMatrix(task.n, task.condensed);
  const init = task.init === 'build' ? task.starts.subarray(task.offsets[a], task.offsets[a + 1]) : 'random';
  const fit = fitKMedoids(matrix, k, {
    seed: task.seed,
    init,
    maxIterations: task.maxIterations,
    leftParts: task.leftParts,
  });
  task.medoids.set(fit.medoids, task.offsets[a]);
  task.labels.set(fit.labels, a * task.n);
  task.losses[a] = fit.loss;
  task.iterations[a] = fit.iterations;
  task.swaps[a] = fit.swaps;
  Atomics.add(task.done, 0, 1);
}
