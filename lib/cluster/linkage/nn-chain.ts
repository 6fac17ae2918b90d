/**
 * The nearest-neighbour chain of average linkage (Müllner 2011, "Modern hierarchical, agglomerative
 * clustering algorithms", https://arxiv.org/abs/1109.2378, Figure 4; scipy's `nn_chain`), its O(n)
 * row scans and Lance–Williams updates split over two threads of the worker pool. linkage.ts
 * (`averageLinkage`) sets it up and turns its merges into the dendrogram.
 *
 * Written here because the chain is sequential but each of its steps is a pass over the active
 * clusters: one thread (the driver) follows the chain, and every pass over more than
 * PARALLEL_MIN clusters is cut into PARTS runs of the active slots that any thread may take (a
 * shared ticket counter, `Atomics.compareExchange`). The driver takes whatever the helper did not,
 * so a helper that starts late, or never, only costs speed. Each run writes its own slots, and the
 * runs' minima are combined in slot order with a strict `<`, as one scan in increasing slot order
 * finds them: the merges are the same for any number of threads, bit for bit.
 *
 * Two threads pay only when both run: on a machine busy with other work, a helper descheduled in
 * the middle of its run stalls the driver. So the driver measures: every cycle of ten epochs of
 * 256 merges, one epoch shares its passes, one runs them alone, and the other eight go the way
 * that was faster (time per slot visited). The choice changes the speed only, never the result.
 *
 * Each slot also keeps its nearest neighbour (distance, and the smallest slot at that distance)
 * while it stays exact, so the chain rescans a slot only when needed: a merge of x and y into y
 * removes x and y from every row and adds the merged cluster at its new distance d; a slot whose
 * nearest was neither keeps it unless d is smaller (or equal with a smaller slot, y), and one whose
 * nearest was x or y knows it only when d is smaller than its old nearest distance.
 */
import { getThreads, runChunks } from '../../parallel/pool';

/** Runs of the active slots per pass. */
const PARTS = 4;
/** Passes over fewer active slots are made by the driver alone (synchronising costs more). */
const PARALLEL_MIN = 2048;
/** Merges per epoch, and epochs per cycle: the first epoch of a cycle shares its passes, the
 * second runs them alone, the others whichever way was faster per slot visited. */
const EPOCH_MERGES = 256;
const CYCLE_EPOCHS = 10;
/** Control words (`control` below). */
const TICKET = 0; // next ticket to take
const LIMIT = 1; // tickets below this are published
const DONE = 2; // tickets finished
const FINISHED = 3; // 1 once the driver is done (or failed)
const ROLE = 4; // the first thread in drives
const MERGED = 5; // merges done, for progress
const ALONE = 6; // 1 while the driver runs its passes alone: the helper sleeps
const HELPED = 7; // runs the helper made (tests check that passes were shared)
const CONTROL_WORDS = 8;
/** Pass kinds (`params[0]`). */
const SCAN = 1;
const UPDATE = 2;

/** Everything the threads share: the working copy and the chain's state, on SharedArrayBuffers. */
export interface ChainState {
  n: number;
  /** The condensed Float64 working copy (scipy's layout), overwritten by the updates. */
  D: Float64Array;
  /** Out: merge m joined slots leafA[m] < leafB[m] at heights[m] (chain order, not sorted). */
  heights: Float64Array;
  leafA: Int32Array;
  leafB: Int32Array;
  /** Active slots in increasing order, the first `active count` of them valid. */
  active: Int32Array;
  nearest: Int32Array;
  nearestDistance: Float64Array;
  /** 1 where nearest/nearestDistance are exact. */
  known: Int32Array;
  control: Int32Array;
  /** The pass published: kind, x, y, |x|, |y|, active count. */
  params: Float64Array;
  /** Each run's minimum and the slot where it is (−1: none). */
  runBest: Float64Array;
  runSlot: Int32Array;
  /** Passes over fewer active slots than this run on the driver alone (PARALLEL_MIN; lower in tests). */
  parallelMin: number;
}

/**
 * The runs of passes a helper thread made in the chain of `state` (0 when the driver ran alone).
 * @example runChain(state); helpedRuns(state) // e.g. 4120 with THREADS = 2
 */
export function helpedRuns(state: ChainState): number {
  return Atomics.load(state.control, HELPED);
}

/** The progress callback of the calling thread (not sent to workers). */
export const chainProgress: { callback?: (done: number, total: number) => void } = {};

function shared(kind: 'f64' | 'i32', length: number): Float64Array | Int32Array {
  return kind === 'f64'
    ? new Float64Array(new SharedArrayBuffer(8 * length))
    : new Int32Array(new SharedArrayBuffer(4 * length));
}

/**
 * A state for `n` slots over the condensed working copy `D` (a Float64Array on a SharedArrayBuffer
 * when other threads are to help); `parallelMin` lower than the default only to test the sharing.
 */
