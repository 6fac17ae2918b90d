import test from 'node:test';
import assert from 'node:assert/strict';
import {
  degenerateSizes,
  degenerateSplit,
  methodVerdict,
  summariseClustering,
} from '../../../lib/cluster/evaluate/compare';

const row = (method: string, fields: Partial<ReturnType<typeof summariseClustering>>) => ({
  method,
  k: 4,
  silhouette: 0.1,
  largestShare: 0.3,
  smallest: 500,
  nmi: 0.3,
  stability: 0.7,
  rows: 10000,
  ...fields,
});

test('a summary row counts clusters, the largest share and the smallest cluster from the labels', () => {
  // sizes 3, 1 of 4 rows: largest share 0.75, smallest 1
  const summary = summariseClustering('m', [0, 0, 1, 0], { silhouette: 0.2, nmi: 0.5, stability: 0.8 });
  assert.deepEqual(summary, {
    method: 'm',
    k: 2,
    silhouette: 0.2,
    largestShare: 0.75,
    smallest: 1,
    nmi: 0.5,
    stability: 0.8,
    rows: 4,
  });
  assert.throws(() => summariseClustering('m', [], { silhouette: 0, nmi: 0, stability: 0 }), /has no rows/);
});

test('one blob holding 99.96 % of the tracks is named as degenerate; a balanced split is not', () => {
  assert.match(
    degenerateSplit(row('average linkage', { largestShare: 0.9996, smallest: 4 })) ?? '',
    /99\.96 % of the tracks in one cluster/,
  );
  assert.match(degenerateSplit(row('k-medoids', { smallest: 20 })) ?? '', /only 20 tracks \(under 1 %/);
  assert.equal(degenerateSplit(row('k-medoids', {})), null);
});

test('the method better on most measures is the one to trust', () => {
  const medoids = row('k-medoids', { silhouette: 0.176, largestShare: 0.28, nmi: 0.5, stability: 0.8 });
  const linkage = row('average linkage', { silhouette: 0.05, largestShare: 0.6, nmi: 0.1, stability: 0.9 });
  const verdict = methodVerdict(medoids, linkage);
  assert.match(verdict, /k-medoids is better on 3 of 4 measures, average linkage on 1/);
  assert.match(verdict, /Trust k-medoids here\.$/);
});

test('a one-blob clustering cannot win on its silhouette', () => {
  const medoids = row('k-medoids', { silhouette: 0.14, largestShare: 0.56, nmi: 0.5, stability: 0.6 });
  const linkage = row('average linkage', {
    silhouette: 0.3,
    largestShare: 0.9996,
    smallest: 4,
    nmi: 0.001,
    stability: 0.99,
  });
  const verdict = methodVerdict(linkage, medoids);
  assert.match(verdict, /99\.96 % of the tracks in one cluster/);
  assert.match(verdict, /Trust k-medoids here\.$/);
});

test('a tie says neither is clearly better', () => {
  const a = row('a', { silhouette: 0.2, largestShare: 0.4 });
  const b = row('b', { silhouette: 0.1, largestShare: 0.3 });
  assert.match(methodVerdict(a, b), /Neither method is clearly better/);
});

test('cluster sizes are judged by the same rule as a comparison row: crumbs under 1 %, a blob over 90 %', () => {
  // 990 + 6 + 4 = 1,000 rows: 4 < 1 % of 1,000 = 10, and 990 / 1,000 = 99 % > 90 %: the blob is named first
  assert.match(degenerateSizes('k-medoids', [990, 6, 4]) ?? '', /^k-medoids puts 99 % of the tracks in one cluster/);
  // 600 + 396 + 4: no blob, one crumb of 4 tracks
  assert.equal(
    degenerateSizes('average linkage', [600, 396, 4]),
    "average linkage's smallest cluster holds only 4 tracks (under 1 % of 1,000): a degenerate split.",
  );
  assert.equal(degenerateSizes('k-medoids', [500, 490, 10]), null); // 10 is exactly 1 %: not under it
  assert.throws(() => degenerateSizes('k-medoids', []), /has no rows/);
});
