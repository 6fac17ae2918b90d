import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CellIndex } from '../../lib/embed/cell-index';
import { seededRandom, randomNormal } from '../../lib/random';
import { sharedFloat64, sharedInt32 } from '../../lib/parallel/pool';

/** Brute force: every reference point, sorted by (distance, index). */
function bruteForce(
  data: Float64Array,
  n: number,
  d: number,
  query: Float64Array,
  k: number,
): { indices: number[]; distances: number[] } {
  const all = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += (data[j * d + t] - query[t]) ** 2;
    return { j, s };
  }).sort((a, b) => a.s - b.s || a.j - b.j);
  return { indices: all.slice(0, k).map((e) => e.j), distances: all.slice(0, k).map((e) => Math.sqrt(e.s)) };
}

function clustered(n: number, d: number, seed: number, spread = 1): Float64Array {
  const random = seededRandom(seed);
  const centres = Array.from({ length: 12 }, () => Float64Array.from({ length: d }, () => 4 * randomNormal(random)));
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < d; t++) out[i * d + t] = centres[i % 12][t] + spread * randomNormal(random);
  return out;
}

test('three points in the plane, worked by hand', () => {
  const index = new CellIndex(new Float64Array([0, 0, 1, 0, 5, 5]), 3, 2, { cells: 2 });
  const { indices, distances, exact } = index.query(new Float64Array([0.9, 0.1, 5, 4]), 2, 2);
  assert.deepEqual(Array.from(indices), [1, 0, 2, 1]);
  assert.ok(Math.abs(distances[0] - Math.sqrt(0.02)) < 1e-12);
  assert.ok(Math.abs(distances[1] - Math.sqrt(0.82)) < 1e-12);
  assert.equal(distances[2], 1);
  assert.equal(exact, 2);
});

test('property: with every cell allowed, the same neighbours as brute force in the same order, and every answer exact', () => {
  for (const [n, d, k, cells] of [
    [300, 3, 5, 10],
    [500, 15, 25, 30],
    [200, 40, 10, 7],
    [64, 2, 64, 8],
  ]) {
    const data = clustered(n, d, n + d);
    const m = 40;
    const random = seededRandom(d);
    const queries = Float64Array.from({ length: m * d }, () => 5 * randomNormal(random));
    const result = new CellIndex(data, n, d, { cells, maxProbes: cells }).query(queries, m, k);
    assert.equal(result.exact, m);
    for (let i = 0; i < m; i++) {
      const expected = bruteForce(data, n, d, queries.subarray(i * d, i * d + d), k);
      assert.deepEqual(
        Array.from(result.indices.subarray(i * k, i * k + k)),
        expected.indices,
        `n ${n} d ${d} k ${k} query ${i}`,
      );
      expected.distances.forEach((e, a) => assert.ok(Math.abs(result.distances[i * k + a] - e) < 1e-12));
    }
  }
});

test('ties and repeated points are broken by the lower reference index', () => {
  const random = seededRandom(3);
  const n = 200;
  const d = 3;
  const data = new Float64Array(n * d);
  for (let j = 0; j < n / 2; j++) {
    for (let t = 0; t < d; t++) data[j * d + t] = data[(j + n / 2) * d + t] = Math.floor(random() * 4);
  }
  const queries = Float64Array.from({ length: 30 * d }, () => Math.floor(random() * 4));
  const result = new CellIndex(data, n, d, { cells: 6, maxProbes: 6 }).query(queries, 30, 12);
  for (let i = 0; i < 30; i++) {
    assert.deepEqual(
      Array.from(result.indices.subarray(i * 12, i * 12 + 12)),
      bruteForce(data, n, d, queries.subarray(i * d, i * d + d), 12).indices,
    );
  }
});

test('with few cells visited the answers are approximate but mostly the true neighbours, more so with more cells, nearest first', () => {
  const n = 3000;
  const d = 15;
  const data = clustered(n, d, 11, 2);
  const queries = clustered(400, d, 12, 2);
  const truth = Array.from(
    { length: 400 },
    (_, i) => new Set(bruteForce(data, n, d, queries.subarray(i * d, i * d + d), 25).indices),
  );
  const recall = (maxProbes?: number): number => {
    const result = new CellIndex(data, n, d, { maxProbes }).query(queries, 400, 25);
    let found = 0;
    for (let i = 0; i < 400; i++) {
      for (let a = 0; a < 25; a++) if (truth[i].has(result.indices[i * 25 + a])) found++;
      for (let a = 1; a < 25; a++) assert.ok(result.distances[i * 25 + a - 1] <= result.distances[i * 25 + a]);
    }
    return found / (400 * 25);
  };
  assert.equal(new CellIndex(data, n, d).cells, Math.ceil(Math.sqrt(n) * 1.25));
  const fewer = recall(4);
  const usual = recall();
  const more = recall(40);
  assert.ok(fewer < usual && usual < more, `recall ${fewer}, ${usual}, ${more}`);
  assert.ok(usual > 0.85 && more > 0.97, `recall ${usual} by default, ${more} with 40 cells`);
});

