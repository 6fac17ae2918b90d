/**
 * k-medoids clustering by FasterPAM on a precomputed distance matrix: k rows, the medoids, that
 * make the summed distance from every row to its nearest medoid as small as a local search can. It
 * needs only distances, so it clusters a Gower matrix directly, and a medoid is a real track.
 *
 * Reference: E. Schubert and P. J. Rousseeuw, "Fast and eager k-medoids clustering", Information
 * Systems 101 (2021) 101804, https://doi.org/10.1016/j.is.2021.101804; the Python/Rust `kmedoids`
 * package (0.5.5) is the behavioural reference the tests compare with (same swaps from the same
 * start). Initial medoids: random rows (default), PAM's greedy BUILD, or given.
 *
 * Written here because no npm package implements FasterPAM (`k-medoids` 1.0.8 runs the original
 * PAM on points with a distance function, not on a matrix). How each pass works, where it differs
 * from `kmedoids`, and how the matrix is read block by block: docs/kmedoids.md. A fit running alone
 * on the calling thread shares its candidate evaluation with the worker pool (swap-candidates.ts),
 * with the same swaps bit for bit.
 */
import { condensedRowInto, DistanceArray, DistanceMatrix } from '../../matrix/distance-matrix';
import { randomInt, seededRandom } from '../../random';
import { defaultMemoryLimit } from '../../matrix/memory';
import { rightBase, RowBlocks } from '../../matrix/row-blocks';
import { checkMedoids } from './assign';
import {
  gatherLeftParts,
  evaluateCandidates,
  swapChanges,
  SwapCandidatesArgs,
  useSwapThreads,
} from './swap-candidates';
import { sharedFloat32, sharedFloat64, sharedInt32, toShared } from '../../parallel/pool';

/** How the initial medoids are chosen: k random rows, PAM's BUILD, or the row indices given. */
export type KMedoidsInit = 'random' | 'build' | ArrayLike<number>;

/** What `onProgress` receives after each pass of the swap search. */
export interface KMedoidsProgress {
  /** Passes done so far (1 after the first). */
  iteration: number;
  /** The most passes allowed. */
  maxIterations: number;
  /** Swaps made in this pass. */
  swaps: number;
  /** The loss after this pass. */
  loss: number;
}

/** Options of {@link kMedoids}, merged over {@link K_MEDOIDS_DEFAULTS}; `undefined` means the default. */
export interface KMedoidsOptions {
  /** Seed of the random initial medoids (ignored by the other `init`s). */
  seed?: number;
  /** `'random'` (k distinct rows drawn with `seed`), `'build'` (PAM's BUILD) or k distinct row indices. */
  init?: KMedoidsInit;
  /** The most passes of the swap search (the package's `max_iter`). */
  maxIterations?: number;
  /** Called after each pass. */
  onProgress?: (report: KMedoidsProgress) => void;
  /**
   * The matrix's left parts gathered already (`RowBlocks.allLeftParts`), for several fits of one
   * matrix (the sweep); by default each fit gathers its own. The result is the same either way.
   */
  leftParts?: DistanceArray;
  /**
   * false: gather the left parts a block at a time at every pass (4 MB instead of a second copy of
   * the matrix; for fits side by side, as CLARA's). Default: keep them when the copy fits easily
   * ({@link keepLeftParts}). The result is the same either way.
   */
  keepLeftParts?: boolean;
}

/**
 * The written-down defaults: seed 0 (as `kMeans` and `trainTestSplit`), random initial medoids
 * and at most 100 passes (both the `kmedoids` package's defaults).
 * @example K_MEDOIDS_DEFAULTS.maxIterations // 100
 */
export const K_MEDOIDS_DEFAULTS: Readonly<{ seed: number; init: KMedoidsInit; maxIterations: number }> = Object.freeze({
  seed: 0,
  init: 'random' as KMedoidsInit,
  maxIterations: 100,
});

/** A k-medoids clustering. */
export interface KMedoidsResult {
  /** The medoids' row indices; position l is cluster l. */
  medoids: Int32Array;
  /** The cluster of each row: an index into `medoids`, 0..k−1 (each row's nearest medoid). */
  labels: Int32Array;
  /** Sum of the distances from each row to its medoid, accumulated in float64. */
  loss: number;
  /** Passes of the swap search (the package's `n_iter`). */
  iterations: number;
  /** Swaps made (the package's `n_swap`). */
  swaps: number;
}

