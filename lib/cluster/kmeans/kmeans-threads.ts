/**
 * Running the `nInit` k-means starts of one fit on several threads, while keeping `kMeans`
 * synchronous and its result independent of the number of threads.
 *
 * scikit-learn runs its k-means on every core (OpenMP); on a 2-core machine a single JavaScript
 * thread stayed about 1.5 times slower than it on the elbow sweep however the loop was tuned
 * (measured), so the starts are shared between this thread and `threads - 1` worker threads
 * (`kmeans-worker.ts`). How:
 * - the points are copied once per fit into a `SharedArrayBuffer`, which every worker reads;
 * - every thread takes the next start index from one shared counter (`Atomics.add`) until none
 *   is left, so a slow or busy thread simply takes fewer starts;
 * - a worker keeps its best start and writes it to shared buffers; the calling thread then picks
 *   the lowest inertia, ties to the lower start index. Each start depends only on its own seed, so
 *   the winner is the same whichever thread ran it.
 * - the calling thread waits with `Atomics.wait`. A worker that has not picked up the job when the
 *   caller is done (still starting, or dead) is cancelled through a shared state word, so the
 *   caller never waits for a worker that will not come: it has then run every start itself.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { NumericMatrix } from '../../matrix/numeric-matrix';
import { kMeansPlusPlus } from './kmeans-plus-plus';
import { lloyd } from './lloyd';
import { seededRandom } from '../../random';

/** The outcome of one start. */
export interface StartResult {
  readonly labels: Int32Array;
  readonly centers: Float64Array;
  readonly inertia: number;
  readonly iterations: number;
}

/** The best start of a fit, with the inertia of every start. */
export interface StartsResult extends StartResult {
  /** Index of the winning start. */
  readonly index: number;
  /** Inertia of each start, in start order. */
  readonly inertias: Float64Array;
}

/** What every thread needs to run the starts of one fit. */
export interface StartsJob {
  readonly k: number;
  readonly seeds: readonly number[];
  readonly maxIterations: number;
  readonly tolerance: number;
}

/**
 * One k-means++ seeding followed by Lloyd's iterations.
 * @example runStart(points, 3, 12345, 300, 1e-4).inertia // the inertia this seed reaches
 */
export function runStart(
  matrix: NumericMatrix,
  k: number,
  seed: number,
  maxIterations: number,
  tolerance: number,
): StartResult {
  const start = kMeansPlusPlus(matrix, k, seededRandom(seed)).centers;
  return lloyd(matrix, start, { maxIterations, tolerance });
}

/**
 * Runs starts, taking indices from `counter` until they run out; returns the best one taken
 * (lowest inertia, ties to the lower index), or undefined if this thread took none.
 * @example claimStarts(points, job, new Int32Array(1), new Float64Array(job.seeds.length))
 */
export function claimStarts(
  matrix: NumericMatrix,
  job: StartsJob,
  counter: Int32Array,
  inertias: Float64Array,
): (StartResult & { index: number }) | undefined {
  let best: (StartResult & { index: number }) | undefined;
  for (;;) {
    const index = Atomics.add(counter, 0, 1);
    if (index >= job.seeds.length) return best;
    const result = runStart(matrix, job.k, job.seeds[index], job.maxIterations, job.tolerance);
    inertias[index] = result.inertia;
    if (!best || result.inertia < best.inertia || (result.inertia === best.inertia && index < best.index)) {
      best = { ...result, index };
    }
  }
}

/**
 * The states of a worker's job, kept in its shared state word. The caller moves PENDING to
 * CANCELLED, the worker moves PENDING to RUNNING and RUNNING to DONE, each with one atomic step.
 * @example Atomics.compareExchange(state, 0, JOB_STATE.pending, JOB_STATE.running) // the worker starts
 */
export const JOB_STATE = Object.freeze({ pending: 0, running: 1, cancelled: 2, done: 3 });

/** The message a worker receives for one fit (everything shared, nothing copied but `seeds`). */
export interface WorkerJobMessage extends StartsJob {
  readonly data: SharedArrayBuffer;
  readonly n: number;
  readonly d: number;
  /** Int32 [next start index], shared by every thread of the fit. */
  readonly counter: SharedArrayBuffer;
  /** Float64 [inertia of each start], shared by every thread of the fit. */
  readonly inertias: SharedArrayBuffer;
  /** Int32 [state]: a JOB_STATE; this worker's own. */
  readonly state: SharedArrayBuffer;
  /** This worker's best start: Float64 [inertia, index or -1, iterations], labels, centres. */
  readonly summary: SharedArrayBuffer;
  readonly labels: SharedArrayBuffer;
  readonly centers: SharedArrayBuffer;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  dead: boolean;
}

