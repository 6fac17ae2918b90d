import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../../lib/matrix/distance-matrix';
import { gowerMatrix, Row } from '../../../lib/distance/gower';
import {
  buildMedoids,
  checkKMedoidsInput,
  fitKMedoids,
  K_MEDOIDS_DEFAULTS,
  keepLeftParts,
  kMedoids,
  KMedoidsProgress,
  randomMedoids,
} from '../../../lib/cluster/kmedoids/kmedoids';
import { assignToMedoids, medoidSilhouette } from '../../../lib/cluster/kmedoids/assign';
import { RowBlocks } from '../../../lib/matrix/row-blocks';
import { assertClose, assertCloseRelative, readFixture } from '../../helpers';

// Rows at 0, 1, 9 and 10 on a line.
const line = DistanceMatrix.fromSquare([
  [0, 1, 9, 10],
  [1, 0, 8, 9],
  [9, 8, 0, 1],
  [10, 9, 1, 0],
]);

/** What kmedoids.fasterpam returned (test/reference/kmedoids_fixtures.py). */
interface PackageResult {
  medoids: number[];
  loss: number;
  labels: number[];
  n_iter: number;
  n_swap: number;
}
interface Fit {
  k: number;
  initial: number[];
  from_initial: PackageResult;
  pam_build: number[];
  from_build: PackageResult;
  medoid_silhouette: number;
  medoid_silhouette_build: number;
  random_state_losses?: number[];
}
const fixture: {
  versions: Record<string, string>;
  ties: { name: string; n: number; condensed: number[]; fits: Fit[] }[];
  gower: {
    n: number;
    columns: string[];
    values: Record<string, (string | number)[]>;
    categorical: string[];
    gower_package_pairs: [number, number, number][];
    condensed_sum: number;
    fits: Fit[];
  };
} = readFixture('kmedoids.json');

/** The fixture's 2,000 tracks' Gower matrix, made by the project (the numbers the package was given). */
let gowerCache: DistanceMatrix | undefined;
function fixtureGower(): DistanceMatrix {
  if (gowerCache) return gowerCache;
  const { columns, values, categorical } = fixture.gower;
  const rows: Row[] = values[columns[0]].map((_, r) => Object.fromEntries(columns.map((c) => [c, values[c][r]])));
  gowerCache = gowerMatrix(rows, { categorical });
  return gowerCache;
}

function tiesMatrix(c: { n: number; condensed: number[] }): DistanceMatrix {
  return new DistanceMatrix(c.n, Float64Array.from(c.condensed));
}

/** Our result equals the package's: medoids in the same slots, labels, loss, passes and swaps. */
function assertSameAsPackage(ours: ReturnType<typeof kMedoids>, theirs: PackageResult, what: string): void {
  assert.deepEqual(Array.from(ours.medoids), theirs.medoids, `${what}: medoids`);
  assertCloseRelative(ours.loss, theirs.loss, 1e-6, `${what}: loss`);
  assert.deepEqual(Array.from(ours.labels), theirs.labels, `${what}: labels`);
  assert.equal(ours.iterations, theirs.n_iter, `${what}: passes`);
  assert.equal(ours.swaps, theirs.n_swap, `${what}: swaps`);
}

test('BUILD on the line example takes row 1 (smallest total, first on the tie with row 2), then row 2', () => {
  // Totals 20, 18, 18, 20. With row 1 chosen, adding row 2 lowers the loss by 8 + 8, as does row 3
  // (7 + 9): the first wins. FasterPAM then finds no improving swap in one pass.
  assert.deepEqual(Array.from(buildMedoids(line, 2)), [1, 2]);
  const result = kMedoids(line, 2, { init: 'build' });
  assert.deepEqual(Array.from(result.medoids), [1, 2]);
  assert.deepEqual(Array.from(result.labels), [0, 0, 1, 1]);
  assert.equal(result.loss, 2);
  assert.equal(result.iterations, 1);
  assert.equal(result.swaps, 0);
});

