/**
 * Placing new points on a fixed t-SNE embedding: every stored track on the sample's map. The
 * reference embedding stays put; each new point starts at the median of its nearest reference
 * points and is refined by a short optimisation of its own t-SNE objective against the map alone.
 *
 * Reference: openTSNE's `transform` (Poličar, Stražar & Zupan, Journal of Statistical Software
 * 109(3), 2024, https://doi.org/10.18637/jss.v109.i03); defaults follow openTSNE 1.0.4's.
 *
 * Written here from that description because no npm package does it. The three steps, the
 * gradient, and why the exaggeration is kept: docs/tsne.md. Each new point is placed on its own, so
 * the points run on the worker pool (lib/parallel/pool.ts) in chunks, with the same placement, to
 * the last bit, for any THREADS; and a catalogue is placed in blocks of points (`blockSize`) whose
 * working arrays are re-used, so its memory stays that of one block, with the same placement too.
 * Each point's optimisation, the pool's task: place-chunk.ts.
 */
import { CellIndex, QueryNeighbours } from './cell-index';
import { conditionalProbabilities } from './perplexity';
import { PairwiseInput, readPairwiseInput } from './pairwise-input';
import { RepulsionField } from './repulsion-field';
import { sharedFloat64, sharedInt32, toShared } from '../parallel/pool';
import { median, PlaceArgs, placeBlock } from './place-chunk';
import { trustworthiness } from './trustworthiness';
import { shuffledIndices } from '../random';

/** What the progress callback hears. */
export interface PlaceProgress {
  /** 'neighbours' (input space), 'field' (the reference map's repulsion), then 'placing'. */
  readonly phase: 'neighbours' | 'field' | 'placing';
  /** Points done in this phase. */
  readonly done: number;
  /** Points in this phase. */
  readonly total: number;
}

/** Options of {@link placeOnEmbedding}; every field is optional. */
export interface PlaceOptions {
  /** Nearest reference points whose median position starts a new point (default 25). */
  k?: number;
  /** Perplexity of each new point's affinities to its nearest reference points (default 5). */
  perplexity?: number;
  /** Optimisation steps per point, at most (default 250; 0 keeps the median start). */
  iterations?: number;
  /**
   * A point stops early once its last STILL_STEPS steps were each shorter than this, in map units
   * (default 1e-4; 0 runs every iteration, as before). Decided per point, so any THREADS gives the
   * same placement.
   */
  tolerance?: number;
  /** Step size (default 1). */
  learningRate?: number;
  /** Momentum of the steps (default 0.8). */
  momentum?: number;
  /** Factor on the attraction (default 1.5, as openTSNE's transform; 1 is the plain objective). */
  exaggeration?: number;
  /** Largest gradient norm; longer gradients are shortened to it (default 0.25). */
  maxGradientNorm?: number;
  /** Barnes–Hut θ of the repulsion field (default 0.5). */
  theta?: number;
  /** Grid spacing of the repulsion field in map units (default 0.2). */
  gridSpacing?: number;
  /** Most cells of the neighbour index a point searches (default 16; Infinity makes the neighbours exact). */
  maxProbes?: number;
  /** Seed of the k-means that makes the neighbour index's cells (default 42). */
  seed?: number;
  /**
   * New points placed at a time (default 131,072): only one block's neighbour lists and affinities
   * are held at once. Each point is placed on its own, so any block size gives the same placement.
   */
  blockSize?: number;
  /** Called at the start of each phase and every 1 % of its points. */
  onProgress?: (progress: PlaceProgress) => void;
}

/**
 * The defaults of {@link PlaceOptions}.
 * @example PLACE_DEFAULTS.perplexity // 5
 */
export const PLACE_DEFAULTS = Object.freeze({
  k: 25,
  perplexity: 5,
  iterations: 250,
  tolerance: 1e-4,
  learningRate: 1,
  momentum: 0.8,
  exaggeration: 1.5,
  maxGradientNorm: 0.25,
  theta: 0.5,
  gridSpacing: 0.2,
  maxProbes: 16,
  seed: 42,
  blockSize: 131072,
});

/** The fixed map: the reference points in the input space and where they are on the map. */
export interface ReferenceEmbedding {
  /** The reference points' input vectors (n × d: rows, a NumericMatrix or `{ data, rows, cols }`). */
  readonly vectors: PairwiseInput;
  /** Their positions, n × 2 row-major (`tsne(...).embedding`) or [x, y] rows. */
  readonly embedding: Float64Array | readonly (readonly number[])[];
}

