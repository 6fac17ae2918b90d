/**
 * The Gower distance matrix of a table's rows: every pair compared by a fitted metric
 * (`fitGower`, gower-metric.ts), filled into a condensed upper triangle of 32-bit floats one row at
 * a time by the kernels of gower-kernels.ts, runs of rows side by side on the worker pool
 * (lib/parallel/pool.ts, THREADS threads) straight into a shared buffer: no copy, and the same
 * matrix whatever the number of threads.
 *
 * Written here rather than taken from a package: no npm package computes a Gower matrix over a
 * table, and the Python `gower` package (the reference, 0.1.2) takes over a minute at 10,000
 * tracks where this takes about a second (README, Speed). The definition, the daisy rule for
 * missing values and the differences from the package are in docs/gower.md.
 */
import { DistanceMatrix } from '../matrix/distance-matrix';
import { assertMatrixFits } from '../matrix/memory';
import { FrameLike } from '../data/frame';
import { fittedMetric, GowerFeature, GowerMetric, GowerMetricOptions } from './gower-metric';
import { GOWER_KERNELS_MODULE, GowerRowsArgs, gowerRowsProgress } from './gower-kernels';
import { triangleChunkCount, triangleChunkStarts } from '../matrix/row-chunks';
import { runChunks, sharedFloat32, sharedFloat64, toShared } from '../parallel/pool';

export type { Row, GowerFeature } from './gower-metric';

/** Options of {@link gowerMatrix} that shape the matrix itself; every field is optional. */
export interface GowerMatrixOptions {
  /** The value stored for a pair with no non-missing feature in common. Default NaN. */
  incomparableDistance?: number;
  /** Bytes the matrix may take; default 80 % of available memory (see lib/matrix/memory.ts). */
  memoryLimit?: number;
  /** Called now and then with the pairs done and the total n(n−1)/2. */
  onProgress?: (done: number, total: number) => void;
}

/** Options of {@link gowerMatrix} given data rather than a fitted metric: the fit's and the matrix's. */
export interface GowerOptions extends GowerMetricOptions, GowerMatrixOptions {}

/**
 * The Gower matrix: a {@link DistanceMatrix} plus how it was made.
 * @example
 * const d = gowerMatrix([{ genre: 'Pop', energy: 0.2 }, { genre: null, energy: 0.6 }]);
 * d.features.map((f) => [f.name, f.kind, f.missing]); // [['genre', 'categorical', 1], ['energy', 'numeric', 0]]
 * d.incomparablePairs;                                 // 0
 */
export class GowerMatrix extends DistanceMatrix {
  /** The features in the order used. */
  readonly features: GowerFeature[];
  /** Pairs that share no non-missing feature (stored as `incomparableDistance`, NaN by default). */
  readonly incomparablePairs: number;

  /** Made by {@link gowerMatrix}. */
  constructor(size: number, condensed: Float32Array, features: GowerFeature[], incomparablePairs: number) {
    super(size, condensed);
    this.features = features;
    this.incomparablePairs = incomparablePairs;
  }
}

/**
 * The Gower distance matrix of the rows a metric was fitted on (docs/gower.md has the definition
 * and the handling of missing values).
 *
 * Returns a {@link GowerMatrix}: a condensed upper triangle in a Float32Array, n(n−1)/2 × 4 bytes
 * (200 MB for 10,000 rows, 800 MB for 20,000). A matrix that would not fit in memory is refused
 * before allocation with a sentence giving the largest sample that fits.
 *
 * @param data a metric from `fitGower` (as notebook 02 does, fitting once for the matrix, the
 *   contributions and the assignment); or a danfojs DataFrame, an array of row objects or an
 *   object of columns, fitted here with the `columns`, `categorical` and `weights` options
 * @param options progress callback, memory limit, the value of incomparable pairs (and the fit's
 *   options when `data` is not a metric)
 * @example
 * const metric = fitGower(features, { categorical: CATEGORICAL_FEATURES });
 * gowerMatrix(metric, { onProgress: progress.callback }).size;  // the number of sampled tracks
 * const d = gowerMatrix([{ genre: 'Pop', energy: 0.2 }, { genre: 'Pop', energy: 0.6 }, { genre: 'Jazz', energy: 1.0 }]);
 * d.get(0, 1); // (0 + 0.4/0.8) / 2 = 0.25
 * d.get(0, 2); // (1 + 0.8/0.8) / 2 = 1
 * d.get(1, 2); // (1 + 0.4/0.8) / 2 = 0.75
 */
export function gowerMatrix(data: GowerMetric, options?: GowerMatrixOptions): GowerMatrix;
export function gowerMatrix(data: FrameLike, options?: GowerOptions): GowerMatrix;
export function gowerMatrix(data: FrameLike | GowerMetric, options: GowerOptions = {}): GowerMatrix {
  const metric = fittedMetric(data, options, 'gowerMatrix');
  const rows = metric.rows;
  const n = rows.size;
  const total = (n * (n - 1)) / 2;
  assertMatrixFits(n, { bytesPerValue: 4, memoryLimit: options.memoryLimit });
  // Shared, so the pool's workers fill it in place and later steps hand it on without a copy.
  const out = sharedFloat32(total);
  const starts = triangleChunkStarts(n, triangleChunkCount(n));
  const chunks = Math.max(0, starts.length - 1);
  const args: GowerRowsArgs = {
    features: metric.specs.map(({ kind, share, coefficient }) => ({ kind, share, coefficient })),
    rows: { size: n, values: rows.values.map(toShared), missing: [...rows.missing], hasMissing: rows.hasMissing },
    out,
    starts,
    incomparable: options.incomparableDistance ?? NaN,
    incomparablePairs: sharedFloat64(chunks),
    done: sharedFloat64(chunks),
  };
  const onProgress = options.onProgress;
  let reported = 0;
  const report = (): void => {
    let done = 0;
    for (let c = 0; c < chunks; c++) done += args.done[c];
    if (done > reported) onProgress?.((reported = done), total);
  };
  gowerRowsProgress.onChunk = onProgress && report;
  try {
    runChunks({
      module: GOWER_KERNELS_MODULE,
      name: 'gowerRowsChunk',
      args,
      chunks,
      onWait: onProgress && report,
    });
  } finally {
    gowerRowsProgress.onChunk = undefined;
  }
  if (onProgress) onProgress(total, total);
  let incomparablePairs = 0;
  for (let c = 0; c < chunks; c++) incomparablePairs += args.incomparablePairs[c];
  return new GowerMatrix(n, out, [...metric.features], incomparablePairs);
}
