/**
 * The worker thread behind `pool.ts`: receives one task at a time on its port, takes chunk numbers
 * from the task's shared counter and calls the task's function on each. A chunk's exception is
 * posted back (message and chunk number) before the task is marked DONE; a thread that exits in
 * the middle of a task marks it DIED with its exit code, so the caller does not wait for it. Not imported by
 * anything; `runChunks` starts it from the compiled file beside this one.
 */
import { getHeapStatistics } from 'node:v8';
import { collectGarbage } from './collect';
import { MessagePort, workerData } from 'node:worker_threads';
import { TASK_STATE, TaskFailure, TaskMessage, chunkFunction, claimChunks, markInsideWorker } from './pool';

markInsideWorker();
const port = (workerData as { port: MessagePort }).port;
/** The state word of the task this thread is running, if any. */
let running: Int32Array | null = null;

process.on('exit', (code) => {
  if (!running || Atomics.load(running, 0) !== TASK_STATE.running) return;
  if (running.length > 1) Atomics.store(running, 1, code);
  Atomics.store(running, 0, TASK_STATE.died);
  Atomics.notify(running, 0);
});

port.on('message', (task: TaskMessage) => {
  const state = new Int32Array(task.state);
  // The caller may have cancelled the task already (it ran every chunk itself).
  if (Atomics.compareExchange(state, 0, TASK_STATE.pending, TASK_STATE.running) !== TASK_STATE.pending) return;
  const counter = new Int32Array(task.counter);
  running = state;
  try {
    let failure: { chunk: number; thrown: unknown } | undefined;
    try {
      failure = claimChunks(chunkFunction(task.module, task.name), task.args, task.chunks, counter);
    } catch (thrown) {
      // The module did not load: no chunk of this task can run here.
      Atomics.store(counter, 0, task.chunks);
      failure = { chunk: -1, thrown };
    }
    if (failure) {
      const { thrown } = failure;
      const reply: TaskFailure = {
        error: thrown instanceof Error ? thrown.message : String(thrown),
        chunk: failure.chunk,
      };
      port.postMessage(reply);
    }
  } finally {
    running = null;
    Atomics.store(state, 0, TASK_STATE.done);
    Atomics.notify(state, 0);
    collectSoon(task.args);
  }
});

/**
 * A worker that allocates little between tasks may keep a finished task's garbage (a sample's Gower
 * matrix, 200 MB at 10,000 rows) until its next collection, long after: between tasks, at most once
 * a second, collect when this thread holds more than 64 MB, counting the shared arrays the last tasks
 * received (V8 counts them nowhere: a worker holding only those never collected them).
 */
let collectAt = 0;
let collectPending = false;
let lastShared = 0;
function collectSoon(args: unknown): void {
  lastShared = Math.max(lastShared, sharedBytes(args, 0));
  if (collectPending) return;
  collectPending = true;
  const timer = setTimeout(
    () => {
      collectPending = false;
      collectAt = Date.now() + 1000;
      // The shared arrays a task received (a Gower matrix's working copy, 400 MB at 10,000 rows) are
      // counted nowhere in this thread's statistics: the last task's are added by hand.
      const heap = getHeapStatistics();
      if (heap.used_heap_size + heap.external_memory + lastShared < 64 * 2 ** 20) return;
      lastShared = 0;
      collectGarbage();
    },
    Math.max(0, collectAt - Date.now()),
  );
  timer.unref();
}

/** Bytes of the SharedArrayBuffers a task's args hold (typed arrays, in arrays and objects, 3 levels deep). */
function sharedBytes(value: unknown, depth: number): number {
  if (ArrayBuffer.isView(value)) return value.buffer instanceof SharedArrayBuffer ? value.byteLength : 0;
  if (depth > 3 || value === null || typeof value !== 'object') return 0;
  let sum = 0;
  for (const item of Array.isArray(value) ? value : Object.values(value)) sum += sharedBytes(item, depth + 1);
  return sum;
}