/**
 * Clusters the rows of a distance matrix into k clusters by FasterPAM (see the file header).
 * Deterministic: the same matrix, k and options give the same result on every run.
 * @param distances the pairwise distances (no NaN)
 * @param k the number of clusters, a whole number from 1 to n
 * @param options `seed`, `init`, `maxIterations`, `onProgress` (defaults in {@link K_MEDOIDS_DEFAULTS})
 * @example
 * // Rows at 0, 1, 9 and 10 on a line.
 * const d = DistanceMatrix.fromSquare([[0, 1, 9, 10], [1, 0, 8, 9], [9, 8, 0, 1], [10, 9, 1, 0]]);
 * const { medoids, labels, loss, iterations } = kMedoids(d, 2, { init: 'build' });
 * medoids;    // Int32Array [1, 2]
 * labels;     // Int32Array [0, 0, 1, 1]
 * loss;       // 2
 * iterations; // 1
 */
export function kMedoids(distances: DistanceMatrix, k: number, options: KMedoidsOptions = {}): KMedoidsResult {
  checkDistances(distances);
  checkNoNaN(distances);
  return fitKMedoids(distances, k, options);
}

/**
 * {@link kMedoids} without the scan for NaN, for callers that checked the matrix (or the larger
 * one it was cut from) already; a NaN left in the matrix is then silently never chosen.
 * @example
 * const d = DistanceMatrix.fromSquare([[0, 1, 9, 10], [1, 0, 8, 9], [9, 8, 0, 1], [10, 9, 1, 0]]);
 * fitKMedoids(d, 2, { init: 'build' }).loss // 2
 */
export function fitKMedoids(distances: DistanceMatrix, k: number, options: KMedoidsOptions = {}): KMedoidsResult {
  checkDistances(distances);
  const n = distances.size;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new Error(`k must be a whole number from 1 to the number of rows (${n}), got ${k}.`);
  }
  const seed = options.seed ?? K_MEDOIDS_DEFAULTS.seed;
  const init = options.init ?? K_MEDOIDS_DEFAULTS.init;
  const maxIterations = options.maxIterations ?? K_MEDOIDS_DEFAULTS.maxIterations;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new Error(`maxIterations must be a whole number ≥ 0, got ${maxIterations}.`);
  }
  if (!Number.isFinite(seed)) throw new Error(`The seed must be a finite number, got ${seed}.`);
  let initial: Int32Array;
  if (init === 'random') initial = randomMedoids(n, k, seed);
  else if (init === 'build') initial = buildMedoids(distances, k);
  else if (typeof init === 'string') {
    throw new Error(`init must be 'random', 'build' or an array of ${k} row indices, got '${init}'.`);
  } else initial = checkMedoids(init, n, k);
  if (k === 1) return bestSingleMedoid(distances, initial[0], maxIterations, options.onProgress);
  const keep = options.keepLeftParts ?? keepLeftParts(distances, maxIterations);
  return fasterPam(distances, initial, maxIterations, options.onProgress, options.leftParts, keep);
}

/**
 * k distinct rows drawn at random with the project's seeded generator (the first k steps of a
 * Fisher–Yates shuffle), so the draw for k is the draw for k − 1 plus one row.
 * @example randomMedoids(10, 3, 0) // Int32Array of 3 distinct rows of 0..9, the same on every run
 */
export function randomMedoids(n: number, k: number, seed: number): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new Error(`The number of rows must be a whole number ≥ 0, got ${n}.`);
  if (!Number.isInteger(k) || k < 0 || k > n)
    throw new Error(`Cannot draw ${k} distinct rows out of ${n}; k must be a whole number from 0 to ${n}.`);
  const random = seededRandom(seed);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + randomInt(random, n - i);
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order.slice(0, k);
}

/**
 * PAM's BUILD: the row with the smallest total distance, then, k − 1 times, the row whose
 * addition lowers the loss most (the first such row on a tie; the first row that changes nothing
 * once no row lowers it). Each step is one pass over the matrix in stored order.
 * Given `start` (for example BUILD's medoids for a smaller k), it goes on from those: BUILD is
 * greedy, so BUILD for k is BUILD for k − 1 plus one step.
 * @param distances the pairwise distances
 * @param k the number of medoids wanted, 1 to n
 * @param start medoids to begin with (at most k; BUILD's first step is skipped when given)
 * @example
 * const d = DistanceMatrix.fromSquare([[0, 1, 9, 10], [1, 0, 8, 9], [9, 8, 0, 1], [10, 9, 1, 0]]);
 * buildMedoids(d, 2)       // Int32Array [1, 2]
 * buildMedoids(d, 3, [1, 2]) // Int32Array [1, 2, 0]
 */
