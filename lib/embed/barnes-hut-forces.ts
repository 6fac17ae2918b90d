/**
 * The forces of t-SNE's Barnes–Hut gradient for a range of the tree's point groups: one chunk of
 * the pool's task (lib/parallel/pool.ts) called by `BarnesHutGradient` (lib/embed/barnes-hut.ts),
 * which builds the tree on the calling thread and combines the chunks' results.
 *
 * For each point i of the chunk's groups, the repulsion Σ_j w_ij² (y_i − y_j) and Z_i = Σ_j w_ij
 * over the tree (van der Maaten 2014, JMLR 15, §4.2); for each point of the chunk's share of the
 * indices, the attraction Σ_j p_ij w_ij (y_i − y_j) over row i of P (in index order: visiting the
 * rows of P in the tree's order was 2–3 times slower, measured at 10,000 points). Each point's forces and every term of Z go to their own slots of shared arrays,
 * and the calling thread adds the terms of Z in the order one thread would, so the result is the
 * same, to the last bit, whatever thread runs which chunk, and the same as the single-threaded
 * code before the pool (each sum in the same order). Why the tree is walked per group, and its
 * error bound: docs/tsne.md.
 */

/**
 * The most points walked together. Measured at 10,000 points (the benchmark's final embeddings):
 * 8 is slowest, 32–64 fastest and about level; larger groups are also more accurate (a stricter
 * test), but their exact near field grows as the square.
 */
export const GROUP_SIZE = 32;

/**
 * Groups per chunk of the pool's task: a fixed number, so that the chunks depend on the tree only
 * (never on the number of threads); about 30 chunks at 10,000 points, enough to share the work.
 */
export const GROUPS_PER_CHUNK = 16;

/** What every chunk reads and writes (typed arrays on SharedArrayBuffers). */
export interface ForcesArgs {
  /** Groups and nodes of the current tree. */
  readonly groups: number;
  readonly nodes: number;
  /** The point at each sorted position, and the sorted positions. */
  readonly order: Int32Array;
  readonly sortedX: Float64Array;
  readonly sortedY: Float64Array;
  /** Per node, depth first: centre of mass, points, opening distance² (−1 for a leaf), next node past its subtree, first sorted point. */
  readonly nodeX: Float64Array;
  readonly nodeY: Float64Array;
  readonly nodeCount: Float64Array;
  readonly nodeOpen: Float64Array;
  readonly nodeNext: Int32Array;
  readonly nodeFirst: Int32Array;
  /** The node of each group. */
  readonly groupNode: Int32Array;
  /** n × 2 positions, by point. */
  readonly positions: Float64Array;
  /** P, both triangles, in compressed rows. */
  readonly rowStart: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
  /** Where each group's terms of Z start in `zTerms` (see {@link zTermCount}). */
  readonly termStart: Float64Array;
  /** Outputs: n × 2 attractive and repulsive forces by point, and the terms of Z. */
  readonly attractive: Float64Array;
  readonly repulsive: Float64Array;
  readonly zTerms: Float64Array;
  /** Whether the chunks compute the attraction too (false: the caller does, once per pair). */
  readonly attraction: boolean;
}

// The bodies one group interacts with: this thread's own scratch, grown as needed.
let bodyX = new Float64Array(0);
let bodyY = new Float64Array(0);
let bodyCount = new Float64Array(0);

/**
 * The forces of groups [chunk · GROUPS_PER_CHUNK, (chunk + 1) · GROUPS_PER_CHUNK) (see the file header).
 * @example runChunks({ module: __filename, name: 'forcesChunk', args, chunks: Math.ceil(args.groups / GROUPS_PER_CHUNK) })
 */
