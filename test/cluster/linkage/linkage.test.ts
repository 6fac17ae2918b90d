import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agnes, Cluster } from 'ml-hclust';
import { DistanceMatrix } from '../../../lib/matrix/distance-matrix';
import { gowerMatrix, Row } from '../../../lib/distance/gower';
import { averageLinkage, Dendrogram } from '../../../lib/cluster/linkage/linkage';
import { seededRandom, shuffledIndices } from '../../../lib/random';
import { readFixture, assertCloseRelative, condensedFromBase64 } from '../../helpers';

// Made by test/reference/gower_fixtures.py: scipy linkage(method='average') and
// fcluster(Z, k, 'maxclust') on the Python gower package's Float32 matrix of 200 generated tracks.
const fixture: {
  rows: Row[];
  categorical: string[];
  condensed_float32_base64: string;
  linkage: number[][];
  fcluster_maxclust: Record<string, number[]>;
  ties: { condensed: number[]; linkage: number[][] };
} = readFixture('linkage_average.json');

function fixtureMatrix(): DistanceMatrix {
  return condensedFromBase64(fixture.condensed_float32_base64, fixture.rows.length);
}

/** Labels renamed in order of first appearance, so equal partitions give equal arrays. */
function canonical(labels: ArrayLike<number>): number[] {
  const names = new Map<number, number>();
  return Array.from(labels, (label) => {
    if (!names.has(label)) names.set(label, names.size);
    return names.get(label)!;
  });
}

function points(n: number, dims: number, seed: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => Array.from({ length: dims }, () => random()));
}

function euclideanSquare(xs: number[][]): number[][] {
  return xs.map((a) => xs.map((b) => Math.hypot(...a.map((v, d) => v - b[d]))));
}

test('three rows worked by hand: merge the closest pair, then average', () => {
  // d(0,1) = 1 merges first; then d({0,1}, 2) = (4 + 2) / 2 = 3.
  const tree = averageLinkage(
    DistanceMatrix.fromSquare([
      [0, 1, 4],
      [1, 0, 2],
      [4, 2, 0],
    ]),
  );
  assert.deepEqual(tree.linkageMatrix(), [
    [0, 1, 1, 2],
    [2, 3, 3, 3],
  ]);
  assert.deepEqual(Array.from(tree.heights), [1, 3]);
  assert.deepEqual(Array.from(tree.cut(2)), [0, 0, 1]);
});

