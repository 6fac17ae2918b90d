/**
 * The repulsive part of t-SNE's gradient for a point moving over a FIXED 2-D reference embedding,
 * as a field that can be read anywhere: for a position y and reference points y_j,
 *   Z(y) = Σ_j w_j,   R(y) = Σ_j w_j² (y − y_j),   with w_j = 1 / (1 + ‖y − y_j‖²),
 * so that the repulsion on a new point at y is R(y) / Z(y) (see lib/embed/place.ts).
 *
 * Computed once, since the reference points never move: a Barnes–Hut quadtree (van der Maaten
 * 2014, JMLR 15, §4.2) gives the sums on a regular grid, read between the nodes by bilinear
 * interpolation, the idea of interpolation-based t-SNE (Linderman et al. 2019, Nature Methods 16,
 * 243–245) that openTSNE's `transform` uses; off the grid the tree is walked directly. The grid
 * rows are filled on the worker pool (lib/parallel/pool.ts), each node on its own: the same values
 * for any THREADS. The field's arrays are shared, so placing chunks read it in any thread.
 *
 * Written here because no npm t-SNE places new points on a fixed map (openTSNE is Python); the
 * grid comes from the tree rather than from an FFT, which is simpler. Details: docs/tsne.md.
 */
import { runChunks, sharedFloat64, sharedInt32 } from '../parallel/pool';

/** Options of {@link RepulsionField}. */
export interface RepulsionFieldOptions {
  /** Barnes–Hut opening angle for the grid values and the positions off the grid (default 0.5; 0 is exact). */
  theta?: number;
  /** Distance between grid nodes in embedding units (default 0.2); the grid is capped at `maxNodes` per side. */
  spacing?: number;
  /** Most grid nodes per side (default 1024). */
  maxNodes?: number;
  /** Margin added around the reference embedding's bounding box, in embedding units (default: 5 % of its larger side, at least 2). */
  margin?: number;
  /** Tabulate on a grid (default true); false walks the tree for every read. */
  grid?: boolean;
}

const LEAF_SIZE = 4;
const MAX_DEPTH = 40;
/** Grid rows per chunk of the pool's task (a constant: the chunks never depend on the number of threads). */
const GRID_ROWS_PER_CHUNK = 8;

/** A field's tree and grid (shared arrays) and sizes: all that reading it needs, in any thread. */
export interface FieldParts {
  // Quadtree, depth first.
  readonly nodeX: Float64Array;
  readonly nodeY: Float64Array;
  readonly nodeCount: Float64Array;
  readonly nodeWidthSquared: Float64Array;
  readonly nodeNext: Int32Array;
  /** −1 for an inner node. */
  readonly nodeLeafStart: Int32Array;
  readonly nodeLeafEnd: Int32Array;
  readonly nodes: number;
  readonly pointX: Float64Array;
  readonly pointY: Float64Array;
  readonly thetaSquared: number;
  // Grid: nodes per side (0 without a grid), origin, spacing, and Z, Rx, Ry of node g at 3g.
  readonly columns: number;
  readonly rows: number;
  readonly originX: number;
  readonly originY: number;
  readonly spacing: number;
  readonly grid: Float64Array;
}

/**
 * Z and R of a fixed reference embedding (see the file header), read with {@link RepulsionField.at}.
 * @example
 * const field = new RepulsionField(new Float64Array([0, 0]), 1, { grid: false });
 * const out = new Float64Array(3);
 * field.at(1, 0, out); // out = [Z, Rx, Ry] = [1/2, 1/4, 0]
 */
export class RepulsionField {
  /** The number of reference points. */
  readonly n: number;
  /** The opening angle θ. */
  readonly theta: number;
  /** Grid nodes per side (0 without a grid). */
  readonly columns: number;
  readonly rows: number;
  /** The tree and grid, shared with the pool's workers (see {@link readField}). */
  readonly parts: FieldParts;
  // Quadtree, depth first, while it is built.
  private readonly nodeX: Float64Array;
  private readonly nodeY: Float64Array;
  private readonly nodeCount: Float64Array;
  private readonly nodeWidthSquared: Float64Array;
  private readonly nodeNext: Int32Array;
  private readonly nodeLeafStart: Int32Array; // −1 for an inner node
  private readonly nodeLeafEnd: Int32Array;
  private nodes = 0;

