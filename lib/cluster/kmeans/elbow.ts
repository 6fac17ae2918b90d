/**
 * The elbow sweep: fit k-means for every k in a range and record the inertia, as the original notebook does
 * for k = 2..19 before settling on a k where the curve bends (see `knee.ts` for a suggestion).
 * Every k uses the same seed, as the original Python notebook uses `random_state=42` for every k.
 */
import { NumericMatrix } from '../../matrix/numeric-matrix';
import { KMeansOptions, kMeans } from './kmeans';

/** Details of the progress after each k. */
export interface ElbowProgress {
  /** The k just fitted. */
  readonly k: number;
  /** Its inertia. */
  readonly inertia: number;
  /** How many k are fitted so far. */
  readonly fitted: number;
  /** Seconds since the sweep started. */
  readonly seconds: number;
}

/** Options of `elbowSweep`; k-means options as in `kMeans`. */
export interface ElbowOptions extends KMeansOptions {
  /** Smallest k (default 2). */
  kMin?: number;
  /** Largest k, included (default 19). */
  kMax?: number;
  /**
   * Called after each k, like the other long steps' `onProgress` (`startProgress(...).callback`
   * fits). `done` and `total` count work: fitting k clusters counts k, since it costs about k
   * times as much as fitting one, so `done / total` tracks the time.
   */
  onProgress?: (done: number, total: number, progress: ElbowProgress) => void;
}

/** Inertia per k. */
export interface ElbowResult {
  /** The k values, increasing. */
  readonly ks: readonly number[];
  /** Inertia at each k (scikit-learn's `inertia_`). */
  readonly inertias: readonly number[];
  /** Lloyd iterations of the winning start at each k. */
  readonly iterations: readonly number[];
  /** Seconds spent on each k. */
  readonly seconds: readonly number[];
}

/**
 * Fits k-means for k = kMin..kMax and returns the inertia of each.
 * @param matrix the points (z-scored features)
 * @example
 * const progress = startProgress('k-means elbow sweep');
 * const sweep = elbowSweep(matrix, { kMin: 2, kMax: 19, nInit: 10, seed: 42, onProgress: progress.callback });
 * progress.finish();
 * sweep.ks;       // [2, 3, ..., 19]
 * sweep.inertias; // one inertia per k, falling
 * findKnee(sweep.ks, sweep.inertias); // a suggested k, or null
 */
export function elbowSweep(matrix: NumericMatrix, options: ElbowOptions = {}): ElbowResult {
  const { kMin = 2, kMax = 19, onProgress } = options;
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMin < 1 || kMax < kMin) {
    throw new Error(`The k range must be whole numbers with 1 <= kMin <= kMax, got ${kMin}..${kMax}.`);
  }
  if (kMax > matrix.n) throw new Error(`kMax is ${kMax} but there are only ${matrix.n} points.`);
  // kMeans lays these over its own defaults (lib/options.ts), so an undefined seed means the default
  const { kMin: _kMin, kMax: _kMax, onProgress: _onProgress, ...fitOptions } = options;
  const ks: number[] = [];
  const inertias: number[] = [];
  const iterations: number[] = [];
  const seconds: number[] = [];
  const started = performance.now();
  const total = ((kMin + kMax) * (kMax - kMin + 1)) / 2;
  let done = 0;
  for (let k = kMin; k <= kMax; k++) {
    const before = performance.now();
    const fit = kMeans(matrix, k, fitOptions);
    ks.push(k);
    inertias.push(fit.inertia);
    iterations.push(fit.iterations);
    seconds.push((performance.now() - before) / 1000);
    done += k;
    onProgress?.(done, total, {
      k,
      inertia: fit.inertia,
      fitted: ks.length,
      seconds: (performance.now() - started) / 1000,
    });
  }
  return { ks, inertias, iterations, seconds };
}
