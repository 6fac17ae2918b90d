/**
 * The worker thread behind `kmeans-threads.ts`: receives one fit at a time on its port, takes
 * starts from the shared counter, and writes its best start to the shared buffers. Not imported
 * by anything; `runStarts` starts it from the compiled file beside this one.
 */
import { MessagePort, workerData } from 'node:worker_threads';
import { matrixFromData } from '../../matrix/numeric-matrix';
import { JOB_STATE, WorkerJobMessage, claimStarts } from './kmeans-threads';

const port = (workerData as { port: MessagePort }).port;

port.on('message', (job: WorkerJobMessage) => {
  const state = new Int32Array(job.state);
  // The caller may have cancelled the job already (it ran every start itself).
  if (Atomics.compareExchange(state, 0, JOB_STATE.pending, JOB_STATE.running) !== JOB_STATE.pending) return;
  const summary = new Float64Array(job.summary);
  summary[1] = -1;
  try {
    const matrix = matrixFromData(new Float64Array(job.data), job.n, job.d);
    const best = claimStarts(matrix, job, new Int32Array(job.counter), new Float64Array(job.inertias));
    if (best) {
      summary[0] = best.inertia;
      summary[1] = best.index;
      summary[2] = best.iterations;
      new Int32Array(job.labels).set(best.labels);
      new Float64Array(job.centers).set(best.centers);
    }
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) });
  } finally {
    Atomics.store(state, 0, JOB_STATE.done);
    Atomics.notify(state, 0);
  }
});
