import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tsne } from '../../lib/embed/tsne';
import { conditionalProbabilities } from '../../lib/embed/perplexity';
import { startedWorkers } from '../../lib/parallel/pool';
import { randomNormal, seededRandom } from '../../lib/random';
import { condensedFromBase64, readFixture, withThreads } from '../helpers';

// t-SNE's forces and affinities run on the worker pool in chunks that depend on the input only, and
// every sum is added in the order of the single-threaded code: any thread count gives the same
// embedding and KL, to the last bit.

function clusteredVectors(n: number, d: number, seed: number): { data: Float64Array; rows: number; cols: number } {
  const random = seededRandom(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const centre = (i % 5) * 4;
    for (let t = 0; t < d; t++) data[i * d + t] = (t === i % d ? centre : 0) + randomNormal(random);
  }
  return { data, rows: n, cols: d };
}

test('t-SNE gives the same embedding and KL, bit for bit, on 1, 2 and 3 threads (many chunks)', () => {
  // 1,500 points: 6 chunks of affinity rows and several chunks of tree groups per iteration.
  const input = clusteredVectors(1500, 5, 3);
  const run = (threads: number) => withThreads(threads, () => tsne(input, { seed: 5, maxIterations: 260 }));
  const one = run(1);
  for (const threads of [2, 3]) {
    const other = run(threads);
    assert.equal(other.kl, one.kl, `${threads} threads`);
    assert.deepEqual(other.embedding, one.embedding, `${threads} threads`);
    assert.deepEqual(other.affinities.values, one.affinities.values, `${threads} threads`);
  }
  assert.ok(startedWorkers() >= 2, 'the pool started its workers');
});

test('THREADS = 1 and 2 reproduce the single-threaded t-SNE from before the pool exactly', () => {
  // Values from the code before the worker pool (commit 881827e) on the 200-row Gower fixture.
  const gower: { rows: number; condensed_float32_base64: string } = readFixture('tsne_gower.json');
  const matrix = condensedFromBase64(gower.condensed_float32_base64, gower.rows);
  for (const threads of [1, 2]) {
    const result = withThreads(threads, () => tsne(matrix, { seed: 7, maxIterations: 300 }));
    assert.equal(result.kl, 0.6248659930410861);
    assert.deepEqual(
      Array.from(result.embedding.subarray(0, 4)),
      [2.1997581663529253, -1.506281895024548, 2.9997934526647287, 10.10931447615595],
    );
    assert.equal(
      result.embedding.reduce((a, b) => a + b, 0),
      76.58759459900153,
    );
  }
});

test('the affinity search reports its progress from the calling thread, and the same values on 2 threads', () => {
  const random = seededRandom(11);
  const n = 1000;
  const k = 20;
  const squared = Float64Array.from({ length: n * k }, () => random() * 4);
  const reports: number[] = [];
  const one = withThreads(1, () => conditionalProbabilities(squared, n, k, 8, (done) => reports.push(done)));
  const two = withThreads(2, () => conditionalProbabilities(squared, n, k, 8));
  assert.deepEqual(two.probabilities, one.probabilities);
  assert.deepEqual(two.betas, one.betas);
  assert.equal(reports[0], 0);
  assert.equal(reports[reports.length - 1], n);
  assert.ok(reports.length >= 50, `${reports.length} reports`);
});