test('from two medoids in the same pair, the first candidate row 2 replaces medoid slot 0', () => {
  // Medoids rows 0 and 1: loss 0 + 0 + 8 + 9 = 17. Candidate 2: removal losses [1, 3]; rows 2 and 3
  // move to it (−8 each) and leave slot 1 (−1 each), so both slots cost 1 − 16 = −15: slot 0 (first)
  // goes. Loss 2; pass 2 finds nothing (row 0 for slot 1 would tie) and stops at row 2.
  const result = kMedoids(line, 2, { init: [0, 1] });
  assert.deepEqual(Array.from(result.medoids), [2, 1]);
  assert.deepEqual(Array.from(result.labels), [1, 1, 0, 0]);
  assert.equal(result.loss, 2);
  assert.equal(result.iterations, 2);
  assert.equal(result.swaps, 1);
});

test('onProgress hears once per pass, with the swaps and the loss after it', () => {
  const reports: KMedoidsProgress[] = [];
  kMedoids(line, 2, { init: [0, 1], onProgress: (report) => reports.push(report) });
  assert.deepEqual(reports, [
    { iteration: 1, maxIterations: 100, swaps: 1, loss: 2 },
    { iteration: 2, maxIterations: 100, swaps: 0, loss: 2 },
  ]);
});

test('with k = 1 the medoid is the row with the smallest total distance', () => {
  const result = kMedoids(line, 1, { init: [3] });
  assert.deepEqual(Array.from(result.medoids), [1]);
  assert.deepEqual(Array.from(result.labels), [0, 0, 0, 0]);
  assert.equal(result.loss, 18);
  assert.equal(result.swaps, 1);
});

test('maxIterations 0 keeps the initial medoids; k = n makes every row a medoid with loss 0', () => {
  const kept = kMedoids(line, 2, { init: [0, 1], maxIterations: 0 });
  assert.deepEqual(Array.from(kept.medoids), [0, 1]);
  assert.equal(kept.loss, 17);
  assert.equal(kept.iterations, 0);
  const all = kMedoids(line, 4, { init: 'build' });
  assert.deepEqual(Array.from(all.medoids).sort(), [0, 1, 2, 3]);
  assert.equal(all.loss, 0);
  all.medoids.forEach((m, l) => assert.equal(all.labels[m], l));
});

test('the defaults are seed 0, random initial medoids and 100 passes', () => {
  assert.deepEqual({ ...K_MEDOIDS_DEFAULTS }, { seed: 0, init: 'random', maxIterations: 100 });
  const d = fixtureGower();
  assert.deepEqual(kMedoids(d, 4), kMedoids(d, 4, { seed: 0, init: 'random', maxIterations: 100 }));
  assert.deepEqual(kMedoids(d, 4, { seed: undefined }), kMedoids(d, 4, { init: randomMedoids(d.size, 4, 0) }));
});

test('random initial medoids are k distinct rows, deterministic per seed, and the draw for k extends the draw for k − 1', () => {
  const five = randomMedoids(50, 5, 7);
  assert.equal(new Set(five).size, 5);
  assert.ok(five.every((m) => m >= 0 && m < 50));
  assert.deepEqual(randomMedoids(50, 5, 7), five);
  assert.deepEqual(Array.from(randomMedoids(50, 6, 7).subarray(0, 5)), Array.from(five));
  assert.notDeepEqual(randomMedoids(50, 5, 8), five);
});

test('the same seed gives the same clustering; the inputs are not changed', () => {
  const d = fixtureGower();
  const before = d.condensed.slice();
  const initial = Object.freeze([5, 17, 300]);
  const a = kMedoids(d, 3, { init: initial });
  assert.deepEqual(initial, [5, 17, 300]);
  assert.deepEqual(kMedoids(d, 3, { init: initial }), a);
  assert.deepEqual(kMedoids(d, 6, { seed: 3 }), kMedoids(d, 6, { seed: 3 }));
  assert.deepEqual(d.condensed, before);
});

