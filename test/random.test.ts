import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomNormal, seededRandom, shuffledIndices } from '../lib/random';

const draws = (seed: number, count: number): number[] => {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => random());
};

test('the same seed gives the same numbers, other seeds other numbers', () => {
  assert.deepEqual(draws(42, 100), draws(42, 100));
  assert.notDeepEqual(draws(42, 100), draws(43, 100));
  // the doc comment's example, which also pins the generator (mulberry32) across releases
  assert.equal(seededRandom(42)(), 0.6011037519201636);
});

test('only the whole part and the low 32 bits of the seed count', () => {
  assert.deepEqual(draws(42.9, 10), draws(42, 10));
  assert.deepEqual(draws(42 + 2 ** 32, 10), draws(42, 10));
  assert.deepEqual(draws(-1, 10), draws(2 ** 32 - 1, 10));
});

test('numbers lie in [0, 1) with the mean and variance of a uniform draw', () => {
  // 100,000 draws: the mean's standard error is 0.29 / 316 ≈ 0.0009, so 0.005 is over 5 errors.
  const values = draws(7, 100_000);
  assert.ok(values.every((value) => value >= 0 && value < 1));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 12) < 0.002, `variance ${variance}`);
});

test('a seed that is not a finite number is refused with a sentence', () => {
  assert.throws(() => seededRandom(NaN), /seed must be a finite number, got NaN/);
  assert.throws(() => seededRandom(Infinity), /seed must be a finite number, got Infinity/);
});

test('randomInt gives whole numbers 0..n−1, each of them', () => {
  const random = seededRandom(1);
  const counts = new Array<number>(6).fill(0);
  for (let i = 0; i < 6000; i++) {
    const roll = randomInt(random, 6);
    assert.ok(Number.isInteger(roll) && roll >= 0 && roll < 6, `roll ${roll}`);
    counts[roll]++;
  }
  // each face expected 1000 times, standard deviation about 29
  assert.ok(
    counts.every((count) => Math.abs(count - 1000) < 150),
    `counts ${counts}`,
  );
});

test('randomNormal has mean 0 and variance 1', () => {
  const random = seededRandom(3);
  const values = Array.from({ length: 50_000 }, () => randomNormal(random));
  assert.ok(values.every(Number.isFinite));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.03, `variance ${variance}`);
});

test('shuffledIndices is a permutation of 0..n−1, fixed by the seed', () => {
  for (const n of [0, 1, 2, 17, 1000]) {
    const order = shuffledIndices(n, 42);
    assert.ok(order instanceof Int32Array);
    assert.deepEqual(
      Array.from(order).sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
      `n = ${n}`,
    );
  }
  assert.deepEqual(shuffledIndices(1000, 42), shuffledIndices(1000, 42));
  assert.notDeepEqual(shuffledIndices(1000, 42), shuffledIndices(1000, 43));
});

test('shuffledIndices draws every order of three equally often (Fisher–Yates is unbiased)', () => {
  // 6,000 seeds, 6 orders: about 1000 each, standard deviation about 29.
  const counts = new Map<string, number>();
  for (let seed = 0; seed < 6000; seed++) {
    const key = Array.from(shuffledIndices(3, seed)).join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 6);
  for (const [order, count] of counts) assert.ok(Math.abs(count - 1000) < 150, `${order}: ${count}`);
});
