/**
 * The pool's task of placing points on a fixed t-SNE map (lib/embed/place.ts): each point's median
 * start and its own short optimisation against the map's repulsion field, chunk by chunk of 512
 * points, each point on its own (the same placement, to the last bit, for any THREADS). In a file of
 * its own so that place.ts stays short.
 */
import { FieldParts, readField } from './repulsion-field';
import { runChunks } from '../parallel/pool';

/**
 * Places one block of points on the pool (chunks of POINTS_PER_CHUNK); `heard` hears the block's points placed.
 * @example placeBlock(args, (done) => console.log(done)) // args.placed, args.kl, args.steps filled for args.m points
 */
export function placeBlock(args: PlaceArgs, heard: (done: number) => void): void {
  pointsPlaced = heard;
  try {
    runChunks({
      module: __filename,
      name: 'placeChunk',
      args,
      chunks: Math.ceil(args.m / POINTS_PER_CHUNK),
      onWait: () => heard(Atomics.load(args.done, 0)),
    });
  } finally {
    pointsPlaced = undefined;
  }
}

/** Steps in a row shorter than the tolerance that stop a point (see PlaceOptions.tolerance). */
const STILL_STEPS = 10;

/** Points per chunk of the pool's task (a constant: the chunks never depend on the number of threads). */
const POINTS_PER_CHUNK = 512;

/** What every chunk of {@link placeChunk} reads and writes (shared arrays). */
export interface PlaceArgs {
  readonly m: number;
  /** Neighbours stored per new point, of which the first `startCount` start it and the first `affinityCount` attract it. */
  readonly width: number;
  readonly startCount: number;
  readonly affinityCount: number;
  readonly indices: Int32Array;
  /** m × affinityCount affinities. */
  readonly probabilities: Float64Array;
  /** The reference map, n × 2, and its repulsion field. */
  readonly embedding: Float64Array;
  readonly field: FieldParts;
  readonly iterations: number;
  readonly tolerance: number;
  readonly learningRate: number;
  readonly momentum: number;
  readonly exaggeration: number;
  readonly maxGradientNorm: number;
  /** Outputs: m × 2 starts and placements, and each point's final KL. */
  readonly start: Float64Array;
  readonly placed: Float64Array;
  readonly kl: Float64Array;
  /** Output: the steps each point took. */
  readonly steps: Int32Array;
  /** Int32 [points placed by every thread], for the progress reports. */
  readonly done: Int32Array;
}

/** On the calling thread only (a worker's copy of this module never sets it): hears the points placed. */
let pointsPlaced: ((done: number) => void) | undefined;

/**
 * Places new points [chunk · 512, (chunk + 1) · 512): one chunk of the pool's task.
 * @example runChunks({ module: __filename, name: 'placeChunk', args, chunks: Math.ceil(args.m / 512) })
 */