test('left parts gathered once and given to several fits change nothing; checkKMedoidsInput makes the fit-time checks', () => {
  const d = fixtureGower();
  const leftParts = RowBlocks.allLeftParts(d);
  for (const k of [2, 5, 9])
    assert.deepEqual(fitKMedoids(d, k, { seed: 2, leftParts: leftParts }), kMedoids(d, k, { seed: 2 }));
  assert.equal(keepLeftParts(d, 100), true);
  assert.equal(keepLeftParts(d, 1), false);
  checkKMedoidsInput(d);
  assert.throws(
    () =>
      checkKMedoidsInput(
        DistanceMatrix.fromSquare([
          [0, NaN],
          [NaN, 0],
        ]),
      ),
    /has a NaN at condensed position 0/,
  );
  assert.throws(() => checkKMedoidsInput([[0]] as unknown as DistanceMatrix), /needs a DistanceMatrix/);
});

test("labels are each row's nearest medoid and the loss is the summed distance to it", () => {
  const d = fixtureGower();
  const result = kMedoids(d, 7, { seed: 1 });
  const assigned = assignToMedoids(d, result.medoids);
  assert.deepEqual(result.labels, assigned.labels);
  assertCloseRelative(result.loss, assigned.loss, 1e-12, 'loss');
  let total = 0;
  for (let i = 0; i < d.size; i++) total += d.get(i, result.medoids[result.labels[i]]);
  assertCloseRelative(result.loss, total, 1e-12, 'loss from labels');
});

test('the result is a local optimum: no single swap of a medoid for another row lowers the loss', () => {
  for (const c of fixture.ties) {
    const d = tiesMatrix(c);
    for (const k of [2, 3, 4]) {
      const result = kMedoids(d, k, { seed: k });
      for (let l = 0; l < k; l++) {
        for (let j = 0; j < d.size; j++) {
          if (result.medoids.includes(j)) continue;
          const swapped = Array.from(result.medoids);
          swapped[l] = j;
          assert.ok(assignToMedoids(d, swapped).loss >= result.loss, `${c.name}, k = ${k}: medoid ${l} → row ${j}`);
        }
      }
    }
  }
});

test('the same numbers stored as Float32 or Float64 give the same clustering', () => {
  const d32 = fixtureGower();
  const d64 = new DistanceMatrix(d32.size, Float64Array.from(d32.condensed));
  assert.deepEqual(kMedoids(d64, 5, { seed: 2 }), kMedoids(d32, 5, { seed: 2 }));
  assert.deepEqual(kMedoids(d64, 5, { init: 'build' }), kMedoids(d32, 5, { init: 'build' }));
});

test('matrices full of ties: the same swaps as kmedoids.fasterpam from the same start and from BUILD', () => {
  for (const c of fixture.ties) {
    const d = tiesMatrix(c);
    for (const fit of c.fits) {
      const what = `${c.name}, k = ${fit.k}`;
      assertSameAsPackage(kMedoids(d, fit.k, { init: fit.initial }), fit.from_initial, `${what}, from ${fit.initial}`);
      assert.deepEqual(Array.from(buildMedoids(d, fit.k)), fit.pam_build, `${what}: BUILD`);
      assertSameAsPackage(kMedoids(d, fit.k, { init: 'build' }), fit.from_build, `${what}, BUILD`);
    }
  }
});

test("the project's Gower matrix of the 2,000 fixture tracks is the one the package was given, and within 1e-6 of the gower package's", () => {
  const d = fixtureGower();
  assert.equal(d.size, fixture.gower.n);
  let total = 0;
  for (let p = 0; p < d.condensed.length; p++) total += d.condensed[p];
  assertCloseRelative(total, fixture.gower.condensed_sum, 1e-12, 'sum of the matrix');
  for (const [i, j, value] of fixture.gower.gower_package_pairs) assertClose(d.get(i, j), value, 1e-6, `(${i}, ${j})`);
});