export function chainState(n: number, D: Float64Array, parallelMin = PARALLEL_MIN): ChainState {
  const merges = Math.max(n - 1, 0);
  const active = shared('i32', n) as Int32Array;
  for (let i = 0; i < n; i++) active[i] = i;
  return {
    n,
    D,
    heights: shared('f64', merges) as Float64Array,
    leafA: shared('i32', merges) as Int32Array,
    leafB: shared('i32', merges) as Int32Array,
    active,
    nearest: shared('i32', n) as Int32Array,
    nearestDistance: shared('f64', n) as Float64Array,
    known: shared('i32', n) as Int32Array,
    control: shared('i32', CONTROL_WORDS) as Int32Array,
    params: shared('f64', 6) as Float64Array,
    runBest: shared('f64', PARTS) as Float64Array,
    runSlot: shared('i32', PARTS) as Int32Array,
    parallelMin,
  };
}

/**
 * Runs the chain to the end on the worker pool (two chunks: the driver and a helper).
 * @example runChain(chainState(3, D)) // state.heights, leafA, leafB hold the two merges
 */
export function runChain(state: ChainState): void {
  runChunks({ module: __filename, name: 'chainChunk', args: state, chunks: 2, threads: Math.min(2, getThreads()) });
}

/**
 * A chunk of {@link runChain}: the first thread in drives the chain, the other helps with its
 * passes until the driver is done.
 * @example runChunks({ module: __filename, name: 'chainChunk', args: state, chunks: 2 })
 */
export function chainChunk(state: ChainState, _chunk: number): void {
  if (Atomics.add(state.control, ROLE, 1) === 0) {
    try {
      drive(state);
    } finally {
      Atomics.store(state.control, FINISHED, 1);
      Atomics.store(state.control, ALONE, 0);
      Atomics.notify(state.control, ALONE);
    }
  } else help(state);
}

/** rowBase[i] + j is the condensed position of (i, j) for j > i. */
function rowBases(n: number): Float64Array {
  const rowBase = new Float64Array(n);
  for (let i = 0; i < n; i++) rowBase[i] = i * n - (i * (i + 1)) / 2 - i - 1;
  return rowBase;
}

/** Reports the merges done through `chainProgress` (on the calling thread only), every step merges. */
function reporter(state: ChainState): () => void {
  const callback = chainProgress.callback;
  const total = Math.max(state.n - 1, 0);
  const step = Math.max(1, Math.floor(total / 100));
  let next = step;
  return () => {
    if (!callback) return;
    const done = Atomics.load(state.control, MERGED);
    if (done < next) return;
    next = (Math.floor(done / step) + 1) * step;
    callback(done, total);
  };
}

/** Run `run` of the pass in `params`: the run's share of the active slots. */
function runPass(state: ChainState, rowBase: Float64Array, run: number): void {
  const { D, active, params, known, nearest, nearestDistance } = state;
  const kind = params[0];
  const x = params[1];
  const count = params[5];
  const from = Math.floor((run * count) / PARTS);
  const to = Math.floor(((run + 1) * count) / PARTS);
  let best = Infinity;
  let slot = -1;
  if (kind === SCAN) {
    // Slots before x are read down column x (strided), those after it along row x.
    const baseX = rowBase[x];
    for (let a = from; a < to; a++) {
      const i = active[a];
      if (i === x) continue;
      const d = i < x ? D[rowBase[i] + x] : D[baseX + i];
      if (d < best) {
        best = d;
        slot = i;
      }
    }
  } else {
    const y = params[2];
    const nx = params[3];
    const ny = params[4];
    const total = nx + ny;
    const baseX = rowBase[x];
    const baseY = rowBase[y];
    for (let a = from; a < to; a++) {
      const i = active[a];
      if (i === x || i === y) continue;
      const px = i < x ? rowBase[i] + x : baseX + i;
      const py = i < y ? rowBase[i] + y : baseY + i;
      const d = (nx * D[px] + ny * D[py]) / total;
      D[py] = d;
      if (d < best) {
        best = d;
        slot = i;
      }
      // Slot i's nearest stays exact: x and y left its row, the merged y came in at d.
      if (known[i]) {
        const j = nearest[i];
        if (d < nearestDistance[i]) {
          nearestDistance[i] = d;
          nearest[i] = y;
        } else if (j === x || j === y) known[i] = 0;
        else if (d === nearestDistance[i] && y < j) nearest[i] = y;
      }
    }
  }
  state.runBest[run] = best;
  state.runSlot[run] = slot;
}

/** The helper: takes published runs until the driver is done. */
function help(state: ChainState): void {
  const { control } = state;
  const rowBase = rowBases(state.n);
  const report = reporter(state);
  let idle = 0;
  while (Atomics.load(control, FINISHED) === 0) {
    const ticket = Atomics.load(control, TICKET);
    const limit = Atomics.load(control, LIMIT);
    if (ticket < limit && Atomics.compareExchange(control, TICKET, ticket, ticket + 1) === ticket) {
      // A ticket taken below the limit belongs to the pass published last (see the file header).
      runPass(state, rowBase, ticket - (limit - PARTS));
      Atomics.add(control, HELPED, 1);
      Atomics.add(control, DONE, 1);
      idle = 0;
      continue;
    }
    if (++idle % 4096 === 0) {
      report();
      // Asleep while the driver runs alone; a nap when it is busy elsewhere.
      if (Atomics.load(control, ALONE) === 1) Atomics.wait(control, ALONE, 1, 250);
      else if (idle >= 65536) Atomics.wait(control, LIMIT, limit, 1);
    }
  }
  report();
}

