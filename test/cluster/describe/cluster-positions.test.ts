import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClusterLayout,
  ClusterPosition,
  generateClusterPositions,
} from '../../../lib/cluster/describe/cluster-positions';
import { seededRandom } from '../../../lib/random';
import { assertClose } from '../../helpers';

const LAYOUTS: ClusterLayout[] = ['circular', 'grid', 'packed'];

/** Labels with uneven cluster sizes, some clusters empty. */
function unevenLabels(n: number, nClusters: number, seed: number, empty: number[] = []): Int32Array {
  const random = seededRandom(seed);
  const allowed = Array.from({ length: nClusters }, (_, c) => c).filter((c) => !empty.includes(c));
  return Int32Array.from({ length: n }, () => allowed[Math.floor(allowed.length * random() ** 2)]);
}

function distance(a: ClusterPosition, b: ClusterPosition): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

test('circular: four clusters at (1, 0), (0, 1), (-1, 0), (0, -1) with their sizes', () => {
  const rows = generateClusterPositions([0, 1, 1, 3], 4, 'circular');
  const expected = [
    [1, 0],
    [0, 1],
    [-1, 0],
    [0, -1],
  ];
  assert.deepEqual(
    rows.map((r) => [r.id, r.x, r.y]),
    expected.map(([x, y], i) => [i, x, y]),
  );
  assert.deepEqual(
    rows.map((r) => r.size),
    [1, 2, 0, 1],
  );
  // Neighbours are sqrt(2) apart, so the largest radius is min(0.5, sin(pi / 4)) = 0.5.
  assertClose(rows[1].radius, 0.5, 1e-12, 'largest radius');
  assertClose(rows[0].radius, 0.5 * Math.sqrt(1 / 2), 1e-12, 'radius of a size-1 cluster');
  assert.equal(rows[2].radius, 0);
});

test('grid: four clusters in a 2 x 2 grid of cells of side 1, from the top left', () => {
  const rows = generateClusterPositions([0, 1, 2, 3, 3], 4, 'grid');
  assert.deepEqual(
    rows.map((r) => [r.x, r.y]),
    [
      [-0.5, 0.5],
      [0.5, 0.5],
      [-0.5, -0.5],
      [0.5, -0.5],
    ],
  );
  assertClose(rows[3].radius, 0.5, 1e-12, 'largest radius');
});

test('packed: two equal clusters touch side by side, scaled to fit [-1, 1]', () => {
  // Radii sqrt(3) each: centres 0 and 2 sqrt(3), extent 3 sqrt(3); scaled: (0, 0), (2/3, 0), r = 1/3.
  const rows = generateClusterPositions([0, 0, 0, 1, 1, 1], 2, 'packed');
  assertClose(rows[0].x, 0, 1e-12, 'x of 0');
  assertClose(rows[1].x, 2 / 3, 1e-12, 'x of 1');
  assertClose(rows[1].y, 0, 1e-12, 'y of 1');
  assertClose(rows[0].radius, 1 / 3, 1e-12, 'radius');
});

test('a single cluster sits at (0, 0) in every layout', () => {
  for (const layout of LAYOUTS) {
    const [row] = generateClusterPositions([0, 0], 1, layout);
    assert.deepEqual([row.id, row.x, row.y, row.size], [0, 0, 0, 2], layout);
  }
});

test('every layout: one row per cluster, sizes summing to the number of points, distinct centres in [-1, 1]', () => {
  for (const layout of LAYOUTS) {
    for (const [nClusters, empty] of [
      [12, []],
      [7, [2, 5]],
      [19, [0]],
      [2, []],
    ] as [number, number[]][]) {
      const labels = unevenLabels(1000, nClusters, nClusters, empty);
      const rows = generateClusterPositions(labels, nClusters, layout);
      const what = `${layout}, ${nClusters} clusters`;
      assert.deepEqual(
        rows.map((r) => r.id),
        Array.from({ length: nClusters }, (_, i) => i),
        what,
      );
      assert.equal(
        rows.reduce((sum, r) => sum + r.size, 0),
        1000,
        what,
      );
      empty.forEach((c) => assert.deepEqual([rows[c].size, rows[c].radius], [0, 0], what));
      for (const row of rows) {
        assert.ok(Math.abs(row.x) <= 1 + 1e-12 && Math.abs(row.y) <= 1 + 1e-12, `${what}: centre of ${row.id}`);
        assert.ok(row.radius >= 0, what);
      }
      for (let a = 0; a < nClusters; a++) {
        for (let b = a + 1; b < nClusters; b++)
          assert.ok(distance(rows[a], rows[b]) > 1e-6, `${what}: ${a} and ${b} coincide`);
      }
    }
  }
});

test('no two bubbles overlap in any layout (distance between centres >= sum of radii)', () => {
  for (const layout of LAYOUTS) {
    for (const nClusters of [3, 5, 12, 19, 30]) {
      const rows = generateClusterPositions(unevenLabels(5000, nClusters, 100 + nClusters, [1]), nClusters, layout);
      for (let a = 0; a < nClusters; a++) {
        for (let b = a + 1; b < nClusters; b++) {
          const gap = distance(rows[a], rows[b]) - rows[a].radius - rows[b].radius;
          assert.ok(gap >= -1e-9, `${layout}, ${nClusters} clusters: ${a} and ${b} overlap by ${-gap}`);
        }
      }
    }
  }
});

test('packed: the largest cluster is at the centre, every bubble is inside [-1, 1], one touches the edge', () => {
  const labels = unevenLabels(3000, 12, 7);
  const rows = generateClusterPositions(labels, 12, 'packed');
  const largest = rows.reduce((a, b) => (b.size > a.size ? b : a));
  assert.deepEqual([largest.x, largest.y], [0, 0]);
  let reach = 0;
  for (const row of rows) reach = Math.max(reach, Math.abs(row.x) + row.radius, Math.abs(row.y) + row.radius);
  assertClose(reach, 1, 1e-12, 'reach');
  // Bubble areas are proportional to sizes.
  for (const row of rows)
    assertClose(row.radius ** 2 / row.size, largest.radius ** 2 / largest.size, 1e-12, `area of ${row.id}`);
});

test('the same labels give the same positions, whatever their order (determinism)', () => {
  const labels = unevenLabels(2000, 12, 3);
  const reversed = Int32Array.from(labels).reverse();
  for (const layout of LAYOUTS) {
    assert.deepEqual(generateClusterPositions(labels, 12, layout), generateClusterPositions(labels, 12, layout));
    assert.deepEqual(generateClusterPositions(reversed, 12, layout), generateClusterPositions(labels, 12, layout));
  }
});

test('bad input is refused with a sentence', () => {
  assert.throws(() => generateClusterPositions([0, 2], 2), /Label 2 at position 1 is not a cluster id from 0 to 1/);
  assert.throws(() => generateClusterPositions([0, 0.5], 2), /Label 0.5 at position 1/);
  assert.throws(() => generateClusterPositions([0], 0), /at least 1, got 0/);
  assert.throws(
    () => generateClusterPositions([0], 1, 'spiral' as ClusterLayout),
    /must be one of circular, grid, packed/,
  );
});
