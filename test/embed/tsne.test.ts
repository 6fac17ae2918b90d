import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../lib/matrix/distance-matrix';
import { nearestNeighbours } from '../../lib/embed/nearest-neighbours';
import { seededRandom, randomNormal } from '../../lib/random';
import { embeddingXY, tsne, TsneProgress, TSNE_DEFAULTS } from '../../lib/embed/tsne';
import { trustworthiness } from '../../lib/embed/trustworthiness';
import { readFixture, condensedFromBase64 } from '../helpers';

// Made by test/reference/tsne_fixtures.py (scikit-learn 1.9.1 TSNE(random_state=42) with its
// defaults, openTSNE 1.0.4 as a second opinion; versions pinned in test/reference/requirements.txt).
interface Summary {
  sklearn: { kl: number; n_iter: number; learning_rate: number; trustworthiness: Record<string, number> };
  openTSNE: { kl: number; trustworthiness: Record<string, number> };
}
const blobs: Summary & { X: number[][]; labels: number[] } = readFixture('tsne_blobs.json');
const gower: Summary & { rows: number; genre: number[]; condensed_float32_base64: string } =
  readFixture('tsne_gower.json');

function gowerMatrix(): DistanceMatrix {
  return condensedFromBase64(gower.condensed_float32_base64, gower.rows);
}

/** Share of points whose k nearest neighbours in the embedding mostly carry their own label. */
function knnLabelAgreement(embedding: Float64Array, labels: number[], k: number): number {
  const graph = nearestNeighbours({ data: embedding, rows: labels.length, cols: 2 }, k);
  let agree = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let a = 0; a < k; a++) if (labels[graph.indices[i * k + a]] === labels[i]) agree++;
  }
  return agree / (labels.length * k);
}

function checkAgainstReference(name: string, kl: number, t5: number, t10: number, reference: Summary): void {
  // KL within 5 % of scikit-learn's (lower is fine); trustworthiness no more than 0.01 below.
  assert.ok(kl <= reference.sklearn.kl * 1.05, `${name}: KL ${kl} vs scikit-learn ${reference.sklearn.kl}`);
  assert.ok(
    t5 >= reference.sklearn.trustworthiness['5'] - 0.01,
    `${name}: T(5) ${t5} vs ${reference.sklearn.trustworthiness['5']}`,
  );
  assert.ok(
    t10 >= reference.sklearn.trustworthiness['10'] - 0.01,
    `${name}: T(10) ${t10} vs ${reference.sklearn.trustworthiness['10']}`,
  );
}

test('400 blob points in 10-D: KL within 5 % of scikit-learn and trustworthiness as high', () => {
  const result = tsne(blobs.X);
  assert.equal(result.iterations, 1000);
  assert.equal(result.learningRate, blobs.sklearn.learning_rate); // max(400 / 12 / 4, 50) = 50
  const t5 = trustworthiness(blobs.X, result.embedding, 5);
  const t10 = trustworthiness(blobs.X, result.embedding, 10);
  checkAgainstReference('blobs', result.kl, t5, t10, blobs);
  // openTSNE's FFT gradient gets within a few per cent too; we stay within 5 % of it.
  assert.ok(result.kl <= blobs.openTSNE.kl * 1.05, `KL ${result.kl} vs openTSNE ${blobs.openTSNE.kl}`);
});

test('a 200-row Gower matrix (precomputed, random init): KL within 5 % of scikit-learn and trustworthiness as high', () => {
  const matrix = gowerMatrix();
  const result = tsne(matrix);
  const t5 = trustworthiness(matrix, result.embedding, 5);
  const t10 = trustworthiness(matrix, result.embedding, 10);
  checkAgainstReference('gower', result.kl, t5, t10, gower);
});

test('on the Gower matrix the result holds for several seeds, not just one', () => {
  const matrix = gowerMatrix();
  for (const seed of [1, 2, 3]) {
    const result = tsne(matrix, { seed });
    checkAgainstReference(
      `seed ${seed}`,
      result.kl,
      trustworthiness(matrix, result.embedding, 5),
      trustworthiness(matrix, result.embedding, 10),
      gower,
    );
  }
});

test('well-separated blobs stay separated: 10-NN label agreement in 2-D above 0.95', () => {
  const result = tsne(blobs.X);
  assert.ok(knnLabelAgreement(result.embedding, blobs.labels, 10) > 0.95);
});

