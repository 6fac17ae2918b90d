import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterSizes, clusterSizeSummary, describeClusterSizes } from '../../../lib/cluster/evaluate/cluster-sizes';
import { seededRandom } from '../../../lib/random';

test('eight rows in clusters of 5, 2 and 1: sizes largest first, share 5/8, smallest 1, 3 clusters', () => {
  const summary = clusterSizeSummary([2, 0, 0, 1, 0, 0, 2, 0]);
  assert.deepEqual(summary, {
    sizes: [5, 2, 1],
    labels: [0, 2, 1],
    largestShare: 0.625,
    smallest: 1,
    count: 3,
    text: '5, 2, 1',
  });
});

test('one cluster: share 1, and the smallest is the largest', () => {
  const summary = clusterSizeSummary(new Int32Array(4));
  assert.equal(summary.largestShare, 1);
  assert.equal(summary.smallest, 4);
  assert.equal(summary.count, 1);
});

test('string labels (genres) count like numbers; equal sizes keep label order', () => {
  const summary = clusterSizeSummary(['Pop', 'Jazz', 'Pop', 'Jazz', 'Folk']);
  assert.deepEqual(summary.sizes, [2, 2, 1]);
  assert.deepEqual(summary.labels, ['Jazz', 'Pop', 'Folk']);
  assert.equal(summary.largestShare, 0.4);
});

test('describeClusterSizes lists up to six sizes, else the five largest, an ellipsis and the smallest', () => {
  assert.equal(describeClusterSizes([3, 9, 1]), '9, 3, 1');
  assert.equal(describeClusterSizes([1, 2, 3, 4, 5, 6]), '6, 5, 4, 3, 2, 1');
  assert.equal(describeClusterSizes([1, 2, 3, 4, 5, 6, 70]), '70, 6, 5, 4, 3, … 1');
  assert.equal(describeClusterSizes(new Int32Array([9972, 28])), '9972, 28');
});

test('property: the sizes add up to the rows and the share is the largest size over the rows', () => {
  const random = seededRandom(2);
  for (let trial = 0; trial < 10; trial++) {
    const labels = Array.from({ length: 500 }, () => Math.floor(random() * random() * 12));
    const s = clusterSizeSummary(labels);
    assert.equal(
      s.sizes.reduce((a, b) => a + b, 0),
      500,
    );
    assert.equal(s.largestShare, Math.max(...s.sizes) / 500);
    assert.equal(s.smallest, Math.min(...s.sizes));
    assert.equal(s.count, new Set(labels).size);
    for (let c = 1; c < s.sizes.length; c++) assert.ok(s.sizes[c] <= s.sizes[c - 1]);
  }
});

test('bad input is refused with a sentence', () => {
  assert.throws(() => clusterSizeSummary([]), /needs at least one label; the labelling given is empty/);
  assert.throws(() => clusterSizeSummary([0, NaN]), /Label 1 is NaN; labels must be finite numbers or strings/);
});

test('cluster sizes count each label', () => {
  assert.deepEqual(Array.from(clusterSizes([0, 1, 1, 2, 1])), [1, 3, 1]);
  assert.deepEqual(Array.from(clusterSizes([0, 0], 3)), [2, 0, 0]);
  assert.throws(() => clusterSizes([0, -1]), /Label 1 is -1/);
});
