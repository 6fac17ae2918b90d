/**
 * Lloyd's k-means iterations (assign every point to its nearest centre, move every centre to the
 * mean of its points, repeat) with scikit-learn's stopping rule (`_kmeans_single_lloyd`) and
 * Elkan's bounds, which give the same assignments while skipping most distance computations.
 *
 * Reference: C. Elkan, "Using the triangle inequality to accelerate k-means", ICML 2003,
 * https://cdn.aaai.org/ICML/2003/ICML03-022.pdf (with Hamerly's second-centre bound, SDM 2010).
 *
 * Written here rather than run through ml-kmeans 6.0.0, whose loop calls a distance function on
 * plain arrays for every point and centre (about ten times scikit-learn's time on the elbow sweep)
 * and returns labels from the centres before the last move; ml-kmeans stays as a cross-check in the
 * tests. The bookkeeping, stopping rule and empty clusters: docs/kmeans.md.
 */
import { NumericMatrix } from '../../matrix/numeric-matrix';

/** Options of `lloyd`; defaults are scikit-learn's `KMeans` ones. */
export interface LloydOptions {
  /** Most iterations to run (default 300). */
  maxIterations?: number;
  /** Relative tolerance on the squared centre movement, times the mean column variance (default 1e-4). */
  tolerance?: number;
}

/** The outcome of one run of Lloyd's iterations. */
export interface LloydResult {
  /** The nearest centre of each point. */
  readonly labels: Int32Array;
  /** Row-major `k x d` final centres. */
  readonly centers: Float64Array;
  /** Sum of squared distances from each point to its centre (scikit-learn's `inertia_`). */
  readonly inertia: number;
  /** Iterations run (scikit-learn's `n_iter_`). */
  readonly iterations: number;
  /** True when an iteration changed no label. */
  readonly strictConvergence: boolean;
}

/**
 * Runs Lloyd's iterations from the given starting centres (not modified).
 * @param matrix the points
 * @param initialCenters row-major `k x d` starting centres
 * @example
 * const points = matrixFromRows([[0, 0], [0, 2], [10, 0], [10, 2]]);
 * const result = lloyd(points, new Float64Array([0, 0, 10, 0]));
 * // result.labels: Int32Array [0, 0, 1, 1]; result.centers: [0, 1, 10, 1]; result.inertia: 4
 */
export function lloyd(matrix: NumericMatrix, initialCenters: Float64Array, options: LloydOptions = {}): LloydResult {
  const { data, n, d } = matrix;
  const maxIterations = options.maxIterations ?? 300;
  const relativeTolerance = options.tolerance ?? 1e-4;
  if (d === 0 || initialCenters.length === 0 || initialCenters.length % d !== 0) {
    throw new Error(
      `The starting centres must hold a whole number of rows of ${d} values, got ${initialCenters.length} values.`,
    );
  }
  const k = initialCenters.length / d;
  if (k > n) throw new Error(`There are ${k} centres but only ${n} points.`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new Error(`The maximum number of iterations must be a whole number of at least 1, got ${maxIterations}.`);
  }
  if (!(relativeTolerance >= 0)) throw new Error(`The tolerance must be zero or positive, got ${relativeTolerance}.`);
  const tolerance = relativeTolerance * meanColumnVariance(matrix);

  const state: ElkanState = {
    data,
    n,
    d,
    k,
    centers: Float64Array.from(initialCenters),
    labels: new Int32Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n * k),
    drift: new Float64Array(k),
    second: new Float64Array(n),
    largestDrift: 0,
    sums: new Float64Array(k * d),
    counts: new Int32Array(k),
    halfDistance: new Float64Array(k * k),
    halfGap: new Float64Array(k),
  };
  let newCenters = new Float64Array(k * d);
  assignAll(state);
  let iterations = 0;
  let strictConvergence = false;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    iterations = iteration + 1;
    const changed = iteration === 0 ? n : assignWithBounds(state);
    centersFromSums(state, newCenters);
    let shiftTotal = 0;
    let largestShift = 0;
    const { centers, drift } = state;
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const diff = newCenters[c * d + j] - centers[c * d + j];
        sum += diff * diff;
      }
      shiftTotal += sum;
      const shift = Math.sqrt(sum);
      drift[c] += shift;
      if (shift > largestShift) largestShift = shift;
    }
    state.largestDrift += largestShift;
    state.centers = newCenters;
    newCenters = centers;
    if (iteration > 0 && changed === 0) {
      strictConvergence = true;
      break;
    }
    if (shiftTotal <= tolerance) break;
  }
  if (!strictConvergence) assignWithBounds(state);
  const { labels } = state;
  return {
    labels,
    centers: state.centers,
    inertia: inertiaOf(matrix, state.centers, labels),
    iterations,
    strictConvergence,
  };
}