test('three far-apart clusters given as precomputed distances come out as three clusters', () => {
  // 3 × 40 points: distance 0.1–0.2 within a cluster, 5 between clusters.
  const n = 120;
  const random = seededRandom(11);
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  const values = new Float64Array((n * (n - 1)) / 2);
  let p = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) values[p++] = labels[i] === labels[j] ? 0.1 + 0.1 * random() : 5;
  const result = tsne(new DistanceMatrix(n, values), { perplexity: 10 });
  assert.equal(knnLabelAgreement(result.embedding, labels, 5), 1);
});

test('the same seed gives the same embedding, bit for bit; another seed a different one', () => {
  const matrix = gowerMatrix();
  const options = { maxIterations: 300 };
  const a = tsne(matrix, { ...options, seed: 7 });
  const b = tsne(matrix, { ...options, seed: 7 });
  const c = tsne(matrix, { ...options, seed: 8 });
  assert.deepEqual(a.embedding, b.embedding);
  assert.equal(a.kl, b.kl);
  assert.notDeepEqual(a.embedding, c.embedding);
});

test('the input is not modified', () => {
  const rows = blobs.X.slice(0, 60).map((row) => Object.freeze([...row]));
  const before = JSON.stringify(rows);
  tsne(Object.freeze(rows), { perplexity: 5, maxIterations: 250 });
  assert.equal(JSON.stringify(rows), before);
  const matrix = gowerMatrix();
  const copy = matrix.condensed.slice();
  tsne(matrix, { maxIterations: 250 });
  assert.deepEqual(matrix.condensed, copy);
});

test('rows, a typed matrix and a NumericMatrix give the same embedding', () => {
  const rows = blobs.X.slice(0, 80);
  const data = Float64Array.from(rows.flat());
  const options = { perplexity: 8, maxIterations: 300 };
  const a = tsne(rows, options).embedding;
  assert.deepEqual(tsne({ data, rows: 80, cols: 10 }, options).embedding, a);
  assert.deepEqual(tsne({ data, n: 80, d: 10 }, options).embedding, a);
});

test('progress is reported from the start: neighbours and affinities as work done, then every iteration, with the KL every 50 and at the end of each phase', () => {
  const seen: TsneProgress[] = [];
  tsne(blobs.X.slice(0, 100), { perplexity: 10, maxIterations: 400, onProgress: (p) => seen.push(p) });
  const before = seen.filter((p) => p.phase === 'neighbours' || p.phase === 'affinities');
  // 100 rows: 4,950 pairs, then 100 rows of affinities, each from 0 to all, about every 1%
  const neighbours = before.filter((p) => p.phase === 'neighbours');
  assert.deepEqual([neighbours[0].done, neighbours[neighbours.length - 1].done, neighbours[0].total], [0, 4950, 4950]);
  const affinities = before.filter((p) => p.phase === 'affinities');
  assert.deepEqual([affinities[0].done, affinities[affinities.length - 1].done, affinities[0].total], [0, 100, 100]);
  assert.ok(
    neighbours.length >= 20 && affinities.length >= 20,
    `${neighbours.length} and ${affinities.length} reports`,
  );
  assert.deepEqual(seen.slice(0, before.length), before, 'both come first, neighbours before affinities');
  const iterations = seen.slice(before.length);
  assert.deepEqual(
    iterations.map((p) => p.iteration),
    Array.from({ length: 400 }, (_, i) => i + 1),
  );
  const withKl = iterations.filter((p) => p.kl !== undefined);
  assert.deepEqual(
    withKl.map((p) => p.iteration),
    [50, 100, 150, 200, 250, 300, 350, 400],
  );
  assert.deepEqual(
    withKl.map((p) => p.phase),
    [...Array(5).fill('exaggeration'), ...Array(3).fill('embedding')],
  );
  for (const p of withKl) assert.ok(Number.isFinite(p.kl) && (p.kl as number) > 0);
  // The last iteration of a phase always has its KL, a multiple of 50 or not.
  const short: number[] = [];
  tsne(blobs.X.slice(0, 100), {
    perplexity: 10,
    maxIterations: 270,
    exaggerationIterations: 120,
    onProgress: (p) => p.kl !== undefined && short.push(p.iteration),
  });
  assert.deepEqual(short, [50, 100, 120, 150, 200, 250, 270]);
});