/** The driver: the chain itself, each long pass published for the helper. */
function drive(state: ChainState): void {
  const { n, D, active, control, params, nearest, nearestDistance, known, runBest, runSlot } = state;
  const rowBase = rowBases(n);
  const report = reporter(state);
  const merges = Math.max(n - 1, 0);
  const size = new Int32Array(n).fill(1);
  const chain = new Int32Array(n);
  let chainLength = 0;
  let activeCount = n;

  /** Runs the pass set in `params` (all of it here when short); the slot-order minimum in runBest[0]/runSlot[0]. */
  // Which way the long passes run, chosen by measuring (see the file header): an epoch of merges
  // each way, then the faster one for the rest of the cycle.
  let shared = true;
  let epochStart = performance.now();
  let epochWork = 0;
  const cost = [Infinity, Infinity]; // ms per slot visited: [alone, shared]
  const nextEpoch = (m: number): void => {
    const epoch = m / EPOCH_MERGES;
    cost[shared ? 1 : 0] = (performance.now() - epochStart) / Math.max(epochWork, 1);
    const phase = epoch % CYCLE_EPOCHS;
    shared = phase === 0 ? true : phase === 1 ? false : cost[1] <= cost[0];
    if (Atomics.load(control, ALONE) !== (shared ? 0 : 1)) {
      Atomics.store(control, ALONE, shared ? 0 : 1);
      if (shared) Atomics.notify(control, ALONE);
    }
    epochStart = performance.now();
    epochWork = 0;
  };
  const pass = (): void => {
    epochWork += activeCount;
    if (activeCount < state.parallelMin || !shared) {
      for (let run = 0; run < PARTS; run++) runPass(state, rowBase, run);
    } else {
      const base = Atomics.load(control, LIMIT);
      Atomics.store(control, LIMIT, base + PARTS);
      for (;;) {
        const ticket = Atomics.load(control, TICKET);
        if (ticket >= base + PARTS) break;
        if (Atomics.compareExchange(control, TICKET, ticket, ticket + 1) === ticket) {
          runPass(state, rowBase, ticket - base);
          Atomics.add(control, DONE, 1);
        }
      }
      for (let spins = 1; Atomics.load(control, DONE) < base + PARTS; spins++) {
        if (spins % 65536 === 0) Atomics.wait(control, DONE, Atomics.load(control, DONE), 0.1);
      }
    }
    for (let run = 1; run < PARTS; run++) {
      if (runBest[run] < runBest[0]) {
        runBest[0] = runBest[run];
        runSlot[0] = runSlot[run];
      }
    }
  };
  const scan = (x: number): void => {
    params[0] = SCAN;
    params[1] = x;
    params[5] = activeCount;
    pass();
    nearestDistance[x] = runBest[0];
    nearest[x] = runSlot[0];
    known[x] = 1;
  };

  for (let m = 0; m < merges; m++) {
    if (m > 0 && m % EPOCH_MERGES === 0) nextEpoch(m);
    if (chainLength === 0) {
      chain[0] = active[0];
      chainLength = 1;
    }
    let x = 0;
    let y = 0;
    let best = 0;
    // Follow nearest neighbours until two clusters are each other's nearest. The chain's previous
    // cluster wins a tie (scipy starts its scan from it and replaces only on a smaller distance).
    for (;;) {
      x = chain[chainLength - 1];
      if (!known[x]) scan(x);
      y = nearest[x];
      best = nearestDistance[x];
      if (chainLength > 1) {
        const previous = chain[chainLength - 2];
        const d = x < previous ? D[rowBase[x] + previous] : D[rowBase[previous] + x];
        if (d <= best) {
          best = d;
          y = previous;
          break;
        }
      }
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) {
      const swap = x;
      x = y;
      y = swap;
    }
    const nx = size[x];
    const ny = size[y];
    state.heights[m] = best;
    state.leafA[m] = x;
    state.leafB[m] = y;
    size[x] = 0; // slot x is dropped, slot y now holds the merged cluster
    size[y] = nx + ny;
    known[x] = 0;
    params[0] = UPDATE;
    params[1] = x;
    params[2] = y;
    params[3] = nx;
    params[4] = ny;
    params[5] = activeCount;
    pass();
    nearestDistance[y] = runBest[0];
    nearest[y] = runSlot[0];
    known[y] = runSlot[0] >= 0 ? 1 : 0;
    // Drop slot x from the active slots, keeping their order.
    let at = 0;
    while (active[at] !== x) at++;
    active.copyWithin(at, at + 1, activeCount);
    activeCount--;
    Atomics.store(control, MERGED, m + 1);
    report();
  }
}
