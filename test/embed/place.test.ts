import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeOnEmbedding, placementHoldOut, placementQuality, PLACE_DEFAULTS } from '../../lib/embed/place';
import { tsne } from '../../lib/embed/tsne';
import { seededRandom, randomNormal } from '../../lib/random';

/** n points in `blobs` well-separated Gaussian blobs in d dimensions, with their blob. */
function blobs(n: number, d: number, count: number, seed: number): { data: Float64Array; labels: number[] } {
  const random = seededRandom(seed);
  const centres = Array.from({ length: count }, () =>
    Float64Array.from({ length: d }, () => 10 * randomNormal(random)),
  );
  const data = new Float64Array(n * d);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = i % count;
    labels.push(b);
    for (let t = 0; t < d; t++) data[i * d + t] = centres[b][t] + randomNormal(random);
  }
  return { data, labels };
}

const reference = blobs(600, 6, 4, 1);
const map = tsne({ data: reference.data, rows: 600, cols: 6 }, { seed: 42, maxIterations: 500 });
// 800 draws from the same generator: the first 600 are the reference, the last 200 new points from the same blobs.
const newPoints = blobs(800, 6, 4, 1);
const extra = { data: newPoints.data.subarray(600 * 6), rows: 200, cols: 6 };
const extraLabels = newPoints.labels.slice(600);

test('with no iterations a point sits at the median position of its k nearest reference points', () => {
  // Reference points on a line in the input; on the map at x = 0, 10, 20, 30, 40.
  const vectors = [[0], [1], [2], [3], [4]];
  const embedding = new Float64Array([0, 0, 10, 1, 20, 2, 30, 3, 40, 4]);
  const placed = placeOnEmbedding({ vectors, embedding }, [[1.2], [3.9]], { k: 3, iterations: 0, perplexity: 1 });
  // 1.2: nearest 1, 2, 0 → median x 10, y 1; 3.9: nearest 4, 3, 2 → median x 30, y 3.
  assert.deepEqual(Array.from(placed.start), [10, 1, 30, 3]);
  assert.deepEqual(Array.from(placed.embedding), [10, 1, 30, 3]);
  assert.deepEqual(Array.from(placed.neighbours.indices.subarray(0, 3)), [1, 2, 0]);
});

test('new points from the blobs land among the reference points of their own blob', () => {
  const placed = placeOnEmbedding(
    { vectors: { data: reference.data, rows: 600, cols: 6 }, embedding: map.embedding },
    extra,
  );
  let agree = 0;
  for (let i = 0; i < 200; i++) {
    let best = Infinity;
    let bestAt = -1;
    for (let j = 0; j < 600; j++) {
      const d = Math.hypot(
        placed.embedding[2 * i] - map.embedding[2 * j],
        placed.embedding[2 * i + 1] - map.embedding[2 * j + 1],
      );
      if (d < best) {
        best = d;
        bestAt = j;
      }
    }
    if (reference.labels[bestAt] === extraLabels[i]) agree++;
  }
  assert.ok(agree >= 196, `${agree} of 200 placed points have a nearest map neighbour from their own blob`);
});

test("the refinement lowers each point's KL divergence below that of its median start", () => {
  const input = { vectors: { data: reference.data, rows: 600, cols: 6 }, embedding: map.embedding };
  const start = placeOnEmbedding(input, extra, { iterations: 0 });
  const refined = placeOnEmbedding(input, extra);
  assert.ok(refined.kl < start.kl, `KL ${refined.kl} after vs ${start.kl} at the start`);
  assert.deepEqual(Array.from(refined.start), Array.from(start.embedding));
});

