/**
 * The worker thread behind `pool.ts`: receives one task at a time on its port, takes chunk numbers
 * from the task's shared counter and calls the task's function on each. A chunk's exception is
 * posted back (message and chunk number) before the task is marked DONE; a thread that exits in
 * the middle of a task marks it DIED with its exit code, so the caller does not wait for it. Not imported by
 * anything; `runChunks` starts it from the compiled file beside this one.
 */
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
  }
});
