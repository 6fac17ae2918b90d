/**
 * Cluster-wise stability by subsampling, after Hennig's `clusterboot` (C. Hennig 2007, "Cluster-wise
 * assessment of cluster stability", Computational Statistics & Data Analysis 52(1), 258–271,
 * https://doi.org/10.1016/j.csda.2006.11.025), with his "subsetting" scheme: draw a random subset
 * of the rows without replacement, cluster it again with the same method, and ask how well each
 * original cluster survives: the mean over the runs of its best Jaccard coefficient with a cluster
 * of the subsample (above 0.75 stable, 0.5 or less dissolved, in Hennig's reading).
 *
 * Written here because no npm package does it, and it is a loop around the caller's own clustering
 * (`fit`); the only work of its own is the subset of the distance matrix (or of the rows) and a
 * small contingency table per run. The runs are independent: given as a `Refit` (refits.ts), they
 * run side by side on the worker pool (lib/parallel/pool.ts), each run's subset and seed drawn
 * first in run order, each run's labels in its own slots. The formula and Hennig's thresholds:
 * docs/evaluate.md.
 */
import { DistanceMatrix } from '../../matrix/distance-matrix';
import { NumericMatrix, matrixRows } from '../../matrix/numeric-matrix';
import { seededRandom } from '../../random';
import { getThreads, runChunks, sharedFloat64, sharedInt32, toShared } from '../../parallel/pool';

/** What {@link clusterStability} tells `fit` besides the subset matrix. */
export interface StabilityRun {
  /** The run, 0..B−1. */
  run: number;
  /** The rows of the full matrix in the subset, increasing; row a of the subset is row indices[a]. */
  indices: Int32Array;
  /** A seed for this run's own random steps (drawn from the options' seed), so refits differ but repeat. */
  seed: number;
}

/** Options of {@link clusterStability}, merged over {@link STABILITY_DEFAULTS}. */
export interface StabilityOptions {
  /** Subsamples to cluster again (Hennig's B). */
  B?: number;
  /** The share of rows in each subsample, in (0, 1]; the subsample has round(fraction · n) rows. */
  fraction?: number;
  /** Seed of the subsamples and of the per-run seeds handed to `fit`. */
  seed?: number;
  /** Called after every run with the runs done and B. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The written-down defaults: B = 10 subsamples of half the rows each, seed 0.
 *
 * Half the rows is Hennig's own choice for subsetting (`clusterboot`'s `subtuning` is n/2), and it
 * makes each refit of an O(n²) method such as k-medoids about a quarter of a full fit's work, plus
 * a subset copy of a quarter of the matrix. Ten runs, where Hennig's default is B = 100, keep the
 * stability check of a 10,000-track k-medoids clustering within about ten seconds on a 2-core
 * machine (`npm run bench -- stability` measures it); Hennig's B would take minutes. Each γ lies in
 * [0, 1], so the standard error of a cluster's mean over ten runs is at most 0.16 and, with the
 * spread seen in practice, a few hundredths: enough to tell a stable cluster (above 0.75) from a
 * dissolving one (0.5 or less), not to rank two clusters at 0.80 and 0.82. Raise B for a final
 * report, or when the check is cheap (fewer rows, a faster method).
 * @example STABILITY_DEFAULTS.B // 10
 */
export const STABILITY_DEFAULTS: Readonly<Required<Omit<StabilityOptions, 'onProgress'>>> = Object.freeze({
  B: 10,
  fraction: 0.5,
  seed: 0,
});

/** Hennig's thresholds: a run with γ at most this dissolved the cluster. */
export const DISSOLVED_JACCARD = 0.5;
/** Hennig's thresholds: a run with γ above this recovered the cluster. */
export const RECOVERED_JACCARD = 0.75;

/** The stability of one original cluster. */
export interface ClusterStability {
  /** The cluster's label in the original labelling. */
  label: number;
  /** Rows in the original cluster. */
  size: number;
  /** The mean over the counted runs of the best Jaccard similarity (NaN if never counted). */
  meanJaccard: number;
  /** Runs where the cluster had at least one row in the subsample (the runs counted). */
  runs: number;
  /** Counted runs with γ ≤ 0.5 (Hennig's `bootbrd`). */
  dissolved: number;
  /** Counted runs with γ > 0.75 (Hennig's `bootrecover`). */
  recovered: number;
  /** γ of every run, B values; NaN where the cluster had no row in the subsample. */
  jaccards: Float64Array;
}

/** The result of {@link clusterStability}. */
export interface StabilityResult {
  /** One entry per original cluster, in increasing label order. */
  clusters: ClusterStability[];
  /** The mean of the clusters' `meanJaccard` (each cluster counts once, whatever its size). */
  meanJaccard: number;
  /** The settings used. */
  B: number;
  fraction: number;
  seed: number;
  /** Rows in each subsample. */
  subsampleSize: number;
}

/** Renumbers whole-number labels to 0..k−1 in increasing label order. */
function encodeSorted(labels: ArrayLike<number>, what: string): { codes: Int32Array; values: number[] } {
  const distinct = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isFinite(label)) throw new Error(`Label ${i} of ${what} is ${label}; labels must be finite numbers.`);
    distinct.add(label);
  }
  const values = [...distinct].sort((a, b) => a - b);
  const codeOf = new Map(values.map((v, c) => [v, c]));
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) codes[i] = codeOf.get(labels[i])!;
  return { codes, values };
}