test('the early stop (tolerance 1e-4) leaves every point within 0.01 of where all 250 steps take it, in fewer steps', () => {
  const input = { vectors: { data: reference.data, rows: 600, cols: 6 }, embedding: map.embedding };
  const early = placeOnEmbedding(input, extra);
  const every = placeOnEmbedding(input, extra, { tolerance: 0 });
  assert.equal(PLACE_DEFAULTS.tolerance, 1e-4);
  assert.equal(every.steps, 250);
  assert.ok(early.steps < 200, `${early.steps} steps on average`);
  let largest = 0;
  for (let i = 0; i < 200; i++) {
    const shift = Math.hypot(
      early.embedding[2 * i] - every.embedding[2 * i],
      early.embedding[2 * i + 1] - every.embedding[2 * i + 1],
    );
    largest = Math.max(largest, shift);
  }
  assert.ok(largest < 0.01, `largest shift ${largest}`);
  assert.ok(Math.abs(early.kl - every.kl) < 1e-3 * every.kl, `KL ${early.kl} vs ${every.kl}`);
  assert.deepEqual(early.start, every.start);
});

test('held-out reference points placed as new keep the trustworthiness of their fitted positions', () => {
  const quality = placementQuality(
    { vectors: { data: reference.data, rows: 600, cols: 6 }, embedding: map.embedding },
    { holdOut: 100, seed: 3 },
  );
  assert.equal(quality.rows.length, 100);
  assert.ok(quality.placed >= quality.fitted - 0.02, `placed ${quality.placed} vs fitted ${quality.fitted}`);
  assert.ok(quality.placed > 0.9);
  const again = placementQuality(
    { vectors: { data: reference.data, rows: 600, cols: 6 }, embedding: map.embedding },
    { holdOut: 100, seed: 3 },
  );
  assert.deepEqual(
    Array.from(again.placement.embedding),
    Array.from(quality.placement.embedding),
    'nothing random: same input, same placement',
  );
});

test('a new point equal to a reference point stays next to it', () => {
  const placed = placeOnEmbedding(
    { vectors: { data: reference.data, rows: 600, cols: 6 }, embedding: map.embedding },
    { data: reference.data.slice(0, 6 * 5), rows: 5, cols: 6 },
  );
  for (let i = 0; i < 5; i++) {
    const shift = Math.hypot(
      placed.embedding[2 * i] - map.embedding[2 * i],
      placed.embedding[2 * i + 1] - map.embedding[2 * i + 1],
    );
    assert.ok(shift < 3, `point ${i} moved ${shift} from its twin`);
  }
});

test('progress goes through the three phases and ends with every point', () => {
  const phases: string[] = [];
  let last = { done: 0, total: 0 };
  placeOnEmbedding(
    {
      vectors: [[0], [1], [2], [3]],
      embedding: [
        [0, 0],
        [1, 0],
        [2, 0],
        [3, 0],
      ],
    },
    [[0.5], [2.5]],
    {
      perplexity: 1,
      iterations: 5,
      onProgress: (p) => {
        if (!phases.includes(p.phase)) phases.push(p.phase);
        last = p;
      },
    },
  );
  assert.deepEqual(phases, ['neighbours', 'field', 'placing']);
  assert.deepEqual(last, { phase: 'placing', done: 2, total: 2 });
  assert.equal(PLACE_DEFAULTS.k, 25);
});

test('bad input is refused with a sentence', () => {
  const input = {
    vectors: [
      [0, 0],
      [1, 1],
    ],
    embedding: [
      [0, 0],
      [1, 1],
    ],
  };
  assert.throws(
    () => placeOnEmbedding(input, [[0]]),
    /The new vectors have 1 columns but the reference vectors have 2/,
  );
  assert.throws(
    () => placeOnEmbedding({ ...input, embedding: [[0, 0]] }, [[0, 0]]),
    /has 1 points but there are 2 reference vectors/,
  );
  assert.throws(() => placeOnEmbedding(input, [[0, 0]], { perplexity: 0 }), /perplexity must be a positive number/);
  assert.throws(() => placeOnEmbedding(input, [[0, 0]], { momentum: 1 }), /momentum must be at least 0 and below 1/);
  assert.throws(() => placeOnEmbedding(input, [[0, 0]], { tolerance: -1 }), /tolerance must be a number ≥ 0/);
  assert.throws(() => placementQuality(input, { holdOut: 2 }), /holdOut must be/);
});

