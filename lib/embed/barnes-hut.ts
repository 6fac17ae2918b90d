/**
 * The Barnes–Hut gradient of t-SNE's KL divergence in two dimensions, and the KL divergence
 * itself, as scikit-learn 1.9 computes them (`sklearn/manifold/_barnes_hut_tsne.pyx`): the
 * attraction over the sparse P, the repulsion and Z approximated on a quadtree with scikit-learn's
 * θ test. Reference: van der Maaten (2014), JMLR 15, §4.2,
 * https://jmlr.org/papers/v15/vandermaaten14a.html.
 *
 * Written here, as part of lib/embed/tsne.ts (see there why). The tree is laid out for speed
 * (Morton order, a stackless depth-first walk, one walk per group of up to 32 points) with an error
 * bounded as scikit-learn's or tighter: the formulas and the layout are in docs/tsne.md.
 */
import { SparseAffinities } from './perplexity';
import { ForcesArgs, GROUP_SIZE, GROUPS_PER_CHUNK, zTermCount } from './barnes-hut-forces';
import { getThreads, runChunks, sharedFloat64, sharedInt32, toShared } from '../parallel/pool';

const FORCES_MODULE = require.resolve('./barnes-hut-forces');

const FLOAT32_TINY = 1.1754943508222875e-38;
const LEVELS = 16;

/** Options of {@link BarnesHutGradient}. */
export interface BarnesHutOptions {
  /** The opening angle θ ≥ 0; default 0.5 (scikit-learn's `angle`). */
  theta?: number;
}

/**
 * Computes t-SNE gradients for one fixed P on changing 2-D embeddings, reusing its buffers.
 * @example
 * const P = jointProbabilities(nearestNeighbours(points, 3), 1);
 * const bh = new BarnesHutGradient(P);
 * const gradient = new Float64Array(2 * P.n);
 * const kl = bh.gradient(embedding, gradient, 1, true); // KL(P‖Q) of `embedding`, gradient filled
 */
export class BarnesHutGradient {
  /** The number of points. */
  readonly n: number;
  /** The opening angle θ. */
  readonly theta: number;

  // P above the diagonal (j > i), in compressed rows (for the KL divergence).
  private readonly upperStart: Int32Array;
  private readonly upperColumns: Int32Array;
  private readonly upperValues: Float64Array;

  // Per point, in Morton order.
  private readonly codes: Uint32Array;
  private readonly order: Int32Array;
  private readonly codesSwap: Uint32Array;
  private readonly orderSwap: Int32Array;
  private readonly sortedX: Float64Array;
  private readonly sortedY: Float64Array;
  /** The positions of the current call, shared with the pool's workers. */
  private readonly positions: Float64Array;
  // All of P (both triangles), shared, for the attraction row by row.
  private readonly rowStart: Int32Array;
  private readonly columns: Int32Array;
  private readonly values: Float64Array;

  // Per node, depth first.
  private readonly nodeX: Float64Array;
  private readonly nodeY: Float64Array;
  private readonly nodeCount: Float64Array;
  /** Squared distance beyond which a node is taken as one body (−1 for leaves). */
  private readonly nodeOpen: Float64Array;
  private readonly nodeNext: Int32Array;
  private readonly nodeFirst: Int32Array;
  private nodes = 0;
  /** Nodes whose points are walked together (see {@link GROUP_SIZE}), in Morton order. */
  private readonly groupNode: Int32Array;
  private groups = 0;
  /** Where each group's terms of Z start, and the terms (summed here in group order). */
  private readonly termStart: Float64Array;
  private zTerms: Float64Array;
  private readonly widthSquared = new Float64Array(LEVELS + 1);

  // Forces.
  private readonly attractive: Float64Array;
  private readonly repulsive: Float64Array;

  /** Z = Σ_{k≠l} w_kl of the last call. */
  lastZ = NaN;

