/**
 * Barnes–Hut t-SNE into two dimensions, from precomputed distances or from row vectors, with
 * scikit-learn's defaults and optimiser (scikit-learn 1.9 `sklearn.manifold.TSNE`,
 * `method='barnes_hut'`): exact neighbours, perplexity-matched affinities of the squared distances,
 * PCA or seeded-noise start, gradient descent with early exaggeration. Deterministic for a seed.
 *
 * References: van der Maaten & Hinton (2008), JMLR 9, 2579–2605; van der Maaten (2014),
 * "Accelerating t-SNE using tree-based algorithms", JMLR 15, 3221–3245.
 *
 * Written here because every t-SNE package on npm (tsne-js, @keckelt/tsne, karpathy's tsnejs)
 * computes the exact O(n²) gradient, none takes a precomputed matrix at 10,000 rows in reasonable
 * memory, and they take minutes where the notebooks need seconds. Each step as scikit-learn does it,
 * and how it shares the worker pool (the same result for any THREADS): docs/tsne.md.
 */
import { BarnesHutGradient } from './barnes-hut';
import { withDefaults } from '../options';
import { nearestNeighbours } from './nearest-neighbours';
import { PairwiseInput, readPairwiseInput } from './pairwise-input';
import { principalComponents } from './pca';
import { jointProbabilities, SparseAffinities } from './perplexity';
import { randomNormal, seededRandom } from '../random';

/** What the progress callback hears. */
export interface TsneProgress {
  /** 'neighbours' and 'affinities' before the optimisation, then 'exaggeration' and 'embedding'. */
  readonly phase: 'neighbours' | 'affinities' | 'exaggeration' | 'embedding';
  /** Iterations done so far (0 before the optimisation). */
  readonly iteration: number;
  /** The total number of iterations planned. */
  readonly iterations: number;
  /**
   * The KL divergence at this iteration (with exaggerated P during 'exaggeration', as scikit-learn
   * reports it); only where it is evaluated: every 50 iterations and at the last of each phase.
   */
  readonly kl?: number;
  /** Work done in the 'neighbours' (pairs scanned) and 'affinities' (rows) phases, of `total`. */
  readonly done?: number;
  /** The phase's work: n(n−1)/2 pairs for 'neighbours', n rows for 'affinities'. */
  readonly total?: number;
}

/** Options of {@link tsne}; every field is optional. */
export interface TsneOptions {
  /** Perplexity, the effective number of neighbours (default 30). Must be below n. */
  perplexity?: number;
  /** Barnes–Hut opening angle θ (default 0.5; 0 is exact and quadratic). */
  theta?: number;
  /** Step size, or 'auto' (default) for max(n / earlyExaggeration / 4, 50). */
  learningRate?: number | 'auto';
  /** Total iterations, exaggeration included (default 1000; at least `exaggerationIterations`). */
  maxIterations?: number;
  /** Factor on P during the first iterations (default 12). */
  earlyExaggeration?: number;
  /** How many iterations are exaggerated (default 250). */
  exaggerationIterations?: number;
  /** Seed of the random initialisation (default 42). */
  seed?: number;
  /**
   * 'pca' (default for vectors), 'random' (default, and the only choice, for distances: noise
   * of standard deviation 1e-4), or a starting embedding (n × 2 as a Float64Array or rows).
   */
  init?: 'pca' | 'random' | Float64Array | readonly (readonly number[])[];
  /**
   * Called from the start: about every 1% of the neighbour search and of the affinities (with
   * `done` and `total`), then after every iteration (with `kl` where it is evaluated).
   */
  onProgress?: (progress: TsneProgress) => void;
}

/**
 * The default options, as in scikit-learn 1.9.
 * @example TSNE_DEFAULTS.perplexity // 30
 */
export const TSNE_DEFAULTS = Object.freeze({
  perplexity: 30,
  theta: 0.5,
  learningRate: 'auto' as const,
  maxIterations: 1000,
  earlyExaggeration: 12,
  exaggerationIterations: 250,
  seed: 42,
});

/** What {@link tsne} returns. */
export interface TsneResult {
  /** The embedding, n × 2 row-major: point i at (embedding[2i], embedding[2i + 1]). */
  readonly embedding: Float64Array;
  /** The KL divergence at the last evaluation (scikit-learn's `kl_divergence_`). */
  readonly kl: number;
  /** Iterations run (fewer than `maxIterations` only if a phase stopped early). */
  readonly iterations: number;
  /** The learning rate used. */
  readonly learningRate: number;
  /** The affinities P (sparse, symmetric, summing to 1). */
  readonly affinities: SparseAffinities;
  /** The embedding as [x, y] pairs. */
  points(): [number, number][];
}