/** What {@link placeOnEmbedding} returns. */
export interface Placement {
  /** The new points' positions, m × 2 row-major. */
  readonly embedding: Float64Array;
  /** Their starting positions (median of the k nearest reference points), m × 2. */
  readonly start: Float64Array;
  /** Each new point's nearest reference points in the input space, nearest first (`exact` counts the points whose neighbours are provably exact). */
  readonly neighbours: QueryNeighbours;
  /** The mean over new points of KL(p‖q) at their final positions. */
  readonly kl: number;
  /** The mean number of optimisation steps a point took (below `iterations` when points stop early). */
  readonly steps: number;
}

/**
 * Places new points on a fixed t-SNE map (see the file header for the method).
 * @param reference the map's points: input vectors and positions
 * @param newVectors the new points' input vectors, with the reference's number of columns; none
 *   (0 rows) gives an empty placement
 * @param options neighbours, perplexity, iterations and step settings (PLACE_DEFAULTS)
 * @example
 * const map = tsne(z, { seed: 42 });
 * const placed = placeOnEmbedding({ vectors: z, embedding: map.embedding }, zEveryTrack);
 * placed.embedding; // x, y of every track, in the sample map's coordinates
 */
export function placeOnEmbedding(
  reference: ReferenceEmbedding,
  newVectors: PairwiseInput,
  options: PlaceOptions = {},
): Placement {
  return placeInBlocks(reference, newVectors, options, true) as Placement;
}

/** What {@link placePositions} returns: a {@link Placement} without the starts and neighbour lists. */
export interface PlacedPositions {
  /** The new points' positions, m × 2 row-major. */
  readonly embedding: Float64Array;
  /** The mean over new points of KL(p‖q) at their final positions. */
  readonly kl: number;
  /** The mean number of optimisation steps a point took. */
  readonly steps: number;
  /** The new points whose neighbours were provably exact. */
  readonly exact: number;
}

/**
 * The positions of {@link placeOnEmbedding}, bit for bit, without its starts and neighbour lists:
 * for a whole catalogue, whose neighbour lists would take hundreds of MB (1.24 M tracks × 25
 * neighbours). The points are placed `blockSize` at a time, and only one block's intermediate
 * arrays are held at once.
 * @example
 * const placed = placePositions({ vectors: z, embedding: map.embedding }, zEveryTrack, { seed: 42 });
 * placed.embedding; // the same as placeOnEmbedding(...).embedding
 */
export function placePositions(
  reference: ReferenceEmbedding,
  newVectors: PairwiseInput,
  options: PlaceOptions = {},
): PlacedPositions {
  return placeInBlocks(reference, newVectors, options, false) as PlacedPositions;
}