  constructor(embedding: Float64Array, n: number, options: RepulsionFieldOptions = {}) {
    const theta = options.theta ?? 0.5;
    if (!(theta >= 0) || !Number.isFinite(theta)) throw new Error(`θ (theta) must be a number ≥ 0, got ${theta}.`);
    if (!Number.isInteger(n) || n < 1 || embedding.length !== 2 * n) {
      throw new Error(
        `The reference embedding must hold n × 2 values for at least one point, got ${embedding.length} values for n = ${n}.`,
      );
    }
    this.n = n;
    this.theta = theta;
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = embedding[2 * i];
      const y = embedding[2 * i + 1];
      if (!Number.isFinite(x) || !Number.isFinite(y))
        throw new Error(`Reference point ${i} is at (${x}, ${y}); positions must be finite.`);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const maxNodes = 8 * Math.ceil(n / LEAF_SIZE) + 8 * MAX_DEPTH + 1;
    this.nodeX = sharedFloat64(maxNodes);
    this.nodeY = sharedFloat64(maxNodes);
    this.nodeCount = sharedFloat64(maxNodes);
    this.nodeWidthSquared = sharedFloat64(maxNodes);
    this.nodeNext = sharedInt32(maxNodes);
    this.nodeLeafStart = sharedInt32(maxNodes);
    this.nodeLeafEnd = sharedInt32(maxNodes);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const side = Math.max(maxX - minX, maxY - minY, 1e-12);
    this.build(embedding, order, 0, n, minX, minY, side, 0);
    const pointX = sharedFloat64(n);
    const pointY = sharedFloat64(n);
    for (let p = 0; p < n; p++) {
      pointX[p] = embedding[2 * order[p]];
      pointY[p] = embedding[2 * order[p] + 1];
    }

    const margin = options.margin ?? Math.max(2, 0.05 * side);
    const wanted = options.spacing ?? 0.2;
    const nodesCap = options.maxNodes ?? 1024;
    if (!(wanted > 0)) throw new Error(`The grid spacing must be positive, got ${wanted}.`);
    if (!Number.isInteger(nodesCap) || nodesCap < 2)
      throw new Error(`maxNodes must be a whole number of at least 2, got ${nodesCap}.`);
    if (!(margin >= 0)) throw new Error(`The margin must be zero or positive, got ${margin}.`);
    const width = maxX - minX + 2 * margin;
    const height = maxY - minY + 2 * margin;
    const spacing = Math.max(wanted, Math.max(width, height) / (nodesCap - 1));
    const tree = {
      nodeX: this.nodeX,
      nodeY: this.nodeY,
      nodeCount: this.nodeCount,
      nodeWidthSquared: this.nodeWidthSquared,
      nodeNext: this.nodeNext,
      nodeLeafStart: this.nodeLeafStart,
      nodeLeafEnd: this.nodeLeafEnd,
      nodes: this.nodes,
      pointX,
      pointY,
      thetaSquared: theta * theta,
      originX: minX - margin,
      originY: minY - margin,
      spacing,
    };
    if (options.grid === false) {
      this.columns = 0;
      this.rows = 0;
      this.parts = { ...tree, columns: 0, rows: 0, grid: new Float64Array(0) };
      return;
    }
    this.columns = Math.ceil(width / spacing) + 1;
    this.rows = Math.ceil(height / spacing) + 1;
    this.parts = { ...tree, columns: this.columns, rows: this.rows, grid: sharedFloat64(3 * this.columns * this.rows) };
    runChunks({
      module: __filename,
      name: 'gridChunk',
      args: this.parts,
      chunks: Math.ceil(this.rows / GRID_ROWS_PER_CHUNK),
    });
  }

  /**
   * Z, Rx and Ry at (x, y) into `out` (from the grid, or from the tree off the grid).
   * @example field.at(0, 0, out); // out[1] / out[0] is the x part of the repulsion at the origin
   */
  at(x: number, y: number, out: Float64Array): void {
    readField(this.parts, x, y, out);
  }

  /**
   * Z, Rx and Ry at (x, y) into `out` by walking the tree (exact when θ = 0).
   * @example field.walk(1, 0, out); // out = [Z, Rx, Ry]
   */
  walk(x: number, y: number, out: Float64Array): void {
    walkField(this.parts, x, y, out);
  }

  /** Builds the node over order[from, to) in the square at (x0, y0) of side `side`; returns its number. */
  private build(
    embedding: Float64Array,
    order: Int32Array,
    from: number,
    to: number,
    x0: number,
    y0: number,
    side: number,
    depth: number,
  ): number {
    const node = this.nodes++;
    let sx = 0;
    let sy = 0;
    for (let p = from; p < to; p++) {
      sx += embedding[2 * order[p]];
      sy += embedding[2 * order[p] + 1];
    }
    const count = to - from;
    this.nodeX[node] = sx / count;
    this.nodeY[node] = sy / count;
    this.nodeCount[node] = count;
    this.nodeWidthSquared[node] = side * side;
    if (count <= LEAF_SIZE || depth >= MAX_DEPTH) {
      this.nodeLeafStart[node] = from;
      this.nodeLeafEnd[node] = to;
      this.nodeNext[node] = this.nodes;
      return node;
    }
    this.nodeLeafStart[node] = -1;
    this.nodeLeafEnd[node] = -1;
    // Partition into the four quadrants: by x into two runs, then each by y.
    const half = side / 2;
    const midX = x0 + half;
    const midY = y0 + half;
    const splitX = partition(embedding, order, from, to, 0, midX);
    const splitLow = partition(embedding, order, from, splitX, 1, midY);
    const splitHigh = partition(embedding, order, splitX, to, 1, midY);
    const quadrants: [number, number, number, number][] = [
      [from, splitLow, x0, y0],
      [splitLow, splitX, x0, midY],
      [splitX, splitHigh, midX, y0],
      [splitHigh, to, midX, midY],
    ];
    for (const [a, b, qx, qy] of quadrants) if (b > a) this.build(embedding, order, a, b, qx, qy, half, depth + 1);
    this.nodeNext[node] = this.nodes;
    return node;
  }
}