test('bad input is refused with a sentence', () => {
  assert.throws(() => new CellIndex(new Float64Array([0, 1, 2]), 2, 2), /needs n × d values/);
  assert.throws(() => new CellIndex(new Float64Array([0, NaN]), 1, 2), /Reference point 0 holds NaN/);
  assert.throws(
    () => new CellIndex(new Float64Array([0, 0, 1, 1]), 2, 2, { maxProbes: 0 }),
    /maxProbes must be a whole number of at least 1/,
  );
  const index = new CellIndex(new Float64Array([0, 0, 1, 1]), 2, 2);
  assert.throws(() => index.query(new Float64Array([0, 0]), 1, 3), /from 1 to 2, got 3/);
  assert.throws(() => index.query(new Float64Array([0]), 1, 1), /Expected 1 query points of 2 values/);
});

test('small references, 91 to 209 points: the cells are sized from n, and the placement-sized queries are exact', () => {
  const d = 15;
  const all = clustered(209, d, 21);
  const m = 5;
  const random = seededRandom(4);
  const queries = Float64Array.from({ length: m * d }, () => 4 * randomNormal(random));
  for (let n = 91; n <= 209; n++) {
    const data = all.subarray(0, n * d);
    const index = new CellIndex(data, n, d, { maxProbes: n });
    assert.equal(index.cells, Math.ceil(Math.sqrt(n) * 1.25), `n = ${n}`);
    // 25 neighbours: what placeOnEmbedding asks for by default.
    const result = index.query(queries, m, 25);
    assert.equal(result.exact, m, `n = ${n}`);
    for (let i = 0; i < m; i++)
      assert.deepEqual(
        Array.from(result.indices.subarray(i * 25, i * 25 + 25)),
        bruteForce(data, n, d, queries.subarray(i * d, i * d + d), 25).indices,
        `n = ${n}, query ${i}`,
      );
    // With the default maxProbes every answer still holds 25 distinct reference rows, nearest first.
    const approximate = new CellIndex(data, n, d).query(queries, m, 25);
    for (let i = 0; i < m; i++) {
      const rows = approximate.indices.subarray(i * 25, i * 25 + 25);
      assert.equal(new Set(rows).size, 25);
      for (let a = 1; a < 25; a++)
        assert.ok(approximate.distances[i * 25 + a] >= approximate.distances[i * 25 + a - 1]);
    }
  }
});

test('answers written into given shared arrays are the same, and unshared or short arrays are refused', () => {
  const random = seededRandom(8);
  const data = Float64Array.from({ length: 300 * 3 }, () => randomNormal(random));
  const queries = Float64Array.from({ length: 40 * 3 }, () => randomNormal(random));
  const index = new CellIndex(data, 300, 3);
  const fresh = index.query(queries, 40, 5);
  // Larger than needed, with stale values from an earlier block: only the first 40 × 5 are written.
  const into = { indices: sharedInt32(60 * 5).fill(-7), distances: sharedFloat64(60 * 5).fill(-7) };
  const reused = index.query(queries, 40, 5, undefined, into);
  assert.deepEqual(Array.from(reused.indices), Array.from(fresh.indices));
  assert.deepEqual(Array.from(reused.distances), Array.from(fresh.distances));
  assert.equal(reused.exact, fresh.exact);
  assert.equal(reused.indices.buffer, into.indices.buffer);
  assert.throws(
    () => index.query(queries, 40, 5, undefined, { indices: new Int32Array(200), distances: into.distances }),
    /^Error: The arrays to write the neighbours to must be shared and hold at least 200 values .*, got 200, not shared\.$/,
  );
  assert.throws(
    () => index.query(queries, 40, 5, undefined, { indices: into.indices, distances: sharedFloat64(199) }),
    /must be shared and hold at least 200 values .*, got 199\.$/,
  );
});
