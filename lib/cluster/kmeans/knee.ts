/**
 * The Kneedle knee (elbow) finder for a decreasing convex curve such as inertia against k:
 * V. Satopää, J. Albrecht, D. Irwin, B. Raghavan, "Finding a 'Kneedle' in a Haystack: Detecting
 * Knee Points in System Behavior", ICDCS workshops 2011, https://doi.org/10.1109/ICDCSW.2011.20
 * (section III; the `kneed` Python package implements the same steps).
 *
 * Steps: scale x and y to [0, 1]; flip y (1 - y) so the elbow becomes a knee of an increasing
 * curve; take the difference curve `flippedY - x`; each local maximum of it gets a threshold
 * `maximum - S * (mean spacing of the scaled x)`; the knee is the first local maximum after which
 * the difference curve falls below that threshold before the next local maximum is reached.
 * Written here because it is twenty lines and no npm package for it is a dependency already.
 */

/** Options of `kneedle` and `findKnee`. */
export interface KneedleOptions {
  /** Sensitivity S: larger waits for a clearer knee (default 1, the paper's). */
  sensitivity?: number;
}

/** The steps of Kneedle, for plotting or checking. */
export interface KneedleResult {
  /** The x of the knee, or null when the curve has none. */
  readonly knee: number | null;
  /** Index of the knee in the inputs, or -1. */
  readonly kneeIndex: number;
  /** x scaled to [0, 1]. */
  readonly normalizedX: readonly number[];
  /** `1 - y` scaled to [0, 1] (y flipped so that an elbow becomes a knee). */
  readonly normalizedY: readonly number[];
  /** The difference curve `normalizedY - normalizedX`. */
  readonly difference: readonly number[];
  /** Indices of the local maxima of the difference curve. */
  readonly maxima: readonly number[];
  /** The threshold of each local maximum, in the same order. */
  readonly thresholds: readonly number[];
}

/**
 * Runs Kneedle on a decreasing convex curve and returns every intermediate step.
 * @param xs strictly increasing x values (for example k = 2..19)
 * @param ys the curve at each x (for example inertia)
 * @example
 * // Difference curve [0, 0.5, 0.4, 0.22, 0.04, 0]: local maximum at index 1, threshold
 * // 0.5 - 1 * 0.2 = 0.3, crossed at index 3 (0.22 < 0.3), so the knee is xs[1] = 2.
 * kneedle([1, 2, 3, 4, 5, 6], [100, 30, 20, 18, 16, 0]).knee // 2
 */
export function kneedle(xs: readonly number[], ys: readonly number[], options: KneedleOptions = {}): KneedleResult {
  const sensitivity = options.sensitivity ?? 1;
  const m = xs.length;
  if (ys.length !== m) throw new Error(`The curve needs as many y values as x values, got ${ys.length} and ${m}.`);
  if (!(sensitivity >= 0)) throw new Error(`The sensitivity must be zero or positive, got ${sensitivity}.`);
  for (let i = 0; i < m; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) {
      throw new Error(`Point ${i} of the curve is (${xs[i]}, ${ys[i]}); both must be finite numbers.`);
    }
    if (i > 0 && !(xs[i] > xs[i - 1])) {
      throw new Error(`The x values must increase strictly, but x[${i}] = ${xs[i]} follows ${xs[i - 1]}.`);
    }
  }
  const none: KneedleResult = {
    knee: null,
    kneeIndex: -1,
    normalizedX: [],
    normalizedY: [],
    difference: [],
    maxima: [],
    thresholds: [],
  };
  if (m < 3) return none;
  const xMin = xs[0];
  const xSpan = xs[m - 1] - xs[0];
  const yMin = Math.min(...ys);
  const ySpan = Math.max(...ys) - yMin;
  if (ySpan === 0) return none;
  const normalizedX = xs.map((x) => (x - xMin) / xSpan);
  const normalizedY = ys.map((y) => 1 - (y - yMin) / ySpan);
  const difference = normalizedY.map((y, i) => y - normalizedX[i]);
  const meanStep = (normalizedX[m - 1] - normalizedX[0]) / (m - 1);

  // Local maxima: above the left neighbour, not below the right one (a plateau counts once, at its start).
  const maxima: number[] = [];
  for (let i = 1; i < m - 1; i++) {
    if (difference[i] > difference[i - 1] && difference[i] >= difference[i + 1]) maxima.push(i);
  }
  const thresholds = maxima.map((i) => difference[i] - sensitivity * meanStep);
  for (let t = 0; t < maxima.length; t++) {
    const next = t + 1 < maxima.length ? maxima[t + 1] : m;
    for (let j = maxima[t] + 1; j < next; j++) {
      if (difference[j] < thresholds[t]) {
        return { knee: xs[maxima[t]], kneeIndex: maxima[t], normalizedX, normalizedY, difference, maxima, thresholds };
      }
    }
  }
  return { ...none, normalizedX, normalizedY, difference, maxima, thresholds };
}

/**
 * The x at the knee (elbow) of a decreasing convex curve by Kneedle, or null if there is none.
 * @param ks strictly increasing x values, such as the numbers of clusters
 * @param values the curve, such as inertia per k
 * @example
 * findKnee([1, 2, 3, 4, 5, 6], [100, 30, 20, 18, 16, 0]) // 2
 * findKnee([1, 2, 3], [3, 2, 1]) // null (a straight line has no knee)
 */
export function findKnee(
  ks: readonly number[],
  values: readonly number[],
  options: KneedleOptions = {},
): number | null {
  return kneedle(ks, values, options).knee;
}