/**
 * Sum of squared distances from each point to the centre its label names.
 * @example
 * inertiaOf(matrixFromRows([[0], [2]]), new Float64Array([1]), new Int32Array([0, 0])) // 2
 */
export function inertiaOf(matrix: NumericMatrix, centers: Float64Array, labels: Int32Array): number {
  const { data, n, d } = matrix;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    const centre = labels[i] * d;
    for (let j = 0; j < d; j++) {
      const diff = data[row + j] - centers[centre + j];
      inertia += diff * diff;
    }
  }
  return inertia;
}

/**
 * Assigns every point to its nearest centre by computing all distances (ties go to the lower
 * index) and returns the number of points whose label changed.
 * @example
 * const labels = new Int32Array([1, 1]);
 * nearestCenters(matrixFromRows([[0], [9]]), new Float64Array([0, 10]), labels); // 1, labels [0, 1]
 */
export function nearestCenters(matrix: NumericMatrix, centers: Float64Array, labels: Int32Array): number {
  const { data, n, d } = matrix;
  const k = centers.length / d;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let best = Infinity;
    let bestAt = 0;
    for (let c = 0; c < k; c++) {
      const centre = c * d;
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[row + j] - centers[centre + j];
        sum += diff * diff;
      }
      if (sum < best) {
        best = sum;
        bestAt = c;
      }
    }
    if (labels[i] !== bestAt) changed++;
    labels[i] = bestAt;
  }
  return changed;
}

/**
 * Mean over columns of the population variance (scikit-learn's `_tolerance` scale).
 * @example meanColumnVariance(matrixFromRows([[0, 0], [2, 0]])) // 0.5
 */
export function meanColumnVariance(matrix: NumericMatrix): number {
  const { data, n, d } = matrix;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j];
    mean /= n;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const diff = data[i * d + j] - mean;
      squares += diff * diff;
    }
    total += squares / n;
  }
  return total / d;
}

/**
 * Everything Elkan's loop keeps between iterations. Bounds are stored relative to the drift (the
 * total distance each centre has moved so far): the current upper bound of point i is
 * `upper[i] + drift[labels[i]]` and its current lower bound for centre c is
 * `lower[i * k + c] - drift[c]`. Moving a centre by s adds s to its drift, which loosens every
 * bound that involves it by s, as Elkan's update does, without touching n x k numbers.
 */
interface ElkanState {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  centers: Float64Array;
  readonly labels: Int32Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  readonly drift: Float64Array;
  /**
   * Hamerly's bound on the distance to the second-nearest centre, stored relative to
   * `largestDrift`, the sum over iterations of the largest centre movement: the current bound
   * of point i is `second[i] - largestDrift`.
   */
  readonly second: Float64Array;
  largestDrift: number;
  /** Per-cluster sums of the points and their counts, kept in step with `labels`. */
  readonly sums: Float64Array;
  readonly counts: Int32Array;
  /** Half the distance between centres a and b at `a * k + b`; `halfGap[a]` is its minimum over b != a. */
  readonly halfDistance: Float64Array;
  readonly halfGap: Float64Array;
}

/** First assignment: every distance, which are also the exact bounds; builds the sums. */
function assignAll(state: ElkanState): void {
  const { data, n, d, k, centers, labels, upper, lower, second, sums, counts } = state;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    const base = i * k;
    let best = Infinity;
    let secondBest = Infinity;
    let bestAt = 0;
    for (let c = 0; c < k; c++) {
      const centre = c * d;
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[row + j] - centers[centre + j];
        sum += diff * diff;
      }
      const distance = Math.sqrt(sum);
      lower[base + c] = distance;
      if (distance < best) {
        secondBest = best;
        best = distance;
        bestAt = c;
      } else if (distance < secondBest) {
        secondBest = distance;
      }
    }
    labels[i] = bestAt;
    upper[i] = best;
    second[i] = secondBest;
    counts[bestAt]++;
    const centre = bestAt * d;
    for (let j = 0; j < d; j++) sums[centre + j] += data[row + j];
  }
}

