/**
 * FasterPAM's candidate evaluation (kmedoids.ts) shared out over the worker pool, for one fit
 * running alone on the calling thread (notebook 02's fit on the whole sample) while the other
 * cores would idle. The fits side by side (the sweep, the stability refits, CLARA) keep the
 * sequential loop: they use every core already.
 *
 * The eager search is sequential (each candidate sees the swaps before it), but between two swaps
 * every candidate is judged against the same state. So after each swap the candidates up to the
 * end of the pass are evaluated speculatively, in runs of CANDIDATE_RUN rows taken in order by
 * every thread, each candidate exactly as the sequential loop evaluates it (`swapChanges`, the same
 * additions in the same order) and written to its own slot. The first candidate that lowers the
 * loss sets a shared stop mark; candidates past it are skipped (their evaluation would be stale
 * after the swap). The caller then makes that swap and goes on from the next row: the same swaps,
 * medoids, labels and loss, bit for bit, whatever the number of threads.
 *
 * Written here, not taken from a package: no npm package implements FasterPAM (see kmedoids.ts).
 */
import { isMainThread } from 'node:worker_threads';
import { DistanceArray, DistanceMatrix } from '../../matrix/distance-matrix';
import { rightBase } from '../../matrix/row-blocks';
import { getThreads, runChunks, sharedFloat32, sharedFloat64 } from '../../parallel/pool';

/** Candidates per chunk: about 0.1 ms of work at n = 10,000, so a late stop wastes little. */
export const CANDIDATE_RUN = 16;

/**
 * Fits of fewer rows keep the sequential loop (a pass is then too short to share out); `minRows`
 * is lowered by the tests only, to run the shared path on small matrices.
 * @example SWAP_THREADS.minRows // 2048
 */
export const SWAP_THREADS = { minRows: 2048 };

/**
 * Whether a fit of n rows evaluates its candidates on the worker pool: THREADS ≥ 2, on the calling
 * thread (a fit inside a pool worker runs alone), n ≥ {@link SWAP_THREADS}.minRows, and the left
 * parts kept (a second copy of the matrix fits; kmedoids.ts's `keepLeftParts`).
 * @example useSwapThreads(10000, true) // true with THREADS = 2 on the main thread
 */
export function useSwapThreads(n: number, keepLeftParts: boolean): boolean {
  return keepLeftParts && getThreads() > 1 && isMainThread && n >= SWAP_THREADS.minRows;
}

/** The arguments of {@link gatherChunk}. */
export interface GatherArgs {
  n: number;
  condensed: DistanceArray;
  out: DistanceArray;
  /** Rows per chunk. */
  rows: number;
}

/**
 * Chunk `chunk` of {@link gatherLeftParts}: the left parts of rows chunk · rows … (row i's from
 * i(i − 1)/2 of `out`), read in short contiguous runs, one from each earlier row (row-blocks.ts).
 * @example gatherChunk({ n, condensed, out, rows: 100 }, 0)
 */
export function gatherChunk(args: GatherArgs, chunk: number): void {
  const { n, condensed: c, out, rows } = args;
  const r0 = chunk * rows;
  const end = Math.min(n, r0 + rows);
  for (let j = 0; j < end - 1; j++) {
    const base = rightBase(n, j);
    for (let col = j + 1 > r0 ? j + 1 : r0; col < end; col++) out[(col * (col - 1)) / 2 + j] = c[base + col];
  }
}

/**
 * Every row's left part (the lower triangle, row by row, as `RowBlocks.allLeftParts` gathers it),
 * on shared memory, gathered by the threads of the pool in blocks of rows.
 * @example gatherLeftParts(DistanceMatrix.fromSquare([[0, 1, 2], [1, 0, 3], [2, 3, 0]])) // Float32Array [1, 2, 3]
 */
export function gatherLeftParts(distances: DistanceMatrix): DistanceArray {
  const n = distances.size;
  const c = distances.condensed;
  const out = c instanceof Float64Array ? sharedFloat64(c.length) : sharedFloat32(c.length);
  // Blocks of about 4 MB of left parts (as RowBlocks' window), so the runs stay in cache.
  const rows = Math.max(1, Math.floor((4 * 2 ** 20) / (c.BYTES_PER_ELEMENT * Math.max(n, 1))));
  runChunks({
    module: __filename,
    name: 'gatherChunk',
    args: { n, condensed: c, out, rows },
    chunks: Math.ceil(n / rows),
  });
  return out;
}

/**
 * The loss change of adding row j as a medoid, shared by all medoids (returned), and, added into
 * `loss` (which starts as the removal losses), each medoid's own part: after the call, swapping
 * medoid l for j changes the loss by loss[l] + the returned value (the paper's O(n) evaluation of
 * all k swaps for one candidate). Row j's distances d(o, j) are read as `left[leftOffset + o]` for o < j and
 * `right[rightBase + o]` for o > j (0 at o = j), and summed in the order o = 0 … n − 1.
 */
