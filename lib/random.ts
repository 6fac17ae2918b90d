/**
 * Seeded pseudo-random numbers. Every random step in the project takes a seed (or a random
 * source made from one) so that a re-run gives the same tables and pictures.
 *
 * The generator is mulberry32: 32 bits of state, fast, and good enough for sampling and
 * shuffling (it is not cryptographic). See https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 * Written here because mulberry32 is a few lines and a package (seedrandom) would add a dependency;
 * kept at the bottom of lib/, importing nothing, because every stage uses it.
 */

/** A function returning uniform numbers in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

/**
 * A seeded uniform random source in [0, 1).
 * @param seed any integer (only its low 32 bits are used)
 * @example
 * const random = seededRandom(42);
 * random(); // 0.6011037519201636, and the same on every run
 */
export function seededRandom(seed: number): RandomSource {
  if (!Number.isFinite(seed)) throw new Error(`The seed must be a finite number, got ${seed}.`);
  let state = Math.trunc(seed) >>> 0;
  return function mulberry32(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uniform integer in [0, n).
 * @example randomInt(seededRandom(1), 6) // a die roll 0..5
 */
export function randomInt(random: RandomSource, n: number): number {
  return Math.floor(random() * n);
}

/**
 * A standard normal number (Box–Muller).
 * @example randomNormal(seededRandom(7)) // about N(0, 1)
 */
export function randomNormal(random: RandomSource): number {
  let u = 0;
  while (u === 0) u = random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * The indices 0..n-1 in a seeded random order (Fisher–Yates), as an Int32Array.
 * @example shuffledIndices(5, 42) // a permutation of 0..4, the same for seed 42 on every run
 */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}
