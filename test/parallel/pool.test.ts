/**
 * The shared worker pool (lib/parallel/pool.ts): every chunk runs once, exceptions come back with
 * their message, THREADS=1 starts no worker, results do not depend on the thread count, and a
 * process that used the pool exits by itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import {
  claimChunks,
  getThreads,
  runChunks,
  setThreads,
  sharedFloat32,
  sharedFloat64,
  sharedInt32,
  toShared,
} from '../../lib/parallel/pool';

const TASKS = join(__dirname, 'pool-tasks.js');
const POOL = join(__dirname, '..', '..', 'lib', 'parallel', 'pool.js');

function squares(chunks: number, threads: number, spinMs = 0) {
  const args = { out: sharedFloat64(chunks), calls: sharedInt32(chunks), threads: sharedInt32(chunks), spinMs };
  runChunks({ module: TASKS, name: 'squareChunk', args, chunks, threads });
  return args;
}

test('the default is one thread per core; setThreads refuses anything but a whole number of at least 1', () => {
  assert.equal(getThreads(), availableParallelism());
  for (const bad of [0, -1, 1.5, NaN, Infinity]) {
    assert.throws(() => setThreads(bad), /^Error: The number of threads must be a whole number of at least 1, got/);
  }
  assert.equal(getThreads(), availableParallelism());
  setThreads(3);
  assert.equal(getThreads(), 3);
  setThreads(availableParallelism());
});

test('every chunk runs exactly once, on 1, 2 and 3 threads, and a worker takes some of them', () => {
  for (const threads of [1, 2, 3]) {
    const { out, calls } = squares(50, threads);
    assert.deepEqual(Array.from(calls), new Array(50).fill(1), `${threads} threads`);
    assert.deepEqual(
      Array.from(out),
      Array.from({ length: 50 }, (_, i) => i * i),
    );
  }
  // Slow chunks give the (persistent) workers time to start: within a few rounds one takes a chunk.
  let byWorker = 0;
  for (let round = 0; round < 10 && byWorker === 0; round++) {
    const { calls, threads } = squares(20, 2, 20);
    assert.deepEqual(Array.from(calls), new Array(20).fill(1));
    byWorker = Array.from(threads).filter((id) => id !== threadId).length;
  }
  assert.ok(byWorker > 0, 'no chunk ran on a worker thread');
});

test('a task with no chunk does nothing; bad chunk counts, thread counts and names are refused', () => {
  runChunks({ module: TASKS, name: 'failingChunk', args: { failAt: 0 }, chunks: 0 });
  assert.throws(
    () => runChunks({ module: TASKS, name: 'failingChunk', args: {}, chunks: 1.5 }),
    /The number of chunks must be a whole number, got 1.5/,
  );
  assert.throws(
    () => runChunks({ module: TASKS, name: 'failingChunk', args: {}, chunks: 2, threads: 0 }),
    /The number of threads must be a whole number of at least 1, got 0/,
  );
  assert.throws(
    () => runChunks({ module: TASKS, name: 'noSuchChunk', args: {}, chunks: 2 }),
    /exports no function named noSuchChunk/,
  );
});

test("a chunk's exception is re-thrown on the calling thread with its message, whichever thread ran it", () => {
  for (const threads of [1, 2, 3]) {
    for (const failAt of [0, 7, 39]) {
      assert.throws(
        () => runChunks({ module: TASKS, name: 'failingChunk', args: { failAt }, chunks: 40, threads }),
        { message: `Chunk ${failAt} cannot be computed.` },
        `${threads} threads, chunk ${failAt}`,
      );
    }
  }
  // The pool still works after a failure.
  assert.deepEqual(Array.from(squares(10, 2).calls), new Array(10).fill(1));
});

test('1, 2 and 3 threads give bit-identical results when chunks write their own slots', () => {
  const n = 100_003;
  const block = 1000;
  const chunks = Math.ceil(n / block);
  const totals = [1, 2, 3].map((threads) => {
    const sums = sharedFloat64(chunks);
    runChunks({ module: TASKS, name: 'partialSumChunk', args: { n, block, sums }, chunks, threads });
    return { sums: Array.from(sums), total: sums.reduce((a, b) => a + b, 0) };
  });
  assert.deepEqual(totals[1], totals[0]);
  assert.deepEqual(totals[2], totals[0]);
});

test('onWait is called on the calling thread while the task runs', () => {
  let calls = 0;
  const args = { out: sharedFloat64(12), calls: sharedInt32(12), threads: sharedInt32(12), spinMs: 60 };
  runChunks({ module: TASKS, name: 'squareChunk', args, chunks: 12, threads: 2, onWait: () => calls++ });
  assert.ok(calls >= 1, `onWait was called ${calls} times`);
});

test('claimChunks takes every chunk once, then stops the others after a throw', () => {
  const counter = new Int32Array(1);
  const seen: number[] = [];
  assert.equal(
    claimChunks((_, chunk) => seen.push(chunk), {}, 4, counter),
    undefined,
  );
  assert.deepEqual(seen, [0, 1, 2, 3]);
  assert.equal(counter[0], 5); // four chunks taken, then one look past the end
  const failing = new Int32Array(1);
  const failure = claimChunks(
    (_, chunk) => {
      if (chunk === 1) throw new Error('no');
    },
    {},
    4,
    failing,
  );
  assert.equal(failure?.chunk, 1);
  assert.ok(failing[0] >= 4);
});

/** Runs a script in a fresh Node process (the pool's state is per process). */
function child(
  script: string,
  timeout = 60_000,
): { status: number | null; stdout: string; stderr: string; ms: number; error?: Error } {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    ms: Date.now() - started,
    error: result.error,
  };
}