export function buildMedoids(distances: DistanceMatrix, k: number, start: ArrayLike<number> = []): Int32Array {
  checkDistances(distances);
  const n = distances.size;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new Error(`k must be a whole number from 1 to the number of rows (${n}), got ${k}.`);
  }
  if (start.length > k) throw new Error(`BUILD cannot start from ${start.length} medoids to make ${k}.`);
  const chosen = start.length > 0 ? Array.from(checkMedoids(start, n)) : [];
  const c = distances.condensed;
  const isMedoid = new Uint8Array(n);
  for (const m of chosen) isMedoid[m] = 1;
  if (chosen.length === 0) {
    const sums = rowSums(c, n);
    let best = 0;
    for (let j = 1; j < n; j++) if (sums[j] < sums[best]) best = j;
    chosen.push(best);
    isMedoid[best] = 1;
  }
  const nearest = new Float64Array(n).fill(Infinity);
  const row = new Float64Array(n);
  const closer = (m: number): void => {
    condensedRowInto(c, n, m, row);
    for (let o = 0; o < n; o++) if (row[o] < nearest[o]) nearest[o] = row[o];
  };
  chosen.forEach(closer);
  const change = new Float64Array(n);
  while (chosen.length < k) {
    buildChanges(c, n, nearest, change);
    let best = -1;
    let bestChange = Infinity;
    for (let j = 0; j < n; j++) {
      if (!isMedoid[j] && change[j] < bestChange) {
        bestChange = change[j];
        best = j;
      }
    }
    chosen.push(best);
    isMedoid[best] = 1;
    closer(best);
  }
  return Int32Array.from(chosen);
}

/**
 * Whether FasterPAM keeps the left parts it gathered for its later passes: when a second copy of
 * the matrix fits easily (at most 2 GiB and a quarter of the memory at hand) and there are passes
 * after the first.
 * @example keepLeftParts(DistanceMatrix.fromSquare([[0, 1], [1, 0]]), 100) // true
 */
export function keepLeftParts(distances: DistanceMatrix, maxIterations: number): boolean {
  return maxIterations > 1 && distances.bytes <= Math.min(2 ** 31, defaultMemoryLimit() / 4);
}

/**
 * The checks {@link kMedoids} makes before a fit (a DistanceMatrix without NaN), for a caller that
 * then fits with {@link fitKMedoids}, perhaps many times or in other threads.
 * @example checkKMedoidsInput(DistanceMatrix.fromSquare([[0, NaN], [NaN, 0]])) // throws: a NaN at position 0
 */
export function checkKMedoidsInput(distances: DistanceMatrix): void {
  checkDistances(distances);
  checkNoNaN(distances);
}

/** Refuses anything but a DistanceMatrix. */
function checkDistances(distances: DistanceMatrix): void {
  if (!(distances instanceof DistanceMatrix)) {
    throw new Error(
      'k-medoids needs a DistanceMatrix (lib/matrix/distance-matrix.ts); build one with gowerMatrix or DistanceMatrix.fromSquare.',
    );
  }
}

/** Refuses a matrix with a NaN (every comparison with NaN is false, which would corrupt the search). */
function checkNoNaN(distances: DistanceMatrix): void {
  const c = distances.condensed;
  // Fast path: four running sums (a NaN anywhere makes one of them NaN); the exact scan only then.
  let a = 0;
  let b = 0;
  let e = 0;
  let f = 0;
  let q = 0;
  for (; q + 3 < c.length; q += 4) {
    a += c[q];
    b += c[q + 1];
    e += c[q + 2];
    f += c[q + 3];
  }
  for (; q < c.length; q++) a += c[q];
  if (!Number.isNaN(a + b + e + f)) return;
  for (let p = 0; p < c.length; p++) {
    if (c[p] !== c[p]) {
      throw new Error(
        `The distance matrix has a NaN at condensed position ${p}; k-medoids needs a matrix without NaN.`,
      );
    }
  }
}

/**
 * The total distance of every row to all rows, each summed in row order 0..n−1 (the order the
 * package sums in), in one pass over the condensed array: pair (i, j) adds to row j's sum while
 * row i is read, and to row i's sum, in order, right after.
 */
function rowSums(c: ArrayLike<number>, n: number): Float64Array {
  const sums = new Float64Array(n);
  let p = 0;
  for (let i = 0; i < n; i++) {
    let own = sums[i];
    for (let j = i + 1; j < n; j++) {
      const d = c[p++];
      own += d;
      sums[j] += d;
    }
    sums[i] = own;
  }
  return sums;
}