const pool: PoolWorker[] = [];
const WORKER_FILE = join(__dirname, 'kmeans-worker.js');

/**
 * The number of threads `kMeans` uses by default: one per core, at most `nInit`. One when the
 * compiled worker file is missing (for example when running the TypeScript sources directly).
 * @param cores the cores to use; default Node's `availableParallelism()`
 * @example defaultThreads(10, 2) // 2
 */
export function defaultThreads(nInit: number, cores: number = availableParallelism()): number {
  if (!existsSync(WORKER_FILE)) return 1;
  return Math.max(1, Math.min(cores, nInit));
}

/**
 * Runs the starts of one fit on `threads` threads (this one included) and returns the best.
 * @example runStarts(points, { k: 3, seeds: initSeeds(0, 10), maxIterations: 300, tolerance: 1e-4 }, 2)
 */
export function runStarts(matrix: NumericMatrix, job: StartsJob, threads: number): StartsResult {
  const nInit = job.seeds.length;
  const helpers = threads > 1 && existsSync(WORKER_FILE) ? workers(Math.min(threads, nInit) - 1) : [];
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const inertias = new Float64Array(helpers.length > 0 ? new SharedArrayBuffer(8 * nInit) : new ArrayBuffer(8 * nInit));
  const { n, d } = matrix;
  const { k } = job;
  const shared = helpers.length > 0 ? sharedCopy(matrix.data) : matrix.data;
  const posted = helpers.map((helper) => {
    const message: WorkerJobMessage = {
      ...job,
      seeds: [...job.seeds],
      data: shared.buffer as SharedArrayBuffer,
      n,
      d,
      counter: counter.buffer as SharedArrayBuffer,
      inertias: inertias.buffer as SharedArrayBuffer,
      state: new SharedArrayBuffer(4),
      summary: new SharedArrayBuffer(8 * 3),
      labels: new SharedArrayBuffer(4 * n),
      centers: new SharedArrayBuffer(8 * k * d),
    };
    helper.port.postMessage(message);
    return { helper, message };
  });

  let best: (StartResult & { index: number }) | undefined = claimStarts(matrix, job, counter, inertias);
  for (const { helper, message } of posted) {
    const state = new Int32Array(message.state);
    // Cancel a worker that has not started this job; otherwise wait until it is done.
    if (Atomics.compareExchange(state, 0, JOB_STATE.pending, JOB_STATE.cancelled) === JOB_STATE.pending) continue;
    while (Atomics.load(state, 0) === JOB_STATE.running) Atomics.wait(state, 0, JOB_STATE.running);
    const reply = receiveMessageOnPort(helper.port);
    if (reply && reply.message && typeof reply.message.error === 'string') {
      throw new Error(`A k-means worker thread failed: ${reply.message.error}`);
    }
    const summary = new Float64Array(message.summary);
    const index = summary[1];
    if (index < 0) continue;
    const inertia = summary[0];
    if (!best || inertia < best.inertia || (inertia === best.inertia && index < best.index)) {
      best = {
        inertia,
        index,
        iterations: summary[2],
        labels: Int32Array.from(new Int32Array(message.labels)),
        centers: Float64Array.from(new Float64Array(message.centers)),
      };
    }
  }
  if (!best) throw new Error('No k-means start was run.');
  return { ...best, inertias: Float64Array.from(inertias) };
}

/** The first `count` live workers of the pool, started on first use. */
function workers(count: number): PoolWorker[] {
  for (let i = pool.length - 1; i >= 0; i--) if (pool[i].dead) pool.splice(i, 1);
  while (pool.length < count) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_FILE, { workerData: { port: port2 }, transferList: [port2] });
    const entry: PoolWorker = { worker, port: port1, dead: false };
    worker.on('error', () => {
      entry.dead = true;
    });
    worker.on('exit', () => {
      entry.dead = true;
    });
    worker.unref();
    port1.unref();
    pool.push(entry);
  }
  return pool.slice(0, count);
}

/** The values copied into a SharedArrayBuffer (the same array if they already are in one). */
function sharedCopy(values: Float64Array): Float64Array {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  const copy = new Float64Array(new SharedArrayBuffer(values.byteLength));
  copy.set(values);
  return copy;
}