/** Both functions above: `keep` keeps the starts and neighbour lists of every point (a Placement). */
function placeInBlocks(
  reference: ReferenceEmbedding,
  newVectors: PairwiseInput,
  options: PlaceOptions,
  keep: boolean,
): Placement | PlacedPositions {
  const settings = { ...PLACE_DEFAULTS, ...definedOnly(options) };
  const { k, perplexity, iterations, tolerance, learningRate, momentum, exaggeration, maxGradientNorm } = settings;
  const vectors = readVectors(reference.vectors, 'reference vectors');
  const fresh = readVectors(newVectors, 'new vectors', { allowEmpty: true });
  const n = vectors.n;
  const m = fresh.n;
  const d = vectors.d;
  // No new points (an empty row array has no columns to compare): nothing to place.
  if (fresh.d !== vectors.d && !(m === 0 && fresh.d === 0))
    throw new Error(
      `The new vectors have ${fresh.d} columns but the reference vectors have ${vectors.d}; encode and scale them the same way.`,
    );
  const embedding = readEmbedding(reference.embedding, n);
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a whole number of at least 1, got ${k}.`);
  if (!(perplexity > 0) || !Number.isFinite(perplexity))
    throw new Error(`The perplexity must be a positive number, got ${perplexity}.`);
  if (!Number.isInteger(iterations) || iterations < 0)
    throw new Error(`iterations must be a whole number ≥ 0, got ${iterations}.`);
  for (const [name, value] of [
    ['learningRate', learningRate],
    ['maxGradientNorm', maxGradientNorm],
    ['exaggeration', exaggeration],
  ] as const) {
    if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${name} must be a positive number, got ${value}.`);
  }
  if (!(tolerance >= 0) || !Number.isFinite(tolerance))
    throw new Error(`The tolerance must be a number ≥ 0, got ${tolerance}.`);
  if (!(momentum >= 0 && momentum < 1))
    throw new Error(`The momentum must be at least 0 and below 1, got ${momentum}.`);
  const blockSize = settings.blockSize;
  if (!Number.isInteger(blockSize) || blockSize < 1)
    throw new Error(`blockSize must be a whole number of at least 1, got ${blockSize}.`);
  const report = options.onProgress ?? (() => undefined);
  const startCount = Math.min(k, n);
  const affinityCount = Math.min(n, Math.floor(3 * perplexity + 1));
  const width = Math.max(startCount, affinityCount);
  if (m === 0) {
    report({ phase: 'placing', done: 0, total: 0 });
    const empty = { embedding: new Float64Array(0), kl: NaN, steps: NaN };
    if (!keep) return { ...empty, exact: 0 };
    const none = { n: 0, k: width, exact: 0 };
    return {
      ...empty,
      start: new Float64Array(0),
      neighbours: { ...none, indices: new Int32Array(0), distances: new Float64Array(0) },
    };
  }

  report({ phase: 'neighbours', done: 0, total: m });
  const maxProbes = settings.maxProbes === Infinity ? n : settings.maxProbes;
  const index = new CellIndex(vectors.data, n, vectors.d, { maxProbes, seed: settings.seed });
  report({ phase: 'field', done: 0, total: m });
  const field = new RepulsionField(embedding, n, { theta: settings.theta, spacing: settings.gridSpacing });

  // Outputs for every point; the rest is made again for each block of points and let go after it.
  const placed = new Float64Array(2 * m);
  const start = keep ? new Float64Array(2 * m) : new Float64Array(0);
  const indices = keep ? new Int32Array(m * width) : new Int32Array(0);
  const distances = keep ? new Float64Array(m * width) : new Float64Array(0);
  // Placing is reported every 1 % of all points.
  const step = Math.max(1, Math.floor(m / 100));
  let next = step;
  const placing = (placedSoFar: number): void => {
    if (placedSoFar >= next && placedSoFar < m) {
      report({ phase: 'placing', done: placedSoFar, total: m });
      next = placedSoFar - (placedSoFar % step) + step;
    }
  };
  // One block's working arrays, shared with the pool's workers, made once and re-used by every
  // block: arrays made anew for each block would be let go only when every worker has collected its
  // copy of them (external memory that no worker's heap counts), so they would pile up.
  const block = Math.min(blockSize, m);
  const queries = fresh.data.buffer instanceof SharedArrayBuffer ? undefined : sharedFloat64(block * d);
  const found = { indices: sharedInt32(block * width), distances: sharedFloat64(block * width) };
  const squared = sharedFloat64(block * affinityCount);
  const affinities = { probabilities: sharedFloat64(block * affinityCount), betas: sharedFloat64(block) };
  const args: PlaceArgs = {
    m: 0,
    width,
    startCount,
    affinityCount,
    indices: found.indices,
    probabilities: affinities.probabilities,
    embedding: toShared(embedding),
    field: field.parts,
    iterations,
    tolerance,
    learningRate,
    momentum,
    exaggeration,
    maxGradientNorm,
    start: sharedFloat64(2 * block),
    placed: sharedFloat64(2 * block),
    kl: sharedFloat64(block),
    steps: sharedInt32(block),
    done: sharedInt32(1),
  };
  let exact = 0;
  let klTotal = 0;
  let stepsTotal = 0;
  for (let first = 0; first < m; first += blockSize) {
    const size = Math.min(blockSize, m - first);
    let blockQueries = fresh.data.subarray(first * d, (first + size) * d);
    if (queries) {
      queries.set(blockQueries);
      blockQueries = queries.subarray(0, size * d);
    }
    const neighbours = index.query(
      blockQueries,
      size,
      width,
      (done) => report({ phase: 'neighbours', done: first + done, total: m }),
      found,
    );
    exact += neighbours.exact;
    if (keep) {
      indices.set(neighbours.indices, first * width);
      distances.set(neighbours.distances, first * width);
    }
    // Affinities over the first affinityCount neighbours (squared distances rounded to Float32, as t-SNE's).
    for (let i = 0; i < size; i++) {
      for (let a = 0; a < affinityCount; a++) {
        const distance = neighbours.distances[i * width + a];
        squared[i * affinityCount + a] = Math.fround(distance * distance);
      }
    }
    conditionalProbabilities(
      squared.subarray(0, size * affinityCount),
      size,
      affinityCount,
      perplexity,
      undefined,
      affinities,
    );
    if (first === 0) report({ phase: 'placing', done: 0, total: m });
    Atomics.store(args.done, 0, 0);
    placeBlock({ ...args, m: size }, (done) => placing(first + done));
    placed.set(args.placed.subarray(0, 2 * size), 2 * first);
    if (keep) start.set(args.start.subarray(0, 2 * size), 2 * first);
    // The mean KL, summed in point order.
    for (let i = 0; i < size; i++) {
      klTotal += args.kl[i];
      stepsTotal += args.steps[i];
    }
  }
  report({ phase: 'placing', done: m, total: m });
  const result = { embedding: placed, kl: klTotal / m, steps: stepsTotal / m };
  if (!keep) return { ...result, exact };
  return { ...result, start, neighbours: { n: m, k: width, indices, distances, exact } };
}