  constructor(affinities: SparseAffinities, options: BarnesHutOptions = {}) {
    const theta = options.theta ?? 0.5;
    if (!(theta >= 0) || !Number.isFinite(theta)) throw new Error(`θ (theta) must be a number ≥ 0, got ${theta}.`);
    this.theta = theta;
    const n = affinities.n;
    this.n = n;
    const { rowStart, columns, values } = affinities;
    let upper = 0;
    for (let i = 0; i < n; i++) {
      for (let p = rowStart[i]; p < rowStart[i + 1]; p++) if (columns[p] > i) upper++;
    }
    this.upperStart = new Int32Array(n + 1);
    this.upperColumns = new Int32Array(upper);
    this.upperValues = new Float64Array(upper);
    let e = 0;
    for (let i = 0; i < n; i++) {
      for (let p = rowStart[i]; p < rowStart[i + 1]; p++) {
        if (columns[p] > i) {
          this.upperColumns[e] = columns[p];
          this.upperValues[e++] = values[p];
        }
      }
      this.upperStart[i + 1] = e;
    }
    // jointProbabilities' P is shared already (no copy); another P is copied once.
    this.rowStart = toShared(rowStart);
    this.columns = toShared(columns);
    this.values = toShared(values);
    // What the pool's workers read or write lives in shared buffers; the rest is this thread's.
    this.codes = new Uint32Array(n);
    this.order = sharedInt32(n);
    this.codesSwap = new Uint32Array(n);
    this.orderSwap = new Int32Array(n);
    this.sortedX = sharedFloat64(n);
    this.sortedY = sharedFloat64(n);
    this.positions = sharedFloat64(2 * n);
    // A tree without single-child cells has at most 2n − 1 nodes.
    const maxNodes = Math.max(2 * n - 1, 1);
    this.nodeX = sharedFloat64(maxNodes);
    this.nodeY = sharedFloat64(maxNodes);
    this.nodeCount = sharedFloat64(maxNodes);
    this.nodeOpen = sharedFloat64(maxNodes);
    this.nodeNext = sharedInt32(maxNodes);
    this.nodeFirst = sharedInt32(maxNodes);
    this.groupNode = sharedInt32(Math.max(n, 1));
    this.termStart = sharedFloat64(Math.max(n, 1) + 1);
    this.zTerms = sharedFloat64(0);
    this.attractive = sharedFloat64(2 * n);
    this.repulsive = sharedFloat64(2 * n);
  }

  /**
   * Fills `gradient` (n·2, row-major like `positions`) with the gradient of KL(P‖Q), P multiplied
   * by `exaggeration`, and returns that KL divergence when `computeError` is true (NaN otherwise),
   * computed as scikit-learn does: Σ p log(max(p, tiny) / max(q, tiny)) over the stored P, with
   * p the exaggerated value.
   */
  gradient(positions: Float64Array, gradient: Float64Array, exaggeration = 1, computeError = false): number {
    const n = this.n;
    if (positions.length !== 2 * n || gradient.length !== 2 * n) {
      throw new Error(
        `Positions and gradient must hold ${2 * n} values (n × 2), got ${positions.length} and ${gradient.length}.`,
      );
    }
    this.positions.set(positions);
    this.buildTree(this.positions);
    this.forces();
    const zTerms = this.zTerms;
    const terms = this.termStart[this.groups];
    let z = 0;
    for (let t = 0; t < terms; t++) z += zTerms[t];
    this.lastZ = z;
    const kl = computeError ? this.divergence(positions, exaggeration, z) : NaN;
    const attractive = this.attractive;
    const repulsive = this.repulsive;
    const inverseZ = 1 / z;
    for (let p = 0; p < 2 * n; p++) gradient[p] = 4 * (exaggeration * attractive[p] - repulsive[p] * inverseZ);
    return kl;
  }