test('THREADS=1 starts no worker', () => {
  const script = `
    const pool = require(${JSON.stringify(POOL)});
    pool.setThreads(1);
    const args = { out: pool.sharedFloat64(30), calls: pool.sharedInt32(30), threads: pool.sharedInt32(30), spinMs: 5 };
    pool.runChunks({ module: ${JSON.stringify(TASKS)}, name: 'squareChunk', args, chunks: 30 });
    console.log(pool.startedWorkers(), Array.from(args.calls).every((c) => c === 1));
  `;
  const { status, stdout, stderr } = child(script);
  assert.equal(status, 0, stderr);
  assert.equal(stdout.trim(), '0 true');
});

test('a process that used the pool exits by itself (the workers are unref’d)', () => {
  const script = `
    const pool = require(${JSON.stringify(POOL)});
    pool.setThreads(3);
    const args = { out: pool.sharedFloat64(20), calls: pool.sharedInt32(20), threads: pool.sharedInt32(20), spinMs: 10 };
    pool.runChunks({ module: ${JSON.stringify(TASKS)}, name: 'squareChunk', args, chunks: 20 });
    console.log(pool.startedWorkers(), Array.from(args.calls).every((c) => c === 1));
  `;
  const { status, stdout, stderr } = child(script);
  assert.equal(status, 0, stderr);
  assert.equal(stdout.trim(), '2 true');
});

test('a worker thread that exits in the middle of a task makes runChunks throw, not wait forever; the pool goes on', () => {
  const script = `
    const pool = require(${JSON.stringify(POOL)});
    let message = 'no worker took a chunk';
    for (let round = 0; round < 10 && message === 'no worker took a chunk'; round++) {
      try {
        pool.runChunks({ module: ${JSON.stringify(TASKS)}, name: 'exitingChunk', args: { spinMs: 20 }, chunks: 20, threads: 2 });
      } catch (error) {
        message = error.message;
      }
    }
    console.log(message);
    const args = { out: pool.sharedFloat64(20), calls: pool.sharedInt32(20), threads: pool.sharedInt32(20), spinMs: 10 };
    pool.runChunks({ module: ${JSON.stringify(TASKS)}, name: 'squareChunk', args, chunks: 20, threads: 2 });
    console.log(pool.startedWorkers(), Array.from(args.calls).every((c) => c === 1));
  `;
  const { status, stdout, stderr, error } = child(script, 30_000);
  assert.equal(error, undefined, 'the process ended (a dead worker must not hang its caller)');
  assert.equal(status, 0, stderr);
  assert.deepEqual(stdout.trim().split('\n'), [
    'A worker thread exited (code 7) in the middle of exitingChunk, so its result is incomplete; run it again, or with THREADS=1 to see the error on the calling thread.',
    '1 true',
  ]);
});

test('shared arrays start at zero; toShared copies an unshared array once and keeps a shared one', () => {
  assert.ok(sharedFloat32(3).buffer instanceof SharedArrayBuffer);
  assert.deepEqual(Array.from(sharedFloat32(3)), [0, 0, 0]);
  const plain = Float32Array.of(1.5, 2.5);
  const shared = toShared(plain);
  assert.ok(shared instanceof Float32Array && shared.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(Array.from(shared), [1.5, 2.5]);
  assert.equal(toShared(shared), shared);
  assert.deepEqual(Array.from(toShared(Int32Array.of(-1, 7))), [-1, 7]);
});