/**
 * The grid nodes of rows [chunk · 8, (chunk + 1) · 8): one chunk of the pool's task.
 * @example runChunks({ module: __filename, name: 'gridChunk', args: parts, chunks: Math.ceil(parts.rows / 8) })
 */
export function gridChunk(parts: FieldParts, chunk: number): void {
  const { columns, originX, originY, spacing, grid } = parts;
  const end = Math.min(parts.rows, (chunk + 1) * GRID_ROWS_PER_CHUNK);
  const out = new Float64Array(3);
  for (let r = chunk * GRID_ROWS_PER_CHUNK; r < end; r++) {
    for (let c = 0; c < columns; c++) {
      walkField(parts, originX + c * spacing, originY + r * spacing, out);
      const g = 3 * (r * columns + c);
      grid[g] = out[0];
      grid[g + 1] = out[1];
      grid[g + 2] = out[2];
    }
  }
}

/**
 * Z, Rx and Ry at (x, y) into `out`, from the grid by bilinear interpolation, or from the tree off
 * the grid ({@link RepulsionField.at}, for any thread holding the field's parts).
 * @example readField(field.parts, 0, 0, out)
 */
export function readField(parts: FieldParts, x: number, y: number, out: Float64Array): void {
  const columns = parts.columns;
  if (columns === 0) {
    walkField(parts, x, y, out);
    return;
  }
  const u = (x - parts.originX) / parts.spacing;
  const v = (y - parts.originY) / parts.spacing;
  const c = Math.floor(u);
  const r = Math.floor(v);
  if (!(c >= 0 && r >= 0 && c < columns - 1 && r < parts.rows - 1)) {
    walkField(parts, x, y, out);
    return;
  }
  const fu = u - c;
  const fv = v - r;
  const g = 3 * (r * columns + c);
  const h = g + 3 * columns;
  const w00 = (1 - fu) * (1 - fv);
  const w10 = fu * (1 - fv);
  const w01 = (1 - fu) * fv;
  const w11 = fu * fv;
  const grid = parts.grid;
  out[0] = w00 * grid[g] + w10 * grid[g + 3] + w01 * grid[h] + w11 * grid[h + 3];
  out[1] = w00 * grid[g + 1] + w10 * grid[g + 4] + w01 * grid[h + 1] + w11 * grid[h + 4];
  out[2] = w00 * grid[g + 2] + w10 * grid[g + 5] + w01 * grid[h + 2] + w11 * grid[h + 5];
}

/**
 * Z, Rx and Ry at (x, y) into `out` by walking the tree (exact when θ = 0; {@link RepulsionField.walk}).
 * @example walkField(field.parts, 1, 0, out)
 */
export function walkField(parts: FieldParts, x: number, y: number, out: Float64Array): void {
  let z = 0;
  let rx = 0;
  let ry = 0;
  const { nodeX, nodeY, nodeCount, nodeWidthSquared, nodeNext, nodeLeafStart, nodeLeafEnd, pointX, pointY } = parts;
  const thetaSquared = parts.thetaSquared;
  const total = parts.nodes;
  let node = 0;
  while (node < total) {
    const leaf = nodeLeafStart[node];
    if (leaf >= 0) {
      for (let p = leaf; p < nodeLeafEnd[node]; p++) {
        const dx = x - pointX[p];
        const dy = y - pointY[p];
        const w = 1 / (1 + dx * dx + dy * dy);
        z += w;
        const w2 = w * w;
        rx += w2 * dx;
        ry += w2 * dy;
      }
      node = nodeNext[node];
      continue;
    }
    const dx = x - nodeX[node];
    const dy = y - nodeY[node];
    const d2 = dx * dx + dy * dy;
    if (nodeWidthSquared[node] < thetaSquared * d2) {
      const w = 1 / (1 + d2);
      const cw = nodeCount[node] * w;
      z += cw;
      rx += cw * w * dx;
      ry += cw * w * dy;
      node = nodeNext[node];
    } else {
      node++;
    }
  }
  out[0] = z;
  out[1] = rx;
  out[2] = ry;
}

/** Moves the points of order[from, to) with coordinate `axis` below `value` to the front; returns where the rest starts. */
function partition(
  embedding: Float64Array,
  order: Int32Array,
  from: number,
  to: number,
  axis: number,
  value: number,
): number {
  let i = from;
  for (let p = from; p < to; p++) {
    if (embedding[2 * order[p] + axis] < value) {
      const swap = order[i];
      order[i] = order[p];
      order[p] = swap;
      i++;
    }
  }
  return i;
}
