import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../lib/matrix/distance-matrix';
import { shuffledIndices } from '../../lib/random';
import { trustworthiness } from '../../lib/embed/trustworthiness';
import { readFixture, condensedFromBase64 } from '../helpers';

// Made by test/reference/tsne_fixtures.py: sklearn.manifold.trustworthiness (scikit-learn 1.9.1)
// of fixed embeddings (scikit-learn's t-SNE map and a seeded random one) at k = 1, 5, 10, 20,
// metric 'euclidean' for the blobs and 'precomputed' for the Gower matrix. Neither input has
// tied distances in any row (the script counts them), so ranks are unambiguous.
interface Fixed {
  points: number[][];
  trustworthiness: Record<string, number>;
}
interface Fixture {
  fixed_embeddings: { sklearn: Fixed; random: Fixed };
  tied_rows: number;
}
const blobs: Fixture & { X: number[][] } = readFixture('tsne_blobs.json');
const gower: Fixture & { rows: number; condensed_float32_base64: string } = readFixture('tsne_gower.json');

function gowerMatrix(): DistanceMatrix {
  return condensedFromBase64(gower.condensed_float32_base64, gower.rows);
}

test('equal to scikit-learn within 1e-9 on fixed embeddings of the blobs (Euclidean input)', () => {
  assert.equal(blobs.tied_rows, 0);
  for (const which of ['sklearn', 'random'] as const) {
    const fixed = blobs.fixed_embeddings[which];
    for (const k of [1, 5, 10, 20]) {
      const value = trustworthiness(blobs.X, fixed.points, k);
      const expected = fixed.trustworthiness[String(k)];
      assert.ok(Math.abs(value - expected) <= 1e-9, `${which}, k = ${k}: ${value} vs ${expected}`);
    }
  }
});

test('equal to scikit-learn within 1e-9 on fixed embeddings of the Gower matrix (precomputed input)', () => {
  assert.equal(gower.tied_rows, 0);
  const matrix = gowerMatrix();
  for (const which of ['sklearn', 'random'] as const) {
    const fixed = gower.fixed_embeddings[which];
    for (const k of [1, 5, 10, 20]) {
      const value = trustworthiness(matrix, fixed.points, k);
      const expected = fixed.trustworthiness[String(k)];
      assert.ok(Math.abs(value - expected) <= 1e-9, `${which}, k = ${k}: ${value} vs ${expected}`);
    }
  }
});

test('the condensed fast path and get(i, j) give the same value', () => {
  const matrix = gowerMatrix();
  const onlyGet = { size: matrix.size, get: (i: number, j: number) => matrix.get(i, j) };
  const points = gower.fixed_embeddings.random.points;
  assert.equal(trustworthiness(onlyGet, points, 7), trustworthiness(matrix, points, 7));
});

test('a worked case on a line: 7 ranks too many out of 15 possible gives 1 − 7/15', () => {
  // Input x = 0, 1, 3, 7, 15; the embedding swaps the first and last point: 15, 1, 3, 7, 0.
  // k = 1. Embedded nearest neighbour → its input rank → penalty (rank − 1):
  //   p0 (at 15) → p3; from x=0 the order is p1, p2, p3, p4: rank 3 → 2
  //   p1 (at 1)  → p4; from x=1: p0, p2, p3, p4: rank 4 → 3
  //   p2 (at 3)  → p1: rank 1 → 0;   p3 (at 7) → p2: rank 1 → 0
  //   p4 (at 0)  → p1; from x=15: p3, p2, p1, p0: rank 3 → 2
  // Sum 7; T = 1 − 7 · 2 / (5 · 1 · (2·5 − 3 − 1)) = 1 − 7/15 (scikit-learn gives 0.5333…, checked).
  const input = [[0], [1], [3], [7], [15]];
  const embedding = [
    [15, 0],
    [1, 0],
    [3, 0],
    [7, 0],
    [0, 0],
  ];
  assert.ok(Math.abs(trustworthiness(input, embedding, 1) - (1 - 7 / 15)) < 1e-15);
});

test('an embedding that keeps every neighbourhood scores 1, whatever the scale', () => {
  const input = blobs.X.slice(0, 100);
  const scaled = input.map((row) => row.map((v) => 3 * v + 1));
  assert.equal(trustworthiness(input, scaled, 5), 1);
});

test('values lie in [0, 1] and do not depend on the order of the points', () => {
  const fixed = blobs.fixed_embeddings.random;
  const value = trustworthiness(blobs.X, fixed.points, 10);
  assert.ok(value >= 0 && value <= 1);
  const order = Array.from(shuffledIndices(blobs.X.length, 5));
  const permuted = trustworthiness(
    order.map((i) => blobs.X[i]),
    order.map((i) => fixed.points[i]),
    10,
  );
  assert.ok(Math.abs(permuted - value) < 1e-12);
});

test('a flat Float64Array embedding (t-SNE’s output) is read as n rows', () => {
  const points = blobs.fixed_embeddings.sklearn.points;
  assert.equal(trustworthiness(blobs.X, Float64Array.from(points.flat()), 5), trustworthiness(blobs.X, points, 5));
});

test('bad input is refused with a sentence', () => {
  const input = [[0], [1], [2], [3]];
  assert.throws(
    () =>
      trustworthiness(
        input,
        [
          [0, 0],
          [1, 0],
          [2, 0],
          [3, 0],
        ],
        2,
      ),
    /below n \/ 2 \(2\)/,
  );
  assert.throws(
    () =>
      trustworthiness(
        input,
        [
          [0, 0],
          [1, 0],
        ],
        1,
      ),
    /2 points but the input has 4/,
  );
  assert.throws(() => trustworthiness(input, new Float64Array(7), 1), /not a whole number of columns/);
  const withNaN = new DistanceMatrix(5, new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, NaN]));
  assert.throws(
    () => trustworthiness(withNaN, [[0], [1], [2], [3], [4]], 1),
    /rows 0 and 3 is NaN|rows 3 and 4 is NaN/,
  );
});
