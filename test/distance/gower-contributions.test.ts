import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gowerContributions } from '../../lib/distance/gower-contributions';
import { gowerMatrix, Row } from '../../lib/distance/gower';
import { seededRandom } from '../../lib/random';
import { assertClose } from '../helpers';

const three: Row[] = [
  { genre: 'Pop', energy: 0.2 },
  { genre: 'Pop', energy: 0.6 },
  { genre: 'Jazz', energy: 1.0 },
];

test('three rows, one category and one number: each feature contributes 1/3, worked by hand', () => {
  // Pairs (0,1), (0,2), (1,2); energy range 0.8; total weight 2.
  // genre terms: 0, 1/2, 1/2 → mean 1/3. energy terms: (0.4/0.8)/2, (0.8/0.8)/2, (0.4/0.8)/2 → mean 1/3.
  const c = gowerContributions(three);
  assert.deepEqual(
    c.features.map((f) => [f.name, f.kind, f.weight]),
    [
      ['genre', 'categorical', 1],
      ['energy', 'numeric', 1],
    ],
  );
  assertClose(c.features[0].contribution, 1 / 3, 1e-15, 'genre');
  assertClose(c.features[1].contribution, 1 / 3, 1e-15, 'energy');
  assertClose(c.meanDistance, 2 / 3, 1e-15, 'mean of 0.25, 1, 0.75');
  assert.deepEqual(
    c.features.map((f) => f.share),
    [0.5, 0.5],
  );
  assert.equal(c.pairs, 3);
  assert.equal(c.sampled, false);
});

test("weights scale a feature's term and the denominator: genre at 3 takes 3/4 of the weight", () => {
  // Total weight 4. genre terms: 0, 3/4, 3/4 → 1/2. energy terms: 0.5/4, 1/4, 0.5/4 → 1/6.
  const c = gowerContributions(three, { weights: { genre: 3 } });
  assertClose(c.features[0].contribution, 1 / 2, 1e-15, 'genre');
  assertClose(c.features[1].contribution, 1 / 6, 1e-15, 'energy');
  assertClose(c.meanDistance, 2 / 3, 1e-15, 'mean distance');
  const zero = gowerContributions(three, { weights: { genre: 0 } });
  assert.equal(zero.features[0].contribution, 0);
  assertClose(zero.features[1].contribution, 2 / 3, 1e-15, 'energy alone: mean of 0.5, 1, 0.5');
});

test('a missing value leaves its feature out of that pair and renormalises, as the matrix does', () => {
  // Rows: A (Pop, 0.2), B (Pop, missing), C (missing, 1.0). Energy range 0.8.
  // A–B: genre 0 alone → d 0. A–C: energy 1 alone → d 1. B–C: nothing in common → left out.
  const c = gowerContributions([
    { genre: 'Pop', energy: 0.2 },
    { genre: 'Pop', energy: null },
    { genre: null, energy: 1.0 },
  ]);
  assert.equal(c.pairs, 2);
  assert.deepEqual(
    c.features.map((f) => f.contribution),
    [0, 0.5],
  );
  assert.equal(c.meanDistance, 0.5);
});

function randomRows(n: number, seed: number, holes: number): Row[] {
  const random = seededRandom(seed);
  const maybe = <T>(v: T): T | null => (random() < holes ? null : v);
  return Array.from({ length: n }, () => ({
    genre: maybe(['Pop', 'Rock', 'Jazz', 'Folk'][Math.floor(random() * 4)]),
    key: maybe(Math.floor(random() * 12)),
    energy: maybe(random()),
    tempo: maybe(60 + 120 * random()),
    constant: 1,
  }));
}

test('property: over all pairs the contributions add up to the mean Gower distance of the matrix', () => {
  for (const [seed, holes] of [
    [1, 0],
    [2, 0.15],
  ]) {
    const rows = randomRows(80, seed, holes);
    const options = { categorical: ['genre', 'key'], weights: { key: 0.5, tempo: 2 } };
    const c = gowerContributions(rows, options);
    const d = gowerMatrix(rows, options);
    let total = 0;
    let pairs = 0;
    for (const v of d.condensed)
      if (!Number.isNaN(v)) {
        total += v;
        pairs++;
      }
    assert.equal(c.pairs, pairs);
    assertClose(c.meanDistance, total / pairs, 1e-6, `seed ${seed}: mean distance (Float32 matrix)`);
    assertClose(
      c.features.reduce((s, f) => s + f.contribution, 0),
      c.meanDistance,
      1e-12,
      `seed ${seed}: sum`,
    );
    assertClose(
      c.features.reduce((s, f) => s + f.share, 0),
      1,
      1e-12,
      `seed ${seed}: shares`,
    );
    assert.equal(c.features.find((f) => f.name === 'constant')!.contribution, 0, 'a constant column contributes 0');
  }
});

test('a sample of pairs (seeded) estimates the all-pairs contributions and repeats per seed', () => {
  const rows = randomRows(400, 3, 0.05);
  const options = { categorical: ['genre', 'key'] };
  const exact = gowerContributions(rows, options);
  const sample = gowerContributions(rows, { ...options, sampleSize: 20_000, seed: 9 });
  assert.equal(sample.sampled, true);
  assert.ok(sample.pairs > 19_000 && sample.pairs <= 20_000);
  exact.features.forEach((f, i) => assertClose(sample.features[i].contribution, f.contribution, 0.01, f.name));
  assertClose(
    sample.features.reduce((s, f) => s + f.contribution, 0),
    sample.meanDistance,
    1e-12,
    'sum',
  );
  assert.deepEqual(gowerContributions(rows, { ...options, sampleSize: 20_000, seed: 9 }), sample);
  assert.notDeepEqual(gowerContributions(rows, { ...options, sampleSize: 20_000, seed: 10 }), sample);
});

test('bad input is refused with a sentence', () => {
  assert.throws(() => gowerContributions([{ a: 1 }]), /need at least 2 rows to form a pair, got 1/);
  assert.throws(
    () => gowerContributions(three, { sampleSize: 0 }),
    /sampleSize must be a whole number of pairs, at least 1, got 0/,
  );
  assert.throws(() => gowerContributions(three, { weights: { tempo: 1 } }), /weight is given for "tempo"/);
  assert.throws(() => gowerContributions([{ a: null }, { a: 1 }]), /No pair of rows shares a non-missing feature/);
});
