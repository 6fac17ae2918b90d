/**
 * STAND-IN for the shared worker pool (issue 17; the real one is written on branch `pool`, see
 * /work/wt/POOL-SPEC.md): the same API, every chunk run in order on the calling thread. Replaced
 * by the real file when branch `pool` is merged.
 */

/** A task: which function to call on which chunks. */
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
  /** Threads for this call only (default: `getThreads()`). */
  threads?: number;
}

let threads = 1;

/** Sets the number of threads (the THREADS parameter). */
export function setThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`The number of threads must be a whole number of at least 1, got ${n}.`);
  threads = n;
}

/** The number of threads `runChunks` uses. */
export function getThreads(): number {
  return threads;
}

/** A Float64Array of zeros on a SharedArrayBuffer. */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * length));
}

/** An Int32Array of zeros on a SharedArrayBuffer. */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * length));
}

/** Runs every chunk of a task, in order, on the calling thread. */
export function runChunks(task: ChunkTask): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const fn = (require(task.module) as Record<string, (args: unknown, chunk: number) => void>)[task.name];
  if (typeof fn !== 'function') throw new Error(`${task.module} exports no function ${task.name}.`);
  for (let chunk = 0; chunk < task.chunks; chunk++) {
    fn(task.args, chunk);
    task.onWait?.();
  }
}
