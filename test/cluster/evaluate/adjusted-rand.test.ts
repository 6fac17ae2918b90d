import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adjustedRandIndex, contingencyTable } from '../../../lib/cluster/evaluate/adjusted-rand';
import type { ClusterLabel } from '../../../lib/cluster/evaluate/mutual-information';
import { seededRandom } from '../../../lib/random';
import { readFixture, assertClose } from '../../helpers';

// Made by test/reference/adjusted_rand_fixtures.py: scikit-learn's adjusted_rand_score and
// contingency_matrix (rows and columns in sorted label order) on the stored labels.
const fixture: {
  versions: Record<string, string>;
  cases: {
    name: string;
    a: ClusterLabel[];
    b: ClusterLabel[];
    ari: number;
    rows?: ClusterLabel[];
    columns?: ClusterLabel[];
    counts?: number[][];
  }[];
} = readFixture('adjusted_rand.json');

test('moving one row of two pairs gives ARI 0, worked by hand from the pair counts', () => {
  // a = [0,0,1,1], b = [0,0,0,1]. Unordered pairs: together in both {01}; in b only {02, 12};
  // in a only {23}; apart in both {03, 13}. Rand index = 3/6; its expectation under chance, from
  // the 2 pairs together in a and the 3 in b among 6: 2·3/6 = 1 pair together in both, so
  // 1 + (6 − 2 − 3 + 1) = 3 agreements expected: ARI = (3 − 3) / (6 − 3) = 0.
  assert.equal(adjustedRandIndex([0, 0, 1, 1], [0, 0, 0, 1]), 0);
});

test('crossed halves score −0.5 and one split cluster 4/7, as scikit-learn documents', () => {
  assert.equal(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]), -0.5);
  assertClose(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]), 4 / 7, 1e-15, 'split');
});

test('the same partition under other names scores exactly 1, with the limit cases scikit-learn special-cases', () => {
  assert.equal(adjustedRandIndex([0, 0, 1, 1], ['b', 'b', 'a', 'a']), 1);
  assert.equal(adjustedRandIndex([], []), 1);
  assert.equal(adjustedRandIndex([7], ['x']), 1);
  assert.equal(adjustedRandIndex([5, 5, 5], [3, 3, 3]), 1);
  assert.equal(adjustedRandIndex([1, 1, 1, 1], [0, 0, 1, 1]), 0);
});

test('equals scikit-learn adjusted_rand_score within 1e-12 on every fixture case', () => {
  assert.equal(fixture.versions['scikit-learn'], '1.9.1');
  assert.ok(fixture.cases.length >= 15);
  for (const c of fixture.cases) assertClose(adjustedRandIndex(c.a, c.b), c.ari, 1e-12, c.name);
});

test("the contingency table holds scikit-learn's contingency_matrix, in order of first appearance", () => {
  const sorted = (labels: ClusterLabel[]) =>
    [...labels].sort((x, y) =>
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : 1,
    );
  let checked = 0;
  for (const c of fixture.cases) {
    if (c.counts === undefined) continue;
    const table = contingencyTable(c.a, c.b);
    assert.deepEqual(sorted(table.rows), c.rows, c.name);
    assert.deepEqual(sorted(table.columns), c.columns, c.name);
    c.rows!.forEach((row, i) =>
      c.columns!.forEach((column, j) =>
        assert.equal(table.counts[table.rows.indexOf(row)][table.columns.indexOf(column)], c.counts![i][j], c.name),
      ),
    );
    checked++;
  }
  assert.ok(checked >= 10);
  assert.deepEqual(contingencyTable([0, 0, 1, 1], ['x', 'y', 'y', 'y']), {
    rows: [0, 1],
    columns: ['x', 'y'],
    counts: [
      [1, 1],
      [0, 2],
    ],
  });
});

test('bad input is refused with a sentence: labellings of different lengths, a label that is not a number or string', () => {
  assert.throws(
    () => adjustedRandIndex([0, 1], [0]),
    /^Error: Both labellings must label the same items, but one has 2 labels and the other 1\.$/,
  );
  assert.throws(
    () => adjustedRandIndex([0, NaN], [0, 1]),
    /Label 1 of the first labelling is NaN; labels must be finite/,
  );
  assert.throws(() => contingencyTable([0, 1], [0, null as never]), /Label 1 of the second labelling is null/);
});

test('property: symmetric, blind to renaming, at most 1, on random labellings (inputs not changed)', () => {
  const random = seededRandom(5);
  for (let trial = 0; trial < 20; trial++) {
    const n = 30 + Math.floor(random() * 300);
    const a = Object.freeze(Array.from({ length: n }, () => Math.floor(random() * (2 + (trial % 9)))));
    const b = Object.freeze(a.map((x) => (random() < 0.3 ? Math.floor(random() * 6) : x)));
    const ari = adjustedRandIndex(a, b);
    assert.ok(ari <= 1 && ari > -1, `trial ${trial}: ${ari}`);
    assertClose(adjustedRandIndex(b, a), ari, 1e-14, `trial ${trial} symmetric`);
    assertClose(
      adjustedRandIndex(
        a.map((x) => `cluster ${9 - x}`),
        b,
      ),
      ari,
      1e-14,
      `trial ${trial} renamed`,
    );
  }
});
