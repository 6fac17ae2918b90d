/**
 * CLARA ("Clustering LARge Applications"): k-medoids for a catalogue too large for one distance
 * matrix. FasterPAM (kmedoids.ts) clusters several seeded samples at the same k; each sample's
 * medoid set is scored on every track of the catalogue (the mean Gower distance of each track to
 * its nearest medoid, as assign-tracks.ts assigns them), and the set with the lowest score wins.
 * A single sample's medoids are the best for that sample only; the catalogue decides between them.
 *
 * Reference: L. Kaufman and P. J. Rousseeuw, "Finding Groups in Data" (Wiley, 1990), chapter 3
 * (CLARA: several samples, each scored on all objects, the best kept); R's `cluster::clara` does the
 * same with PAM. Written here: neither package runs on a Gower metric fitted once for the sample
 * (the notebook's ranges and codes), nor with FasterPAM. Sample 0 is the notebook's own sample
 * (`sampleTracks(tracks, size, seed)`, the rows the metric was fitted on) with its FasterPAM seed,
 * so one sample gives exactly the clustering of a plain `kMedoids` on that sample. The samples'
 * fits (each its own Gower matrix and FasterPAM) run side by side on the worker pool (THREADS), each
 * exactly as alone; the catalogue is then scored sample by sample, in sample order.
 */
import { FrameLike } from '../../data/frame';
import { StoredTracks } from '../../data/stored-tracks';
import { GowerMetric, GowerRows } from '../../distance/gower-metric';
import { gowerMatrix } from '../../distance/gower';
import { shuffledIndices } from '../../random';
import { kMedoids, KMedoidsResult } from './kmedoids';
import { nearestMedoids } from './assign-tracks';
import { getThreads, runChunks, sharedFloat64, sharedForPool, sharedInt32 } from '../../parallel/pool';
import { collectGarbage } from '../../parallel/collect';