/** Options of {@link placementQuality}: which rows to hold out, the trustworthiness k, and the placement's options. */
export interface PlacementQualityOptions extends PlaceOptions {
  /**
   * Rows of the reference to hold out: a fraction below 1 or a count. Default: a tenth of the
   * reference, at most 1,000 rows, but at least 2 · 10 + 1 = 21 (what a trustworthiness with 10
   * neighbours needs) and at most half the reference (see {@link placementHoldOut}).
   */
  holdOut?: number;
  /**
   * Neighbours of the trustworthiness, below half the held-out rows (default 10, lowered to the
   * largest that fits when fewer than 21 rows are held out).
   */
  trustworthinessK?: number;
}

/** What {@link placementQuality} returns. */
export interface PlacementQuality {
  /** The held-out reference rows, in increasing order. */
  readonly rows: Int32Array;
  /** The neighbours of both trustworthiness values. */
  readonly trustworthinessK: number;
  /** Trustworthiness of the held-out rows at their fitted positions. */
  readonly fitted: number;
  /** Trustworthiness of the held-out rows at their placed positions. */
  readonly placed: number;
  /** The placement of the held-out rows against the others. */
  readonly placement: Placement;
  /** Median distance on the map between a held-out row's placed and fitted positions. */
  readonly medianShift: number;
}

/**
 * The defaults of {@link placementQuality}'s hold-out: the share of the reference held out, the most
 * rows held out, and the trustworthiness's neighbours.
 * @example PLACEMENT_QUALITY_DEFAULTS.trustworthinessK // 10
 */
export const PLACEMENT_QUALITY_DEFAULTS = Object.freeze({ share: 0.1, most: 1000, trustworthinessK: 10 });

/**
 * The rows {@link placementQuality} holds out of n by default: a tenth of them, at most 1,000 (the
 * trustworthiness is quadratic in the rows held out), at least 2k + 1 = 21 so that a
 * trustworthiness with k = 10 neighbours is defined (it needs k below half the rows), and at most
 * half the reference, so that the rest still makes a map to place on; but at least 3 (the fewest a
 * trustworthiness takes) and 1 fewer than n.
 * @param n the reference's rows
 * @example placementHoldOut(91) // 21 (a tenth, 9, is too few for 10 neighbours)
 * @example placementHoldOut(10000) // 1000
 */
export function placementHoldOut(n: number): number {
  const { share, most, trustworthinessK } = PLACEMENT_QUALITY_DEFAULTS;
  const sized = Math.min(most, Math.max(Math.round(share * n), 2 * trustworthinessK + 1), Math.floor(n / 2));
  return Math.max(sized, Math.min(3, n - 1));
}

/**
 * How well placing reproduces the map: a seeded part of the reference is held out, placed as if new
 * against the rest of the map, and the trustworthiness (lib/embed/trustworthiness.ts) of those
 * rows at their placed positions is compared with its value at their fitted positions. The rest of
 * the map was fitted with the held-out rows present, so this measures the placement itself, not
 * how the map would look without them.
 * @example
 * const quality = placementQuality({ vectors: z, embedding: map.embedding }, { seed: 42 });
 * quality.rows.length; // 1000 of a 10,000-row reference (placementHoldOut)
 * quality.fitted; // e.g. 0.93
 * quality.placed; // e.g. 0.91
 */
