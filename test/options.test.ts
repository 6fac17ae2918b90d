import test from 'node:test';
import assert from 'node:assert/strict';
import { withDefaults } from '../lib/options';
import { kMeans } from '../lib/cluster/kmeans/kmeans';
import { matrixFromRows } from '../lib/matrix/numeric-matrix';

test('a field set to undefined takes the default; a set field wins; extra fields are kept', () => {
  const defaults = Object.freeze({ seed: 42, nInit: 10 });
  assert.deepEqual(withDefaults(defaults, { seed: undefined, nInit: 3, threads: 2 }), {
    seed: 42,
    nInit: 3,
    threads: 2,
  });
  assert.deepEqual(withDefaults(defaults, undefined), { seed: 42, nInit: 10 });
  assert.deepEqual(defaults, { seed: 42, nInit: 10 }, 'the defaults are not changed');
});

test('kMeans with { seed: undefined } is kMeans with the default seed', () => {
  const points = matrixFromRows([
    [0, 0],
    [0, 2],
    [10, 0],
    [10, 2],
    [5, 9],
  ]);
  const plain = kMeans(points, 2, { threads: 1 });
  const undefinedSeed = kMeans(points, 2, { seed: undefined, nInit: undefined, threads: 1 });
  assert.deepEqual(Array.from(undefinedSeed.labels), Array.from(plain.labels));
  assert.equal(undefinedSeed.inertia, plain.inertia);
});
