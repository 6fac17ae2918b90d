import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizedMutualInfo, ClusterLabel } from '../../../lib/cluster/evaluate/mutual-information';
import { seededRandom } from '../../../lib/random';
import { readFixture, assertClose } from '../../helpers';

// Made by test/reference/mutual_information_fixtures.py: scikit-learn's
// normalized_mutual_info_score (average_method='arithmetic') on the stored labels.
const fixture: { cases: { name: string; a: ClusterLabel[]; b: ClusterLabel[]; nmi: number }[] } =
  readFixture('mutual_information.json');

test('moving one row of two pairs gives MI / mean entropy = 0.2158 / 0.6277, worked by hand', () => {
  // Cells (0,0) = 2, (1,0) = 1, (1,1) = 1 of n = 4; row sizes 2, 2; column sizes 3, 1.
  const mi =
    0.5 * Math.log((4 * 2) / (2 * 3)) + 0.25 * Math.log((4 * 1) / (2 * 3)) + 0.25 * Math.log((4 * 1) / (2 * 1));
  const hA = Math.log(2);
  const hB = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
  assertClose(normalizedMutualInfo([0, 0, 1, 1], [0, 0, 0, 1]), mi / ((hA + hB) / 2), 1e-15, 'NMI');
  assertClose(mi / ((hA + hB) / 2), 0.3437110184854508, 1e-15, 'the hand value against scikit-learn');
});

test('the same partition under other names scores 1, independent halves score 0', () => {
  assert.equal(normalizedMutualInfo([0, 0, 1, 1], ['b', 'b', 'a', 'a']), 1);
  assert.equal(normalizedMutualInfo([0, 0, 1, 1], [0, 1, 0, 1]), 0);
});

test('limit cases follow scikit-learn: both single clusters 1, one single cluster 0, empty 1', () => {
  assert.equal(normalizedMutualInfo([], []), 1);
  assert.equal(normalizedMutualInfo([5, 5, 5], ['x', 'x', 'x']), 1);
  assert.equal(normalizedMutualInfo([7], [8]), 1);
  assert.equal(normalizedMutualInfo([1, 1, 1, 1], [0, 0, 1, 1]), 0);
  assert.equal(normalizedMutualInfo([0, 0, 1, 1], [1, 1, 1, 1]), 0);
});

test('equals scikit-learn normalized_mutual_info_score within 1e-12 on every fixture case', () => {
  assert.ok(fixture.cases.length >= 15);
  for (const c of fixture.cases) assertClose(normalizedMutualInfo(c.a, c.b), c.nmi, 1e-12, c.name);
});

test('numbers and strings are different labels: 1 and "1" do not match', () => {
  // As two labels, 1 and '1' split the first labelling into two clusters that match the second.
  assert.equal(normalizedMutualInfo([1, 1, '1', '1'], [0, 0, 1, 1]), 1);
});

test('property: symmetric, blind to renaming, and in [0, 1] on random labellings', () => {
  const random = seededRandom(3);
  for (let trial = 0; trial < 20; trial++) {
    const n = 50 + Math.floor(random() * 200);
    const a = Array.from({ length: n }, () => Math.floor(random() * (2 + (trial % 7))));
    const b = a.map((x) => (random() < 0.4 ? Math.floor(random() * 9) : x));
    const nmi = normalizedMutualInfo(a, b);
    assert.ok(nmi >= 0 && nmi <= 1, `trial ${trial}: ${nmi}`);
    assertClose(normalizedMutualInfo(b, a), nmi, 1e-14, `trial ${trial} symmetric`);
    assertClose(
      normalizedMutualInfo(
        a.map((x) => `cluster ${9 - x}`),
        b,
      ),
      nmi,
      1e-14,
      `trial ${trial} renamed`,
    );
  }
});

test('the inputs are not modified', () => {
  const a = Object.freeze([0, 0, 1, 2]);
  const b = Object.freeze(['x', 'y', 'y', 'y']);
  assert.doesNotThrow(() => normalizedMutualInfo(a, b));
});

test('bad input is refused with a sentence', () => {
  assert.throws(() => normalizedMutualInfo([0, 1], [0]), {
    message: 'Both labellings must label the same items, but one has 2 labels and the other 1.',
  });
  assert.throws(
    () => normalizedMutualInfo([0, NaN], [0, 1]),
    /Label 1 of the first labelling is NaN; labels must be finite numbers or strings/,
  );
  assert.throws(
    () => normalizedMutualInfo([0, 1], [0, null as unknown as number]),
    /Label 1 of the second labelling is null/,
  );
});
