import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../../lib/matrix/distance-matrix';
import {
  assignToMedoids,
  checkMedoids,
  medoidSilhouette,
  medoidSilhouetteSamples,
} from '../../../lib/cluster/kmedoids/assign';
import { assertAllClose, assertClose, readFixture } from '../../helpers';

// Rows at 0, 1, 9 and 10 on a line.
const line = DistanceMatrix.fromSquare([
  [0, 1, 9, 10],
  [1, 0, 8, 9],
  [9, 8, 0, 1],
  [10, 9, 1, 0],
]);

interface TiesFit {
  k: number;
  from_initial: { medoids: number[] };
  medoid_silhouette: number;
  medoid_silhouette_samples: number[];
}
const fixture: { ties: { name: string; n: number; condensed: number[]; fits: TiesFit[] }[] } =
  readFixture('kmedoids.json');

test('each row goes to its nearest medoid; the loss is the summed distance to it', () => {
  const { labels, nearest, second, loss } = assignToMedoids(line, [0, 3]);
  assert.deepEqual(Array.from(labels), [0, 0, 1, 1]);
  assert.deepEqual(Array.from(nearest), [0, 1, 1, 0]);
  assert.deepEqual(Array.from(second), [10, 9, 9, 10]);
  assert.equal(loss, 2);
});

test('only the rows asked for are assigned, in the order asked', () => {
  const { labels, nearest } = assignToMedoids(line, [3, 0], [2, 1]);
  assert.deepEqual(Array.from(labels), [0, 1]); // row 2 → medoid 3 (position 0), row 1 → medoid 0 (position 1)
  assert.deepEqual(Array.from(nearest), [1, 1]);
});

test('ties: a medoid keeps itself, any other row takes the first medoid at the smallest distance', () => {
  // Rows 0, 1 and 2 coincide; row 3 is 1 away from all three.
  const d = DistanceMatrix.fromSquare([
    [0, 0, 0, 1],
    [0, 0, 0, 1],
    [0, 0, 0, 1],
    [1, 1, 1, 0],
  ]);
  assert.deepEqual(Array.from(assignToMedoids(d, [1, 2]).labels), [0, 0, 1, 0]);
  assert.deepEqual(Array.from(assignToMedoids(d, [2, 1]).labels), [0, 1, 0, 0]);
});

test('with one medoid the second-nearest distance is infinite', () => {
  const { labels, second, loss } = assignToMedoids(line, [1]);
  assert.deepEqual(Array.from(labels), [0, 0, 0, 0]);
  assert.ok(second.every((b) => b === Infinity));
  assert.equal(loss, 18);
});

test('the medoid silhouette of the line example, worked by hand', () => {
  // Rows 1 and 2: a = 1, b = 9, so 1 − 1/9; the medoids themselves: a = 0, so 1.
  const samples = medoidSilhouetteSamples(line, [0, 3]);
  assertAllClose(samples, [1, 8 / 9, 8 / 9, 1], 1e-15, 'samples');
  assertClose(medoidSilhouette(line, [0, 3]), (2 + 16 / 9) / 4, 1e-15, 'mean');
});

test('the medoid silhouette is 1 where both medoid distances are 0 and for every row with one medoid', () => {
  // Rows 0, 1, 2 coincide, row 3 is 4 away: medoids 0 and 1 give row 2 a = b = 0 (→ 1) and row 3
  // a = b = 4 (→ 0), as kmedoids.medoid_silhouette gives [1, 1, 1, 0].
  const d = DistanceMatrix.fromSquare([
    [0, 0, 0, 4],
    [0, 0, 0, 4],
    [0, 0, 0, 4],
    [4, 4, 4, 0],
  ]);
  assert.deepEqual(Array.from(medoidSilhouetteSamples(d, [0, 1])), [1, 1, 1, 0]);
  assert.deepEqual(Array.from(medoidSilhouetteSamples(line, [2])), [1, 1, 1, 1]);
});

test('with labels the medoid silhouette is (b − a) / max(a, b) for the medoid given', () => {
  // Row 1 put with medoid 3 (a = 9) although medoid 0 is nearer (b = 1): (1 − 9) / 9.
  const samples = medoidSilhouetteSamples(line, [0, 3], [0, 1, 1, 1]);
  assertAllClose(samples, [1, -8 / 9, 8 / 9, 1], 1e-15, 'samples');
  // The nearest medoids as labels give the same as no labels.
  assertAllClose(
    medoidSilhouetteSamples(line, [0, 3], [0, 0, 1, 1]),
    medoidSilhouetteSamples(line, [0, 3]),
    0,
    'nearest',
  );
});

test('the medoid silhouette equals kmedoids.medoid_silhouette on matrices full of ties', () => {
  for (const c of fixture.ties) {
    const d = new DistanceMatrix(c.n, Float64Array.from(c.condensed));
    for (const fit of c.fits) {
      const medoids = fit.from_initial.medoids;
      assertAllClose(
        medoidSilhouetteSamples(d, medoids),
        fit.medoid_silhouette_samples,
        1e-12,
        `${c.name}, k = ${fit.k}`,
      );
      assertClose(medoidSilhouette(d, medoids), fit.medoid_silhouette, 1e-12, `${c.name}, k = ${fit.k}`);
    }
  }
});

test('bad medoids, rows and labels are refused with a sentence', () => {
  assert.throws(() => assignToMedoids(line, [0, 0]), /Row 0 is given twice as a medoid/);
  assert.throws(() => assignToMedoids(line, [0, 4]), /Medoid 1 is 4, which is not a row of the matrix/);
  assert.throws(() => assignToMedoids(line, [0.5]), /not a row of the matrix/);
  assert.throws(() => assignToMedoids(line, []), /At least one medoid/);
  assert.throws(() => assignToMedoids(line, [0], [7]), /Row index 7 is outside/);
  assert.throws(() => checkMedoids([0, 1], 4, 3), /exactly k = 3 initial medoids/);
  assert.throws(() => medoidSilhouette(line, [0, 3], [0, 1]), /one label per row/);
  assert.throws(() => medoidSilhouette(line, [0, 3], [0, 1, 2, 0]), /Label 2 is 2/);
  const holes = new DistanceMatrix(3, Float32Array.of(1, NaN, 2));
  assert.throws(() => assignToMedoids(holes, [0]), /NaN/);
});