test('the defaults are scikit-learn 1.9’s', () => {
  assert.deepEqual(
    { ...TSNE_DEFAULTS },
    {
      perplexity: 30,
      theta: 0.5,
      learningRate: 'auto',
      maxIterations: 1000,
      earlyExaggeration: 12,
      exaggerationIterations: 250,
      seed: 42,
    },
  );
  // learning rate 'auto' = max(n / 12 / 4, 50): 50 for 400 points, 2500 / 12 for 10,000 / 4.
  assert.equal(tsne(blobs.X, { maxIterations: 250 }).learningRate, 50);
});

test('a given starting embedding is used as it is, and the random one is seeded noise of standard deviation 1e-4', () => {
  const rows = blobs.X.slice(0, 50);
  const start = new Float64Array(100).map((_, p) => Math.sin(p));
  const a = tsne(rows, { perplexity: 5, maxIterations: 250, init: start });
  const b = tsne(rows, {
    perplexity: 5,
    maxIterations: 250,
    init: Array.from({ length: 50 }, (_, i) => [start[2 * i], start[2 * i + 1]]),
  });
  assert.deepEqual(a.embedding, b.embedding);
  // With a tiny learning rate the points move by about 1e-12 in 250 iterations, so the random
  // start shows through: 1e-4 × the seeded normal numbers of lib/random.ts, in order.
  const still = tsne(rows, {
    perplexity: 5,
    maxIterations: 250,
    exaggerationIterations: 250,
    learningRate: 1e-12,
    init: 'random',
    seed: 3,
  });
  const random = seededRandom(3);
  for (let p = 0; p < 100; p++) assert.ok(Math.abs(still.embedding[p] - 1e-4 * randomNormal(random)) < 1e-10);
});

test('points() gives [x, y] pairs of the embedding', () => {
  const result = tsne(blobs.X.slice(0, 40), { perplexity: 5, maxIterations: 250 });
  const points = result.points();
  assert.equal(points.length, 40);
  assert.deepEqual(points[3], [result.embedding[6], result.embedding[7]]);
});

test('bad input and options are refused with a sentence', () => {
  const rows = blobs.X.slice(0, 20);
  assert.throws(() => tsne([[1, 2]]), /at least 2 points/);
  assert.throws(() => tsne(rows), /perplexity must be positive and below the number of points \(20\)/);
  assert.throws(() => tsne(rows, { perplexity: 5, theta: -1 }), /theta/);
  assert.throws(() => tsne(rows, { perplexity: 5, maxIterations: 100 }), /at least exaggerationIterations/);
  assert.throws(() => tsne(rows, { perplexity: 5, learningRate: 0 }), /learning rate/);
  assert.throws(() => tsne(gowerMatrix(), { init: 'pca' }), /PCA initialisation needs row vectors/);
  assert.throws(
    () =>
      tsne(
        [
          [1, 2],
          [3, NaN],
          [4, 5],
        ],
        { perplexity: 1 },
      ),
    /Row 1, column 1 holds NaN/,
  );
  assert.throws(() => tsne([[1, 2], [3], [4, 5]], { perplexity: 1 }), /Row 1 has 1 values, but row 0 has 2/);
  const withNaN = new DistanceMatrix(3, new Float32Array([1, NaN, 2]));
  assert.throws(() => tsne(withNaN, { perplexity: 1 }), /distance between rows 0 and 2 is NaN/);
  assert.throws(() => tsne(rows, { perplexity: 5, init: new Float64Array(3) }), /must hold 40 values/);
});

test('embeddingXY splits an n × 2 embedding into x and y columns, for all points or a range of them', () => {
  const embedding = Float64Array.of(1, 2, 3, 4, 5, 6);
  assert.deepEqual(embeddingXY(embedding), { x: Float64Array.of(1, 3, 5), y: Float64Array.of(2, 4, 6) });
  assert.deepEqual(embeddingXY(embedding, 1, 3), { x: Float64Array.of(3, 5), y: Float64Array.of(4, 6) });
  assert.deepEqual(embeddingXY(embedding, 2, 2), { x: new Float64Array(0), y: new Float64Array(0) });
  assert.throws(() => embeddingXY(embedding, 2, 4), /Points 2 to 4 are not a range of the embedding's 3 points/);
  assert.throws(() => embeddingXY(Float64Array.of(1, 2, 3)), /even number of values, got 3/);
});