/**
 * For each reference cluster, the best Jaccard similarity to a candidate cluster, from the
 * contingency table of the codes. Writes NaN for reference clusters with no row.
 */
function bestJaccards(reference: Int32Array, k: number, candidate: Int32Array, m: number, out: Float64Array): void {
  const table = new Int32Array(k * m);
  const referenceSizes = new Int32Array(k);
  const candidateSizes = new Int32Array(m);
  for (let i = 0; i < reference.length; i++) {
    table[reference[i] * m + candidate[i]]++;
    referenceSizes[reference[i]]++;
    candidateSizes[candidate[i]]++;
  }
  for (let c = 0; c < k; c++) {
    if (referenceSizes[c] === 0) {
      out[c] = NaN;
      continue;
    }
    let best = 0;
    for (let d = 0; d < m; d++) {
      const both = table[c * m + d];
      if (both === 0) continue;
      const jaccard = both / (referenceSizes[c] + candidateSizes[d] - both);
      if (jaccard > best) best = jaccard;
    }
    out[c] = best;
  }
}

/**
 * For every cluster of `reference`, the Jaccard similarity |C ∩ D| / |C ∪ D| of the cluster D of
 * `candidate` that matches it best. Both label the same items; the labels of the two need not
 * correspond.
 * @param reference one label per item (whole numbers or any finite numbers)
 * @param candidate another label per item
 * @returns the reference clusters' labels in increasing order and their best Jaccard values
 * @example
 * // Cluster 0 = {0, 1, 2} best matches {0, 1}: 2/3. Cluster 1 = {3, 4, 5} best matches {2, 3, 4, 5}: 3/4.
 * clusterJaccard([0, 0, 0, 1, 1, 1], [5, 5, 7, 7, 7, 7]) // { labels: [0, 1], jaccard: Float64Array [0.666…, 0.75] }
 */
export function clusterJaccard(
  reference: ArrayLike<number>,
  candidate: ArrayLike<number>,
): { labels: number[]; jaccard: Float64Array } {
  if (reference.length !== candidate.length) {
    throw new Error(
      `Both labellings must label the same items, but the reference has ${reference.length} labels and the candidate ${candidate.length}.`,
    );
  }
  const r = encodeSorted(reference, 'the reference');
  const c = encodeSorted(candidate, 'the candidate');
  const jaccard = new Float64Array(r.values.length);
  bestJaccards(r.codes, r.values.length, c.codes, c.values.length, jaccard);
  return { labels: r.values, jaccard };
}

/** The first `m` entries of `order` become a uniform random m-subset (partial Fisher–Yates). */
function drawSubset(order: Int32Array, m: number, random: () => number): Int32Array {
  const n = order.length;
  for (let a = 0; a < m; a++) {
    const b = a + Math.floor(random() * (n - a));
    const swap = order[a];
    order[a] = order[b];
    order[b] = swap;
  }
  return order.slice(0, m).sort();
}

/**
 * The rows of each subsample {@link clusterStability} draws from n rows: round(fraction · n). A
 * refit that makes k clusters needs k of them at most, so this is the largest number of clusters
 * whose stability can be checked (notebook 02 refits with N_CLUSTERS: the parameter check refuses
 * an N_CLUSTERS above this for the sample).
 * @param n the rows of the clustering
 * @param fraction the share of rows in a subsample (default {@link STABILITY_DEFAULTS}' 0.5)
 * @example stabilitySubsampleSize(91) // 46: at most 46 clusters can be refitted on half of 91 tracks
 */
export function stabilitySubsampleSize(n: number, fraction: number = STABILITY_DEFAULTS.fraction): number {
  return Math.round(fraction * n);
}

