import { test } from 'node:test';
import assert from 'node:assert/strict';
import { principalComponents } from '../../lib/embed/pca';
import { randomNormal, seededRandom } from '../../lib/random';
import { pcaStart } from '../../lib/embed/tsne';
import { readFixture } from '../helpers';

// Made by test/reference/tsne_fixtures.py: scikit-learn 1.9.1 TSNE's 'pca' initialisation of the
// 400 blob points (PCA(2, svd_solver='randomized') projection as Float32, divided by the standard
// deviation of its first column, times 1e-4), first 10 rows.
const blobs: { X: number[][]; pca_init_first_rows: number[][] } = readFixture('tsne_blobs.json');

test('points on the line y = x: one axis (1, 1)/√2 carries all the variance', () => {
  const pca = principalComponents(new Float64Array([0, 0, 1, 1, 2, 2]), 3, 2, 2);
  assert.ok(Math.abs(pca.axes[0] - Math.SQRT1_2) < 1e-15 && Math.abs(pca.axes[1] - Math.SQRT1_2) < 1e-15);
  // Variance along it: projections −√2, 0, √2 → (2 + 0 + 2) / (3 − 1) = 2; none across it.
  assert.ok(Math.abs(pca.variances[0] - 2) < 1e-14 && Math.abs(pca.variances[1]) < 1e-14);
  assert.ok(Math.abs(pca.projection[0] + Math.SQRT2) < 1e-14 && Math.abs(pca.projection[4] - Math.SQRT2) < 1e-14);
});

test('t-SNE’s PCA start (pcaStart) matches scikit-learn’s PCA initialisation, signs included', () => {
  const n = blobs.X.length;
  const start = pcaStart(Float64Array.from(blobs.X.flat()), n, 10);
  blobs.pca_init_first_rows.forEach(([x, y], i) => {
    // scikit-learn casts to Float32 before scaling: agreement to about 1e-7 relative.
    assert.ok(Math.abs(start[2 * i] - x) < 1e-6 * 1e-4, `row ${i} x`);
    assert.ok(Math.abs(start[2 * i + 1] - y) < 1e-6 * 1e-4, `row ${i} y`);
  });
});

test('pcaStart on the line y = x: the first column has standard deviation 1e-4', () => {
  // Projections on (1, 1)/√2 are −√2, 0, √2: standard deviation √(4/3); scaled by 1e-4 / √(4/3).
  const start = pcaStart(Float64Array.of(0, 0, 1, 1, 2, 2), 3, 2);
  const expected = (-Math.SQRT2 * 1e-4) / Math.sqrt(4 / 3);
  assert.ok(
    Math.abs(start[0] - expected) < 1e-18 && Math.abs(start[4] + expected) < 1e-18,
    `${start[0]} vs ${expected}`,
  );
});

test('axes are orthonormal, variances decrease and equal the variance of the projections', () => {
  const random = seededRandom(12);
  const n = 300;
  const d = 6;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const a = randomNormal(random) * 5;
    const b = randomNormal(random) * 2;
    for (let j = 0; j < d; j++) data[i * d + j] = a * (j + 1) + b * (j % 2 ? 1 : -1) + 0.1 * randomNormal(random);
  }
  const pca = principalComponents(data, n, d, 3);
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += pca.axes[a * d + j] * pca.axes[b * d + j];
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-12);
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += pca.projection[i * 3 + a] ** 2;
    assert.ok(Math.abs(s / (n - 1) - pca.variances[a]) < 1e-9 * pca.variances[0]);
  }
  assert.ok(pca.variances[0] >= pca.variances[1] && pca.variances[1] >= pca.variances[2]);
});

test('bad sizes are refused with a sentence', () => {
  assert.throws(() => principalComponents(new Float64Array(6), 3, 2, 3), /from 1 to 2/);
  assert.throws(() => principalComponents(new Float64Array(5), 3, 2), /Expected 3 rows of 2 values/);
  assert.throws(() => principalComponents(new Float64Array(2), 1, 2, 1), /at least 2 rows/);
});
