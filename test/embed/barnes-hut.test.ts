import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BarnesHutGradient } from '../../lib/embed/barnes-hut';
import { nearestNeighbours } from '../../lib/embed/nearest-neighbours';
import { jointProbabilities, SparseAffinities } from '../../lib/embed/perplexity';
import { randomNormal, seededRandom } from '../../lib/random';
import { readFixture } from '../helpers';

// Made by test/reference/tsne_fixtures.py: scikit-learn 1.9.1's _kl_divergence_bh (Float32
// inside) on P of the first 60 blob points (perplexity 5) and a fixed seeded embedding, with
// angle 0 (exact) and 0.5.
const blobs: {
  X: number[][];
  affinities: {
    rows: number;
    perplexity: number;
    neighbours: number;
    embedding: number[];
    bh: Record<string, { kl: number; gradient: number[] }>;
  };
} = readFixture('tsne_blobs.json');

function fixtureP(): SparseAffinities {
  const a = blobs.affinities;
  return jointProbabilities(nearestNeighbours(blobs.X.slice(0, a.rows), a.neighbours), a.perplexity);
}

/** The exact gradient and KL, straight from the definition (O(n²)). */
function exact(P: SparseAffinities, y: Float64Array, exaggeration = 1): { gradient: Float64Array; kl: number } {
  const n = P.n;
  let z = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (i !== j) z += 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2);
  const gradient = new Float64Array(2 * n);
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let e = P.rowStart[i]; e < P.rowStart[i + 1]; e++) dense[i * n + P.columns[e]] = exaggeration * P.values[e];
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const dx = y[2 * i] - y[2 * j];
      const dy = y[2 * i + 1] - y[2 * j + 1];
      const w = 1 / (1 + dx * dx + dy * dy);
      const p = dense[i * n + j];
      gradient[2 * i] += 4 * (p - w / z) * w * dx;
      gradient[2 * i + 1] += 4 * (p - w / z) * w * dy;
      if (p > 0) kl += p * Math.log(p / (w / z));
    }
  }
  return { gradient, kl };
}

function relativeRms(approximate: ArrayLike<number>, exactValues: ArrayLike<number>): number {
  let error = 0;
  let norm = 0;
  for (let p = 0; p < exactValues.length; p++) {
    error += (approximate[p] - exactValues[p]) ** 2;
    norm += exactValues[p] ** 2;
  }
  return Math.sqrt(error / norm);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let p = 0; p < a.length; p++) m = Math.max(m, Math.abs(a[p] - b[p]));
  return m;
}

test('θ = 0 gives scikit-learn’s exact gradient and KL (to its Float32 precision)', () => {
  const P = fixtureP();
  const reference = blobs.affinities.bh['0.0'];
  const gradient = new Float64Array(2 * P.n);
  const kl = new BarnesHutGradient(P, { theta: 0 }).gradient(
    Float64Array.from(blobs.affinities.embedding),
    gradient,
    1,
    true,
  );
  assert.ok(Math.abs(kl - reference.kl) < 1e-6 * reference.kl, `KL ${kl} vs ${reference.kl}`);
  assert.ok(
    maxDifference(gradient, reference.gradient) < 1e-7,
    `max difference ${maxDifference(gradient, reference.gradient)}`,
  );
});

test('θ = 0 equals the gradient and KL from the definition, with and without exaggeration', () => {
  const P = fixtureP();
  const random = seededRandom(9);
  const y = new Float64Array(2 * P.n).map(() => 3 * randomNormal(random));
  for (const exaggeration of [1, 12]) {
    const gradient = new Float64Array(2 * P.n);
    const kl = new BarnesHutGradient(P, { theta: 0 }).gradient(y, gradient, exaggeration, true);
    const expected = exact(P, y, exaggeration);
    assert.ok(Math.abs(kl - expected.kl) < 1e-12 * Math.abs(expected.kl));
    assert.ok(maxDifference(gradient, expected.gradient) < 1e-15);
  }
});

