/**
 * How much each feature contributes to the Gower distances of a table, on average: the answer to
 * "does genre (one of 15 features, but 0 or 1 for every pair) dominate the distance?" before and
 * after changing the weights.
 *
 * With the definition of gower.ts, the distance of a pair is a sum of per-feature terms,
 *   d(i, j) = Σ_f t_f(i, j),   t_f(i, j) = w_f · s_f(i, j) / Σ_{g present in i and j} w_g,
 * so the mean of t_f over pairs is feature f's mean contribution, and the contributions add up to
 * the mean distance. Pairs with no feature in common (NaN distance) are left out. For a large
 * table the mean is taken over a seeded random sample of pairs instead of all n(n−1)/2.
 *
 * Written here because it reads the rows, ranges and weights of the fitted metric the matrix uses
 * (`fitGower`, gower-metric.ts), and no package reports it.
 */
import { fittedMetric, GowerMetric, GowerMetricOptions } from './gower-metric';
import { FrameLike } from '../data/frame';
import { seededRandom } from '../random';

/**
 * Options of {@link gowerContributions}, merged over {@link GOWER_CONTRIBUTION_DEFAULTS} (the fit's
 * `columns`, `categorical` and `weights` only when the data is not a fitted metric).
 */
export interface GowerContributionOptions extends GowerMetricOptions {
  /**
   * Pairs to average over. When the table has at most this many pairs, all of them are used;
   * otherwise this many pairs (i ≠ j) are drawn at random, with replacement.
   */
  sampleSize?: number;
  /** Seed of the sampled pairs. */
  seed?: number;
}

/**
 * The written-down defaults: 200,000 pairs (the standard error of a mean contribution is then
 * below 0.001 for any feature, since each term lies in [0, 1]), seed 0.
 * @example GOWER_CONTRIBUTION_DEFAULTS.sampleSize // 200000
 */
export const GOWER_CONTRIBUTION_DEFAULTS: Readonly<Required<Pick<GowerContributionOptions, 'sampleSize' | 'seed'>>> =
  Object.freeze({
    sampleSize: 200_000,
    seed: 0,
  });

/** One feature's part of the mean Gower distance. */
export interface GowerContribution {
  name: string;
  kind: 'numeric' | 'categorical';
  /** The feature's weight. */
  weight: number;
  /** The mean over pairs of the feature's term w_f · s_f / Σ w. */
  contribution: number;
  /** contribution / mean distance: the feature's share of the distance (0 when the mean is 0). */
  share: number;
}

/** The result of {@link gowerContributions}. */
export interface GowerContributions {
  /** One entry per feature, in column order. */
  features: GowerContribution[];
  /** The mean distance over the pairs used; the contributions add up to it. */
  meanDistance: number;
  /** Pairs averaged over (sampled pairs, or all comparable pairs). */
  pairs: number;
  /** Whether the pairs were a random sample. */
  sampled: boolean;
}

/**
 * The mean contribution of each feature to the Gower distance between rows (see the file header):
 * its weighted per-feature term divided by the pair's total weight, averaged over all pairs or over
 * a seeded random sample of pairs for a large table. The contributions add up to the mean distance.
 * @param data a metric from `fitGower` (its rows, ranges and weights), or data to fit one on, as
 *   for `gowerMatrix`
 * @param options `sampleSize`, `seed` (and `columns`, `categorical`, `weights` when `data` is not a metric)
 * @example
 * gowerContributions(fitGower(features, { categorical: CATEGORICAL_FEATURES }), { seed: 42 }).meanDistance;
 * // Pairs (0,1), (0,2), (1,2): genre terms 0, 1/2, 1/2; energy terms 1/4, 1/2, 1/4 (range 0.8).
 * const c = gowerContributions([
 *   { genre: 'Pop', energy: 0.2 },
 *   { genre: 'Pop', energy: 0.6 },
 *   { genre: 'Jazz', energy: 1.0 },
 * ]);
 * c.features.map((f) => [f.name, f.contribution]) // [['genre', 0.333…], ['energy', 0.333…]]
 * c.meanDistance                                  // 0.666… (= (0.25 + 1 + 0.75) / 3)
 */
export function gowerContributions(
  data: GowerMetric | FrameLike,
  options: GowerContributionOptions = {},
): GowerContributions {
  const sampleSize = options.sampleSize ?? GOWER_CONTRIBUTION_DEFAULTS.sampleSize;
  const seed = options.seed ?? GOWER_CONTRIBUTION_DEFAULTS.seed;
  if (!Number.isInteger(sampleSize) || sampleSize < 1)
    throw new Error(`sampleSize must be a whole number of pairs, at least 1, got ${sampleSize}.`);
  const metric = fittedMetric(data, options, 'gowerContributions');
  const { features, rows } = metric;
  const n = rows.size;
  if (n < 2) throw new Error(`Feature contributions need at least 2 rows to form a pair, got ${n}.`);
  const count = features.length;
  // Per feature: a term function of the pair, the weight, and whether the value is missing.
  const weights = features.map((f) => f.weight);
  const categorical = features.map((f) => f.kind === 'categorical');
  const codes = rows.values as readonly Int32Array[];
  const scaled = rows.values.map((values, f) => {
    if (categorical[f]) return null;
    const range = features[f].range;
    return values.map((v) => (range > 0 ? v / range : Number.isNaN(v) ? NaN : 0));
  });
  const sums = new Float64Array(count);
  const terms = new Float64Array(count);
  let pairs = 0;

  const addPair = (i: number, j: number): void => {
    let weight = 0;
    for (let f = 0; f < count; f++) {
      let term: number;
      if (categorical[f]) {
        const a = codes[f][i];
        const b = codes[f][j];
        term = a < 0 || b < 0 ? NaN : a === b ? 0 : 1;
      } else {
        term = Math.abs(scaled[f]![i] - scaled[f]![j]);
      }
      if (Number.isNaN(term)) {
        terms[f] = 0;
        continue;
      }
      terms[f] = weights[f] * term;
      weight += weights[f];
    }
    if (!(weight > 0)) return; // no feature in common: NaN distance, left out
    for (let f = 0; f < count; f++) sums[f] += terms[f] / weight;
    pairs++;
  };

  const total = (n * (n - 1)) / 2;
  const sampled = total > sampleSize;
  if (sampled) {
    const random = seededRandom(seed);
    for (let s = 0; s < sampleSize; s++) {
      const i = Math.floor(random() * n);
      let j = Math.floor(random() * (n - 1));
      if (j >= i) j++;
      addPair(i, j);
    }
  } else {
    for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) addPair(i, j);
  }
  if (pairs === 0)
    throw new Error('No pair of rows shares a non-missing feature, so there is no distance to break down.');

  let meanDistance = 0;
  for (let f = 0; f < count; f++) meanDistance += sums[f] / pairs;
  return {
    features: features.map((feature, f) => {
      const contribution = sums[f] / pairs;
      return {
        name: feature.name,
        kind: feature.kind,
        weight: feature.weight,
        contribution,
        share: meanDistance > 0 ? contribution / meanDistance : 0,
      };
    }),
    meanDistance,
    pairs,
    sampled,
  };
}
