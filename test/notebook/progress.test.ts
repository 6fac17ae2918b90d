import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Progress, tsneProgressCallback } from '../../lib/notebook/progress';

test('the t-SNE progress callback moves the bar to the iteration, with the phase and the KL to 3 decimals', () => {
  const updates: [number, number, string | undefined][] = [];
  const progress: Progress = { update: (done, total, detail) => { updates.push([done, total, detail]); }, finish: () => {}, callback: () => {} };
  const report = tsneProgressCallback(progress);
  report({ phase: 'neighbours', iteration: 0, iterations: 1000 });
  report({ phase: 'exaggeration', iteration: 50, iterations: 1000, kl: 2.71828 });
  assert.deepEqual(updates, [[0, 1000, 'neighbours'], [50, 1000, 'exaggeration · KL 2.718']]);
});
