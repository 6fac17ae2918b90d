/**
 * One pool of worker threads for every long step (Gower rows, silhouettes, k-means starts, track
 * assignment, sweeps, t-SNE forces), with the number of threads set once by the THREADS parameter.
 *
 * A task is an exported function of a compiled lib module, called as fn(args, chunk) for every
 * chunk 0..chunks−1. The calling thread and THREADS−1 persistent, unref'd workers
 * (`pool-worker.ts`) take chunk numbers from one shared counter (`Atomics.add`); the caller takes
 * chunks too, then blocks with `Atomics.wait` until the workers that started are done. A worker
 * that has not picked the task up by then (still starting, or busy) is cancelled through its
 * shared state word, so the caller never waits for a thread that will not come. Big inputs and
 * outputs live in SharedArrayBuffers (`sharedFloat64`, `sharedInt32`): nothing is copied per chunk.
 * Results do not depend on the thread count when chunk boundaries depend only on the problem size
 * and each chunk writes its own slots (combined in chunk order by the caller).
 *
 * Written here rather than taken from a package (piscina, workerpool) because those are
 * asynchronous (promises) while the project's fits are synchronous functions a notebook calls;
 * this generalises what `cluster/kmeans/kmeans-threads.ts` did for the k-means starts alone.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';

/** A task: which function to call on which chunks (see the file header). */
export interface ChunkTask {
  /** Absolute path of the compiled JS module exporting `name` (pass `__filename` from a lib file). */
  module: string;
  /** Exported function called as fn(args, chunk) for every chunk in 0..chunks-1, in any thread. */
  name: string;
  /** Structured-cloned to each worker once per call: put big arrays in shared buffers. */
  args: unknown;
  chunks: number;
  /** Called on the calling thread about every 250 ms while it waits (progress bars, clocks). */
  onWait?: () => void;
  /** Threads for this call only (default: `getThreads()`); the result must not depend on it. */
  threads?: number;
}

/**
 * The states of a worker's task, kept in its shared state word. The caller moves PENDING to
 * CANCELLED; the worker moves PENDING to RUNNING and RUNNING to DONE, each with one atomic step, or
 * RUNNING to DIED when its thread exits in the middle of the task (a chunk called process.exit), so
 * the caller stops waiting and throws instead of hanging.
 * @example Atomics.compareExchange(state, 0, TASK_STATE.pending, TASK_STATE.running) // the worker starts
 */
export const TASK_STATE = Object.freeze({ pending: 0, running: 1, cancelled: 2, done: 3, died: 4 });

/** The message a worker receives for one task. */
export interface TaskMessage {
  readonly module: string;
  readonly name: string;
  readonly args: unknown;
  readonly chunks: number;
  /** Int32 [next chunk], shared by every thread of the task. */
  readonly counter: SharedArrayBuffer;
  /** Int32 [state, exit code]: a TASK_STATE, and the thread's exit code when it DIED; this worker's own. */
  readonly state: SharedArrayBuffer;
}

/** What a worker posts back when a chunk threw (before it marks the task DONE). */
export interface TaskFailure {
  readonly error: string;
  readonly chunk: number;
}

/** The compiled worker entry, beside this file (absent when the TypeScript sources run directly). */
export const WORKER_FILE = join(__dirname, 'pool-worker.js');
const WAIT_MS = 250;

let threads = availableParallelism();
let busy = false;
let insideWorker = false;

/**
 * Sets the number of threads every later `runChunks` uses (the THREADS parameter); 1 runs
 * everything on the calling thread and starts no worker.
 * @example setThreads(2)
 */
export function setThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`The number of threads must be a whole number of at least 1, got ${n}.`);
  threads = n;
}

/**
 * The number of threads `runChunks` uses (default: the cores Node reports).
 * @example getThreads() // 2 on a two-core machine
 */
export function getThreads(): number {
  return threads;
}

/**
 * A Float64Array of zeros on a SharedArrayBuffer: workers read and write it without a copy.
 * @example sharedFloat64(3) // Float64Array [0, 0, 0], shared
 */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * length));
}

/**
 * An Int32Array of zeros on a SharedArrayBuffer.
 * @example sharedInt32(2) // Int32Array [0, 0], shared
 */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * length));
}

/**
 * A Float32Array of zeros on a SharedArrayBuffer (condensed distance matrices).
 * @example sharedFloat32(2) // Float32Array [0, 0], shared
 */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(4 * length));
}

/**
 * The same typed array when it already lives in a SharedArrayBuffer, else a shared copy of it
 * (copy once per fit, then every chunk reads it without a copy).
 * @example toShared(Float64Array.of(1, 2)).buffer instanceof SharedArrayBuffer // true
 */
export function toShared<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(values: T): T {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  const Kind = values.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Kind(new SharedArrayBuffer(values.byteLength));
  copy.set(values as never);
  return copy;
}

/**
 * The array as the pool's workers can read it: itself when it is shared already or when THREADS is
 * 1 (no worker will read it), else a shared copy.
 * @example sharedForPool(labels) // pass this in a task's args
 */
export function sharedForPool<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(values: T): T {
  return threads > 1 ? toShared(values) : values;
}

/**
 * Marks this thread as a pool worker: a `runChunks` called from inside a chunk then runs on this
 * thread alone (no worker starts workers). Called by `pool-worker.ts` only.
 * @example markInsideWorker()
 */