  /**
   * The forces on every point, on the pool: each chunk takes GROUPS_PER_CHUNK groups of the tree
   * (lib/embed/barnes-hut-forces.ts). Every point's forces and every group's Z are written to
   * their own slots, so the result does not depend on the number of threads.
   */
  private forces(): void {
    // On one thread, the attraction visits each stored pair once for both points (half the work of
    // two rows); the sums are the same either way (see lib/embed/barnes-hut-forces.ts).
    const rowWise = getThreads() > 1;
    const termStart = this.termStart;
    termStart[0] = 0;
    for (let g = 0; g < this.groups; g++) {
      termStart[g + 1] = termStart[g] + zTermCount(this.nodeCount[this.groupNode[g]]);
    }
    const terms = termStart[this.groups];
    if (this.zTerms.length < terms) this.zTerms = sharedFloat64(Math.ceil(terms * 1.25));
    const args: ForcesArgs = {
      groups: this.groups,
      nodes: this.nodes,
      order: this.order,
      sortedX: this.sortedX,
      sortedY: this.sortedY,
      nodeX: this.nodeX,
      nodeY: this.nodeY,
      nodeCount: this.nodeCount,
      nodeOpen: this.nodeOpen,
      nodeNext: this.nodeNext,
      nodeFirst: this.nodeFirst,
      groupNode: this.groupNode,
      positions: this.positions,
      rowStart: this.rowStart,
      columns: this.columns,
      values: this.values,
      attractive: this.attractive,
      repulsive: this.repulsive,
      termStart,
      zTerms: this.zTerms,
      attraction: rowWise,
    };
    runChunks({
      module: FORCES_MODULE,
      name: 'forcesChunk',
      args,
      chunks: Math.ceil(this.groups / GROUPS_PER_CHUNK),
    });
    if (!rowWise) this.attractionOnce();
  }

  /**
   * Σ_j p_ij w_ij (y_i − y_j) into `attractive`, each stored pair above the diagonal visited once
   * and applied to both points: for each point, the pairs with lower points arrive first (in
   * increasing order) and those with higher points are added last as one sum, the very sums the
   * chunks make row by row.
   */
  private attractionOnce(): void {
    const n = this.n;
    const positions = this.positions;
    const force = this.attractive;
    force.fill(0);
    const start = this.upperStart;
    const columns = this.upperColumns;
    const values = this.upperValues;
    for (let i = 0; i < n; i++) {
      const xi = positions[2 * i];
      const yi = positions[2 * i + 1];
      let fx = 0;
      let fy = 0;
      for (let e = start[i]; e < start[i + 1]; e++) {
        const j = columns[e];
        const dx = xi - positions[2 * j];
        const dy = yi - positions[2 * j + 1];
        const w = 1 / (1 + dx * dx + dy * dy);
        const pw = values[e] * w;
        fx += pw * dx;
        fy += pw * dy;
        force[2 * j] -= pw * dx;
        force[2 * j + 1] -= pw * dy;
      }
      force[2 * i] += fx;
      force[2 * i + 1] += fy;
    }
  }

  /**
   * KL(P‖Q) as scikit-learn computes it, P multiplied by `exaggeration`: Σ p log(max(p, tiny) /
   * max(q, tiny)) over the stored P, each stored pair above the diagonal standing for both of its
   * entries. On the calling thread: it runs every 50 iterations only.
   */
  private divergence(positions: Float64Array, exaggeration: number, z: number): number {
    const n = this.n;
    const start = this.upperStart;
    const columns = this.upperColumns;
    const values = this.upperValues;
    let kl = 0;
    for (let i = 0; i < n; i++) {
      const xi = positions[2 * i];
      const yi = positions[2 * i + 1];
      for (let e = start[i]; e < start[i + 1]; e++) {
        const j = columns[e];
        const dx = xi - positions[2 * j];
        const dy = yi - positions[2 * j + 1];
        const q = 1 / (1 + dx * dx + dy * dy) / z;
        const p = exaggeration * values[e];
        kl += 2 * p * Math.log(Math.max(p, FLOAT32_TINY) / Math.max(q, FLOAT32_TINY));
      }
    }
    return kl;
  }

