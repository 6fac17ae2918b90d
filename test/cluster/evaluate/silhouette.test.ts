import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../../lib/matrix/distance-matrix';
import { seededRandom, shuffledIndices } from '../../../lib/random';
import { silhouetteSamples, silhouetteScore, silhouetteScores } from '../../../lib/cluster/evaluate/silhouette';
import { readFixture, assertClose, condensedFromBase64, withThreads } from '../../helpers';

// Made by test/reference/gower_fixtures.py: scikit-learn silhouette_score / silhouette_samples
// (metric='precomputed') on the 200-track Gower matrix, labels from scipy fcluster.
const fixture: {
  condensed_float32_base64: string;
  fcluster_maxclust: Record<string, number[]>;
  silhouette: Record<string, number>;
  silhouette_samples_k5: number[];
  singleton_labels: number[];
  singleton_silhouette: number;
} = readFixture('linkage_average.json');

function fixtureMatrix(): DistanceMatrix {
  return condensedFromBase64(fixture.condensed_float32_base64, fixture.singleton_labels.length);
}

const twoPairs = DistanceMatrix.fromSquare([
  [0, 1, 9, 10],
  [1, 0, 10, 9],
  [9, 10, 0, 1],
  [10, 9, 1, 0],
]);

test('two tight pairs far apart: every row scores (9.5 − 1) / 9.5', () => {
  // Row 0: a = d(0,1) = 1; b = mean(d(0,2), d(0,3)) = 9.5; s = 8.5 / 9.5.
  const samples = silhouetteSamples(twoPairs, [0, 0, 1, 1]);
  for (const s of samples) assertClose(s, 8.5 / 9.5, 1e-15, 'sample');
  assertClose(silhouetteScore(twoPairs, [0, 0, 1, 1]), 8.5 / 9.5, 1e-15, 'score');
});

test('the same pairs split across clusters score negative', () => {
  // Row 0 with row 2: a = 9; b = mean(1, 10) = 5.5; s = (5.5 − 9) / 9.
  assertClose(silhouetteScore(twoPairs, [0, 1, 0, 1]), (5.5 - 9) / 9, 1e-15, 'score');
});

test('a row alone in its cluster scores 0', () => {
  // Row 0: a = 1, b = 5 → 0.8; row 1: a = 1, b = 4 → 0.75; row 2 alone → 0.
  const d = DistanceMatrix.fromSquare(
    [
      [0, 1, 5],
      [1, 0, 4],
      [5, 4, 0],
    ],
    'float64',
  );
  assert.deepEqual(Array.from(silhouetteSamples(d, [0, 0, 1])), [0.8, 0.75, 0]);
  assertClose(silhouetteScore(d, [0, 0, 1]), 1.55 / 3, 1e-15, 'score');
});

test('identical rows (a = b = 0) score 0, as scikit-learn turns 0/0 into 0', () => {
  const d = new DistanceMatrix(4, new Float32Array(6));
  assert.deepEqual(Array.from(silhouetteSamples(d, [0, 0, 1, 1])), [0, 0, 0, 0]);
});

test('equals scikit-learn silhouette_score within 1e-6 for the scipy cuts k = 2..14', () => {
  const d = fixtureMatrix();
  for (let k = 2; k <= 14; k++) {
    assertClose(
      silhouetteScore(d, fixture.fcluster_maxclust[String(k)]),
      fixture.silhouette[String(k)],
      1e-6,
      `k = ${k}`,
    );
  }
});

test('equals scikit-learn silhouette_samples within 1e-6 (k = 5)', () => {
  const samples = silhouetteSamples(fixtureMatrix(), fixture.fcluster_maxclust['5']);
  fixture.silhouette_samples_k5.forEach((expected, i) => assertClose(samples[i], expected, 1e-6, `row ${i}`));
});

test('equals scikit-learn with three singleton clusters', () => {
  const d = fixtureMatrix();
  const samples = silhouetteSamples(d, fixture.singleton_labels);
  assert.deepEqual(Array.from(samples.slice(0, 3)), [0, 0, 0]);
  assertClose(silhouetteScore(d, fixture.singleton_labels), fixture.singleton_silhouette, 1e-6, 'score');
});

test('property: renaming the labels changes nothing', () => {
  const d = fixtureMatrix();
  const labels = fixture.fcluster_maxclust['6'];
  const renamed = labels.map((l) => 100 - 7 * l);
  assert.equal(silhouetteScore(d, renamed), silhouetteScore(d, labels));
});

test('property: shuffling the rows (with their labels) changes the score by rounding only', () => {
  const d = fixtureMatrix();
  const labels = fixture.fcluster_maxclust['4'];
  const order = shuffledIndices(d.size, 5);
  const shuffled = silhouetteScore(
    d.subset(order),
    Array.from(order, (i) => labels[i]),
  );
  assertClose(shuffled, silhouetteScore(d, labels), 1e-12, 'score');
});

test('property: random labels give samples in [−1, 1]', () => {
  const random = seededRandom(8);
  const d = fixtureMatrix();
  const labels = Array.from({ length: d.size }, () => Math.floor(random() * 9));
  for (const s of silhouetteSamples(d, labels)) assert.ok(s >= -1 && s <= 1);
});