test('no new points: an empty placement, and the reference is still checked', () => {
  const input = { vectors: { data: reference.data, rows: 600, cols: 6 }, embedding: map.embedding };
  const phases: string[] = [];
  for (const none of [{ data: new Float64Array(0), rows: 0, cols: 6 }, []]) {
    const placed = placeOnEmbedding(input, none, { onProgress: (p) => phases.push(`${p.phase} ${p.done}/${p.total}`) });
    assert.equal(placed.embedding.length, 0);
    assert.equal(placed.start.length, 0);
    assert.equal(placed.neighbours.n, 0);
    assert.equal(placed.neighbours.indices.length, 0);
    assert.ok(Number.isNaN(placed.kl));
  }
  assert.deepEqual(phases, ['placing 0/0', 'placing 0/0']);
  assert.throws(
    () => placeOnEmbedding(input, { data: new Float64Array(0), rows: 0, cols: 5 }),
    /The new vectors have 5 columns but the reference vectors have 6/,
  );
  assert.throws(() => placeOnEmbedding({ ...input, embedding: [[0, 0]] }, []), /has 1 points but there are 600/);
  assert.throws(() => placeOnEmbedding({ vectors: [], embedding: [] }, []), /There are no reference vectors/);
});

test('placementHoldOut: a tenth, at most 1,000, at least 21 (10 neighbours), at most half, at least 3', () => {
  const cases: [number, number][] = [
    [91, 21],
    [150, 21],
    [209, 21],
    [210, 21],
    [250, 25],
    [10000, 1000],
    [50000, 1000],
    [30, 15],
    [6, 3],
    [4, 3],
    [3, 2],
  ];
  for (const [n, rows] of cases) assert.equal(placementHoldOut(n), rows, `n = ${n}`);
});

test('placementQuality sizes its hold-out from the reference: every size from 91 to 209 rows works', () => {
  const random = seededRandom(9);
  const all = Float64Array.from({ length: 209 * 4 }, () => randomNormal(random));
  for (let n = 91; n <= 209; n++) {
    const vectors = { data: all.subarray(0, 4 * n), rows: n, cols: 4 };
    // The map: the first two features, so that the trustworthiness is high but not 1.
    const embedding = Float64Array.from({ length: 2 * n }, (_, p) => all[4 * (p >> 1) + (p & 1)]);
    const quality = placementQuality({ vectors, embedding }, { seed: n, iterations: 20 });
    assert.equal(quality.rows.length, 21, `n = ${n}`);
    assert.equal(quality.trustworthinessK, 10);
    assert.equal(quality.placement.embedding.length, 42);
    for (const value of [quality.fitted, quality.placed]) assert.ok(value >= 0 && value <= 1, `n = ${n}: ${value}`);
  }
});

test('placementQuality lowers the trustworthiness k to fit a small hold-out, and refuses a k that does not fit', () => {
  const input = { vectors: { data: reference.data, rows: 600, cols: 6 }, embedding: map.embedding };
  const small = placementQuality(input, { holdOut: 9, seed: 3, iterations: 10 });
  assert.equal(small.rows.length, 9);
  assert.equal(small.trustworthinessK, 4);
  assert.throws(
    () => placementQuality(input, { holdOut: 9, trustworthinessK: 10 }),
    /trustworthinessK must be a whole number from 1 to 4 \(below half the 9 held-out rows\), got 10/,
  );
  assert.throws(
    () =>
      placementQuality({
        vectors: [[0], [1], [2]],
        embedding: [
          [0, 0],
          [1, 0],
          [2, 0],
        ],
      }),
    /placementQuality needs at least 4 reference rows \(3 held out, 1 kept\), but the reference has 3/,
  );
});