const CHECK_EVERY = 50;
const MIN_GAIN = 0.01;
const MIN_GRADIENT_NORM = 1e-7;
const EXPLORATION_WITHOUT_PROGRESS = 250;
const WITHOUT_PROGRESS = 300;

/**
 * A 2-D t-SNE embedding (see the file header for the method and its defaults).
 * @param input a distance matrix (an object with `size` and `get(i, j)`, such as `gowerMatrix`'s
 *   result; its `condensed` array is read directly when present) or row vectors (`number[][]`,
 *   a `NumericMatrix`, or `{ data, rows, cols }`), compared with the Euclidean distance
 * @example
 * const result = tsne(gowerMatrix(tracks, { categorical }), { seed: 42, onProgress: console.log });
 * result.points()[0]; // [x, y] of the first track
 * result.kl;          // about 1.2 for 10,000 synthetic tracks (test/bench/tsne.bench.ts)
 */
export function tsne(input: PairwiseInput, options: TsneOptions = {}): TsneResult {
  const settings = withDefaults(
    TSNE_DEFAULTS,
    options as Partial<typeof TSNE_DEFAULTS> & { learningRate?: number | 'auto' },
  );
  const read = readPairwiseInput(input);
  const n = read.n;
  const { perplexity, theta, maxIterations, earlyExaggeration, exaggerationIterations, seed } = settings;
  if (n < 2) throw new Error(`t-SNE needs at least 2 points, got ${n}.`);
  if (!(perplexity > 0 && perplexity < n)) {
    throw new Error(`The perplexity must be positive and below the number of points (${n}), got ${perplexity}.`);
  }
  if (!Number.isInteger(maxIterations) || !Number.isInteger(exaggerationIterations) || exaggerationIterations < 0) {
    throw new Error(`Iteration counts must be whole numbers, got ${maxIterations} and ${exaggerationIterations}.`);
  }
  if (maxIterations < exaggerationIterations) {
    throw new Error(
      `maxIterations (${maxIterations}) must be at least exaggerationIterations (${exaggerationIterations}).`,
    );
  }
  if (!(theta >= 0) || !Number.isFinite(theta)) throw new Error(`θ (theta) must be a number ≥ 0, got ${theta}.`);
  if (!(earlyExaggeration >= 1) || !Number.isFinite(earlyExaggeration)) {
    throw new Error(`The early exaggeration must be a number ≥ 1, got ${earlyExaggeration}.`);
  }
  const learningRate =
    settings.learningRate === 'auto' ? Math.max(n / earlyExaggeration / 4, 50) : settings.learningRate;
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
    throw new Error(`The learning rate must be a positive number or 'auto', got ${settings.learningRate}.`);
  }
  const report = options.onProgress ?? (() => undefined);

  const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
  const graph = nearestNeighbours(read, k, (done, total) =>
    report({ phase: 'neighbours', iteration: 0, iterations: maxIterations, done, total }),
  );
  const affinities = jointProbabilities(graph, perplexity, (done, total) =>
    report({ phase: 'affinities', iteration: 0, iterations: maxIterations, done, total }),
  );

  const embedding = initialEmbedding(read, options.init, seed);
  const bh = new BarnesHutGradient(affinities, { theta });
  const gradient = new Float64Array(2 * n);
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n);

  let kl = NaN;
  let iteration = 0;
  // Two phases, each one call of scikit-learn's _gradient_descent.
  const phases = [
    {
      phase: 'exaggeration' as const,
      end: exaggerationIterations,
      momentum: 0.5,
      exaggeration: earlyExaggeration,
      patience: EXPLORATION_WITHOUT_PROGRESS,
    },
    { phase: 'embedding' as const, end: maxIterations, momentum: 0.8, exaggeration: 1, patience: WITHOUT_PROGRESS },
  ];
  for (const { phase, end, momentum, exaggeration, patience } of phases) {
    if (iteration >= end) continue;
    update.fill(0);
    gains.fill(1);
    let best = Infinity;
    let bestIteration = iteration;
    for (; iteration < end; iteration++) {
      const check = (iteration + 1) % CHECK_EVERY === 0;
      const error = bh.gradient(embedding, gradient, exaggeration, check || iteration === end - 1);
      if (!Number.isNaN(error)) kl = error;
      let squaredNorm = 0;
      for (let p = 0; p < 2 * n; p++) {
        let g = gradient[p];
        const u = update[p];
        let gain = u * g < 0 ? gains[p] + 0.2 : gains[p] * 0.8;
        if (gain < MIN_GAIN) gain = MIN_GAIN;
        gains[p] = gain;
        g *= gain;
        squaredNorm += g * g;
        const step = momentum * u - learningRate * g;
        update[p] = step;
        embedding[p] += step;
      }
      report(
        Number.isNaN(error)
          ? { phase, iteration: iteration + 1, iterations: maxIterations }
          : { phase, iteration: iteration + 1, iterations: maxIterations, kl: error },
      );
      if (check) {
        if (error < best) {
          best = error;
          bestIteration = iteration;
        } else if (iteration - bestIteration > patience) {
          iteration++;
          break;
        }
        if (Math.sqrt(squaredNorm) <= MIN_GRADIENT_NORM) {
          iteration++;
          break;
        }
      }
    }
  }
  return {
    embedding,
    kl,
    iterations: iteration,
    learningRate,
    affinities,
    points: () => {
      const { x, y } = embeddingXY(embedding);
      return Array.from(x, (xi, i): [number, number] => [xi, y[i]]);
    },
  };
}

