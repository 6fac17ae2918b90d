/**
 * The worker thread behind `pool.ts`: receives one task at a time on its port, takes chunk numbers
 * from the task's shared counter and calls the task's function on each. A chunk's exception is
 * posted back (message and chunk number) before the task is marked DONE; a thread that exits in
 * the middle of a task marks it DIED with its exit code, so the caller does not wait for it. Not imported by
 * anything; `runChunks` starts it from the compiled file beside this one.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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
    collectSoon();
  }
});

/**
 * A worker that allocates little between tasks may keep a finished task's garbage (a sample's Gower
 * matrix, 200 MB at 10,000 rows) until its next collection, long after: between tasks, at most once
 * a second, collect when this thread holds more than 64 MB.
 */
let collectAt = 0;
let collectPending = false;
function collectSoon(): void {
  if (collectPending) return;
  collectPending = true;
  const timer = setTimeout(
    () => {
      collectPending = false;
      collectAt = Date.now() + 1000;
      const heap = getHeapStatistics();
      if (heap.used_heap_size + heap.external_memory < 64 * 2 ** 20) return;
      try {
        setFlagsFromString('--expose-gc');
        (runInNewContext('gc') as () => void)();
      } catch {
        // Without a collector to call, the memory goes back at the next collection.
      }
    },
    Math.max(0, collectAt - Date.now()),
  );
  timer.unref();
}
