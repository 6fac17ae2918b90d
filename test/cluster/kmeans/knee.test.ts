import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findKnee, kneedle } from '../../../lib/cluster/kmeans/knee';

// Every curve below is worked by hand in its comment: x scaled to [0, 1], y scaled and flipped
// (1 - y), difference = flipped y - scaled x, threshold = local maximum - S * mean x step.

test('a sharp bend at x = 2 is the knee (the doc example)', () => {
  // difference [0, 0.5, 0.4, 0.22, 0.04, 0]; maximum 0.5 at index 1, threshold 0.5 - 0.2 = 0.3,
  // and 0.22 at index 3 is below it.
  const result = kneedle([1, 2, 3, 4, 5, 6], [100, 30, 20, 18, 16, 0]);
  assert.equal(result.knee, 2);
  assert.equal(result.kneeIndex, 1);
  assert.deepEqual(result.maxima, [1]);
  result.difference.forEach((value, i) => assert.ok(Math.abs(value - [0, 0.5, 0.4, 0.22, 0.04, 0][i]) < 1e-12));
  assert.ok(Math.abs(result.thresholds[0] - 0.3) < 1e-12);
});

test('an inertia-like curve 10, 5, 2, 1.6, ..., 0 bends at x = 3', () => {
  // x step 1/7. flipped y [0, .5, .8, .84, .88, .92, .96, 1]; difference
  // [0, .357, .514, .411, .309, .206, .103, 0]; maximum at index 2, threshold .514 - .143 = .371,
  // crossed at index 4 (.309).
  assert.equal(findKnee([1, 2, 3, 4, 5, 6, 7, 8], [10, 5, 2, 1.6, 1.2, 0.8, 0.4, 0]), 3);
});

test('a local maximum the curve does not fall below before the next maximum is passed over', () => {
  // y / 300 = [1, .5333, .3867, .05, .0333, .0667, 0]; x step 1/6; difference
  // [0, .3, .28, .45, .3, .1, 0]. Maximum at 1: threshold .3 - .1667 = .1333, not reached before
  // the next maximum at 3 (.28 stays above). Maximum at 3: threshold .2833, crossed at index 5.
  const result = kneedle([0, 1, 2, 3, 4, 5, 6], [300, 160, 116, 15, 10, 20, 0]);
  assert.deepEqual(result.maxima, [1, 3]);
  assert.equal(result.knee, 3);
});

test('the sensitivity S moves the threshold: S = 4 puts it below every value, so no knee', () => {
  // Same curve as the 10, 5, 2 case: maximum .514, S = 3 gives threshold .086 (crossed by the last
  // point, 0), S = 4 gives .514 - .571 < 0, never crossed.
  const ys = [10, 5, 2, 1.6, 1.2, 0.8, 0.4, 0];
  const xs = [1, 2, 3, 4, 5, 6, 7, 8];
  assert.equal(findKnee(xs, ys, { sensitivity: 3 }), 3);
  assert.equal(findKnee(xs, ys, { sensitivity: 4 }), null);
});

test('a straight line, a flat line and fewer than three points have no knee', () => {
  assert.equal(findKnee([1, 2, 3, 4], [4, 3, 2, 1]), null);
  assert.equal(findKnee([1, 2, 3], [5, 5, 5]), null);
  assert.equal(findKnee([1, 2], [5, 1]), null);
});

test('the knee does not change when y is scaled or shifted, or x is shifted (property)', () => {
  const xs = [2, 3, 4, 5, 6, 7, 8, 9];
  const ys = [10, 5, 2, 1.6, 1.2, 0.8, 0.4, 0];
  const knee = findKnee(xs, ys);
  assert.equal(knee, 4);
  assert.equal(
    findKnee(
      xs,
      ys.map((y) => 1000 * y + 7),
    ),
    4,
  );
  assert.equal(
    findKnee(
      xs.map((x) => x + 10),
      ys,
    ),
    14,
  );
});

test('bad input is refused with a sentence', () => {
  assert.throws(() => findKnee([1, 2, 3], [1, 2]), /as many y values as x values/);
  assert.throws(() => findKnee([1, 3, 2], [3, 2, 1]), /must increase strictly/);
  assert.throws(() => findKnee([1, 2, 3], [3, NaN, 1]), /Point 1 of the curve/);
  assert.throws(() => findKnee([1, 2, 3], [3, 2, 1], { sensitivity: -1 }), /sensitivity must be zero or positive/);
});
