import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../../lib/matrix/distance-matrix';
import { RowBlocks } from '../../../lib/matrix/row-blocks';
import { kMedoids, KMedoidsProgress } from '../../../lib/cluster/kmedoids/kmedoids';
import { gatherLeftParts, SWAP_THREADS, useSwapThreads } from '../../../lib/cluster/kmedoids/swap-candidates';
import { startedWorkers } from '../../../lib/parallel/pool';
import { seededRandom } from '../../../lib/random';
import { blobDistances, withThreads } from '../../helpers';

/** Runs `run` with the shared candidate evaluation on for matrices of any size. */
function sharedFromRow<T>(minRows: number, run: () => T): T {
  const before = SWAP_THREADS.minRows;
  SWAP_THREADS.minRows = minRows;
  try {
    return run();
  } finally {
    SWAP_THREADS.minRows = before;
  }
}

/** n rows of random distances (uniform, so many ties in Float32 are unlikely but swaps frequent). */
function randomDistances(n: number, seed: number, precision: 'float32' | 'float64'): DistanceMatrix {
  const random = seededRandom(seed);
  const pairs = (n * (n - 1)) / 2;
  const d = new DistanceMatrix(n, precision === 'float64' ? new Float64Array(pairs) : new Float32Array(pairs));
  for (let p = 0; p < pairs; p++) d.condensed[p] = random();
  return d;
}

test('the shared candidate evaluation gives the sequential fit bit for bit (THREADS 1 and 2)', () => {
  const matrices = [
    ['blobs float32', blobDistances(60, 3)],
    ['blobs float64', blobDistances(60, 5, 'float64')],
    ['uniform float32', randomDistances(300, 7, 'float32')],
    ['uniform float64', randomDistances(257, 8, 'float64')],
  ] as const;
  for (const [name, d] of matrices) {
    for (const k of [2, 3, 7, 16]) {
      for (const init of ['random', 'build'] as const) {
        for (const seed of [0, 42]) {
          const passes: KMedoidsProgress[] = [];
          const expected = withThreads(1, () => kMedoids(d, k, { seed, init, onProgress: (p) => passes.push(p) }));
          for (const threads of [1, 2]) {
            const shared: KMedoidsProgress[] = [];
            const fit = sharedFromRow(2, () =>
              withThreads(threads, () => kMedoids(d, k, { seed, init, onProgress: (p) => shared.push(p) })),
            );
            const what = `${name}, k = ${k}, ${init}, seed ${seed}, THREADS ${threads}`;
            assert.deepEqual(fit, expected, what);
            assert.deepEqual(shared, passes, what);
          }
        }
      }
    }
  }
});

test('the shared path stops where the sequential one does: maxIterations, the last swap', () => {
  const d = randomDistances(200, 11, 'float32');
  for (const maxIterations of [0, 1, 2, 3]) {
    const expected = withThreads(1, () => kMedoids(d, 9, { seed: 3, maxIterations }));
    const fit = sharedFromRow(2, () => withThreads(2, () => kMedoids(d, 9, { seed: 3, maxIterations })));
    assert.deepEqual(fit, expected, `maxIterations ${maxIterations}`);
  }
  // Given medoids that are already a local optimum: one pass, no swap, on both paths.
  const optimum = withThreads(1, () => kMedoids(d, 4, { seed: 1 }));
  const again = sharedFromRow(2, () => withThreads(2, () => kMedoids(d, 4, { init: optimum.medoids })));
  assert.deepEqual(again.medoids, optimum.medoids);
  assert.equal(again.swaps, 0);
  assert.equal(again.iterations, 1);
});

test('the shared path runs on the worker pool only when it can help', () => {
  withThreads(2, () => {
    assert.equal(useSwapThreads(10000, true), true);
    assert.equal(useSwapThreads(10000, false), false, 'left parts not kept: sequential');
    assert.equal(useSwapThreads(SWAP_THREADS.minRows - 1, true), false, 'small fit: sequential');
  });
  withThreads(1, () => assert.equal(useSwapThreads(10000, true), false, 'THREADS = 1: sequential'));
  sharedFromRow(2, () => withThreads(2, () => kMedoids(randomDistances(120, 2, 'float32'), 3)));
  assert.ok(startedWorkers() >= 1, 'a worker was started for the shared evaluation');
});

test('gatherLeftParts gathers what RowBlocks.allLeftParts gathers, at 1 and 2 threads', () => {
  for (const precision of ['float32', 'float64'] as const) {
    for (const n of [1, 2, 3, 50, 1200]) {
      const d = randomDistances(n, n, precision);
      const expected = RowBlocks.allLeftParts(d);
      for (const threads of [1, 2]) {
        const gathered = withThreads(threads, () => gatherLeftParts(d));
        assert.equal(gathered.constructor, expected.constructor);
        assert.deepEqual(Array.from(gathered), Array.from(expected), `${precision}, n = ${n}, THREADS ${threads}`);
      }
    }
  }
});
