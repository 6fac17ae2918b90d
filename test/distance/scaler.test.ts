import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrixFromRows, matrixToRows } from '../../lib/matrix/numeric-matrix';
import { StandardScaler, isConstantFeature } from '../../lib/distance/scaler';
import { seededRandom } from '../../lib/random';
import { readFixture, assertAllClose } from '../helpers';

// Made by test/reference/kmeans_fixtures.py with scikit-learn's StandardScaler (versions pinned in
// test/reference/requirements.txt).
const fixture = readFixture('kmeans.json');

test('two values 0 and 2 have mean 1, population standard deviation 1 and z-scores -1 and 1', () => {
  // By hand: mean 1, variance ((0-1)^2 + (2-1)^2) / 2 = 1 (divide by n, not n - 1).
  const scaler = new StandardScaler();
  const z = scaler.fitTransform(matrixFromRows([[0], [2]], ['a']));
  assert.deepEqual(Array.from(scaler.means), [1]);
  assert.deepEqual(Array.from(scaler.variances), [1]);
  assert.deepEqual(Array.from(z.data), [-1, 1]);
  assert.deepEqual(z.columns, ['a']);
});

test('a constant column gets scale 1 and becomes all zeros, not NaN', () => {
  const scaler = new StandardScaler();
  const z = scaler.fitTransform(
    matrixFromRows([
      [1, 5],
      [3, 5],
      [5, 5],
    ]),
  );
  assert.deepEqual(Array.from(scaler.scales), [Math.sqrt(8 / 3), 1]);
  assert.deepEqual(
    matrixToRows(z).map((row) => row[1]),
    [0, 0, 0],
  );
});

test('matches scikit-learn StandardScaler within 1e-9 (constant column, values near 1e6, negatives)', () => {
  const { columns, rows, mean, var: variance, scale, transformed } = fixture.scaler;
  const scaler = new StandardScaler();
  const z = scaler.fitTransform(matrixFromRows(rows, columns));
  assertAllClose(scaler.means, mean, 1e-9 * 1e6, 'mean');
  assertAllClose(scaler.variances, variance, 1e-9, 'var (relative to 1)');
  assertAllClose(scaler.scales, scale, 1e-9, 'scale');
  assertAllClose(z.data, transformed.flat(), 1e-9, 'transformed');
});

test('matches scikit-learn on the 2,000-row k-means frame within 1e-9 (relative)', () => {
  const { frame, columns, mean, scale } = fixture.kmeans;
  const rows = frame[columns[0]].map((_: number, i: number) => columns.map((c: string) => frame[c][i]));
  const scaler = new StandardScaler().fit(matrixFromRows(rows, columns));
  assertAllClose(
    Array.from(scaler.means, (m, j) => m / Math.abs(mean[j] || 1)),
    mean.map((m: number) => m / Math.abs(m || 1)),
    1e-9,
    'mean',
  );
  assertAllClose(
    Array.from(scaler.scales, (s, j) => s / scale[j]),
    scale.map(() => 1),
    1e-9,
    'scale',
  );
});

test('z-scores have mean 0 and population variance 1 in every non-constant column (property)', () => {
  const random = seededRandom(3);
  const rows = Array.from({ length: 200 }, () => [random() * 100 - 50, random() ** 3, 1e6 + random()]);
  const z = new StandardScaler().fitTransform(matrixFromRows(rows));
  for (let j = 0; j < 3; j++) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < 200; i++) {
      sum += z.data[i * 3 + j];
      squares += z.data[i * 3 + j] ** 2;
    }
    // Column 2 sits near 1e6: rounding in its mean (about 1e6 * 2^-52 per value) leaves ~1e-9.
    assert.ok(Math.abs(sum / 200) < 1e-8, `column ${j} mean ${sum / 200}`);
    assert.ok(Math.abs(squares / 200 - 1) < 1e-9, `column ${j} variance ${squares / 200}`);
  }
});

test('inverseTransform undoes transform, and the input is not changed', () => {
  const rows = [
    [1.5, -2],
    [3.25, 8],
    [-4, 0.5],
  ];
  const input = matrixFromRows(rows);
  const before = Array.from(input.data);
  const scaler = new StandardScaler().fit(input);
  const back = scaler.inverseTransform(scaler.transform(input));
  assertAllClose(back.data, before, 1e-12, 'round trip');
  assert.deepEqual(Array.from(input.data), before);
});

test("scikit-learn's constant test: zero variance is constant, a real spread is not", () => {
  assert.equal(isConstantFeature(0, 5, 10), true);
  assert.equal(isConstantFeature(1e-40, 1, 10), true);
  assert.equal(isConstantFeature(0.01, 1, 10), false);
});

test('bad input is refused with a sentence', () => {
  assert.throws(() => new StandardScaler().fit(matrixFromRows([])), /at least one row/);
  assert.throws(() => new StandardScaler().transform(matrixFromRows([[1]])), /must be fitted/);
  const scaler = new StandardScaler().fit(matrixFromRows([[1, 2]], ['a', 'b']));
  assert.throws(() => scaler.transform(matrixFromRows([[1]])), /fitted on 2 columns but was given 1/);
  const withNaN = { data: new Float64Array([1, NaN]), n: 2, d: 1, columns: ['tempo'] };
  assert.throws(() => new StandardScaler().fit(withNaN), /Column tempo holds NaN in row 1/);
});
