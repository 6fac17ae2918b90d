import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../../lib/matrix/distance-matrix';
import { kMedoids } from '../../../lib/cluster/kmedoids/kmedoids';
import { kMedoidsFits } from '../../../lib/cluster/kmedoids/kmedoids-fits';
import { blobDistances, withThreads } from '../../helpers';

test('each fit is kMedoids with the same options, in the order of ks, at 1 and 2 threads', () => {
  for (const precision of ['float32', 'float64'] as const) {
    const d = blobDistances(20, 3, precision);
    const ks = [5, 2, 3, 1, 8];
    for (const init of ['random', 'build'] as const) {
      const expected = ks.map((k) => kMedoids(d, k, { seed: 4, init }));
      for (const threads of [1, 2]) {
        const fits = withThreads(threads, () => kMedoidsFits(d, ks, { seed: 4, init }));
        assert.deepEqual(fits, expected, `${precision}, ${init}, ${threads} threads`);
      }
    }
  }
});

test('progress counts every fit once, in order; no ks, no fits', () => {
  const d = blobDistances(10, 1);
  const calls: [number, number][] = [];
  kMedoidsFits(d, [2, 3, 4], { onProgress: (done, total) => calls.push([done, total]) });
  assert.deepEqual(calls, [
    [1, 3],
    [2, 3],
    [3, 3],
  ]);
  assert.deepEqual(kMedoidsFits(d, []), []);
});

test('bad ks, options and matrices are refused with a sentence', () => {
  const d = blobDistances(5, 1);
  assert.throws(() => kMedoidsFits(d, [2, 16]), /k must be a whole number from 1 to the number of rows \(15\), got 16/);
  assert.throws(() => kMedoidsFits(d, [0]), /got 0/);
  assert.throws(
    () => kMedoidsFits(d, [2], { init: [0, 1] as unknown as 'random' }),
    /init must be 'random' or 'build'/,
  );
  assert.throws(
    () =>
      kMedoidsFits(
        DistanceMatrix.fromSquare([
          [0, NaN],
          [NaN, 0],
        ]),
        [1],
      ),
    /has a NaN/,
  );
  assert.throws(() => kMedoidsFits([[0]] as unknown as DistanceMatrix, [1]), /needs a DistanceMatrix/);
});