/** Elkan's assignment step; keeps the sums in step and returns the number of labels that changed. */
function assignWithBounds(state: ElkanState): number {
  const { data, n, d, k, centers, labels, upper, lower, drift, second, sums, counts, halfDistance, halfGap } = state;
  const largestDrift = state.largestDrift;
  for (let a = 0; a < k; a++) halfGap[a] = Infinity;
  for (let a = 0; a < k; a++) {
    halfDistance[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const diff = centers[a * d + j] - centers[b * d + j];
        sum += diff * diff;
      }
      const half = Math.sqrt(sum) / 2;
      halfDistance[a * k + b] = half;
      halfDistance[b * k + a] = half;
      if (half < halfGap[a]) halfGap[a] = half;
      if (half < halfGap[b]) halfGap[b] = half;
    }
  }
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const own = labels[i];
    let bound = upper[i] + drift[own];
    // Hamerly's test first: no centre can be nearer than the second-nearest bound or half the gap.
    const secondBound = second[i] - largestDrift;
    const skipBelow = secondBound > halfGap[own] ? secondBound : halfGap[own];
    if (bound <= skipBelow) continue;
    const row = i * d;
    const base = i * k;
    // Replace the upper bound by the exact distance to the point's own centre, then test again.
    let sum = 0;
    for (let j = 0; j < d; j++) {
      const diff = data[row + j] - centers[own * d + j];
      sum += diff * diff;
    }
    bound = Math.sqrt(sum);
    lower[base + own] = bound + drift[own];
    if (bound <= skipBelow) {
      upper[i] = bound - drift[own];
      continue;
    }
    // Elkan's test centre by centre. Along the way, keep the two smallest lower bounds (exact
    // distances where computed) to renew the second-nearest bound.
    let nearest = own;
    let smallest = bound;
    let smallestAt = own;
    let secondSmallest = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === own) continue;
      let atLeast = lower[base + c] - drift[c];
      if (bound > atLeast) {
        const half = halfDistance[nearest * k + c];
        if (bound <= half) {
          // Triangle inequality through the nearest centre: d(x, c) >= d(nearest, c) - d(x, nearest).
          const viaCentre = 2 * half - bound;
          if (viaCentre > atLeast) atLeast = viaCentre;
        } else {
          const centre = c * d;
          let total = 0;
          for (let j = 0; j < d; j++) {
            const diff = data[row + j] - centers[centre + j];
            total += diff * diff;
          }
          atLeast = Math.sqrt(total);
          lower[base + c] = atLeast + drift[c];
          if (atLeast < bound) {
            nearest = c;
            bound = atLeast;
          }
        }
      }
      if (atLeast < smallest) {
        secondSmallest = smallest;
        smallest = atLeast;
        smallestAt = c;
      } else if (atLeast < secondSmallest) {
        secondSmallest = atLeast;
      }
    }
    upper[i] = bound - drift[nearest];
    second[i] = (smallestAt === nearest ? secondSmallest : smallest) + largestDrift;
    if (nearest !== own) {
      labels[i] = nearest;
      changed++;
      counts[own]--;
      counts[nearest]++;
      const from = own * d;
      const to = nearest * d;
      for (let j = 0; j < d; j++) {
        const value = data[row + j];
        sums[from + j] -= value;
        sums[to + j] += value;
      }
    }
  }
  return changed;
}

/** The mean of each cluster into `out`; an empty cluster takes the point farthest from its centre. */
function centersFromSums(state: ElkanState, out: Float64Array): void {
  const { data, n, d, k, centers, labels, sums, counts } = state;
  let anyEmpty = false;
  for (let c = 0; c < k; c++) {
    const count = counts[c];
    if (count === 0) {
      anyEmpty = true;
      continue;
    }
    for (let j = 0; j < d; j++) out[c * d + j] = sums[c * d + j] / count;
  }
  if (!anyEmpty) return;
  // scikit-learn's relocation: the points farthest from their own centre seed the empty clusters;
  // their labels stay, so only this iteration's centres change (the sums stay in step with labels).
  const moved = Float64Array.from(sums);
  const movedCounts = Int32Array.from(counts);
  const distances = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < d; j++) {
      const diff = data[i * d + j] - centers[labels[i] * d + j];
      sum += diff * diff;
    }
    distances[i] = sum;
  }
  const farthest = Array.from({ length: n }, (_, i) => i).sort((a, b) => distances[b] - distances[a] || a - b);
  let next = 0;
  for (let to = 0; to < k; to++) {
    if (movedCounts[to] !== 0) continue;
    // Never take the last point of a cluster (possible only with duplicate points).
    while (movedCounts[labels[farthest[next]]] <= 1) next++;
    const point = farthest[next++];
    const from = labels[point];
    for (let j = 0; j < d; j++) {
      moved[from * d + j] -= data[point * d + j];
      moved[to * d + j] = data[point * d + j];
    }
    movedCounts[from]--;
    movedCounts[to] = 1;
  }
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) out[c * d + j] = moved[c * d + j] / movedCounts[c];
  }
}
