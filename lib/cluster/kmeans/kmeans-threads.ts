/**
 * Running the `nInit` k-means starts of one fit on several threads, while keeping `kMeans`
 * synchronous and its result independent of the number of threads.
 *
 * scikit-learn runs its k-means on every core (OpenMP); on a 2-core machine a single JavaScript
 * thread stayed about 1.5 times slower than it on the elbow sweep however the loop was tuned
 * (measured), so the starts are shared out on the project's worker pool (`parallel/pool.ts`), one
 * start per chunk:
 * - the points are copied once per fit into a `SharedArrayBuffer`, which every worker reads;
 * - each start writes its inertia, iterations, labels and centres to its own slots of shared
 *   arrays; the calling thread then picks the lowest inertia, ties to the lower start index. Each
 *   start depends only on its own seed, so the winner is the same whichever thread ran it.
 */
import { existsSync } from 'node:fs';
import { NumericMatrix, matrixFromData } from '../../matrix/numeric-matrix';
import {
  WORKER_FILE,
  getThreads,
  runChunks,
  sharedFloat64,
  sharedForPool,
  sharedInt32,
  toShared,
} from '../../parallel/pool';
import { kMeansPlusPlus } from './kmeans-plus-plus';
import { lloyd, nearestCenters } from './lloyd';
import { seededRandom } from '../../random';

/** The outcome of one start. */
export interface StartResult {
  readonly labels: Int32Array;
  readonly centers: Float64Array;
  readonly inertia: number;
  readonly iterations: number;
}

/** The best start of a fit, with the inertia of every start. */
export interface StartsResult extends StartResult {
  /** Index of the winning start. */
  readonly index: number;
  /** Inertia of each start, in start order. */
  readonly inertias: Float64Array;
}

/** What every thread needs to run the starts of one fit. */
export interface StartsJob {
  readonly k: number;
  readonly seeds: readonly number[];
  readonly maxIterations: number;
  readonly tolerance: number;
}

/**
 * One k-means++ seeding followed by Lloyd's iterations.
 * @example runStart(points, 3, 12345, 300, 1e-4).inertia // the inertia this seed reaches
 */
export function runStart(
  matrix: NumericMatrix,
  k: number,
  seed: number,
  maxIterations: number,
  tolerance: number,
): StartResult {
  const start = kMeansPlusPlus(matrix, k, seededRandom(seed)).centers;
  return lloyd(matrix, start, { maxIterations, tolerance });
}

/**
 * Runs starts, taking indices from `counter` until they run out; returns the best one taken
 * (lowest inertia, ties to the lower index), or undefined if this thread took none.
 * @example claimStarts(points, job, new Int32Array(1), new Float64Array(job.seeds.length))
 */
export function claimStarts(
  matrix: NumericMatrix,
  job: StartsJob,
  counter: Int32Array,
  inertias: Float64Array,
): (StartResult & { index: number }) | undefined {
  let best: (StartResult & { index: number }) | undefined;
  for (;;) {
    const index = Atomics.add(counter, 0, 1);
    if (index >= job.seeds.length) return best;
    const result = runStart(matrix, job.k, job.seeds[index], job.maxIterations, job.tolerance);
    inertias[index] = result.inertia;
    if (!best || result.inertia < best.inertia || (result.inertia === best.inertia && index < best.index)) {
      best = { ...result, index };
    }
  }
}

/** The arguments of `startChunk`: the points and every start's output slots (shared or not). */
export interface StartsArgs extends StartsJob {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  /** Inertia of each start. */
  readonly inertias: Float64Array;
  /** Lloyd iterations of each start. */
  readonly iterations: Float64Array;
  /** nInit × n labels, start after start. */
  readonly labels: Int32Array;
  /** nInit × k × d centres, start after start. */
  readonly centers: Float64Array;
}

/**
 * The arguments of one fit's starts; in SharedArrayBuffers (the points copied once) when `shared`.
 * @example startsArgs(points, { k: 3, seeds: [1, 2], maxIterations: 300, tolerance: 1e-4 }, true)
 */
