import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blobDistances } from '../../helpers';
import { trainTestSplit } from '../../../lib/cluster/evaluate/split';
import { silhouetteSweep } from '../../../lib/cluster/linkage/silhouette-sweep';
import { scoreSweepSteps, sweepsTable } from '../../../lib/cluster/evaluate/sweep-scores';
import { silhouetteScore } from '../../../lib/cluster/evaluate/silhouette';
import { clusterSizes } from '../../../lib/cluster/evaluate/cluster-sizes';
import { describeClusterSizes } from '../../../lib/cluster/evaluate/cluster-sizes';

const blobs = (perBlob: number, seed: number) => blobDistances(perBlob, seed, 'float64');

test('the sweeps table puts two sweeps side by side per k: score to 4 decimals, largest share, sizes described', () => {
  const d = blobs(20, 2);
  const sweep = silhouetteSweep(d, { ...trainTestSplit(d.size, { seed: 2 }), kMin: 2, kMax: 4 });
  const table = sweepsTable([
    { name: 'a', steps: sweep.steps },
    { name: 'b', steps: sweep.steps },
  ]);
  assert.deepEqual(
    table.map((row) => row.clusters),
    [2, 3, 4],
  );
  assert.deepEqual(Object.keys(table[0]), [
    'clusters',
    'a: test silhouette',
    'a: largest cluster (%)',
    'a: training sizes',
    'b: test silhouette',
    'b: largest cluster (%)',
    'b: training sizes',
  ]);
  sweep.steps.forEach((step, i) => {
    assert.equal(table[i]['b: test silhouette'], Number(step.score.toFixed(4)));
    assert.equal(table[i]['a: training sizes'], describeClusterSizes(step.trainSizes));
  });
  // worked by hand: sizes 60 and 20 of 80 training rows, the largest is 75 %
  assert.equal(
    sweepsTable([{ name: 'x', steps: [{ k: 2, score: 0.31234, trainSizes: [60, 20] }] }])[0]['x: largest cluster (%)'],
    75,
  );
  assert.throws(
    () =>
      sweepsTable([
        { name: 'a', steps: sweep.steps },
        { name: 'b', steps: sweep.steps.slice(1) },
      ]),
    /same numbers of clusters; b differs from a/,
  );
});

test('scoring steps: a step whose test rows fill 2..m−1 clusters gets their silhouette, the others NaN, the best k wins', () => {
  // Rows 0..9, 10..19, 20..29 are three blobs; the test block takes rows 0–2, 10–12 and 20–22.
  const d = blobs(10, 4);
  const test = [0, 1, 2, 10, 11, 12, 20, 21, 22];
  const step = (k: number, testLabels: number[]) => ({
    k,
    score: NaN,
    testLabels: Int32Array.from(testLabels),
    testSizes: clusterSizes(testLabels, k),
  });
  const steps = [
    step(2, [0, 0, 0, 0, 0, 0, 0, 0, 0]), // one cluster present: no silhouette
    step(3, [0, 0, 0, 1, 1, 1, 2, 2, 2]), // the blobs
    step(4, [0, 0, 0, 1, 1, 1, 2, 2, 3]),
    step(9, [0, 1, 2, 3, 4, 5, 6, 7, 8]), // every row alone: m clusters, no silhouette
  ];
  assert.equal(scoreSweepSteps(d, test, steps), 3);
  assert.ok(Number.isNaN(steps[0].score));
  assert.ok(Number.isNaN(steps[3].score));
  for (const i of [1, 2]) assert.equal(steps[i].score, silhouetteScore(d.subset(test), steps[i].testLabels));
  assert.ok(steps[1].score > steps[2].score);
  // No step scorable: no best k.
  assert.ok(Number.isNaN(scoreSweepSteps(d, test, [step(2, [0, 0, 0, 0, 0, 0, 0, 0, 0])])));
});