export function forcesChunk(args: ForcesArgs, chunk: number): void {
  if (bodyX.length < args.nodes) {
    bodyX = new Float64Array(args.nodes);
    bodyY = new Float64Array(args.nodes);
    bodyCount = new Float64Array(args.nodes);
  }
  const end = Math.min(args.groups, (chunk + 1) * GROUPS_PER_CHUNK);
  for (let g = chunk * GROUPS_PER_CHUNK; g < end; g++) repulsion(args, args.groupNode[g], args.termStart[g]);
  if (!args.attraction) return;
  // The attraction of an equal share of the points, in index order (rows of P one after another).
  const chunks = Math.ceil(args.groups / GROUPS_PER_CHUNK);
  const n = args.rowStart.length - 1;
  attraction(args, Math.floor((chunk * n) / chunks), Math.floor(((chunk + 1) * n) / chunks));
}

/**
 * The terms of Z a group of m points adds, in the order they are added: one per pair of points
 * and one for an odd last point (the far field), then one per pair of the group (the near field).
 * @example zTermCount(3) // 2 + 3
 */
export function zTermCount(m: number): number {
  return Math.ceil(m / 2) + (m * (m - 1)) / 2;
}

/**
 * Σ_j w_ij² (y_i − y_j) into `repulsive` for the points of one group, and the group's terms of Z
 * into `zTerms` from `term` on.
 *
 * The tree is walked once for the group rather than once per point (Barnes 1990, "A modified
 * tree code: don't laugh; it runs", J. Comput. Phys. 87). A node is taken as one body for the
 * whole group when scikit-learn's test passes for the point of the group's bounding box nearest
 * to the node's centre of mass, hence for every point of the group: every body a point sees
 * passes scikit-learn's test for that point, so the error bound is scikit-learn's or tighter.
 * The group's own points interact one by one, exactly. The walk is then a short loop over nodes
 * and the force a branch-free loop over the bodies found (two points at a time). Measured on the
 * benchmark's final 10,000-point embeddings: 4.0–5.0 ms per repulsion against 6.9–8.6 ms for a
 * walk per point, and the relative RMS error of the whole gradient against the exact one
 * 0.37–0.44 against 0.74–0.88 (at convergence the gradient is a small difference of large forces,
 * so relative errors there look large).
 */
function repulsion(args: ForcesArgs, group: number, term: number): void {
  const { order, sortedX, sortedY, nodeX, nodeY, nodeCount, nodeOpen, nodeNext, nodeFirst, nodes } = args;
  const force = args.repulsive;
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
  const zTerms = args.zTerms;
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
    zTerms[term++] = za + zb;
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
    zTerms[term++] = zi;
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
      zTerms[term++] = 2 * w;
    }
  }
}

/** Σ_j p_ij w_ij (y_i − y_j) into `attractive` for points [from, to), over row i of P. */
function attraction(args: ForcesArgs, from: number, to: number): void {
  const { positions, rowStart, columns, values } = args;
  const force = args.attractive;
  for (let i = from; i < to; i++) {
    const xi = positions[2 * i];
    const yi = positions[2 * i + 1];
    // The columns below i, then those above, each summed on its own: the order of the
    // single-threaded code that visited each pair once (see the file header).
    let lowX = 0;
    let lowY = 0;
    let e = rowStart[i];
    const rowEnd = rowStart[i + 1];
    for (; e < rowEnd && columns[e] < i; e++) {
      const j = columns[e];
      const dx = xi - positions[2 * j];
      const dy = yi - positions[2 * j + 1];
      const pw = values[e] * (1 / (1 + dx * dx + dy * dy));
      lowX += pw * dx;
      lowY += pw * dy;
    }
    let highX = 0;
    let highY = 0;
    for (; e < rowEnd; e++) {
      const j = columns[e];
      const dx = xi - positions[2 * j];
      const dy = yi - positions[2 * j + 1];
      const pw = values[e] * (1 / (1 + dx * dx + dy * dy));
      highX += pw * dx;
      highY += pw * dy;
    }
    force[2 * i] = lowX + highX;
    force[2 * i + 1] = lowY + highY;
  }
}
