import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Progress, tsneProgressCallback } from '../../lib/notebook/progress';
import { TsneProgress } from '../../lib/embed/tsne';

function recorder(): { progress: Progress; updates: { fraction: number; detail: string }[] } {
  const updates: { fraction: number; detail: string }[] = [];
  const update = (done: number, total: number, detail = ''): void => {
    updates.push({ fraction: done / total, detail });
  };
  return { progress: { update, finish: () => undefined, callback: update }, updates };
}

test('t-SNE progress moves the bar from the start: neighbours to 10%, affinities to 15%, iterations to 100%', () => {
  const { progress, updates } = recorder();
  const report = tsneProgressCallback(progress);
  const reports: TsneProgress[] = [
    { phase: 'neighbours', iteration: 0, iterations: 1000, done: 0, total: 4950 },
    { phase: 'neighbours', iteration: 0, iterations: 1000, done: 4950, total: 4950 },
    { phase: 'affinities', iteration: 0, iterations: 1000, done: 50, total: 100 },
    { phase: 'exaggeration', iteration: 1, iterations: 1000 },
    { phase: 'exaggeration', iteration: 50, iterations: 1000, kl: 3.14159 },
    { phase: 'exaggeration', iteration: 51, iterations: 1000 },
    { phase: 'embedding', iteration: 1000, iterations: 1000, kl: 1.2 },
  ];
  reports.forEach(report);
  assert.deepEqual(
    updates.map((u) => Number(u.fraction.toFixed(6))),
    [0, 0.1, 0.125, 0.15085, 0.1925, 0.19335, 1],
  );
  assert.deepEqual(
    updates.map((u) => u.detail),
    [
      'nearest neighbours 0%',
      'nearest neighbours 100%',
      'affinities 50%',
      'exaggeration · iteration 1 of 1000',
      'exaggeration · iteration 50 of 1000 · KL 3.142',
      'exaggeration · iteration 51 of 1000 · KL 3.142',
      'embedding · iteration 1000 of 1000 · KL 1.200',
    ],
  );
});