/**
 * A refit the worker pool can run in any thread: the function `name` exported by the compiled
 * module `module`, called as fn(subset, run, args) and returning one whole-number label per row of
 * the subset (lib/cluster/evaluate/refits.ts makes them: `kMedoidsRefit`, `averageLinkageRefit`,
 * `kMeansRefit`).
 */
export interface Refit {
  /** Absolute path of the compiled module (`__filename` of a lib file). */
  module: string;
  /** The exported function's name. */
  name: string;
  /** Its third argument (structured-cloned to the workers). */
  args?: unknown;
}

/** What every thread needs for the refits (see {@link stabilityRunChunk}); big arrays are shared. */
export interface StabilityRuns {
  /** The distances (n, condensed values) or the vectors (n × d, row-major values). */
  data: { n: number; values: Float32Array | Float64Array; d?: number; columns?: readonly string[] };
  /** Rows per subsample. */
  m: number;
  /** Run r's rows at r · m … (r + 1) · m − 1, increasing. */
  subsets: Int32Array;
  /** Run r's seed. */
  seeds: Float64Array;
  refit: Refit;
  /** Out: run r's labels at r · m …. */
  labels: Int32Array;
  /** Out: runs finished, for progress. */
  done: Int32Array;
}

/**
 * Run `run` of a stability check, in any thread of the pool: cuts the run's subset from the shared
 * data, refits it and writes the labels to the run's own slots.
 * @example runChunks({ module: __filename, name: 'stabilityRunChunk', args: runs, chunks: B })
 */
export function stabilityRunChunk(runs: StabilityRuns, run: number): void {
  const { data, m } = runs;
  const indices = runs.subsets.slice(run * m, (run + 1) * m);
  const subset =
    data.d === undefined
      ? new DistanceMatrix(data.n, data.values).subset(indices)
      : matrixRows({ n: data.n, d: data.d, data: data.values as Float64Array, columns: data.columns ?? [] }, indices);
  // eslint-disable-next-line @typescript-eslint/no-var-requires -- the refit's module, named at run time
  const fn = (require(runs.refit.module) as Record<string, RefitFunction>)[runs.refit.name];
  const labels = fn(subset, { run, indices: indices.slice(), seed: runs.seeds[run] }, runs.refit.args);
  if (!labels || labels.length !== m) throw new Error(wrongLength(labels?.length, m));
  for (let a = 0; a < m; a++) {
    if (!Number.isInteger(labels[a]) || Math.abs(labels[a]) > 2 ** 31 - 1)
      throw new Error(`Label ${a} of the refit of run ${run} is ${labels[a]}; a refit's labels must be whole numbers.`);
  }
  runs.labels.set(labels, run * m);
  Atomics.add(runs.done, 0, 1);
}

type RefitFunction = (subset: DistanceMatrix | NumericMatrix, run: StabilityRun, args: unknown) => ArrayLike<number>;

/** Refuses a refit whose module does not export a function of that name. */
function checkRefit(fit: Refit): void {
  if (!fit || typeof fit.module !== 'string' || typeof fit.name !== 'string')
    throw new Error('The fit must be a function or a refit ({ module, name, args }), such as kMedoidsRefit(k).');
  // eslint-disable-next-line @typescript-eslint/no-var-requires -- the refit's module, named at run time
  const fn = (require(fit.module) as Record<string, unknown>)[fit.name];
  if (typeof fn !== 'function') throw new Error(`The refit's module ${fit.module} exports no function ${fit.name}.`);
}

function wrongLength(length: number | undefined, m: number): string {
  return `The fit returned ${length ?? 'no'} labels for a subsample of ${m} rows; it must return one label per row of the matrix it is given.`;
}

/** The values themselves when on a SharedArrayBuffer (or when one thread runs all), else a shared copy. */
function shared<T extends Float32Array | Float64Array>(values: T): T {
  return getThreads() === 1 ? values : toShared(values);
}