export function markInsideWorker(): void {
  insideWorker = true;
}

/**
 * Runs every chunk of a task, spread over the calling thread and THREADS−1 workers; returns when
 * all are done. A chunk's exception is re-thrown here with its message (the lowest failing chunk's
 * when several failed).
 * @example runChunks({ module: __filename, name: 'squareChunk', args: { out: sharedFloat64(8) }, chunks: 8 })
 */
export function runChunks(task: ChunkTask): void {
  const { chunks } = task;
  if (!Number.isInteger(chunks) || chunks < 0)
    throw new Error(`The number of chunks must be a whole number, got ${chunks}.`);
  const wanted = task.threads ?? threads;
  if (!Number.isInteger(wanted) || wanted < 1)
    throw new Error(`The number of threads must be a whole number of at least 1, got ${wanted}.`);
  if (chunks === 0) return;
  const fn = chunkFunction(task.module, task.name);
  const parallel =
    wanted > 1 && chunks > 1 && !busy && !insideWorker && task.module.endsWith('.js') && existsSync(WORKER_FILE);
  if (!parallel) {
    const counter = new Int32Array(1);
    const failure = claimChunks(fn, task.args, chunks, counter, waiter(task.onWait));
    if (failure) throw failure.thrown;
    return;
  }
  busy = true;
  try {
    runShared(task, fn, Math.min(wanted, chunks) - 1);
  } finally {
    busy = false;
  }
}

/** The exported function `name` of a module, or one sentence saying what is missing. */
export function chunkFunction(module: string, name: string): (args: unknown, chunk: number) => void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const loaded = require(module) as Record<string, unknown>;
  const fn = loaded[name];
  if (typeof fn !== 'function') throw new Error(`The module ${module} exports no function named ${name}.`);
  return fn as (args: unknown, chunk: number) => void;
}

/**
 * Calls fn(args, chunk) for chunk numbers taken from `counter` until they run out or one throws;
 * on a throw, pushes the counter past the end (the other threads stop) and returns the failure.
 * `tick` runs between chunks (the caller's progress clock).
 * @example claimChunks((args, chunk) => {}, {}, 4, new Int32Array(1)) // undefined: all four ran
 */
export function claimChunks(
  fn: (args: unknown, chunk: number) => void,
  args: unknown,
  chunks: number,
  counter: Int32Array,
  tick?: () => void,
): { chunk: number; thrown: unknown } | undefined {
  for (;;) {
    const chunk = Atomics.add(counter, 0, 1);
    if (chunk >= chunks) return undefined;
    try {
      fn(args, chunk);
    } catch (thrown) {
      Atomics.store(counter, 0, chunks);
      return { chunk, thrown };
    }
    tick?.();
  }
}

interface PoolWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  dead: boolean;
}

const pool: PoolWorker[] = [];

function runShared(task: ChunkTask, fn: (args: unknown, chunk: number) => void, helpers: number): void {
  const counter = sharedInt32(1);
  const posted = workers(helpers).map((helper) => {
    const message: TaskMessage = {
      module: task.module,
      name: task.name,
      args: task.args,
      chunks: task.chunks,
      counter: counter.buffer as SharedArrayBuffer,
      state: new SharedArrayBuffer(8),
    };
    helper.port.postMessage(message);
    return { helper, state: new Int32Array(message.state) };
  });
  const tick = waiter(task.onWait);
  const failures: { chunk: number; thrown: unknown }[] = [];
  const own = claimChunks(fn, task.args, task.chunks, counter, tick);
  if (own) failures.push(own);
  for (const { helper, state } of posted) {
    // Cancel a worker that has not started this task; otherwise wait until it is done.
    if (Atomics.compareExchange(state, 0, TASK_STATE.pending, TASK_STATE.cancelled) === TASK_STATE.pending) continue;
    while (Atomics.load(state, 0) === TASK_STATE.running) {
      Atomics.wait(state, 0, TASK_STATE.running, WAIT_MS);
      tick?.();
    }
    if (Atomics.load(state, 0) === TASK_STATE.died) {
      // its chunks may be half written: the task cannot finish, and the thread is gone from the pool
      helper.dead = true;
      failures.push({
        chunk: task.chunks,
        thrown: new Error(
          `A worker thread exited (code ${state[1]}) in the middle of ${task.name}, so its result is incomplete; run it again, or with THREADS=1 to see the error on the calling thread.`,
        ),
      });
    }
    for (let reply = receiveMessageOnPort(helper.port); reply; reply = receiveMessageOnPort(helper.port)) {
      const failure = reply.message as TaskFailure;
      if (failure && typeof failure.error === 'string')
        failures.push({ chunk: failure.chunk, thrown: new Error(failure.error) });
    }
  }
  if (failures.length > 0) throw failures.reduce((a, b) => (b.chunk < a.chunk ? b : a)).thrown;
}

/** A function calling `onWait` when at least 250 ms passed since its last call (undefined without one). */
function waiter(onWait: (() => void) | undefined): (() => void) | undefined {
  if (!onWait) return undefined;
  let last = Date.now();
  return () => {
    const now = Date.now();
    if (now - last < WAIT_MS) return;
    last = now;
    onWait();
  };
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

/**
 * The number of pool workers started so far in this process (for tests: THREADS=1 starts none).
 * @example startedWorkers() // 0 before the first parallel task
 */
export function startedWorkers(): number {
  return pool.length;
}
