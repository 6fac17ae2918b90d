import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../../lib/matrix/distance-matrix';
import { averageLinkage } from '../../../lib/cluster/linkage/linkage';
import { chainState, helpedRuns, runChain } from '../../../lib/cluster/linkage/nn-chain';
import { sharedFloat64 } from '../../../lib/parallel/pool';
import { seededRandom } from '../../../lib/random';
import { readFixture, withThreads } from '../../helpers';

/**
 * scipy's `nn_chain` as it was written here before the kept nearest neighbours and the shared
 * passes: a full scan of the chain's top at every step (the reference for both).
 */
function plainChain(n: number, condensed: ArrayLike<number>): { heights: number[]; a: number[]; b: number[] } {
  const D = Float64Array.from(condensed);
  const at = (i: number, j: number): number => (i < j ? i * n - (i * (i + 1)) / 2 + j - i - 1 : at(j, i));
  const size = new Int32Array(n).fill(1);
  const alive = new Uint8Array(n).fill(1);
  const chain: number[] = [];
  const out = { heights: [] as number[], a: [] as number[], b: [] as number[] };
  for (let m = 0; m < n - 1; m++) {
    if (chain.length === 0) chain.push(alive.indexOf(1));
    let x = 0;
    let y = 0;
    let best = 0;
    for (;;) {
      x = chain[chain.length - 1];
      y = chain.length > 1 ? chain[chain.length - 2] : -1;
      best = y >= 0 ? D[at(x, y)] : Infinity;
      for (let i = 0; i < n; i++) {
        if (!alive[i] || i === x) continue;
        if (D[at(i, x)] < best) {
          best = D[at(i, x)];
          y = i;
        }
      }
      if (chain.length > 1 && y === chain[chain.length - 2]) break;
      chain.push(y);
    }
    chain.length -= 2;
    if (x > y) [x, y] = [y, x];
    out.heights.push(best);
    out.a.push(x);
    out.b.push(y);
    for (let i = 0; i < n; i++) {
      if (!alive[i] || i === x || i === y) continue;
      D[at(i, y)] = (size[x] * D[at(i, x)] + size[y] * D[at(i, y)]) / (size[x] + size[y]);
    }
    alive[x] = 0;
    size[y] += size[x];
  }
  return out;
}

/** The chain's merges, in chain order, with every pass shared from `parallelMin` active slots. */
function chainMerges(n: number, condensed: ArrayLike<number>, parallelMin: number, helped?: number[]) {
  const D = sharedFloat64(condensed.length);
  D.set(condensed);
  const state = chainState(n, D, parallelMin);
  runChain(state);
  helped?.push(helpedRuns(state));
  return { heights: Array.from(state.heights), a: Array.from(state.leafA), b: Array.from(state.leafB) };
}

/** A matrix of n rows whose distances take only `levels` values: ties everywhere. */
function tiedMatrix(n: number, levels: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: (n * (n - 1)) / 2 }, () => Math.floor(random() * levels) / levels);
}

test("the kept nearest neighbours give plain nn_chain's merges, tie for tie, on matrices full of ties", () => {
  for (const [n, levels, seed] of [
    [30, 3, 1],
    [120, 5, 2],
    [300, 20, 3],
    [300, 1000, 4],
  ]) {
    const condensed = tiedMatrix(n, levels, seed);
    const expected = plainChain(n, condensed);
    for (const threads of [1, 2]) {
      const got = withThreads(threads, () => chainMerges(n, condensed, 8));
      assert.deepEqual(got, expected, `n = ${n}, ${levels} levels, ${threads} threads`);
    }
  }
});

test("scipy's tie fixture and a 2,500-row matrix: 1 and 2 threads give bit-identical trees", () => {
  const ties: { condensed: number[] } = readFixture<{ ties: { condensed: number[] } }>('linkage_average.json').ties;
  const small = new DistanceMatrix(40, Float64Array.from(ties.condensed));
  const random = seededRandom(7);
  const n = 2500;
  const large = new DistanceMatrix(
    n,
    Float32Array.from({ length: (n * (n - 1)) / 2 }, () => random()),
  );
  for (const matrix of [small, large]) {
    const [one, two] = [1, 2].map((threads) => withThreads(threads, () => averageLinkage(matrix)));
    assert.deepEqual(two.heights, one.heights);
    assert.deepEqual(two.left, one.left);
    assert.deepEqual(two.right, one.right);
  }
  const condensed = large.condensed;
  const alone: number[] = [];
  const expected = withThreads(1, () => chainMerges(n, condensed, 16, alone));
  assert.deepEqual(alone, [0], 'one thread: no helper');
  // The pool's worker is started by now; on a busy machine it may miss a run, so up to three tries.
  const helped: number[] = [];
  for (let run = 0; run < 3 && !helped.some((h) => h > 0); run++)
    assert.deepEqual(
      withThreads(2, () => chainMerges(n, condensed, 16, helped)),
      expected,
    );
  assert.ok(
    helped.some((h) => h > 0),
    `the second thread took part in the passes (${helped})`,
  );
});

test('progress reaches n − 1 merges once, whatever the number of threads', () => {
  const random = seededRandom(3);
  const n = 2600;
  const matrix = new DistanceMatrix(
    n,
    Float32Array.from({ length: (n * (n - 1)) / 2 }, () => random()),
  );
  for (const threads of [1, 2]) {
    const seen: number[] = [];
    withThreads(threads, () => averageLinkage(matrix, { onProgress: (done, total) => seen.push(done / total) }));
    assert.equal(seen[seen.length - 1], 1);
    assert.ok(
      seen.every((v, i) => i === 0 || v >= seen[i - 1]),
      'never backwards',
    );
  }
});