export function startsArgs(matrix: NumericMatrix, job: StartsJob, shared: boolean): StartsArgs {
  const { n, d } = matrix;
  const nInit = job.seeds.length;
  const float = (length: number) => (shared ? sharedFloat64(length) : new Float64Array(length));
  return {
    k: job.k,
    seeds: [...job.seeds],
    maxIterations: job.maxIterations,
    tolerance: job.tolerance,
    data: shared ? toShared(matrix.data) : matrix.data,
    n,
    d,
    inertias: float(nInit),
    iterations: float(nInit),
    labels: shared ? sharedInt32(nInit * n) : new Int32Array(nInit * n),
    centers: float(nInit * job.k * d),
  };
}

/**
 * One chunk of the pool: runs start `chunk` and writes its outcome to the start's slots.
 * @example startChunk(startsArgs(points, job, false), 0) // start 0's inertia in args.inertias[0]
 */
export function startChunk(args: StartsArgs, chunk: number): void {
  const { n, d, k } = args;
  const result = runStart(matrixFromData(args.data, n, d), k, args.seeds[chunk], args.maxIterations, args.tolerance);
  args.inertias[chunk] = result.inertia;
  args.iterations[chunk] = result.iterations;
  args.labels.set(result.labels, chunk * n);
  args.centers.set(result.centers, chunk * k * d);
}

/**
 * The number of threads `kMeans` uses by default: the pool's (THREADS), at most `nInit`. One when
 * the compiled worker file is missing (for example when running the TypeScript sources directly).
 * @param cores the threads to use; default the pool's `getThreads()`
 * @example defaultThreads(10, 2) // 2
 */
export function defaultThreads(nInit: number, cores: number = getThreads()): number {
  if (!existsSync(WORKER_FILE)) return 1;
  return Math.max(1, Math.min(cores, nInit));
}

/**
 * Runs the starts of one fit on `threads` threads of the pool (this one included) and returns the best.
 * @example runStarts(points, { k: 3, seeds: initSeeds(0, 10), maxIterations: 300, tolerance: 1e-4 }, 2)
 */
export function runStarts(matrix: NumericMatrix, job: StartsJob, threads: number): StartsResult {
  const nInit = job.seeds.length;
  const args = startsArgs(matrix, job, threads > 1 && nInit > 1);
  runChunks({ module: __filename, name: 'startChunk', args, chunks: nInit, threads });
  let index = -1;
  for (let i = 0; i < nInit; i++) if (index < 0 || args.inertias[i] < args.inertias[index]) index = i;
  if (index < 0) throw new Error('No k-means start was run.');
  const { n, d, k } = args;
  return {
    index,
    inertia: args.inertias[index],
    iterations: args.iterations[index],
    labels: args.labels.slice(index * n, (index + 1) * n),
    centers: args.centers.slice(index * k * d, (index + 1) * k * d),
    inertias: Float64Array.from(args.inertias),
  };
}

/** Rows per chunk of {@link nearestCentersChunk} (fixed: the labels do not depend on THREADS). */
const CENTER_CHUNK_ROWS = 4096;

/** The arguments of {@link nearestCentersChunk}. */
export interface NearestCentersArgs {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly centers: Float64Array;
  readonly labels: Int32Array;
}

/**
 * One chunk of {@link nearestCentersOnPool}: rows 4096·chunk .. of the points get their nearest
 * centre by `nearestCenters` (lloyd.ts), which treats each row on its own.
 * @example nearestCentersChunk({ data, n, d, centers, labels }, 0)
 */
export function nearestCentersChunk(args: NearestCentersArgs, chunk: number): void {
  const { n, d } = args;
  const start = chunk * CENTER_CHUNK_ROWS;
  const end = Math.min(n, start + CENTER_CHUNK_ROWS);
  const part = matrixFromData(args.data.subarray(start * d, end * d), end - start, d);
  nearestCenters(part, args.centers, args.labels.subarray(start, end));
}

/**
 * The nearest centre of every row (squared Euclidean distance, ties to the lower centre), runs of
 * rows side by side on the worker pool: the labels `nearestCenters` gives, whatever THREADS is.
 * @example nearestCentersOnPool(points, km.centroids.data) // Int32Array, one label per row
 */
export function nearestCentersOnPool(matrix: NumericMatrix, centers: Float64Array): Int32Array {
  const { n, d } = matrix;
  const args: NearestCentersArgs = {
    data: sharedForPool(matrix.data),
    n,
    d,
    centers: sharedForPool(centers),
    labels: sharedInt32(n),
  };
  runChunks({ module: __filename, name: 'nearestCentersChunk', args, chunks: Math.ceil(n / CENTER_CHUNK_ROWS) });
  return args.labels;
}