/**
 * BUILD's step: for every row j, the loss change Σ_o min(d(o, j) − nearest(o), 0) of adding j
 * (o = j included: its own distance drops to 0), each summed over o in row order, in one pass over
 * the condensed array (as {@link rowSums}).
 */
function buildChanges(c: ArrayLike<number>, n: number, nearest: Float64Array, change: Float64Array): void {
  change.fill(0);
  let p = 0;
  for (let i = 0; i < n; i++) {
    const nearI = nearest[i];
    let own = change[i];
    if (0 < nearI) own -= nearI;
    for (let j = i + 1; j < n; j++) {
      const d = c[p++];
      if (d < nearest[j]) own += d - nearest[j];
      if (d < nearI) change[j] += d - nearI;
    }
    change[i] = own;
  }
}

/** k = 1: the row with the smallest total distance (kept from `initial` unless strictly better). */
function bestSingleMedoid(
  distances: DistanceMatrix,
  initial: number,
  maxIterations: number,
  onProgress: KMedoidsOptions['onProgress'],
): KMedoidsResult {
  const n = distances.size;
  const sums = rowSums(distances.condensed, n);
  let best = initial;
  if (maxIterations > 0) for (let j = 0; j < n; j++) if (sums[j] < sums[best]) best = j;
  const iterations = maxIterations > 0 ? 1 : 0;
  const swaps = best === initial ? 0 : 1;
  if (onProgress && iterations > 0) onProgress({ iteration: 1, maxIterations, swaps, loss: sums[best] });
  return { medoids: Int32Array.of(best), labels: new Int32Array(n), loss: sums[best], iterations, swaps };
}