/** Options of {@link clara}. */
export interface ClaraOptions {
  /** How many samples (default 5); 1 is the notebook's sample alone. */
  samples?: number;
  /** The seed of the notebook's sample and of its FasterPAM; sample s uses seed + s (default 42). */
  seed?: number;
  /** FasterPAM's result on sample 0 when already fitted (notebook 02's `kMedoids(gower, k, { seed })`), so it is not fitted again. */
  first?: KMedoidsResult;
  /** Called after each sample with the samples done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** One sample of {@link clara}. */
export interface ClaraSample {
  /** The seed of the sample and of its FasterPAM. */
  seed: number;
  /** The sample's tracks, as row numbers of the catalogue. */
  rows: Int32Array;
  /** The medoids FasterPAM found in the sample, as row numbers of the catalogue. */
  medoids: Int32Array;
  /** FasterPAM's loss on the sample (the sum of the sample's distances to their medoids). */
  sampleLoss: number;
  /** The mean Gower distance of every catalogue track to its nearest medoid of this sample. */
  cost: number;
}

/** What {@link clara} returns: every sample, and the best one's clustering of the catalogue. */
export interface ClaraResult {
  samples: ClaraSample[];
  /** The position in `samples` of the medoid set with the lowest catalogue cost (the first on ties). */
  best: number;
  /** The best medoids, as catalogue rows. */
  medoids: Int32Array;
  /** The nearest best medoid of each catalogue track (0 .. k − 1). */
  labels: Int32Array;
  /** Each catalogue track's Gower distance to that medoid. */
  distances: Float64Array;
  /** Tracks per cluster. */
  sizes: Int32Array;
  /** How much lower the best cost is than sample 0's, as a share of sample 0's (0 when sample 0 wins). */
  improvement: number;
}

/**
 * CLARA over the catalogue `tracks` (see the file header).
 * @param metric the Gower metric fitted on sample 0, the rows `sampleTracks(tracks, m, seed)` takes
 *   (m = the metric's rows); its ranges, codes and weights measure every sample and the catalogue
 * @param tracks every stored track, in the order `sampleTracks` sampled them from: `readStoredTracks`'
 *   columns (lightest), `readTracks`' frame, or rows the metric encoded
 * @param k the number of medoids, from 1 to the sample's size
 * @example
 * const sample = sampleTracks(tracks, 10000, 42);
 * const metric = fitGower(clusteringFeatures(sample), { categorical: CATEGORICAL_FEATURES });
 * const result = clara(metric, tracks, 8, { samples: 5, seed: 42 });
 * result.samples.map((s) => s.cost); // one catalogue cost per sample; result.best has the lowest
 */
export function clara(
  metric: GowerMetric,
  tracks: FrameLike | StoredTracks | GowerRows,
  k: number,
  options: ClaraOptions = {},
): ClaraResult {
  const samples = options.samples ?? 5;
  const seed = options.seed ?? 42;
  if (!Number.isInteger(samples) || samples < 1)
    throw new Error(`CLARA needs a whole number of samples of at least 1, got ${samples}.`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1)
    throw new Error(`The seed must be a whole number from 0 to 4,294,967,295, got ${seed}.`);
  const m = metric.rows.size;
  if (!Number.isInteger(k) || k < 1 || k > m)
    throw new Error(`k must be a whole number from 1 to the ${m} tracks of a sample, got ${k}.`);
  // encoded once, on shared memory once: every sample's assignment reads it on the worker pool
  const catalogue = sharedRows(isEncoded(tracks) ? tracks : metric.encode(tracks));
  const n = catalogue.size;
  if (m > n) throw new Error(`The metric was fitted on ${m} rows, more than the ${n} tracks of the catalogue.`);
  if (options.first && options.first.medoids.length !== k)
    throw new Error(`The first sample's fit has ${options.first.medoids.length} medoids, but k is ${k}.`);

  // Every sample's rows first, in sample order; then the FasterPAM fits side by side on the pool
  // (each fit one chunk: the sample's Gower matrix and FasterPAM, as one after the other would).
  const seeds = Array.from({ length: samples }, (_, s) => (seed + s) % 2 ** 32);
  const rowsOf = seeds.map((sampleSeed) => shuffledIndices(n, sampleSeed).slice(0, m));
  checkSameRows(metric.rows, catalogue, rowsOf[0]);
  const sampleRows = rowsOf.map((rows, s) => (s === 0 ? metric.rows : takeRows(catalogue, rows)));
  const fitted = options.first ? 1 : 0; // samples with a fit at hand
  const task: ClaraFitsTask = {
    specs: metric.specs,
    features: metric.features,
    samples: sampleRows.slice(fitted).map(sharedRows),
    seeds: seeds.slice(fitted),
    k,
    // Fits side by side each gather their left parts pass by pass: two copies of a sample's matrix
    // at a time, as many as one fit keeping its left parts.
    keepLeftParts: getThreads() > 1 && samples - fitted > 1 ? false : undefined,
    medoids: sharedInt32((samples - fitted) * k),
    losses: sharedFloat64(samples - fitted),
    done: sharedInt32(1),
  };
  // Progress counts samples fitted, each count once, in order; the last one after the scoring.
  let reported = 0;
  const report = (last: boolean): void => {
    const done = Math.min(fitted + Atomics.load(task.done, 0), last ? samples : samples - 1);
    while (options.onProgress && reported < done) options.onProgress(++reported, samples);
  };
  report(false);
  runChunks({
    module: __filename,
    name: 'claraFitChunk',
    args: task,
    chunks: samples - fitted,
    onWait: () => report(false),
  });
  report(false);

  const results: ClaraSample[] = [];
  let best = -1;
  let bestAssignment: ReturnType<typeof nearestMedoids> | null = null;
  for (let s = 0; s < samples; s++) {
    const rows = rowsOf[s];
    const medoids = s < fitted ? options.first!.medoids : task.medoids.slice((s - fitted) * k, (s - fitted + 1) * k);
    const sampleLoss = s < fitted ? options.first!.loss : task.losses[s - fitted];
    const assignment = nearestMedoids(metric, sampleRows[s], medoids, catalogue);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += assignment.distances[j];
    const cost = sum / n;
    results.push({
      seed: seeds[s],
      rows,
      medoids: Int32Array.from(medoids, (r) => rows[r]),
      sampleLoss,
      cost,
    });
    if (best < 0 || cost < results[best].cost) {
      best = s;
      bestAssignment = assignment;
    }
  }
  report(true);
  const chosen = bestAssignment!;
  return {
    samples: results,
    best,
    medoids: results[best].medoids,
    labels: chosen.labels,
    distances: chosen.distances,
    sizes: chosen.sizes,
    improvement: 1 - results[best].cost / results[0].cost || 0,
  };
}

/** What every thread needs for CLARA's fits (see {@link claraFitChunk}); the samples' columns are shared. */
export interface ClaraFitsTask {
  /** The metric's features (ranges, codes, weights): every sample is measured with them. */
  specs: GowerMetric['specs'];
  features: GowerMetric['features'];
  /** The samples to fit, encoded by the metric. */
  samples: GowerRows[];
  /** Each sample's FasterPAM seed. */
  seeds: number[];
  k: number;
  /** Whether each fit keeps its left parts (one fit at a time) or gathers them at each pass (side by side). */
  keepLeftParts: boolean | undefined;
  /** Out: fit f's medoids (sample rows) at f · k …, and its loss. */
  medoids: Int32Array;
  losses: Float64Array;
  /** Out: fits finished, for progress. */
  done: Int32Array;
}

/**
 * Fit f of {@link clara}, run by the pool in any thread: the sample's Gower matrix and
 * `kMedoids(matrix, k, { seed })` on it, written to fit f's own slots.
 * @example runChunks({ module: __filename, name: 'claraFitChunk', args: task, chunks: task.samples.length })
 */
export function claraFitChunk(task: ClaraFitsTask, f: number): void {
  // The fit before on this thread left its Gower matrix (shared, 200 MB at 10,000 rows) as garbage
  // that V8 does not count: collected before this fit makes its own.
  if (f > 0) collectGarbage();
  const sampleMetric = new GowerMetric(task.specs, task.features, task.samples[f]);
  const fit = kMedoids(gowerMatrix(sampleMetric), task.k, { seed: task.seeds[f], keepLeftParts: task.keepLeftParts });
  task.medoids.set(fit.medoids, f * task.k);
  task.losses[f] = fit.loss;
  Atomics.add(task.done, 0, 1);
}

function isEncoded(tracks: FrameLike | StoredTracks | GowerRows): tracks is GowerRows {
  return typeof tracks === 'object' && tracks !== null && 'values' in tracks && 'size' in tracks && 'missing' in tracks;
}

/** The rows with their columns on shared memory when the pool has workers (as they are when already). */
function sharedRows(rows: GowerRows): GowerRows {
  return { ...rows, values: rows.values.map((column) => sharedForPool(column)) };
}

/** The catalogue's rows `rows`, encoded as they are there. */
function takeRows(from: GowerRows, rows: Int32Array): GowerRows {
  const values = from.values.map((column) => {
    const out = column instanceof Float64Array ? new Float64Array(rows.length) : new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = column[rows[i]];
    return out;
  });
  const missing = values.map((column) => {
    let count = 0;
    for (let i = 0; i < column.length; i++)
      if (column instanceof Float64Array ? Number.isNaN(column[i]) : column[i] < 0) count++;
    return count;
  });
  return { size: rows.length, values, missing, hasMissing: missing.some((c) => c > 0), withinRange: from.withinRange };
}

/** Refuses a metric not fitted on the catalogue's sample 0 (another seed, size or order of the tracks). */
function checkSameRows(sample: GowerRows, catalogue: GowerRows, rows: Int32Array): void {
  for (let f = 0; f < sample.values.length; f++) {
    const a = sample.values[f];
    const b = catalogue.values[f];
    for (let i = 0; i < rows.length; i++) {
      const x = a[i];
      const y = b[rows[i]];
      if (x !== y && !(Number.isNaN(x) && Number.isNaN(y)))
        throw new Error(
          `The metric's row ${i} is not track ${rows[i]} of the catalogue; fit the metric on sampleTracks(tracks, ${rows.length}, seed) with the same tracks and seed.`,
        );
    }
  }
}