export function swapChanges(
  left: DistanceArray,
  leftOffset: number,
  right: DistanceArray,
  rightStart: number,
  j: number,
  n: number,
  nearest: Int32Array,
  dNearest: DistanceArray,
  dSecond: DistanceArray,
  loss: Float64Array,
): number {
  let shared = 0;
  for (let o = 0; o < j; o++) {
    const d = left[leftOffset + o];
    const ds = dSecond[o];
    if (d < ds) {
      const dn = dNearest[o];
      if (d < dn) {
        shared += d - dn;
        loss[nearest[o]] += dn - ds;
      } else {
        loss[nearest[o]] += d - ds;
      }
    }
  }
  // o = j, d = 0: a row that is not a medoid is at a positive distance from its nearest medoid.
  const ownNearest = dNearest[j];
  if (0 < ownNearest) {
    shared += 0 - ownNearest;
    loss[nearest[j]] += ownNearest - dSecond[j];
  } else if (0 < dSecond[j]) {
    loss[nearest[j]] += 0 - dSecond[j];
  }
  for (let o = j + 1; o < n; o++) {
    const d = right[rightStart + o];
    const ds = dSecond[o];
    if (d < ds) {
      const dn = dNearest[o];
      if (d < dn) {
        shared += d - dn;
        loss[nearest[o]] += dn - ds;
      } else {
        loss[nearest[o]] += d - ds;
      }
    }
  }
  return shared;
}

/** What every thread reads (the search's state, on shared memory) and writes (one slot per candidate). */
export interface SwapCandidatesArgs {
  n: number;
  k: number;
  condensed: DistanceArray;
  /** Every row's left part (row j's from j(j − 1)/2 on), gathered. */
  leftParts: DistanceArray;
  nearest: Int32Array;
  dNearest: DistanceArray;
  dSecond: DistanceArray;
  /** The medoid slot of a row that is a medoid, else −1. */
  slotOf: Int32Array;
  removal: Float64Array;
  /** Int32 [first candidate, end (exclusive), stop]: candidates from stop + 1 on are skipped. */
  range: Int32Array;
  /** Out: each candidate's best slot and the loss change of that swap (change[b] + shared). */
  bestSlot: Int32Array;
  bestChange: Float64Array;
}

/**
 * Chunk `chunk` of {@link evaluateCandidates}: candidates first + chunk · CANDIDATE_RUN … of the
 * range, each evaluated as the sequential loop does, until the stop mark.
 * @example runChunks({ module: __filename, name: 'swapCandidatesChunk', args, chunks })
 */
export function swapCandidatesChunk(args: SwapCandidatesArgs, chunk: number): void {
  const { n, k, condensed, leftParts, nearest, dNearest, dSecond, slotOf, removal, range } = args;
  const from = range[0] + chunk * CANDIDATE_RUN;
  const to = Math.min(range[1], from + CANDIDATE_RUN);
  const change = new Float64Array(k);
  for (let j = from; j < to; j++) {
    if (j > Atomics.load(range, 2)) return;
    if (slotOf[j] >= 0) continue;
    change.set(removal);
    const shared = swapChanges(
      leftParts,
      (j * (j - 1)) / 2,
      condensed,
      rightBase(n, j),
      j,
      n,
      nearest,
      dNearest,
      dSecond,
      change,
    );
    let b = 0;
    for (let l = 1; l < k; l++) if (change[l] < change[b]) b = l;
    const total = change[b] + shared;
    args.bestSlot[j] = b;
    args.bestChange[j] = total;
    if (total < 0) {
      // The stop mark only falls: every candidate before the first improving one is evaluated.
      for (let stop = Atomics.load(range, 2); j < stop; stop = Atomics.load(range, 2)) {
        if (Atomics.compareExchange(range, 2, stop, j) === stop) break;
      }
      return;
    }
  }
}

/**
 * Evaluates candidates `from` … `to` − 1 on the worker pool (see the file header) and returns the
 * first whose best swap lowers the loss, as the sequential loop would meet it, or −1; its best
 * slot is then `args.bestSlot[j]`.
 * @example const j = evaluateCandidates(args, 0, n) // −1: no swap lowers the loss
 */
export function evaluateCandidates(args: SwapCandidatesArgs, from: number, to: number): number {
  if (from >= to) return -1;
  args.range[0] = from;
  args.range[1] = to;
  args.range[2] = to;
  runChunks({
    module: __filename,
    name: 'swapCandidatesChunk',
    args,
    chunks: Math.ceil((to - from) / CANDIDATE_RUN),
  });
  const stop = args.range[2];
  for (let j = from; j < Math.min(to, stop + 1); j++) {
    if (args.slotOf[j] < 0 && args.bestChange[j] < 0) return j;
  }
  return -1;
}