/**
 * The cluster-wise stability of a clustering (Hennig's `clusterboot` with subsetting; see the file
 * header): B times, draw round(fraction · n) rows without replacement, cluster them again with
 * `fit`, and record for each original cluster the best Jaccard similarity between its rows in the
 * subsample and a new cluster. Deterministic for a given seed (provided `fit` is, given its run's
 * seed).
 * @param data what the clustering was made from: the pairwise distances (a `DistanceMatrix`), or
 *   the vectors (a `NumericMatrix`, e.g. the z-scored features k-means ran on)
 * @param labels the clustering to assess, one label per row
 * @param fit clusters a subset the same way the original was made (the subset matrix of the
 *   distances, or the subset's rows of the vectors); returns one label per row of the subset. Its
 *   second argument gives the run, the rows taken and a seed for the run. A function runs the
 *   refits one after the other on this thread; a {@link Refit} (`kMedoidsRefit(k)`,
 *   `averageLinkageRefit(k)`, `kMeansRefit(k)`) runs them side by side on the worker pool, with
 *   the same result whatever the number of threads.
 * @param options `B`, `fraction`, `seed`, `onProgress` (see {@link STABILITY_DEFAULTS})
 * @example
 * const stability = clusterStability(gower, labels, (subset, { seed }) => kMedoids(subset, 8, { seed }).labels);
 * stability.clusters.map((c) => c.meanJaccard) // e.g. [0.93, 0.41, …]: cluster 1 dissolves
 * stability.meanJaccard                        // e.g. 0.78
 * // the same refits side by side on the worker pool
 * clusterStability(gower, labels, kMedoidsRefit(8));
 * // k-means on vectors: each run refits on the subset's rows
 * clusterStability(z, km.labels, kMeansRefit(12, { nInit: 10 }));
 */
export function clusterStability<D extends DistanceMatrix | NumericMatrix>(
  data: D,
  labels: ArrayLike<number>,
  fit: ((subset: D, run: StabilityRun) => ArrayLike<number>) | Refit,
  options: StabilityOptions = {},
): StabilityResult {
  const isDistances = data instanceof DistanceMatrix;
  if (!isDistances && !(data && Number.isInteger((data as NumericMatrix).n) && (data as NumericMatrix).data)) {
    throw new Error(
      'clusterStability needs a DistanceMatrix or a NumericMatrix of vectors (e.g. the z-scored features).',
    );
  }
  const subsetOf = (indices: Int32Array) =>
    (isDistances ? (data as DistanceMatrix).subset(indices) : matrixRows(data as NumericMatrix, indices)) as D;
  const B = options.B ?? STABILITY_DEFAULTS.B;
  const fraction = options.fraction ?? STABILITY_DEFAULTS.fraction;
  const seed = options.seed ?? STABILITY_DEFAULTS.seed;
  const n = isDistances ? (data as DistanceMatrix).size : (data as NumericMatrix).n;
  if (labels.length !== n) {
    throw new Error(
      `There must be exactly one label per row: the matrix has ${n} rows but ${labels.length} labels were given.`,
    );
  }
  if (!Number.isInteger(B) || B < 1)
    throw new Error(`B, the number of subsamples, must be a whole number of at least 1, got ${B}.`);
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`The subsample fraction must be in (0, 1], got ${fraction}.`);
  const m = stabilitySubsampleSize(n, fraction);
  if (m < 2)
    throw new Error(
      `A subsample of ${fraction} × ${n} rows holds fewer than 2 rows; use more rows or a larger fraction.`,
    );

  const { codes, values } = encodeSorted(labels, 'the clustering');
  const k = values.length;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[codes[i]]++;
  const jaccards = values.map(() => new Float64Array(B));
  // Every run's seed and rows are drawn first, in run order, from the one seeded generator.
  const random = seededRandom(seed);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const subsets = sharedInt32(B * m);
  const seeds = sharedFloat64(B);
  for (let run = 0; run < B; run++) {
    seeds[run] = Math.floor(random() * 2 ** 31);
    subsets.set(drawSubset(order, m, random), run * m);
  }
  const rowsOf = (run: number): Int32Array => subsets.subarray(run * m, (run + 1) * m);
  const reference = new Int32Array(m);
  const runValues = new Float64Array(k);
  /** Scores run `run`'s refit labels against the clustering. */
  const score = (run: number, refit: ArrayLike<number>): void => {
    const candidate = encodeSorted(refit, `the refit of run ${run}`);
    const indices = rowsOf(run);
    for (let a = 0; a < m; a++) reference[a] = codes[indices[a]];
    bestJaccards(reference, k, candidate.codes, candidate.values.length, runValues);
    for (let c = 0; c < k; c++) jaccards[c][run] = runValues[c];
  };

  if (typeof fit === 'function') {
    for (let run = 0; run < B; run++) {
      const indices = rowsOf(run).slice();
      const refit = fit(subsetOf(indices), { run, indices: indices.slice(), seed: seeds[run] });
      if (!refit || refit.length !== m) throw new Error(wrongLength(refit?.length, m));
      score(run, refit);
      options.onProgress?.(run + 1, B);
    }
  } else {
    checkRefit(fit);
    const runs: StabilityRuns = {
      data: isDistances
        ? { n, values: shared((data as DistanceMatrix).condensed) }
        : {
            n,
            d: (data as NumericMatrix).d,
            values: shared((data as NumericMatrix).data),
            columns: (data as NumericMatrix).columns,
          },
      m,
      subsets,
      seeds,
      refit: fit,
      labels: sharedInt32(B * m),
      done: sharedInt32(1),
    };
    let reported = 0;
    const report = (): void => {
      // Every count once, in order, however many runs finished since the last look.
      const done = Atomics.load(runs.done, 0);
      while (options.onProgress && reported < done) options.onProgress(++reported, B);
    };
    runChunks({ module: __filename, name: 'stabilityRunChunk', args: runs, chunks: B, onWait: report });
    for (let run = 0; run < B; run++) score(run, runs.labels.subarray(run * m, (run + 1) * m));
    report();
  }

  const clusters = values.map((label, c): ClusterStability => {
    let total = 0;
    let runs = 0;
    let dissolved = 0;
    let recovered = 0;
    for (const gamma of jaccards[c]) {
      if (Number.isNaN(gamma)) continue;
      total += gamma;
      runs++;
      if (gamma <= DISSOLVED_JACCARD) dissolved++;
      if (gamma > RECOVERED_JACCARD) recovered++;
    }
    return {
      label,
      size: sizes[c],
      meanJaccard: runs > 0 ? total / runs : NaN,
      runs,
      dissolved,
      recovered,
      jaccards: jaccards[c],
    };
  });
  const counted = clusters.filter((c) => c.runs > 0);
  const meanJaccard = counted.reduce((sum, c) => sum + c.meanJaccard, 0) / counted.length;
  return { clusters, meanJaccard, B, fraction, seed, subsampleSize: m };
}

