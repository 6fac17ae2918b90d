import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterRules, formatThreshold, rulesTable, RuleNode } from '../../../lib/cluster/describe/rules';
import { readFixture } from '../../helpers';

/** What test/reference/rules_fixtures.py wrote: scikit-learn's depth-3 Gini trees on 1,500 tracks. */
interface SklearnNode {
  feature: string | null;
  threshold: number | null;
  left: number;
  right: number;
  size: number;
  counts: number[];
}
const fixture: {
  depth: number;
  features: Record<string, (number | string)[]>;
  encodedColumns: string[];
  cases: { name: string; labels: number[]; fidelity: number; predictions: number[]; tree: SklearnNode[] }[];
} = readFixture('rules.json');

test('a one-split tree, worked by hand: the midpoint between the two groups, fidelity 1', () => {
  const rules = clusterRules({ energy: [0.1, 0.2, 0.3, 0.8, 0.9] }, [0, 0, 0, 1, 1], { maxDepth: 1 });
  assert.equal(rules.tree.kind, 'split');
  const root = rules.tree as Extract<RuleNode, { kind: 'split' }>;
  assert.equal(root.threshold, (0.3 + 0.8) / 2);
  assert.equal(rules.fidelity, 1);
  assert.equal(rules.depth, 1);
  assert.deepEqual(
    rules.rules.map((r) => r.condition),
    ['energy ≤ 0.55', 'energy > 0.55'],
  );
  assert.deepEqual(Array.from(rules.predictions), [0, 0, 0, 1, 1]);
  assert.equal(
    rules.rules[1].text,
    "cluster 1: energy > 0.55 → 100 % of the 2 tracks the rule covers are in cluster 1; it finds 100 % of the cluster's 2 tracks.",
  );
});

test('the split with the lowest weighted Gini wins; of equal ones, the first (smallest threshold)', () => {
  // Labels in the order of a = 1..6: 0 0 1 0 1 1. Weighted Gini of the children after each value:
  // after 1: 5/6 · 0.48 = 0.40; after 2: 4/6 · 0.375 = 0.25; after 3: 4/9 = 0.44;
  // after 4: 4/6 · 0.375 = 0.25; after 5: 0.40. Two best, 2.5 and 4.5: the first is kept.
  const rules = clusterRules({ a: [1, 2, 3, 4, 5, 6] }, [0, 0, 1, 0, 1, 1], { maxDepth: 1 });
  const root = rules.tree as Extract<RuleNode, { kind: 'split' }>;
  assert.equal(root.threshold, 2.5);
  // left {0, 0} → 0; right {1, 0, 1, 1} → 1: five of six right
  assert.equal(rules.correct, 5);
  assert.equal(rules.fidelity, 5 / 6);
  assert.equal(rules.rules[1].precision, 0.75);
  assert.equal(rules.rules[1].recall, 1);
  assert.equal(rules.rules[0].recall, 2 / 3);
});

test('a categorical feature splits one value against the rest, and beats a noisy number', () => {
  const features = { genre: ['Pop', 'Pop', 'Rock', 'Rock', 'Jazz', 'Jazz'], tempo: [5, 1, 4, 2, 6, 3] };
  const rules = clusterRules(features, [0, 0, 1, 1, 1, 1], { maxDepth: 1, names: ['Pop', 'Not pop'] });
  assert.deepEqual(
    rules.columns.map((c) => c.name),
    ['genre = Jazz', 'genre = Pop', 'genre = Rock', 'tempo'],
  );
  assert.equal(rules.fidelity, 1);
  assert.deepEqual(
    rules.rules.map((r) => r.condition),
    ['genre = Pop', 'genre ≠ Pop'],
  );
  assert.match(rules.rules[0].text, /^cluster 0 \(Pop\): genre = Pop → 100 % of the 2 tracks/);
});