export function placeChunk(args: PlaceArgs, chunk: number): void {
  const { width, startCount, affinityCount, indices, probabilities, embedding, field, start, placed } = args;
  const { iterations, learningRate, momentum, exaggeration, maxGradientNorm } = args;
  const toleranceSquared = args.tolerance * args.tolerance;
  const { originX, originY, spacing, columns, grid } = field;
  // Without a grid (columns 0) no position is inside it: every read walks the tree.
  const lastColumn = columns - 1;
  const lastRow = field.rows - 1;
  const xs = new Float64Array(startCount);
  const ys = new Float64Array(startCount);
  const out = new Float64Array(3);
  const neighbourX = new Float64Array(affinityCount);
  const neighbourY = new Float64Array(affinityCount);
  const weights = new Float64Array(affinityCount);
  const end = Math.min(args.m, (chunk + 1) * POINTS_PER_CHUNK);
  for (let i = chunk * POINTS_PER_CHUNK; i < end; i++) {
    const base = i * width;
    for (let a = 0; a < startCount; a++) {
      const j = indices[base + a];
      xs[a] = embedding[2 * j];
      ys[a] = embedding[2 * j + 1];
    }
    let x = median(xs);
    let y = median(ys);
    start[2 * i] = x;
    start[2 * i + 1] = y;
    for (let a = 0; a < affinityCount; a++) {
      const j = indices[base + a];
      neighbourX[a] = embedding[2 * j];
      neighbourY[a] = embedding[2 * j + 1];
      weights[a] = probabilities[i * affinityCount + a];
    }
    let updateX = 0;
    let updateY = 0;
    let gainX = 1;
    let gainY = 1;
    let still = 0;
    let t = 0;
    while (t < iterations) {
      t++;
      let attractX = 0;
      let attractY = 0;
      for (let a = 0; a < affinityCount; a++) {
        const dx = x - neighbourX[a];
        const dy = y - neighbourY[a];
        const pw = weights[a] / (1 + dx * dx + dy * dy);
        attractX += pw * dx;
        attractY += pw * dy;
      }
      // The field at (x, y): readField's bilinear interpolation inlined, the tree off the grid.
      let z: number, rx: number, ry: number;
      const u = (x - originX) / spacing;
      const v = (y - originY) / spacing;
      const c = Math.floor(u);
      const r = Math.floor(v);
      if (c >= 0 && r >= 0 && c < lastColumn && r < lastRow) {
        const fu = u - c;
        const fv = v - r;
        const g = 3 * (r * columns + c);
        const h = g + 3 * columns;
        const w00 = (1 - fu) * (1 - fv);
        const w10 = fu * (1 - fv);
        const w01 = (1 - fu) * fv;
        const w11 = fu * fv;
        z = w00 * grid[g] + w10 * grid[g + 3] + w01 * grid[h] + w11 * grid[h + 3];
        rx = w00 * grid[g + 1] + w10 * grid[g + 4] + w01 * grid[h + 1] + w11 * grid[h + 4];
        ry = w00 * grid[g + 2] + w10 * grid[g + 5] + w01 * grid[h + 2] + w11 * grid[h + 5];
      } else {
        readField(field, x, y, out);
        z = out[0];
        rx = out[1];
        ry = out[2];
      }
      let gradientX = 2 * (exaggeration * attractX - rx / z);
      let gradientY = 2 * (exaggeration * attractY - ry / z);
      const norm = Math.sqrt(gradientX * gradientX + gradientY * gradientY);
      if (norm > maxGradientNorm) {
        gradientX *= maxGradientNorm / norm;
        gradientY *= maxGradientNorm / norm;
      }
      gainX = updateX * gradientX < 0 ? gainX + 0.2 : Math.max(gainX * 0.8, 0.01);
      gainY = updateY * gradientY < 0 ? gainY + 0.2 : Math.max(gainY * 0.8, 0.01);
      updateX = momentum * updateX - learningRate * gainX * gradientX;
      updateY = momentum * updateY - learningRate * gainY * gradientY;
      x += updateX;
      y += updateY;
      if (updateX * updateX + updateY * updateY < toleranceSquared) {
        if (++still === STILL_STEPS) break;
      } else still = 0;
    }
    placed[2 * i] = x;
    placed[2 * i + 1] = y;
    // KL(p‖q) of the final position: Σ p log p − Σ p log w + log Z.
    readField(field, x, y, out);
    let kl = Math.log(out[0]);
    for (let a = 0; a < affinityCount; a++) {
      const p = weights[a];
      if (p <= 0) continue;
      const dx = x - neighbourX[a];
      const dy = y - neighbourY[a];
      kl += p * (Math.log(p) + Math.log(1 + dx * dx + dy * dy));
    }
    args.kl[i] = kl;
    args.steps[i] = t;
    pointsPlaced?.(Atomics.add(args.done, 0, 1) + 1);
  }
}

/**
 * The median of the values (the mean of the middle two for an even count); reorders `values`.
 * @example median(Float64Array.of(3, 1, 2, 10)) // 2.5
 */
export function median(values: Float64Array): number {
  values.sort();
  const middle = values.length >> 1;
  return values.length % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}