test('2,000 tracks, Gower: the same medoids, loss, labels and passes as kmedoids.fasterpam from the same start and from BUILD', () => {
  const d = fixtureGower();
  for (const fit of fixture.gower.fits) {
    assertSameAsPackage(
      kMedoids(d, fit.k, { init: fit.initial }),
      fit.from_initial,
      `k = ${fit.k}, from the same start`,
    );
    assert.deepEqual(Array.from(buildMedoids(d, fit.k)), fit.pam_build, `k = ${fit.k}: BUILD`);
    const built = kMedoids(d, fit.k, { init: 'build' });
    assertSameAsPackage(built, fit.from_build, `k = ${fit.k}, BUILD`);
    // The brief's criterion, weaker than the above: the same medoids as a set.
    assert.deepEqual(
      Array.from(built.medoids).sort((a, b) => a - b),
      [...fit.from_build.medoids].sort((a, b) => a - b),
    );
  }
});

test("2,000 tracks, Gower: the mean loss of 10 random starts is within 1 % of the package's 10 seeded starts", () => {
  const d = fixtureGower();
  for (const fit of fixture.gower.fits) {
    const theirs = fit.random_state_losses ?? [];
    const ours = theirs.map((_, seed) => kMedoids(d, fit.k, { seed }).loss);
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
    assertCloseRelative(mean(ours), mean(theirs), 0.01, `k = ${fit.k}: mean loss`);
  }
});

test('2,000 tracks, Gower: the medoid silhouette equals kmedoids.medoid_silhouette', () => {
  const d = fixtureGower();
  for (const fit of fixture.gower.fits) {
    assertClose(medoidSilhouette(d, fit.from_initial.medoids), fit.medoid_silhouette, 1e-6, `k = ${fit.k}`);
    assertClose(medoidSilhouette(d, fit.from_build.medoids), fit.medoid_silhouette_build, 1e-6, `k = ${fit.k}, BUILD`);
  }
});

test('BUILD goes on from a shorter BUILD, and adds rows that change nothing once none lowers the loss', () => {
  const d = fixtureGower();
  const five = buildMedoids(d, 5);
  assert.deepEqual(buildMedoids(d, 8, five), buildMedoids(d, 8));
  // Three coinciding rows and one apart: after rows 0 and 3, no row lowers the loss; the first
  // row that is not a medoid comes next (the package's pam_build would stop at 2 medoids).
  const d4 = DistanceMatrix.fromSquare([
    [0, 0, 0, 1],
    [0, 0, 0, 1],
    [0, 0, 0, 1],
    [1, 1, 1, 0],
  ]);
  assert.deepEqual(Array.from(buildMedoids(d4, 3)), [0, 3, 1]);
});

test('bad k, initial medoids, options and matrices are refused with a sentence', () => {
  assert.throws(() => kMedoids(line, 0), /k must be a whole number from 1 to the number of rows \(4\), got 0/);
  assert.throws(() => kMedoids(line, 5), /got 5/);
  assert.throws(() => kMedoids(line, 2.5), /got 2.5/);
  assert.throws(() => kMedoids(line, 2, { init: [0] }), /exactly k = 2 initial medoids, but 1 were given/);
  assert.throws(() => kMedoids(line, 2, { init: [1, 1] }), /Row 1 is given twice/);
  assert.throws(() => kMedoids(line, 2, { init: [0, 9] }), /Medoid 1 is 9/);
  assert.throws(
    () => kMedoids(line, 2, { init: 'kmeans++' as 'random' }),
    /init must be 'random', 'build' or an array of 2 row indices/,
  );
  assert.throws(() => kMedoids(line, 2, { maxIterations: -1 }), /maxIterations must be a whole number/);
  assert.throws(() => kMedoids(line, 2, { seed: NaN }), /seed must be a finite number/);
  assert.throws(() => kMedoids(new DistanceMatrix(3, Float32Array.of(1, NaN, 2)), 2), /NaN at condensed position 1/);
  assert.throws(
    () =>
      kMedoids(
        [
          [0, 1],
          [1, 0],
        ] as unknown as DistanceMatrix,
        1,
      ),
    /needs a DistanceMatrix/,
  );
});