/**
 * The x and y columns of points `from` .. `to` − 1 of an n × 2 row-major embedding (all of them
 * by default), for plotting: notebook 03 takes the tracks' points and the placed centroids' this way.
 * @example embeddingXY(Float64Array.of(1, 2, 3, 4)) // { x: Float64Array [1, 3], y: Float64Array [2, 4] }
 * @example embeddingXY(Float64Array.of(1, 2, 3, 4), 1, 2) // { x: Float64Array [3], y: Float64Array [4] }
 */
export function embeddingXY(
  embedding: Float64Array,
  from = 0,
  to = embedding.length / 2,
): { x: Float64Array; y: Float64Array } {
  const n = embedding.length / 2;
  if (!Number.isInteger(n))
    throw new Error(`An n × 2 embedding holds an even number of values, got ${embedding.length}.`);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > n || from > to) {
    throw new Error(`Points ${from} to ${to} are not a range of the embedding's ${n} points (0 ≤ from ≤ to ≤ ${n}).`);
  }
  const x = new Float64Array(to - from);
  const y = new Float64Array(to - from);
  for (let i = from; i < to; i++) {
    x[i - from] = embedding[2 * i];
    y[i - from] = embedding[2 * i + 1];
  }
  return { x, y };
}

/** The starting embedding (a new Float64Array, n × 2). */
function initialEmbedding(
  read: ReturnType<typeof readPairwiseInput>,
  init: TsneOptions['init'],
  seed: number,
): Float64Array {
  const n = read.n;
  if (init !== undefined && typeof init !== 'string') {
    const out = new Float64Array(2 * n);
    if (init instanceof Float64Array) {
      if (init.length !== 2 * n)
        throw new Error(`The initial embedding must hold ${2 * n} values (n × 2), got ${init.length}.`);
      out.set(init);
    } else {
      if (init.length !== n) throw new Error(`The initial embedding must have ${n} rows, got ${init.length}.`);
      init.forEach((row, i) => {
        if (row.length !== 2) throw new Error(`Row ${i} of the initial embedding has ${row.length} values, not 2.`);
        out[2 * i] = row[0];
        out[2 * i + 1] = row[1];
      });
    }
    for (let p = 0; p < out.length; p++) {
      if (!Number.isFinite(out[p]))
        throw new Error(`The initial embedding holds ${out[p]} at row ${p >> 1}; it must be finite.`);
    }
    return out;
  }
  const method = init ?? (read.kind === 'vectors' ? 'pca' : 'random');
  if (method === 'pca') {
    if (read.kind !== 'vectors') {
      throw new Error("PCA initialisation needs row vectors; with precomputed distances use init: 'random'.");
    }
    if (read.d < 2) throw new Error(`PCA initialisation needs at least 2 columns, got ${read.d}; use init: 'random'.`);
    return pcaStart(read.data, n, read.d);
  }
  if (method !== 'random')
    throw new Error(`init must be 'pca', 'random' or an n × 2 embedding, got ${String(method)}.`);
  const random = seededRandom(seed);
  const out = new Float64Array(2 * n);
  for (let p = 0; p < out.length; p++) out[p] = 1e-4 * randomNormal(random);
  return out;
}

/**
 * t-SNE's PCA start, as scikit-learn's `init='pca'`: the rows projected on their first two principal
 * axes (lib/embed/pca.ts), scaled so that the first column has standard deviation 1e-4.
 * @param data n × d row-major vectors
 * @example pcaStart(Float64Array.of(0, 0, 1, 1, 2, 2), 3, 2) // first column −1.22e-4, 0, 1.22e-4 (std 1e-4)
 */
export function pcaStart(data: Float64Array, n: number, d: number): Float64Array {
  const { projection } = principalComponents(data, n, d, 2);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += projection[2 * i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (projection[2 * i] - mean) ** 2;
  const std = Math.sqrt(variance / n);
  const scale = std > 0 ? 1e-4 / std : 1;
  for (let p = 0; p < projection.length; p++) projection[p] *= scale;
  return projection;
}