export function placementQuality(
  reference: ReferenceEmbedding,
  options: PlacementQualityOptions = {},
): PlacementQuality {
  const vectors = readVectors(reference.vectors, 'reference vectors');
  const n = vectors.n;
  const d = vectors.d;
  const embedding = readEmbedding(reference.embedding, n);
  const holdOut = options.holdOut ?? placementHoldOut(n);
  const count = holdOut < 1 ? Math.round(holdOut * n) : holdOut;
  if (!(count >= 3 && Number.isInteger(count) && count < n)) {
    throw new Error(
      options.holdOut === undefined
        ? `placementQuality needs at least 4 reference rows (3 held out, 1 kept), but the reference has ${n}.`
        : `holdOut must be a fraction below 1 or a whole number of rows, leaving at least 3 held out and 1 kept of ${n}; got ${holdOut}.`,
    );
  }
  const largestK = Math.ceil(count / 2) - 1;
  const k = options.trustworthinessK ?? Math.min(PLACEMENT_QUALITY_DEFAULTS.trustworthinessK, largestK);
  if (!Number.isInteger(k) || k < 1 || k > largestK) {
    throw new Error(
      `trustworthinessK must be a whole number from 1 to ${largestK} (below half the ${count} held-out rows), got ${k}; hold out more rows or lower trustworthinessK.`,
    );
  }
  const order = shuffledIndices(n, options.seed ?? PLACE_DEFAULTS.seed);
  const rows = Int32Array.from(order.subarray(0, count)).sort();
  const held = new Uint8Array(n);
  for (const r of rows) held[r] = 1;
  const keptVectors = new Float64Array((n - count) * d);
  const keptEmbedding = new Float64Array(2 * (n - count));
  const heldVectors = new Float64Array(count * d);
  const heldEmbedding = new Float64Array(2 * count);
  let kept = 0;
  let out = 0;
  for (let i = 0; i < n; i++) {
    const row = vectors.data.subarray(i * d, i * d + d);
    if (held[i]) {
      heldVectors.set(row, out * d);
      heldEmbedding[2 * out] = embedding[2 * i];
      heldEmbedding[2 * out + 1] = embedding[2 * i + 1];
      out++;
    } else {
      keptVectors.set(row, kept * d);
      keptEmbedding[2 * kept] = embedding[2 * i];
      keptEmbedding[2 * kept + 1] = embedding[2 * i + 1];
      kept++;
    }
  }
  const placement = placeOnEmbedding(
    { vectors: { data: keptVectors, rows: n - count, cols: d }, embedding: keptEmbedding },
    { data: heldVectors, rows: count, cols: d },
    options,
  );
  const heldInput = { data: heldVectors, rows: count, cols: d };
  const shifts = Array.from({ length: count }, (_, i) =>
    Math.hypot(
      placement.embedding[2 * i] - heldEmbedding[2 * i],
      placement.embedding[2 * i + 1] - heldEmbedding[2 * i + 1],
    ),
  );
  return {
    rows,
    trustworthinessK: k,
    fitted: trustworthiness(heldInput, heldEmbedding, k),
    placed: trustworthiness(heldInput, placement.embedding, k),
    placement,
    medianShift: median(Float64Array.from(shifts)),
  };
}

function readVectors(
  input: PairwiseInput,
  what: string,
  { allowEmpty = false } = {},
): { n: number; d: number; data: Float64Array } {
  const read = readPairwiseInput(input);
  if (read.kind !== 'vectors') throw new Error(`The ${what} must be row vectors, not a distance matrix.`);
  if (read.n < 1 && !allowEmpty) throw new Error(`There are no ${what}.`);
  return read;
}

function readEmbedding(embedding: ReferenceEmbedding['embedding'], n: number): Float64Array {
  let out: Float64Array;
  if (embedding instanceof Float64Array) out = embedding;
  else {
    if (embedding.length !== n)
      throw new Error(`The reference embedding has ${embedding.length} points but there are ${n} reference vectors.`);
    out = new Float64Array(2 * n);
    embedding.forEach((point, i) => {
      if (point.length !== 2)
        throw new Error(`Point ${i} of the reference embedding has ${point.length} coordinates, not 2.`);
      out[2 * i] = point[0];
      out[2 * i + 1] = point[1];
    });
  }
  if (out.length !== 2 * n)
    throw new Error(`The reference embedding holds ${out.length} values, but ${n} points need ${2 * n}.`);
  return out;
}

function definedOnly(options: PlaceOptions): Partial<typeof PLACE_DEFAULTS> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options))
    if (value !== undefined && key in PLACE_DEFAULTS) out[key] = value;
  return out;
}
