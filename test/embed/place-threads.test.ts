import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeOnEmbedding, placePositions, Placement } from '../../lib/embed/place';
import { RepulsionField } from '../../lib/embed/repulsion-field';
import { randomNormal, seededRandom } from '../../lib/random';
import { withThreads } from '../helpers';

// Placing runs on the worker pool: the neighbour queries, the repulsion field's grid and the points
// themselves, in chunks that depend on the input only, each point on its own and the mean KL summed
// in point order. Any thread count gives the same placement, to the last bit.

/** 600 reference points in 4-D on a made-up map, and 2,500 new points (5 chunks of points, 3 of queries). */
function problem(): Parameters<typeof placeOnEmbedding> {
  const random = seededRandom(21);
  const n = 600;
  const m = 2500;
  const d = 4;
  const reference = new Float64Array(n * d);
  const embedding = new Float64Array(2 * n);
  const fresh = new Float64Array(m * d);
  for (let i = 0; i < n * d; i++) reference[i] = randomNormal(random) + ((i / d) % 3) * 2;
  for (let i = 0; i < n; i++) {
    embedding[2 * i] = 3 * reference[i * d] + reference[i * d + 2];
    embedding[2 * i + 1] = 3 * reference[i * d + 1] - reference[i * d + 3];
  }
  for (let i = 0; i < m * d; i++) fresh[i] = randomNormal(random) + ((i / d) % 3) * 2;
  return [
    { vectors: { data: reference, rows: n, cols: d }, embedding },
    { data: fresh, rows: m, cols: d },
    { iterations: 60 },
  ];
}

test('placing gives the same points, neighbours and KL, bit for bit, on 1, 2 and 3 threads', () => {
  const input = problem();
  const run = (threads: number): Placement => withThreads(threads, () => placeOnEmbedding(...input));
  const one = run(1);
  for (const threads of [2, 3]) {
    const other = run(threads);
    assert.equal(other.kl, one.kl, `${threads} threads`);
    assert.deepEqual(other.embedding, one.embedding, `${threads} threads`);
    assert.deepEqual(other.start, one.start, `${threads} threads`);
    assert.deepEqual(other.neighbours, one.neighbours, `${threads} threads`);
  }
});

test('THREADS = 1 and 2 reproduce the placement from before the pool exactly', () => {
  // Values from the code before the worker pool (commit 881827e).
  for (const threads of [1, 2]) {
    // tolerance 0 runs every step, as the code before the early stop did.
    const [reference, fresh, options] = problem();
    const placed = withThreads(threads, () => placeOnEmbedding(reference, fresh, { ...options, tolerance: 0 }));
    assert.equal(placed.kl, 2.3326850556256815);
    assert.equal(placed.neighbours.exact, 2182);
    assert.deepEqual(
      Array.from(placed.embedding.subarray(0, 4)),
      [3.381198798058753, 2.061793783705557, 13.68391508694131, 0.7904980841727269],
    );
    assert.equal(
      placed.embedding.reduce((a, b) => a + b, 0),
      32851.8268503427,
    );
    assert.equal(
      placed.start.reduce((a, b) => a + b, 0),
      32749.378446120845,
    );
  }
});

test('placing in blocks gives the same placement, bit for bit, for any block size, on 1 and 2 threads', () => {
  const [reference, fresh, options] = problem();
  const whole = withThreads(1, () => placeOnEmbedding(reference, fresh, { ...options, blockSize: 2500 }));
  // 1 point, a block smaller than a chunk of points (512) or of queries (1,024), sizes that cut
  // those chunks anywhere, and the default (one block here).
  for (const blockSize of [1, 300, 512, 777, 1024, 2499, undefined]) {
    for (const threads of [1, 2]) {
      const what = `blocks of ${blockSize}, ${threads} threads`;
      const size = blockSize === 1 ? { iterations: 5 } : {};
      const expected =
        blockSize === 1
          ? withThreads(1, () => placeOnEmbedding(reference, fresh, { ...options, ...size, blockSize: 2500 }))
          : whole;
      const blocks = withThreads(threads, () => placeOnEmbedding(reference, fresh, { ...options, ...size, blockSize }));
      assert.equal(blocks.kl, expected.kl, what);
      assert.equal(blocks.steps, expected.steps, what);
      assert.deepEqual(blocks.embedding, expected.embedding, what);
      assert.deepEqual(blocks.start, expected.start, what);
      assert.deepEqual(blocks.neighbours, expected.neighbours, what);
      const positions = withThreads(threads, () =>
        placePositions(reference, fresh, { ...options, ...size, blockSize }),
      );
      assert.deepEqual(positions.embedding, expected.embedding, what);
      assert.equal(positions.kl, expected.kl, what);
      assert.equal(positions.steps, expected.steps, what);
      assert.equal(positions.exact, expected.neighbours.exact, what);
    }
  }
});

test('a block size that is not a whole number of at least 1 is refused', () => {
  const [reference, fresh] = problem();
  for (const blockSize of [0, -5, 2.5, NaN, Infinity])
    assert.throws(
      () => placePositions(reference, fresh, { blockSize }),
      /^Error: blockSize must be a whole number of at least 1, got/,
      String(blockSize),
    );
});

test('the repulsion field tabulates the same grid on 1 and 2 threads', () => {
  const random = seededRandom(4);
  const embedding = Float64Array.from({ length: 4000 }, () => 10 * randomNormal(random));
  const read = (threads: number): Float64Array =>
    withThreads(threads, () => {
      const field = new RepulsionField(embedding, 2000);
      return Float64Array.from(field.parts.grid);
    });
  const one = read(1);
  assert.ok(one.length > 3 * 100 * 100, `${one.length / 3} grid nodes`);
  assert.deepEqual(read(2), one);
});