test('the inputs are not modified', () => {
  const d = fixtureMatrix();
  const before = Float32Array.from(d.condensed);
  const labels = Object.freeze([...fixture.fcluster_maxclust['3']]);
  silhouetteScore(d, labels);
  assert.deepEqual(d.condensed, before);
});

test('silhouetteScores of the 13 nested cuts equals scoring each cut alone', () => {
  const d = fixtureMatrix();
  const cuts = Array.from({ length: 13 }, (_, a) => fixture.fcluster_maxclust[String(a + 2)]);
  silhouetteScores(d, cuts).forEach((score, a) => {
    assertClose(score, silhouetteScore(d, cuts[a]), 1e-12, `k = ${a + 2}`);
    assertClose(score, fixture.silhouette[String(a + 2)], 1e-6, `k = ${a + 2} against scikit-learn`);
  });
});

test('silhouetteScores of unrelated labellings (no small common refinement) equals scoring each alone', () => {
  const random = seededRandom(12);
  const n = 700;
  const d = new DistanceMatrix(
    n,
    new Float64Array((n * (n - 1)) / 2).map(() => random()),
  );
  const labelings = [0, 1, 2].map(() => Array.from({ length: n }, () => Math.floor(random() * 30)));
  silhouetteScores(d, labelings).forEach((score, a) =>
    assertClose(score, silhouetteScore(d, labelings[a]), 1e-12, `labelling ${a}`),
  );
});

test('bad labels are refused with a sentence', () => {
  assert.throws(() => silhouetteScore(twoPairs, [0, 0, 1]), {
    message: 'There must be exactly one label per row: the matrix has 4 rows but 3 labels were given.',
  });
  assert.throws(
    () => silhouetteScore(twoPairs, [0, 0, 0, 0]),
    /between 2 and n − 1 = 3 clusters \(scikit-learn's rule\), but the labels form 1/,
  );
  assert.throws(() => silhouetteScore(twoPairs, [0, 1, 2, 3]), /but the labels form 4/);
  assert.throws(() => silhouetteScore(twoPairs, [0, 0.5, 1, 1]), /Label 1 is 0.5; labels must be whole numbers/);
  const holes = new DistanceMatrix(4, new Float32Array([0.1, NaN, 0.3, 0.4, 0.5, 0.6]));
  assert.throws(() => silhouetteScore(holes, [0, 0, 1, 1]), /NaN distance/);
});

/**
 * The single pass over the matrix, written out here as the reference: the silhouette of every
 * row, labels already 0..k−1.
 */
function singlePassSamples(distances: DistanceMatrix, codes: Int32Array, k: number): Float64Array {
  const n = distances.size;
  const c = distances.condensed;
  const sums = new Float64Array(k * n);
  const local = new Float64Array(k);
  let p = 0;
  for (let i = 0; i < n - 1; i++) {
    local.fill(0);
    const column = codes[i] * n;
    for (let j = i + 1; j < n; j++) {
      const d = c[p++];
      local[codes[j]] += d;
      sums[column + j] += d;
    }
    for (let q = 0; q < k; q++) sums[q * n + i] += local[q];
  }
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) counts[codes[i]]++;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ci = codes[i];
    if (counts[ci] === 1) continue;
    const a = sums[ci * n + i] / (counts[ci] - 1);
    let b = Infinity;
    for (let other = 0; other < k; other++) {
      if (other === ci) continue;
      const mean = sums[other * n + i] / counts[other];
      if (mean < b) b = mean;
    }
    const denominator = Math.max(a, b);
    scores[i] = denominator > 0 ? (b - a) / denominator : 0;
  }
  return scores;
}

test('1, 2 and 3 threads give bit-identical silhouettes, equal to the single pass', () => {
  const random = seededRandom(11);
  for (const n of [64, 333, 700, 1100]) {
    const square = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) square[i][j] = square[j][i] = Math.fround(random() + (i % 3 === j % 3 ? 0 : 0.5));
    const distances = DistanceMatrix.fromSquare(square);
    const codes = Int32Array.from({ length: n }, (_, i) => (i % 3) + (i % 7 === 0 ? 2 : 0));
    const expected = singlePassSamples(distances, codes, 5);
    for (const threads of [1, 2, 3]) {
      const samples = withThreads(threads, () => silhouetteSamples(distances, codes));
      assert.deepEqual(samples, expected, `${n} rows, ${threads} threads`);
      const cuts = [codes, Int32Array.from(codes, (c) => c % 2), Int32Array.from(codes, (c) => Math.min(c, 2))];
      const scores = withThreads(threads, () => silhouetteScores(distances, cuts));
      assert.deepEqual(
        scores,
        withThreads(1, () => silhouetteScores(distances, cuts)),
      );
    }
  }
  const fixed = fixtureMatrix(); // an array the pool must copy into a shared buffer
  const labels = fixture.fcluster_maxclust['5'];
  assert.deepEqual(
    withThreads(2, () => silhouetteSamples(fixed, labels)),
    withThreads(1, () => silhouetteSamples(fixed, labels)),
  );
});