test('five points on a line worked by hand', () => {
  // Points 0, 1, 3, 7, 15. Merges: {0,1} at 1; {0,1}+3 at (3 + 2)/2 = 2.5;
  // {0,1,3}+7 at (7 + 6 + 4)/3 = 17/3; everything at (15 + 14 + 12 + 8)/4 = 12.25.
  const xs = [0, 1, 3, 7, 15];
  const tree = averageLinkage(
    DistanceMatrix.fromSquare(
      xs.map((a) => xs.map((b) => Math.abs(a - b))),
      'float64',
    ),
  );
  const z = tree.linkageMatrix();
  assert.deepEqual(
    z.map((row) => [row[0], row[1], row[3]]),
    [
      [0, 1, 2],
      [2, 5, 3],
      [3, 6, 4],
      [4, 7, 5],
    ],
  );
  [1, 2.5, 17 / 3, 12.25].forEach((h, m) => assertCloseRelative(tree.heights[m], h, 1e-15, `height ${m}`));
  assert.deepEqual(Array.from(tree.cut(1)), [0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(tree.cut(2)), [0, 0, 0, 0, 1]);
  assert.deepEqual(Array.from(tree.cut(3)), [0, 0, 0, 1, 2]);
  assert.deepEqual(Array.from(tree.cut(4)), [0, 0, 1, 2, 3]);
  assert.deepEqual(Array.from(tree.cut(5)), [0, 1, 2, 3, 4]);
});

test('equals scipy linkage(method="average") on 200 Gower-distanced tracks: nodes exactly, heights within 1e-6 relative', () => {
  const tree = averageLinkage(fixtureMatrix());
  const z = tree.linkageMatrix();
  assert.equal(z.length, fixture.linkage.length);
  fixture.linkage.forEach((expected, m) => {
    assert.deepEqual([z[m][0], z[m][1], z[m][3]], [expected[0], expected[1], expected[3]], `merge ${m}`);
    assertCloseRelative(z[m][2], expected[2], 1e-6, `height ${m}`);
  });
});

test("with many tied distances the merges are still scipy's, node for node (same tie-breaking)", () => {
  const n = 40;
  const tree = averageLinkage(new DistanceMatrix(n, Float64Array.from(fixture.ties.condensed)));
  const z = tree.linkageMatrix();
  fixture.ties.linkage.forEach((expected, m) => {
    assert.deepEqual([z[m][0], z[m][1], z[m][3]], [expected[0], expected[1], expected[3]], `merge ${m}`);
    assert.ok(Math.abs(z[m][2] - expected[2]) <= 1e-12, `height ${m}: ${z[m][2]} vs ${expected[2]}`);
  });
});

test('cut(k) gives scipy fcluster(maxclust) partitions for every k from 2 to 14', () => {
  const tree = averageLinkage(fixtureMatrix());
  for (let k = 2; k <= 14; k++) {
    const labels = tree.cut(k);
    assert.deepEqual(canonical(labels), canonical(fixture.fcluster_maxclust[String(k)]), `k = ${k}`);
    assert.equal(new Set(labels).size, k);
  }
});

test('the tree on our own Gower matrix of the same tracks gives the same partitions as scipy', () => {
  const tree = averageLinkage(gowerMatrix(fixture.rows, { categorical: fixture.categorical }));
  fixture.linkage.forEach((expected, m) => assertCloseRelative(tree.heights[m], expected[2], 1e-6, `height ${m}`));
  for (let k = 2; k <= 14; k++) {
    assert.deepEqual(canonical(tree.cut(k)), canonical(fixture.fcluster_maxclust[String(k)]), `k = ${k}`);
  }
});

/** Heights of the internal nodes and the k-group partition of an ml-hclust tree. */
function fromAgnes(root: Cluster, n: number, k: number): { heights: number[]; labels: number[] } {
  const heights: number[] = [];
  root.traverse((node) => {
    if (!node.isLeaf) heights.push(node.height);
  });
  const labels = new Array<number>(n).fill(-1);
  root.group(k).children.forEach((group, g) => {
    for (const leaf of group.indices()) labels[leaf] = g;
  });
  return { heights: heights.sort((a, b) => a - b), labels };
}

test('cross-check: equals ml-hclust agnes (method "average") on random point sets', () => {
  for (const [n, seed] of [
    [5, 1],
    [12, 2],
    [30, 3],
    [60, 4],
  ]) {
    const square = euclideanSquare(points(n, 3, seed));
    const tree = averageLinkage(DistanceMatrix.fromSquare(square, 'float64'));
    for (const k of [2, 3, Math.min(7, n)]) {
      const reference = fromAgnes(agnes(square, { method: 'average', isDistanceMatrix: true }), n, k);
      reference.heights.forEach((h, m) => assertCloseRelative(tree.heights[m], h, 1e-12, `n ${n} height ${m}`));
      assert.deepEqual(canonical(tree.cut(k)), canonical(reference.labels), `n ${n}, k ${k}`);
    }
  }
});

/** Our tree as ml-hclust's `Cluster` (what its `agnes` returns), built from the merges' left, right, heights and sizes. */
function toCluster(tree: Dendrogram): Cluster {
  const n = tree.size;
  const nodes: Cluster[] = [];
  for (let i = 0; i < n; i++) {
    const leaf = new Cluster();
    leaf.isLeaf = true;
    leaf.index = i;
    leaf.size = 1;
    leaf.height = 0;
    leaf.children = [];
    nodes.push(leaf);
  }
  for (let m = 0; m < n - 1; m++) {
    const node = new Cluster();
    node.isLeaf = false;
    node.index = -1;
    node.size = tree.sizes[m];
    node.height = tree.heights[m];
    node.children = [nodes[tree.left[m]], nodes[tree.right[m]]];
    nodes.push(node);
  }
  return nodes[nodes.length - 1];
}

test("the merges read as ml-hclust's tree: same heights, same k-groups, every row once in indices()", () => {
  const tree = averageLinkage(fixtureMatrix());
  const root = toCluster(tree);
  assert.equal(root.size, 200);
  assert.deepEqual(
    [...root.indices()].sort((a, b) => a - b),
    Array.from({ length: 200 }, (_, i) => i),
  );
  for (const k of [2, 5, 14]) {
    const reference = fromAgnes(root, 200, k);
    assert.deepEqual(reference.heights, Array.from(tree.heights));
    assert.deepEqual(canonical(reference.labels), canonical(tree.cut(k)), `k = ${k}`);
  }
});

test('property: heights ascend and every merge is as large as the sizes it joins', () => {
  const tree = averageLinkage(fixtureMatrix());
  const n = tree.size;
  const sizeOf = (node: number): number => (node < n ? 1 : tree.sizes[node - n]);
  for (let m = 0; m < n - 1; m++) {
    if (m > 0) assert.ok(tree.heights[m] >= tree.heights[m - 1]);
    assert.ok(tree.left[m] < tree.right[m] && tree.right[m] < n + m);
    assert.equal(tree.sizes[m], sizeOf(tree.left[m]) + sizeOf(tree.right[m]));
  }
  assert.equal(tree.sizes[n - 2], n);
});

test('property: cut labels are numbered by first appearance and every k gives k clusters', () => {
  const tree = averageLinkage(fixtureMatrix());
  for (const k of [1, 2, 5, 14, 100, 200]) {
    const labels = tree.cut(k);
    assert.deepEqual(Array.from(labels), canonical(labels));
    assert.equal(new Set(labels).size, k);
  }
});

test('property: cuts are nested (each cluster of k+1 lies inside one cluster of k)', () => {
  const tree = averageLinkage(fixtureMatrix());
  for (let k = 2; k < 20; k++) {
    const coarse = tree.cut(k);
    const fine = tree.cut(k + 1);
    const parent = new Map<number, number>();
    fine.forEach((label, i) => {
      if (!parent.has(label)) parent.set(label, coarse[i]);
      assert.equal(parent.get(label), coarse[i]);
    });
  }
});

test('property: shuffling the rows gives the same heights and the same partitions', () => {
  const d = fixtureMatrix();
  const order = shuffledIndices(d.size, 11);
  const tree = averageLinkage(d);
  const shuffledTree = averageLinkage(d.subset(order));
  tree.heights.forEach((h, m) => assertCloseRelative(shuffledTree.heights[m], h, 1e-12, `height ${m}`));
  for (let k = 2; k <= 14; k++) {
    const back = new Int32Array(d.size);
    shuffledTree.cut(k).forEach((label, a) => (back[order[a]] = label));
    assert.deepEqual(canonical(back), canonical(tree.cut(k)), `k = ${k}`);
  }
});

test('the input matrix is not modified', () => {
  const d = fixtureMatrix();
  const before = Float32Array.from(d.condensed);
  averageLinkage(d);
  assert.deepEqual(d.condensed, before);
});

test('one and two rows make trees of zero and one merge', () => {
  const single = averageLinkage(new DistanceMatrix(1));
  assert.equal(single.heights.length, 0);
  assert.deepEqual(Array.from(single.cut(1)), [0]);
  const pair = averageLinkage(new DistanceMatrix(2, new Float32Array([0.5])));
  assert.deepEqual(pair.linkageMatrix(), [[0, 1, 0.5, 2]]);
});

test('progress is reported up to n − 1 merges', () => {
  const calls: number[] = [];
  averageLinkage(fixtureMatrix(), { onProgress: (done, total) => calls.push(done / total) });
  assert.equal(calls[calls.length - 1], 1);
});

test('bad input is refused with a sentence', () => {
  const tree = averageLinkage(fixtureMatrix());
  assert.throws(() => tree.cut(0), /Cannot cut 200 rows into 0 clusters; k must be a whole number from 1 to 200/);
  assert.throws(() => tree.cut(2.5), /Cannot cut 200 rows into 2.5 clusters/);
  const holes = new DistanceMatrix(4, new Float32Array([0.1, 0.2, 0.3, 0.4, NaN, 0.6]));
  assert.throws(
    () => averageLinkage(holes),
    /The distance between rows 1 and 3 is NaN; average linkage needs finite distances/,
  );
  const infinite = new DistanceMatrix(3, new Float32Array([Infinity, 1, 2]));
  assert.throws(() => averageLinkage(infinite), /rows 0 and 1 is Infinity/);
  assert.throws(
    () => averageLinkage(fixtureMatrix(), { memoryLimit: 1e5 }),
    /average-linkage working copy for 200 rows needs 159.2 kB/,
  );
});
