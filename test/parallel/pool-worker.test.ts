/**
 * The pool's worker thread (lib/parallel/pool-worker.ts), driven through its message protocol
 * directly: `runChunks` may cancel a worker that is still starting, so its own tests do not prove
 * the worker ever ran a chunk. Here the worker gets whole tasks (the k-means starts), and what it
 * writes to the shared buffers is compared with the same starts run in this thread.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { StartsArgs, StartsJob, claimStarts, startsArgs } from '../../lib/cluster/kmeans/kmeans-threads';
import { NumericMatrix, matrixFromRows } from '../../lib/matrix/numeric-matrix';
import { TASK_STATE, TaskMessage, WORKER_FILE } from '../../lib/parallel/pool';
import { randomNormal, seededRandom } from '../../lib/random';

const KMEANS_THREADS = join(__dirname, '..', '..', 'lib', 'cluster', 'kmeans', 'kmeans-threads.js');

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

/** A task message as `runChunks` builds it for the k-means starts, every buffer shared. */
function message(matrix: NumericMatrix, job: StartsJob): TaskMessage & { args: StartsArgs } {
  return {
    module: KMEANS_THREADS,
    name: 'startChunk',
    args: startsArgs(matrix, job, true),
    chunks: job.seeds.length,
    counter: new SharedArrayBuffer(4),
    state: new SharedArrayBuffer(4),
  };
}

function startWorker(): { worker: Worker; port: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_FILE, { workerData: { port: port2 }, transferList: [port2] });
  return { worker, port: port1 };
}

/** Waits (without blocking this thread) until the task's state is DONE; fails after 60 s. */
async function done(task: TaskMessage): Promise<void> {
  const state = new Int32Array(task.state);
  const deadline = Date.now() + 60_000;
  while (Atomics.load(state, 0) !== TASK_STATE.done) {
    if (Date.now() > deadline) throw new Error(`The worker did not finish the task (state ${Atomics.load(state, 0)}).`);
    await sleep(5);
  }
}

test('a worker given a whole task runs every chunk and writes each start, as claimStarts does here', async () => {
  const matrix = points(3, 1500);
  const job = { k: 4, seeds: [5, 6, 7, 8, 9], maxIterations: 300, tolerance: 1e-4 };
  const { worker, port } = startWorker();
  try {
    const posted = message(matrix, job);
    port.postMessage(posted);
    await done(posted);

    const inertias = new Float64Array(job.seeds.length);
    const here = claimStarts(matrix, job, new Int32Array(1), inertias)!;
    const { args } = posted;
    assert.deepEqual(args.inertias, inertias);
    assert.equal(args.iterations[here.index], here.iterations);
    assert.deepEqual(args.labels.subarray(here.index * matrix.n, (here.index + 1) * matrix.n), here.labels);
    const kd = job.k * matrix.d;
    assert.deepEqual(args.centers.subarray(here.index * kd, (here.index + 1) * kd), here.centers);
    // every chunk taken once, then one look past the end
    assert.equal(new Int32Array(posted.counter)[0], job.seeds.length + 1);
    assert.equal(receiveMessageOnPort(port), undefined, 'no error message');
  } finally {
    await worker.terminate();
  }
});

test('a task cancelled before the worker picks it up is left untouched, and the worker takes the next task', async () => {
  const matrix = points(4, 300);
  const job = { k: 3, seeds: [1, 2], maxIterations: 300, tolerance: 1e-4 };
  const { worker, port } = startWorker();
  try {
    const cancelled = message(matrix, job);
    Atomics.store(new Int32Array(cancelled.state), 0, TASK_STATE.cancelled);
    const next = message(matrix, job);
    port.postMessage(cancelled);
    port.postMessage(next);
    await done(next); // messages arrive in order, so the cancelled one has been seen
    assert.equal(Atomics.load(new Int32Array(cancelled.state), 0), TASK_STATE.cancelled);
    assert.equal(new Int32Array(cancelled.counter)[0], 0);
    assert.ok(cancelled.args.inertias.every((value) => value === 0));
    assert.ok(next.args.inertias.every((value) => value > 0));
  } finally {
    await worker.terminate();
  }
});

test('a task whose chunks were all taken already runs none; a failing task reports its error and still ends DONE', async () => {
  const matrix = points(5, 50);
  const { worker, port } = startWorker();
  try {
    const taken = message(matrix, { k: 2, seeds: [1], maxIterations: 300, tolerance: 1e-4 });
    new Int32Array(taken.counter)[0] = 1;
    port.postMessage(taken);
    await done(taken);
    assert.equal(taken.args.inertias[0], 0);

    // More clusters than points: k-means++ refuses, inside the worker.
    const failing = message(matrix, { k: 51, seeds: [1], maxIterations: 300, tolerance: 1e-4 });
    port.postMessage(failing);
    await done(failing);
    assert.equal(failing.args.inertias[0], 0);
    const reply = receiveMessageOnPort(port);
    assert.match(
      String(reply?.message?.error),
      /number of clusters must be a whole number from 1 to the number of points \(50\), got 51/,
    );
    assert.equal(reply?.message?.chunk, 0);
  } finally {
    await worker.terminate();
  }
});
