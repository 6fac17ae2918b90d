import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../lib/matrix/distance-matrix';
import { nearestNeighbours } from '../../lib/embed/nearest-neighbours';
import { conditionalProbabilities, jointProbabilities, SparseAffinities } from '../../lib/embed/perplexity';
import { readFixture, condensedFromBase64 } from '../helpers';
import { sharedFloat64 } from '../../lib/parallel/pool';

// Made by test/reference/tsne_fixtures.py: scikit-learn 1.9.1's _joint_probabilities_nn on the
// kneighbors_graph of the first 60 rows (perplexity 5, 16 neighbours, distances squared as TSNE
// squares them), stored as (i, j, p) triplets.
interface AffinityCase {
  rows: number;
  perplexity: number;
  neighbours: number;
  P: [number, number, number][];
}
function load(name: string): Record<string, unknown> {
  return readFixture(name);
}
const blobs = load('tsne_blobs.json') as { X: number[][]; affinities: AffinityCase };
const gower = load('tsne_gower.json') as { rows: number; condensed_float32_base64: string; affinities: AffinityCase };

function gowerRows(m: number): DistanceMatrix {
  const full = condensedFromBase64(gower.condensed_float32_base64, gower.rows);
  return full.subset(Array.from({ length: m }, (_, i) => i));
}

function assertMatchesReference(P: SparseAffinities, reference: AffinityCase): void {
  const expected = new Map(reference.P.map(([i, j, v]) => [`${i},${j}`, v]));
  let entries = 0;
  for (let i = 0; i < P.n; i++) {
    for (let e = P.rowStart[i]; e < P.rowStart[i + 1]; e++) {
      const v = expected.get(`${i},${P.columns[e]}`);
      assert.ok(v !== undefined, `entry (${i}, ${P.columns[e]}) is not in scikit-learn's P`);
      assert.ok(Math.abs(P.values[e] - v) <= 1e-12 * v, `(${i}, ${P.columns[e]}): ${P.values[e]} vs ${v}`);
      entries++;
    }
  }
  assert.equal(entries, reference.P.length);
}

test('P of 60 blob points equals scikit-learn’s _joint_probabilities_nn to 1e-12 (relative)', () => {
  const a = blobs.affinities;
  const P = jointProbabilities(nearestNeighbours(blobs.X.slice(0, a.rows), a.neighbours), a.perplexity);
  assertMatchesReference(P, a);
});

test('P of 60 rows of a Gower matrix (precomputed, squared) equals scikit-learn’s to 1e-12', () => {
  const a = gower.affinities;
  const P = jointProbabilities(nearestNeighbours(gowerRows(a.rows), a.neighbours), a.perplexity);
  assertMatchesReference(P, a);
});

test('each conditional row reaches the perplexity: exp(entropy) within 1e-5 of it', () => {
  const graph = nearestNeighbours(blobs.X.slice(0, 100), 31);
  const squared = graph.distances.map((d) => d * d);
  const { probabilities } = conditionalProbabilities(squared, 100, 31, 10);
  for (let i = 0; i < 100; i++) {
    let sum = 0;
    let entropy = 0;
    for (let a = 0; a < 31; a++) {
      const p = probabilities[i * 31 + a];
      sum += p;
      if (p > 0) entropy -= p * Math.log(p);
    }
    assert.ok(Math.abs(sum - 1) < 1e-12);
    assert.ok(Math.abs(entropy - Math.log(10)) <= 1e-5 * 1.01, `row ${i}: entropy ${entropy}`);
  }
});

test('a worked case: two neighbours at squared distances 0 and ln 3 with perplexity 2^H', () => {
  // With β = 1: weights 1 and 1/3, p = (3/4, 1/4); H = ln(4/3) + (1/4)·ln 3. Asking for that
  // perplexity, the search stops at its first guess β = 1.
  const H = Math.log(4 / 3) + Math.log(3) / 4;
  const { probabilities, betas } = conditionalProbabilities(new Float64Array([0, Math.log(3)]), 1, 2, Math.exp(H));
  assert.equal(betas[0], 1);
  assert.ok(Math.abs(probabilities[0] - 0.75) < 1e-7 && Math.abs(probabilities[1] - 0.25) < 1e-7);
});

test('P is symmetric, non-negative and sums to 1; columns increase within a row', () => {
  const P = jointProbabilities(nearestNeighbours(blobs.X.slice(0, 150), 30), 9);
  const lookup = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < P.n; i++) {
    for (let e = P.rowStart[i]; e < P.rowStart[i + 1]; e++) {
      if (e > P.rowStart[i]) assert.ok(P.columns[e] > P.columns[e - 1]);
      assert.notEqual(P.columns[e], i);
      assert.ok(P.values[e] >= 0);
      lookup.set(`${i},${P.columns[e]}`, P.values[e]);
      total += P.values[e];
    }
  }
  for (const [key, v] of lookup) {
    const [i, j] = key.split(',');
    assert.equal(lookup.get(`${j},${i}`), v);
  }
  assert.ok(Math.abs(total - 1) < 1e-12);
});

test('a bad perplexity or a wrong number of distances is refused', () => {
  assert.throws(() => conditionalProbabilities(new Float64Array(4), 2, 2, 0), /perplexity must be a positive number/);
  assert.throws(() => conditionalProbabilities(new Float64Array(3), 2, 2, 1), /2 rows of 2 squared distances/);
});

test('probabilities written into given shared arrays are the same; unshared or short arrays are refused', () => {
  const squared = Float64Array.from({ length: 30 * 4 }, (_, i) => ((i * 37) % 11) / 3);
  const fresh = conditionalProbabilities(squared, 30, 4, 2);
  const into = { probabilities: sharedFloat64(50 * 4).fill(-1), betas: sharedFloat64(50).fill(-1) };
  const reused = conditionalProbabilities(squared, 30, 4, 2, undefined, into);
  assert.deepEqual(Array.from(reused.probabilities), Array.from(fresh.probabilities));
  assert.deepEqual(Array.from(reused.betas), Array.from(fresh.betas));
  assert.equal(reused.probabilities.buffer, into.probabilities.buffer);
  const refused =
    /^Error: The arrays to write the probabilities to must be shared \(sharedFloat64\) and hold n·k and n values\.$/;
  assert.throws(
    () => conditionalProbabilities(squared, 30, 4, 2, undefined, { ...into, betas: new Float64Array(30) }),
    refused,
  );
  assert.throws(
    () => conditionalProbabilities(squared, 30, 4, 2, undefined, { ...into, probabilities: sharedFloat64(119) }),
    refused,
  );
});