/** The FasterPAM swap search from the given medoids (k ≥ 2). */
function fasterPam(
  distances: DistanceMatrix,
  initial: Int32Array,
  maxIterations: number,
  onProgress: KMedoidsOptions['onProgress'],
  leftParts: DistanceArray | undefined,
  keep: boolean,
): KMedoidsResult {
  const n = distances.size;
  const k = initial.length;
  const medoids = Int32Array.from(initial);
  // On shared memory when the candidates are evaluated on the worker pool (swap-candidates.ts).
  const threaded = useSwapThreads(n, keep);
  const float64 = distances.condensed instanceof Float64Array;
  const int32 = (length: number): Int32Array => (threaded ? sharedInt32(length) : new Int32Array(length));
  const distanceArray = (length: number): DistanceArray =>
    float64
      ? threaded
        ? sharedFloat64(length)
        : new Float64Array(length)
      : threaded
        ? sharedFloat32(length)
        : new Float32Array(length);
  const slotOf = int32(n).fill(-1); // the medoid slot of a row that is a medoid
  medoids.forEach((m, l) => (slotOf[m] = l));

  // d(o, medoid l) for every row, row by row, for re-finding a second-nearest medoid.
  const toMedoids = new Float64Array(n * k);
  const scratch = new Float64Array(n);
  for (let l = 0; l < k; l++) {
    condensedRowInto(distances.condensed, n, medoids[l], scratch);
    for (let o = 0; o < n; o++) toMedoids[o * k + l] = scratch[o];
  }

  const nearest = int32(n);
  const second = new Int32Array(n);
  // Distances to the nearest and second medoid are entries of the matrix (or 0), so an array of
  // the matrix's own precision holds them exactly, and Float32 halves what the search loop reads.
  const dNearest = distanceArray(n);
  const dSecond = distanceArray(n);
  /**
   * Second-nearest medoid of row o among the slots other than its nearest: slot `preferred` on a
   * tie (the medoid just swapped in, as the package does), else the first.
   */
  const findSecond = (o: number, preferred = -1): void => {
    const base = o * k;
    const skip = nearest[o];
    let best = preferred === skip ? -1 : preferred;
    let dBest = best < 0 ? Infinity : toMedoids[base + best];
    for (let l = 0; l < k; l++) {
      if (l !== skip && toMedoids[base + l] < dBest) {
        dBest = toMedoids[base + l];
        best = l;
      }
    }
    second[o] = best;
    dSecond[o] = dBest;
  };
  for (let o = 0; o < n; o++) {
    const own = slotOf[o];
    if (own >= 0) {
      nearest[o] = own;
      dNearest[o] = 0;
    } else {
      let best = 0;
      for (let l = 1; l < k; l++) if (toMedoids[o * k + l] < toMedoids[o * k + best]) best = l;
      nearest[o] = best;
      dNearest[o] = toMedoids[o * k + best];
    }
    findSecond(o);
  }

  const removal = threaded ? sharedFloat64(k) : new Float64Array(k);
  const updateRemoval = (): void => {
    removal.fill(0);
    for (let o = 0; o < n; o++) removal[nearest[o]] += dSecond[o] - dNearest[o];
  };
  updateRemoval();

  /** Medoid slot b becomes row j, whose distances are in `row`; every row's caches follow. */
  const swap = (b: number, j: number, row: Float64Array): void => {
    slotOf[medoids[b]] = -1;
    medoids[b] = j;
    slotOf[j] = b;
    for (let o = 0; o < n; o++) toMedoids[o * k + b] = row[o];
    for (let o = 0; o < n; o++) {
      const d = row[o];
      if (o === j) {
        // The new medoid belongs to itself; its second is its old nearest (or old second if that was b).
        if (nearest[o] !== b) {
          second[o] = nearest[o];
          dSecond[o] = dNearest[o];
        }
        nearest[o] = b;
        dNearest[o] = 0;
      } else if (nearest[o] === b) {
        if (d < dSecond[o]) {
          dNearest[o] = d;
        } else {
          nearest[o] = second[o];
          dNearest[o] = dSecond[o];
          findSecond(o, b);
        }
      } else if (d < dNearest[o]) {
        second[o] = nearest[o];
        dSecond[o] = dNearest[o];
        nearest[o] = b;
        dNearest[o] = d;
      } else if (second[o] === b) {
        findSecond(o, b);
      } else if (d < dSecond[o]) {
        second[o] = b;
        dSecond[o] = d;
      }
    }
  };

  // Workers read the matrix where it is (a Gower matrix is on shared memory already).
  const condensed = threaded ? toShared(distances.condensed) : distances.condensed;
  // Every pass reads every row: keep the gathered left parts for the later passes when a second
  // copy of the matrix fits easily (at most 2 GiB and a quarter of the memory at hand).
  const matrix = threaded ? new DistanceMatrix(n, condensed) : distances;
  const blocks = threaded
    ? new RowBlocks(matrix, undefined, true, leftParts ? toShared(leftParts) : gatherLeftParts(matrix))
    : new RowBlocks(distances, undefined, keep, leftParts);
  const change = new Float64Array(k);
  let lastSwap = -1;
  let iterations = 0;
  let swaps = 0;
  let loss = sum(dNearest);
  if (threaded) {
    const args: SwapCandidatesArgs = {
      n,
      k,
      condensed,
      leftParts: blocks.buffer,
      nearest,
      dNearest,
      dSecond,
      slotOf,
      removal,
      range: sharedInt32(3),
      bestSlot: sharedInt32(n),
      bestChange: sharedFloat64(n),
    };
    while (iterations < maxIterations) {
      iterations++;
      let passSwaps = 0;
      // The sequential pass's candidates: 0 … n − 1, ending at the last swap of the passes before
      // until this pass swaps; the first improving one is swapped, then on from the next row.
      let from = 0;
      let to = lastSwap >= 0 ? lastSwap : n;
      for (let j = evaluateCandidates(args, from, to); j >= 0; j = evaluateCandidates(args, from, to)) {
        swap(args.bestSlot[j], j, blocks.rowInto(j, scratch));
        updateRemoval();
        passSwaps++;
        lastSwap = j;
        from = j + 1;
        to = n;
      }
      swaps += passSwaps;
      loss = sum(dNearest);
      if (onProgress) onProgress({ iteration: iterations, maxIterations, swaps: passSwaps, loss });
      if (passSwaps === 0) break;
    }
    return { medoids, labels: Int32Array.from(nearest), loss, iterations, swaps };
  }
  while (iterations < maxIterations) {
    iterations++;
    let passSwaps = 0;
    for (let j = 0; j < n; j++) {
      if (j === lastSwap) break; // every row has been a candidate since the last swap
      if (slotOf[j] >= 0) continue;
      const leftOffset = blocks.leftOffset(j);
      change.set(removal);
      const shared = swapChanges(
        blocks.buffer,
        leftOffset,
        condensed,
        rightBase(n, j),
        j,
        n,
        nearest,
        dNearest,
        dSecond,
        change,
      );
      let b = 0;
      for (let l = 1; l < k; l++) if (change[l] < change[b]) b = l;
      if (!(change[b] + shared < 0)) continue;
      swap(b, j, blocks.rowInto(j, scratch));
      updateRemoval();
      passSwaps++;
      lastSwap = j;
    }
    swaps += passSwaps;
    loss = sum(dNearest);
    if (onProgress) onProgress({ iteration: iterations, maxIterations, swaps: passSwaps, loss });
    if (passSwaps === 0) break;
  }
  return { medoids, labels: nearest, loss, iterations, swaps };
}

function sum(values: DistanceArray): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
