import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import {
  claimStarts,
  defaultThreads,
  nearestCentersOnPool,
  runStart,
  runStarts,
} from '../../../lib/cluster/kmeans/kmeans-threads';
import { kMeans } from '../../../lib/cluster/kmeans/kmeans';
import { nearestCenters } from '../../../lib/cluster/kmeans/lloyd';
import { withThreads } from '../../helpers';
import { NumericMatrix, matrixFromRows } from '../../../lib/matrix/numeric-matrix';
import { seededRandom, randomNormal } from '../../../lib/random';

function points(seed: number, n: number): NumericMatrix {
  const random = seededRandom(seed);
  return matrixFromRows(
    Array.from({ length: n }, (_, i) => [randomNormal(random) + (i % 3) * 2, randomNormal(random)]),
  );
}

test('claiming takes every start index once and keeps the best, ties going to the lower index', () => {
  // Four starts with the same seed reach the same inertia, so the winner must be start 0.
  const matrix = points(1, 200);
  const counter = new Int32Array(1);
  const inertias = new Float64Array(4);
  const best = claimStarts(
    matrix,
    { k: 3, seeds: [9, 9, 9, 9], maxIterations: 300, tolerance: 1e-4 },
    counter,
    inertias,
  );
  assert.equal(best?.index, 0);
  assert.equal(counter[0], 5); // four starts taken, then one look past the end
  assert.ok(inertias.every((value) => value === inertias[0] && value > 0));
  assert.equal(
    claimStarts(matrix, { k: 3, seeds: [9], maxIterations: 300, tolerance: 1e-4 }, counter, inertias),
    undefined,
  );
});

test('the first fit in a process (worker still starting) and later fits give the single-thread result', () => {
  const matrix = points(2, 3000);
  const job = { k: 5, seeds: [11, 22, 33, 44, 55, 66], maxIterations: 300, tolerance: 1e-4 };
  const single = runStarts(matrix, job, 1);
  for (let round = 0; round < 3; round++) {
    const shared = runStarts(matrix, job, 2);
    assert.equal(shared.index, single.index, `round ${round}`);
    assert.deepEqual(shared.labels, single.labels, `round ${round}`);
    assert.deepEqual(shared.inertias, single.inertias, `round ${round}`);
  }
  const best = job.seeds.map((seed) => runStart(matrix, 5, seed, 300, 1e-4).inertia);
  assert.equal(single.inertia, Math.min(...best));
});

test('the default number of threads is one per core, at most the number of starts', () => {
  assert.equal(defaultThreads(1), 1);
  assert.equal(defaultThreads(100), availableParallelism());
  // worked by hand: min(cores, starts), at least one
  assert.equal(defaultThreads(10, 2), 2);
  assert.equal(defaultThreads(3, 8), 3);
  assert.equal(defaultThreads(0, 8), 1);
});

test('the nearest centres on the pool equal nearestCenters over all rows, for 1, 2 and 3 threads', () => {
  const matrix = points(7, 10_000); // three chunks of 4096 rows
  const centers = Float64Array.from([0, 0, 2, 0, 4, 0, 1, 1, 3, -1]);
  const expected = new Int32Array(matrix.n);
  nearestCenters(matrix, centers, expected);
  for (const threads of [1, 2, 3]) {
    assert.deepEqual(
      withThreads(threads, () => nearestCentersOnPool(matrix, centers)),
      expected,
      `${threads} threads`,
    );
  }
});

test('kMeans gives the bit-identical fit on 1, 2 and 3 threads, set by THREADS or by the threads option', () => {
  const matrix = points(8, 2000);
  const one = withThreads(1, () => kMeans(matrix, 4, { seed: 3, nInit: 5 }));
  for (const threads of [2, 3]) {
    for (const fit of [
      withThreads(threads, () => kMeans(matrix, 4, { seed: 3, nInit: 5 })),
      kMeans(matrix, 4, { seed: 3, nInit: 5, threads }),
    ]) {
      assert.deepEqual(fit.labels, one.labels);
      assert.deepEqual(fit.centroids.data, one.centroids.data);
      assert.equal(fit.inertia, one.inertia);
      assert.deepEqual(fit.inertias, one.inertias);
      assert.equal(fit.iterations, one.iterations);
    }
  }
});