  /** Sorts the points by Morton code and builds the tree over that order. */
  private buildTree(positions: Float64Array): void {
    const n = this.n;
    let minX = Infinity,
      maxX = -Infinity,
      minY = Infinity,
      maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = positions[2 * i];
      const y = positions[2 * i + 1];
      if (!(Number.isFinite(x) && Number.isFinite(y))) {
        throw new Error(`Point ${i} of the embedding is not finite (${x}, ${y}); the optimisation diverged.`);
      }
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const width = maxX - minX;
    const height = maxY - minY;
    const scaleX = width > 0 ? 65536 / width : 0;
    const scaleY = height > 0 ? 65536 / height : 0;
    const side = Math.max(width, height);
    for (let level = 0; level <= LEVELS; level++) {
      const w = side / 2 ** level;
      this.widthSquared[level] = w * w;
    }
    const codes = this.codes;
    const order = this.order;
    for (let i = 0; i < n; i++) {
      let qx = Math.floor((positions[2 * i] - minX) * scaleX);
      let qy = Math.floor((positions[2 * i + 1] - minY) * scaleY);
      if (qx > 65535) qx = 65535;
      if (qy > 65535) qy = 65535;
      codes[i] = ((spreadBits(qx) << 1) | spreadBits(qy)) >>> 0;
      order[i] = i;
    }
    this.radixSort();
    const sortedX = this.sortedX;
    const sortedY = this.sortedY;
    for (let s = 0; s < n; s++) {
      const i = order[s];
      sortedX[s] = positions[2 * i];
      sortedY[s] = positions[2 * i + 1];
    }
    this.nodes = 0;
    this.groups = 0;
    if (n > 0) this.buildNode(0, n, false);
  }

  /** Sorts `codes` (carrying `order`) with four 8-bit passes, least significant first. */
  private radixSort(): void {
    const n = this.n;
    let codes = this.codes;
    let order = this.order;
    let codesOut = this.codesSwap;
    let orderOut = this.orderSwap;
    const counts = new Int32Array(256);
    for (let shift = 0; shift < 32; shift += 8) {
      counts.fill(0);
      for (let s = 0; s < n; s++) counts[(codes[s] >>> shift) & 255]++;
      let sum = 0;
      for (let b = 0; b < 256; b++) {
        const c = counts[b];
        counts[b] = sum;
        sum += c;
      }
      for (let s = 0; s < n; s++) {
        const b = (codes[s] >>> shift) & 255;
        const t = counts[b]++;
        codesOut[t] = codes[s];
        orderOut[t] = order[s];
      }
      [codes, codesOut] = [codesOut, codes];
      [order, orderOut] = [orderOut, order];
    }
    // Four passes: the result is back in this.codes / this.order.
  }

  /** Builds the node for sorted points [start, end) and its subtree, depth first. */
  private buildNode(start: number, end: number, inGroup: boolean): void {
    const node = this.nodes++;
    const codes = this.codes;
    this.nodeFirst[node] = start;
    const first = codes[start];
    const last = codes[end - 1];
    const leaf = end - start === 1 || first === last;
    if (!inGroup && (leaf || end - start <= GROUP_SIZE)) {
      this.groupNode[this.groups++] = node;
      inGroup = true;
    }
    if (leaf) {
      // A leaf: one point, or several sharing every level of the code.
      let sx = 0;
      let sy = 0;
      for (let s = start; s < end; s++) {
        sx += this.sortedX[s];
        sy += this.sortedY[s];
      }
      const count = end - start;
      this.nodeX[node] = sx / count;
      this.nodeY[node] = sy / count;
      this.nodeCount[node] = count;
      this.nodeOpen[node] = -1;
      this.nodeNext[node] = this.nodes;
      return;
    }
    // The smallest cell holding every point of the range: the codes agree on `level` bit pairs.
    const level = Math.clz32(first ^ last) >> 1;
    const shift = 30 - 2 * level;
    const theta = this.theta;
    this.nodeOpen[node] = theta > 0 ? this.widthSquared[level] / (theta * theta) : Infinity;
    let sx = 0;
    let sy = 0;
    let s = start;
    while (s < end) {
      const quadrant = (codes[s] >>> shift) & 3;
      let e = s + 1;
      while (e < end && ((codes[e] >>> shift) & 3) === quadrant) e++;
      const child = this.nodes;
      this.buildNode(s, e, inGroup);
      const count = this.nodeCount[child];
      sx += count * this.nodeX[child];
      sy += count * this.nodeY[child];
      s = e;
    }
    const count = end - start;
    this.nodeX[node] = sx / count;
    this.nodeY[node] = sy / count;
    this.nodeCount[node] = count;
    this.nodeNext[node] = this.nodes;
  }
}

/** Spreads the low 16 bits of v to the even bit positions. */
function spreadBits(v: number): number {
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}