test('θ = 0.5 is at least as close to the exact gradient as scikit-learn’s θ = 0.5 (relative RMS error)', () => {
  // On this case: 0.42 % for ours, 0.66 % for scikit-learn's (measured when the test was written).
  const P = fixtureP();
  const y = Float64Array.from(blobs.affinities.embedding);
  const reference = exact(P, y);
  const gradient = new Float64Array(2 * P.n);
  const kl = new BarnesHutGradient(P, { theta: 0.5 }).gradient(y, gradient, 1, true);
  const ours = relativeRms(gradient, reference.gradient);
  const theirs = relativeRms(blobs.affinities.bh['0.5'].gradient, reference.gradient);
  assert.ok(ours <= theirs, `ours ${ours} vs scikit-learn ${theirs}`);
  assert.ok(Math.abs(kl - reference.kl) < 0.01 * reference.kl);
});

test('on 3,000 spread-out points θ = 0.5 stays within 2 % of the exact repulsion', () => {
  const n = 3000;
  const random = seededRandom(4);
  const rows = Array.from({ length: n }, () => [randomNormal(random), randomNormal(random), randomNormal(random)]);
  const P = jointProbabilities(nearestNeighbours(rows, 10), 3);
  const y = new Float64Array(2 * n).map(() => 20 * randomNormal(random));
  const approx = new Float64Array(2 * n);
  const exactGradient = new Float64Array(2 * n);
  const bh = new BarnesHutGradient(P, { theta: 0.5 });
  bh.gradient(y, approx);
  const exactBh = new BarnesHutGradient(P, { theta: 0 });
  exactBh.gradient(y, exactGradient);
  assert.ok(Math.abs(bh.lastZ - exactBh.lastZ) < 0.02 * exactBh.lastZ);
  const error = relativeRms(approx, exactGradient);
  assert.ok(error < 0.02, `relative error ${error}`);
});

test('a worked case: two points one apart with p = 1/2 each way', () => {
  // w = 1/(1+1) = 1/2, Z = 2w = 1, q = 1/2 = p: KL = 0 and the forces cancel:
  // ∂C/∂y_0 = 4 (p − q) w (y_0 − y_1) = 0.
  const P: SparseAffinities = {
    n: 2,
    rowStart: Int32Array.from([0, 1, 2]),
    columns: Int32Array.from([1, 0]),
    values: Float64Array.from([0.5, 0.5]),
  };
  const gradient = new Float64Array(4);
  const kl = new BarnesHutGradient(P).gradient(Float64Array.from([0, 0, 1, 0]), gradient, 1, true);
  assert.equal(kl, 0);
  assert.deepEqual(Array.from(gradient), [0, 0, 0, 0]);
  // Three apart: w = 1/10 = q, p = 1/2 pulls: ∂C/∂y_0 = 4 (1/2 − 1/2) … no: Z = 2/10, q = 1/2 still.
  // Exaggerated ×2: 4 (1 − 1/2)(1/10)(0 − 3) = −0.6 in x for point 0, +0.6 for point 1.
  const pulled = new Float64Array(4);
  new BarnesHutGradient(P).gradient(Float64Array.from([0, 0, 3, 0]), pulled, 2);
  assert.ok(Math.abs(pulled[0] + 0.6) < 1e-15 && Math.abs(pulled[2] - 0.6) < 1e-15);
});

test('coincident points (one leaf of several) repel nothing and leave no NaN', () => {
  const P = fixtureP();
  const y = Float64Array.from(blobs.affinities.embedding);
  for (let i = 1; i < 10; i++) {
    y[2 * i] = y[0];
    y[2 * i + 1] = y[1];
  }
  const gradient = new Float64Array(2 * P.n);
  const kl = new BarnesHutGradient(P, { theta: 0.5 }).gradient(y, gradient, 1, true);
  assert.ok(Number.isFinite(kl));
  const expected = exact(P, y);
  assert.ok(maxDifference(gradient, expected.gradient) < 0.05 * Math.max(...expected.gradient.map(Math.abs)));
  for (const g of gradient) assert.ok(Number.isFinite(g));
});

test('a diverged (non-finite) embedding is refused with a sentence', () => {
  const P = fixtureP();
  const y = Float64Array.from(blobs.affinities.embedding);
  y[7] = NaN;
  assert.throws(
    () => new BarnesHutGradient(P).gradient(y, new Float64Array(2 * P.n)),
    /Point 3 of the embedding is not finite/,
  );
  assert.throws(() => new BarnesHutGradient(P, { theta: -0.1 }), /theta/);
});
