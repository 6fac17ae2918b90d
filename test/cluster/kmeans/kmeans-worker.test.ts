/**
 * The k-means worker thread (lib/cluster/kmeans/kmeans-worker.ts), driven through its message
 * protocol directly: `runStarts` may cancel a worker that is still starting, so its own tests do
 * not prove the worker ever ran a start. Here the worker gets whole jobs, and what it writes to the
 * shared buffers is compared with `claimStarts` run in this thread.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { JOB_STATE, StartsJob, WorkerJobMessage, claimStarts } from '../../../lib/cluster/kmeans/kmeans-threads';
import { NumericMatrix, matrixFromRows } from '../../../lib/matrix/numeric-matrix';
import { randomNormal, seededRandom } from '../../../lib/random';

const WORKER_FILE = join(__dirname, '..', '..', '..', 'lib', 'cluster', 'kmeans', 'kmeans-worker.js');

function points(seed: number, n: number): NumericMatrix {
  const random = seededRandom(seed);
  return matrixFromRows(
    Array.from({ length: n }, (_, i) => [
      randomNormal(random) + (i % 3) * 2,
      randomNormal(random),
      randomNormal(random),
    ]),
  );
}

/** A job message as `runStarts` builds it, every buffer shared; the summary starts as NaN. */
function message(matrix: NumericMatrix, job: StartsJob): WorkerJobMessage {
  const data = new Float64Array(new SharedArrayBuffer(matrix.data.byteLength));
  data.set(matrix.data);
  const summary = new SharedArrayBuffer(8 * 3);
  new Float64Array(summary).fill(NaN);
  return {
    ...job,
    seeds: [...job.seeds],
    data: data.buffer as SharedArrayBuffer,
    n: matrix.n,
    d: matrix.d,
    counter: new SharedArrayBuffer(4),
    inertias: new SharedArrayBuffer(8 * job.seeds.length),
    state: new SharedArrayBuffer(4),
    summary,
    labels: new SharedArrayBuffer(4 * matrix.n),
    centers: new SharedArrayBuffer(8 * job.k * matrix.d),
  };
}

function startWorker(): { worker: Worker; port: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_FILE, { workerData: { port: port2 }, transferList: [port2] });
  return { worker, port: port1 };
}

/** Waits (without blocking this thread) until the job's state is DONE; fails after 60 s. */
async function done(job: WorkerJobMessage): Promise<void> {
  const state = new Int32Array(job.state);
  const deadline = Date.now() + 60_000;
  while (Atomics.load(state, 0) !== JOB_STATE.done) {
    if (Date.now() > deadline) throw new Error(`The worker did not finish the job (state ${Atomics.load(state, 0)}).`);
    await sleep(5);
  }
}

test('a worker given a whole job runs every start and writes the best one, as claimStarts does here', async () => {
  const matrix = points(3, 1500);
  const job = { k: 4, seeds: [5, 6, 7, 8, 9], maxIterations: 300, tolerance: 1e-4 };
  const { worker, port } = startWorker();
  try {
    const posted = message(matrix, job);
    port.postMessage(posted);
    await done(posted);

    const inertias = new Float64Array(job.seeds.length);
    const here = claimStarts(matrix, job, new Int32Array(1), inertias)!;
    const summary = new Float64Array(posted.summary);
    assert.deepEqual(Array.from(summary), [here.inertia, here.index, here.iterations]);
    assert.deepEqual(new Int32Array(posted.labels), here.labels);
    assert.deepEqual(new Float64Array(posted.centers), here.centers);
    assert.deepEqual(new Float64Array(posted.inertias), inertias);
    // every start taken once, then one look past the end
    assert.equal(new Int32Array(posted.counter)[0], job.seeds.length + 1);
    assert.equal(receiveMessageOnPort(port), undefined, 'no error message');
  } finally {
    await worker.terminate();
  }
});

test('a job cancelled before the worker picks it up is left untouched, and the worker takes the next job', async () => {
  const matrix = points(4, 300);
  const job = { k: 3, seeds: [1, 2], maxIterations: 300, tolerance: 1e-4 };
  const { worker, port } = startWorker();
  try {
    const cancelled = message(matrix, job);
    Atomics.store(new Int32Array(cancelled.state), 0, JOB_STATE.cancelled);
    const next = message(matrix, job);
    port.postMessage(cancelled);
    port.postMessage(next);
    await done(next); // messages arrive in order, so the cancelled one has been seen
    assert.equal(Atomics.load(new Int32Array(cancelled.state), 0), JOB_STATE.cancelled);
    assert.equal(new Int32Array(cancelled.counter)[0], 0);
    assert.ok(new Float64Array(cancelled.summary).every(Number.isNaN));
    assert.ok(new Float64Array(cancelled.inertias).every((value) => value === 0));
    const summary = new Float64Array(next.summary);
    assert.ok(summary[0] > 0 && (summary[1] === 0 || summary[1] === 1));
  } finally {
    await worker.terminate();
  }
});

test('a job whose starts were all taken already leaves index −1; a failing job reports its error and still ends DONE', async () => {
  const matrix = points(5, 50);
  const { worker, port } = startWorker();
  try {
    const taken = message(matrix, { k: 2, seeds: [1], maxIterations: 300, tolerance: 1e-4 });
    new Int32Array(taken.counter)[0] = 1;
    port.postMessage(taken);
    await done(taken);
    assert.equal(new Float64Array(taken.summary)[1], -1);

    // More clusters than points: k-means++ refuses, inside the worker.
    const failing = message(matrix, { k: 51, seeds: [1], maxIterations: 300, tolerance: 1e-4 });
    port.postMessage(failing);
    await done(failing);
    assert.equal(new Float64Array(failing.summary)[1], -1);
    const reply = receiveMessageOnPort(port);
    assert.match(
      String(reply?.message?.error),
      /number of clusters must be a whole number from 1 to the number of points \(50\), got 51/,
    );
  } finally {
    await worker.terminate();
  }
});