/**
 * A cluster's mean Jaccard read as `fpc::clusterboot`'s documentation reads it (Hennig): under 0.5
 * the cluster dissolved; under 0.6 it is not to be trusted; from 0.6 to under 0.75 it indicates a
 * pattern, but which tracks belong to it is doubtful; from 0.75 it is stable; from 0.85 highly
 * stable. The bounds are the issue's ("under 0.5 dissolved"); a single run's γ of exactly 0.5
 * counts as dissolved in `ClusterStability.dissolved`, as clusterboot's `bootbrd` counts it.
 * @param jaccard a cluster's `meanJaccard` (NaN: never in a subsample)
 * @example stabilityReading(0.8) // 'stable'
 */
export function stabilityReading(jaccard: number): string {
  if (Number.isNaN(jaccard)) return 'not measured (never in a subsample)';
  if (jaccard < 0 || jaccard > 1) throw new Error(`A Jaccard similarity lies between 0 and 1, got ${jaccard}.`);
  if (jaccard < 0.5) return 'dissolved';
  if (jaccard < 0.6) return 'not to be trusted';
  if (jaccard < 0.75) return 'a pattern, but its members are doubtful';
  if (jaccard < 0.85) return 'stable';
  return 'highly stable';
}

/** One row of {@link clusterStabilityTable}. */
export interface ClusterStabilityRow {
  cluster: number;
  name: string;
  /** The cluster's mean Jaccard, to three decimals (null: never in a subsample). */
  jaccard: number | null;
  reading: string;
}

/**
 * The stability of each cluster as a table for `showTable`: its name, mean Jaccard and
 * {@link stabilityReading}.
 * @param result what {@link clusterStability} returned
 * @param names the clusters' names, indexed by label (e.g. from `describeClusters`); '' without
 * @example
 * sc.showTable(sc.clusterStabilityTable(medoidStability, medoidNames))
 * // [{ cluster: 0, name: 'Country · acoustic', jaccard: 0.912, reading: 'highly stable' }, …]
 */
export function clusterStabilityTable(result: StabilityResult, names?: readonly string[]): ClusterStabilityRow[] {
  const largest = Math.max(...result.clusters.map((c) => c.label));
  if (names !== undefined && names.length <= largest) {
    throw new Error(
      `There are ${names.length} names but the clusters are labelled up to ${largest}; give one name per cluster.`,
    );
  }
  return result.clusters.map((c) => ({
    cluster: c.label,
    name: names?.[c.label] ?? '',
    jaccard: Number.isNaN(c.meanJaccard) ? null : Number(c.meanJaccard.toFixed(3)),
    reading: stabilityReading(c.meanJaccard),
  }));
}
