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

const FLOAT32_TINY = 1.1754943508222875e-38;
const LEVELS = 16;
/**
 * The most points walked together (see `repulsion`). Measured at 10,000 points (the benchmark's
 * final embeddings): 8 is slowest, 32–64 fastest and about level; larger groups are also more
 * accurate (a stricter test), but their exact near field grows as the square.
 */
const GROUP_SIZE = 32;

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

  // P above the diagonal (j > i), in compressed rows.
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
  // The bodies one group interacts with.
  private readonly bodyX: Float64Array;
  private readonly bodyY: Float64Array;
  private readonly bodyCount: Float64Array;
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
    this.codes = new Uint32Array(n);
    this.order = new Int32Array(n);
    this.codesSwap = new Uint32Array(n);
    this.orderSwap = new Int32Array(n);
    this.sortedX = new Float64Array(n);
    this.sortedY = new Float64Array(n);
    // A tree without single-child cells has at most 2n − 1 nodes.
    const maxNodes = Math.max(2 * n - 1, 1);
    this.nodeX = new Float64Array(maxNodes);
    this.nodeY = new Float64Array(maxNodes);
    this.nodeCount = new Float64Array(maxNodes);
    this.nodeOpen = new Float64Array(maxNodes);
    this.nodeNext = new Int32Array(maxNodes);
    this.nodeFirst = new Int32Array(maxNodes);
    this.groupNode = new Int32Array(Math.max(n, 1));
    this.bodyX = new Float64Array(maxNodes);
    this.bodyY = new Float64Array(maxNodes);
    this.bodyCount = new Float64Array(maxNodes);
    this.attractive = new Float64Array(2 * n);
    this.repulsive = new Float64Array(2 * n);
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
    const z = this.repulsion(positions);
    this.lastZ = z;
    const kl = this.attraction(positions, exaggeration, computeError, z);
    const attractive = this.attractive;
    const repulsive = this.repulsive;
    const inverseZ = 1 / z;
    for (let p = 0; p < 2 * n; p++) gradient[p] = 4 * (exaggeration * attractive[p] - repulsive[p] * inverseZ);
    return kl;
  }

  /** Σ_j p_ij w_ij (y_i − y_j) into `attractive`; returns the KL divergence if asked. */
  private attraction(positions: Float64Array, exaggeration: number, computeError: boolean, z: number): number {
    const n = this.n;
    const force = this.attractive;
    force.fill(0);
    const start = this.upperStart;
    const columns = this.upperColumns;
    const values = this.upperValues;
    let kl = 0;
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
    if (!computeError) return NaN;
    for (let i = 0; i < n; i++) {
      const xi = positions[2 * i];
      const yi = positions[2 * i + 1];
      for (let e = start[i]; e < start[i + 1]; e++) {
        const j = columns[e];
        const dx = xi - positions[2 * j];
        const dy = yi - positions[2 * j + 1];
        const q = 1 / (1 + dx * dx + dy * dy) / z;
        const p = exaggeration * values[e];
        // Each stored pair stands for (i, j) and (j, i).
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

  /**
   * Σ_j w_ij² (y_i − y_j) into `repulsive` for every i; returns Z.
   *
   * The tree is walked once per group of at most GROUP_SIZE neighbouring points rather than once
   * per point (Barnes 1990, "A modified tree code: don't laugh; it runs", J. Comput. Phys. 87).
   * A node is taken as one body for the whole group when scikit-learn's test passes for the point
   * of the group's bounding box nearest to the node's centre of mass, hence for every point of
   * the group: every body a point sees passes scikit-learn's test for that point, so the error
   * bound is scikit-learn's or tighter. The group's own points interact one by one, exactly.
   * The walk is then a short loop over nodes and the force a branch-free loop over the bodies
   * found (two points at a time). Measured on the benchmark's final 10,000-point embeddings:
   * 4.0–5.0 ms per repulsion against 6.9–8.6 ms for a walk per point, and the relative RMS error
   * of the whole gradient against the exact one 0.37–0.44 against 0.74–0.88 (at convergence the
   * gradient is a small difference of large forces, so relative errors there look large).
   */
  private repulsion(positions: Float64Array): number {
    this.buildTree(positions);
    const order = this.order;
    const sortedX = this.sortedX;
    const sortedY = this.sortedY;
    const nodeX = this.nodeX;
    const nodeY = this.nodeY;
    const nodeCount = this.nodeCount;
    const nodeOpen = this.nodeOpen;
    const nodeNext = this.nodeNext;
    const nodeFirst = this.nodeFirst;
    const bodyX = this.bodyX;
    const bodyY = this.bodyY;
    const bodyCount = this.bodyCount;
    const nodes = this.nodes;
    const force = this.repulsive;
    let z = 0;
    for (let g = 0; g < this.groups; g++) {
      const group = this.groupNode[g];
      const first = nodeFirst[group];
      const end = first + nodeCount[group];
      let minX = Infinity,
        maxX = -Infinity,
        minY = Infinity,
        maxY = -Infinity;
      for (let s = first; s < end; s++) {
        const x = sortedX[s];
        const y = sortedY[s];
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      // Collect the bodies: nodes far enough from the whole group, and leaves.
      let bodies = 0;
      let k = 0;
      while (k < nodes) {
        if (k === group) {
          k = nodeNext[k];
          continue;
        }
        const cx = nodeX[k];
        const cy = nodeY[k];
        const dx = cx < minX ? minX - cx : cx > maxX ? cx - maxX : 0;
        const dy = cy < minY ? minY - cy : cy > maxY ? cy - maxY : 0;
        if (dx * dx + dy * dy > nodeOpen[k]) {
          bodyX[bodies] = cx;
          bodyY[bodies] = cy;
          bodyCount[bodies++] = nodeCount[k];
          k = nodeNext[k];
        } else {
          k++;
        }
      }
      // Far field. Two points at a time share each body's loads; an odd last point goes alone.
      let s = first;
      for (; s + 1 < end; s += 2) {
        const xa = sortedX[s];
        const ya = sortedY[s];
        const xb = sortedX[s + 1];
        const yb = sortedY[s + 1];
        let fxa = 0,
          fya = 0,
          za = 0,
          fxb = 0,
          fyb = 0,
          zb = 0;
        for (let b = 0; b < bodies; b++) {
          const bx = bodyX[b];
          const by = bodyY[b];
          const count = bodyCount[b];
          const dxa = xa - bx;
          const dya = ya - by;
          const dxb = xb - bx;
          const dyb = yb - by;
          const wa = 1 / (1 + dxa * dxa + dya * dya);
          const wb = 1 / (1 + dxb * dxb + dyb * dyb);
          const ma = count * wa;
          const mb = count * wb;
          za += ma;
          zb += mb;
          const mwa = ma * wa;
          const mwb = mb * wb;
          fxa += mwa * dxa;
          fya += mwa * dya;
          fxb += mwb * dxb;
          fyb += mwb * dyb;
        }
        const i = order[s];
        const j = order[s + 1];
        force[2 * i] = fxa;
        force[2 * i + 1] = fya;
        force[2 * j] = fxb;
        force[2 * j + 1] = fyb;
        z += za + zb;
      }
      if (s < end) {
        const xi = sortedX[s];
        const yi = sortedY[s];
        let fx = 0,
          fy = 0,
          zi = 0;
        for (let b = 0; b < bodies; b++) {
          const dx = xi - bodyX[b];
          const dy = yi - bodyY[b];
          const w = 1 / (1 + dx * dx + dy * dy);
          const m = bodyCount[b] * w;
          zi += m;
          const mw = m * w;
          fx += mw * dx;
          fy += mw * dy;
        }
        const i = order[s];
        force[2 * i] = fx;
        force[2 * i + 1] = fy;
        z += zi;
      }
      // Near field: the group's own pairs, exactly, each pair once for both points.
      for (let a = first; a < end; a++) {
        const xa = sortedX[a];
        const ya = sortedY[a];
        const i = order[a];
        for (let t = a + 1; t < end; t++) {
          const dx = xa - sortedX[t];
          const dy = ya - sortedY[t];
          const w = 1 / (1 + dx * dx + dy * dy);
          const ww = w * w;
          const j = order[t];
          force[2 * i] += ww * dx;
          force[2 * i + 1] += ww * dy;
          force[2 * j] -= ww * dx;
          force[2 * j + 1] -= ww * dy;
          z += 2 * w;
        }
      }
    }
    return z;
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