test('conditions on one feature are merged along the path: a range, and "in (…)" for what is left', () => {
  const numeric = clusterRules({ energy: [0.1, 0.2, 0.5, 0.6, 0.9, 1.0] }, [0, 0, 1, 1, 2, 2], { maxDepth: 2 });
  assert.deepEqual(
    numeric.rules.map((r) => r.condition),
    ['energy ≤ 0.35', '0.35 < energy ≤ 0.75', 'energy > 0.75'],
  );
  // A, B, C each split off in turn (each leaves the lowest weighted Gini, A first by column order).
  const genre = ['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'E', 'E'];
  const categorical = clusterRules({ genre }, [0, 0, 1, 1, 2, 2, 3, 3, 3, 3]);
  assert.equal(categorical.fidelity, 1);
  assert.equal(categorical.depth, 3);
  assert.deepEqual(
    categorical.rules.map((r) => r.condition),
    ['genre = A', 'genre = B', 'genre = C', 'genre in (D, E)'],
  );
  const two = clusterRules({ mode: ['Major', 'Minor', 'Major', 'Minor'] }, [0, 1, 0, 1]);
  assert.deepEqual(
    two.rules.map((r) => r.condition),
    ['mode = Major', 'mode = Minor'],
  );
});

test('a cluster no leaf predicts says so; a cluster with several leaves joins them with "or"', () => {
  // Split at 3.5 (tied with 4.5, first kept): left {0,0,0}, right {1,2,2,2}: cluster 1 has no leaf.
  const rules = clusterRules({ x: [1, 2, 3, 4, 5, 6, 7] }, [0, 0, 0, 1, 2, 2, 2], { maxDepth: 1 });
  assert.equal(rules.rules[1].leaves.length, 0);
  assert.equal(rules.rules[1].condition, '');
  assert.match(rules.rules[1].text, /^cluster 1: no rule; no leaf of the depth-1 tree predicts it, so its 1 tracks/);
  assert.equal(rules.rules[2].precision, 0.75);
  assert.equal(rules.fidelity, 6 / 7);
  assert.deepEqual(rulesTable(rules)[1], {
    cluster: 1,
    name: '',
    rule: '(no leaf predicts this cluster)',
    tracks: 1,
    covered: 0,
    'precision (%)': null,
    'recall (%)': 100 * 0,
  });
  // 0 at both ends, 1 in the middle: depth 2 gives cluster 0 two leaves.
  const both = clusterRules({ x: [1, 2, 3, 4, 5, 6] }, [0, 0, 1, 1, 0, 0], { maxDepth: 2 });
  assert.equal(both.fidelity, 1);
  assert.equal(both.rules[0].leaves.length, 2);
  assert.equal(both.rules[0].condition, '(x ≤ 2.5) or (x > 4.5)');
  assert.equal(rulesTable(both)[0]['precision (%)'], 100);
});

test('a pure sample is one leaf that covers every track; an empty cluster has no rule', () => {
  const rules = clusterRules({ x: [1, 2, 3] }, [1, 1, 1], { k: 3 });
  assert.equal(rules.depth, 0);
  assert.equal(rules.rules[1].condition, 'every track');
  assert.equal(rules.rules[0].text, 'cluster 0: no tracks, so no rule.');
  assert.match(rules.summary, /^A tree of depth 0 with 1 leaf puts 100\.0 % of the 3 tracks/);
});

test('thresholds are shown with three significant digits, or whole from 1,000 up', () => {
  assert.equal(formatThreshold(0.71234), '0.712');
  assert.equal(formatThreshold(-7.5449), '-7.54');
  assert.equal(formatThreshold(231499.5), '231,500');
});

test('bad input is refused with a sentence', () => {
  const features = { x: [1, 2, 3] };
  assert.throws(() => clusterRules(features, [0, 1]), /There are 2 labels for 3 tracks; give one label per track\./);
  assert.throws(() => clusterRules(features, [0, 1.5, 0]), /Track 1 has the cluster label 1\.5/);
  assert.throws(() => clusterRules(features, [0, 1, 2], { k: 2 }), /from 0 to 1/);
  assert.throws(() => clusterRules(features, [0, 1, 0], { maxDepth: 4 }), /must be 1, 2 or 3/);
  assert.throws(() => clusterRules(features, [0, 1, 0], { names: ['a'] }), /There are 1 names for 2 clusters/);
  assert.throws(() => clusterRules(features, [0, 1, 0], { categorical: ['genre'] }), /'genre' is not a column/);
  assert.throws(() => clusterRules({ x: [1, NaN, 3] }, [0, 1, 0]), /'x' holds NaN in row 1/);
  assert.throws(() => clusterRules({ x: [] }, []), /no tracks to describe/);
  assert.throws(() => clusterRules({ g: ['a', null, 'b'] }, [0, 1, 0]), /'g' has no value in row 1/);
  const ids = Array.from({ length: 101 }, (_, i) => `id${i}`);
  assert.throws(
    () =>
      clusterRules(
        { track_id: ids },
        ids.map((_, i) => i % 2),
      ),
    /'track_id' has 101 distinct values/,
  );
});

test('the fidelity is within 2 points of scikit-learn DecisionTreeClassifier(max_depth=3, gini) on the fixtures', () => {
  for (const c of fixture.cases) {
    const ours = clusterRules(fixture.features, c.labels, { maxDepth: fixture.depth });
    assert.deepEqual(
      ours.columns.map((col) => col.name),
      fixture.encodedColumns,
      'the same one-vs-rest encoding as the reference',
    );
    const gap = Math.abs(ours.fidelity - c.fidelity);
    assert.ok(gap <= 0.02, `${c.name}: fidelity ${ours.fidelity} against scikit-learn's ${c.fidelity}`);
    // The root split is never a tie on these data: the same feature and the same threshold.
    const root = ours.tree as Extract<RuleNode, { kind: 'split' }>;
    assert.equal(ours.columns[root.column].name, c.tree[0].feature, `${c.name}: root feature`);
    assert.ok(Math.abs(root.threshold - c.tree[0].threshold!) < 1e-6, `${c.name}: root threshold`);
  }
});
