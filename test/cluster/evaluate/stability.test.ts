import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceMatrix } from '../../../lib/matrix/distance-matrix';
import { seededRandom, randomNormal } from '../../../lib/random';
import { averageLinkage } from '../../../lib/cluster/linkage/linkage';
import {
  clusterJaccard,
  clusterStability,
  stabilitySubsampleSize,
  StabilityRun,
  STABILITY_DEFAULTS,
  stabilityReading,
  clusterStabilityTable,
  ClusterStability,
  StabilityResult,
} from '../../../lib/cluster/evaluate/stability';
import { kMedoids } from '../../../lib/cluster/kmedoids/kmedoids';
import { kMeans } from '../../../lib/cluster/kmeans/kmeans';
import { matrixFromRows } from '../../../lib/matrix/numeric-matrix';
import { assertClose } from '../../helpers';

/** Euclidean distances between 2-d points. */
function euclidean(points: [number, number][]): DistanceMatrix {
  const n = points.length;
  const values = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) values[k++] = Math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1]);
  return new DistanceMatrix(n, values);
}

/** `perBlob` points around each centre, spread `spread`. */
function blobs(
  centres: [number, number][],
  perBlob: number,
  spread: number,
  seed: number,
): { points: [number, number][]; truth: number[] } {
  const random = seededRandom(seed);
  const points: [number, number][] = [];
  const truth: number[] = [];
  centres.forEach(([x, y], c) => {
    for (let p = 0; p < perBlob; p++) {
      points.push([x + spread * randomNormal(random), y + spread * randomNormal(random)]);
      truth.push(c);
    }
  });
  return { points, truth };
}

const averageLinkageFit =
  (k: number) =>
  (subset: DistanceMatrix): Int32Array =>
    averageLinkage(subset).cut(k);

test('clusterJaccard: each reference cluster takes its best match, worked by hand', () => {
  // Reference {0,1,2}, {3,4,5}; candidate {0,1}, {2,3,4,5}.
  // Cluster 0: J({0,1,2}, {0,1}) = 2/3, J({0,1,2}, {2,3,4,5}) = 1/6 → 2/3.
  // Cluster 1: J({3,4,5}, {2,3,4,5}) = 3/4 → 3/4.
  const { labels, jaccard } = clusterJaccard([0, 0, 0, 1, 1, 1], [5, 5, 7, 7, 7, 7]);
  assert.deepEqual(labels, [0, 1]);
  assertClose(jaccard[0], 2 / 3, 1e-15, 'cluster 0');
  assertClose(jaccard[1], 3 / 4, 1e-15, 'cluster 1');
});

test('clusterJaccard: a cluster split in two halves scores 1/2, merged clusters score their share', () => {
  // Reference {0,1,2,3} split into {0,1} and {2,3}: J = 2/4 for either half.
  assert.deepEqual(Array.from(clusterJaccard([0, 0, 0, 0], [1, 1, 2, 2]).jaccard), [0.5]);
  // Reference {0}, {1,2,3} merged into one: J({0}, all) = 1/4, J({1,2,3}, all) = 3/4.
  assert.deepEqual(Array.from(clusterJaccard([9, 4, 4, 4], [0, 0, 0, 0]).jaccard), [0.75, 0.25]);
  // Identical partitions under other names: 1 for every cluster.
  assert.deepEqual(Array.from(clusterJaccard([0, 0, 1, 2, 2], [8, 8, 3, 1, 1]).jaccard), [1, 1, 1]);
});

test('with fraction 1 every run compares the whole clustering with the refit, worked by hand', () => {
  const d = new DistanceMatrix(6);
  const seen: StabilityRun[] = [];
  const result = clusterStability(
    d,
    [0, 0, 0, 1, 1, 1],
    (subset, run) => {
      assert.equal(subset.size, 6);
      seen.push(run);
      return [0, 0, 1, 1, 1, 1];
    },
    { B: 3, fraction: 1 },
  );
  assert.deepEqual(
    result.clusters.map((c) => c.label),
    [0, 1],
  );
  assertClose(result.clusters[0].meanJaccard, 2 / 3, 1e-15, 'cluster 0');
  assertClose(result.clusters[1].meanJaccard, 3 / 4, 1e-15, 'cluster 1');
  assertClose(result.meanJaccard, (2 / 3 + 3 / 4) / 2, 1e-15, 'mean over clusters');
  assert.deepEqual(
    result.clusters.map((c) => [c.runs, c.dissolved, c.recovered]),
    [
      [3, 0, 0],
      [3, 0, 0],
    ],
  );
  assert.deepEqual(
    seen.map((r) => r.run),
    [0, 1, 2],
  );
  assert.deepEqual(Array.from(seen[0].indices), [0, 1, 2, 3, 4, 5]);
  assert.equal(new Set(seen.map((r) => r.seed)).size, 3, 'each run gets its own seed');
});

test('the refit sees the subset of the rows it is told about, in increasing order', () => {
  const { points } = blobs([[0, 0]], 40, 1, 1);
  const d = euclidean(points);
  clusterStability(
    d,
    new Array(40).fill(0).map((_, i) => i % 2),
    (subset, { indices }) => {
      assert.equal(indices.length, 20);
      for (let a = 1; a < indices.length; a++) assert.ok(indices[a] > indices[a - 1]);
      for (let a = 0; a < 20; a++)
        for (let b = a + 1; b < 20; b++) assert.equal(subset.get(a, b), d.get(indices[a], indices[b]));
      return Array.from(indices, (i) => i % 2);
    },
    { B: 5, fraction: 0.5, seed: 3 },
  );
});

test('three well-separated blobs are stable: every cluster recovered in every run (Jaccard 1)', () => {
  const { points, truth } = blobs(
    [
      [0, 0],
      [10, 0],
      [0, 10],
    ],
    30,
    0.5,
    2,
  );
  const d = euclidean(points);
  const labels = averageLinkage(d).cut(3);
  const result = clusterStability(d, labels, averageLinkageFit(3), { B: 20, fraction: 0.8, seed: 1 });
  assert.equal(result.meanJaccard, 1);
  for (const c of result.clusters) {
    assert.equal(c.size, 30);
    assert.equal(c.recovered, 20);
    assert.equal(c.dissolved, 0);
  }
  assert.ok(
    clusterJaccard(truth, labels).jaccard.every((j) => j === 1),
    'the cut found the blobs',
  );
});

test("clusters cut out of uniform noise are unstable (mean Jaccard well below the blobs' 1)", () => {
  // Six average-linkage clusters of 120 uniform points in the unit square, default subsamples of
  // half the rows: the mean Jaccard is 0.60 here (0.60 to 0.73 over six noise seeds tried).
  const random = seededRandom(5);
  const points = Array.from({ length: 120 }, (): [number, number] => [random(), random()]);
  const d = euclidean(points);
  const fit = averageLinkageFit(6);
  const result = clusterStability(d, fit(d), fit, { B: 20, seed: 1 });
  assert.ok(result.meanJaccard < 0.7, `mean Jaccard ${result.meanJaccard}`);
  assert.ok(
    result.clusters.some((c) => c.meanJaccard <= 0.5),
    'some cluster dissolves on average',
  );
  assert.ok(
    result.clusters.every((c) => c.recovered < 20),
    'no cluster is recovered in every run',
  );
});

test('a cluster absent from a subsample is not counted in that run (NaN in its jaccards)', () => {
  // Row 0 is a cluster of its own; with half the rows it is left out of some runs.
  const d = new DistanceMatrix(10);
  const labels = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const result = clusterStability(d, labels, (subset) => new Array(subset.size).fill(0), {
    B: 10,
    fraction: 0.5,
    seed: 4,
  });
  const single = result.clusters[1];
  const absent = Array.from(single.jaccards).filter(Number.isNaN).length;
  assert.ok(absent > 0 && absent < 10, `absent in ${absent} of 10 runs`);
  assert.equal(single.runs, 10 - absent);
  assertClose(single.meanJaccard, 1 / 5, 1e-15, 'the singleton is 1 of the 5 rows of the one refit cluster');
  assertClose(
    result.clusters[0].meanJaccard,
    Array.from(result.clusters[0].jaccards).reduce((s, j) => s + j, 0) / 10,
    1e-15,
    'cluster 0 mean',
  );
});

test('deterministic per seed: the same seed repeats the result, another seed draws other subsets', () => {
  const { points } = blobs(
    [
      [0, 0],
      [3, 0],
    ],
    25,
    1.2,
    6,
  );
  const d = euclidean(points);
  const fit = averageLinkageFit(2);
  const labels = fit(d);
  const once = clusterStability(d, labels, fit, { B: 8, seed: 11 });
  const again = clusterStability(d, labels, fit, { B: 8, seed: 11 });
  assert.deepEqual(once, again);
  const subsets = (seed: number): string[] => {
    const drawn: string[] = [];
    clusterStability(
      d,
      labels,
      (subset, { indices }) => {
        drawn.push(indices.join(','));
        return fit(subset);
      },
      { B: 3, seed },
    );
    return drawn;
  };
  assert.notDeepEqual(subsets(11), subsets(12));
  assert.equal(once.subsampleSize, Math.round(STABILITY_DEFAULTS.fraction * 50));
  assert.equal(once.B, 8);
});

test('progress is reported after every run', () => {
  const calls: number[] = [];
  clusterStability(new DistanceMatrix(6), [0, 0, 0, 1, 1, 1], (s) => new Array(s.size).fill(0), {
    B: 4,
    onProgress: (done, total) => {
      assert.equal(total, 4);
      calls.push(done);
    },
  });
  assert.deepEqual(calls, [1, 2, 3, 4]);
});

test('the inputs are not modified', () => {
  const { points } = blobs(
    [
      [0, 0],
      [5, 5],
    ],
    10,
    0.5,
    7,
  );
  const d = euclidean(points);
  const before = Float64Array.from(d.condensed);
  const labels = Object.freeze(Array.from(averageLinkage(d).cut(2)));
  clusterStability(d, labels, averageLinkageFit(2), { B: 3 });
  assert.deepEqual(d.condensed, before);
});

test('bad input is refused with a sentence', () => {
  const d = new DistanceMatrix(6);
  const labels = [0, 0, 0, 1, 1, 1];
  const fit = (s: DistanceMatrix): number[] => new Array(s.size).fill(0);
  assert.throws(() => clusterStability(d, [0, 1], fit), {
    message: 'There must be exactly one label per row: the matrix has 6 rows but 2 labels were given.',
  });
  assert.throws(
    () => clusterStability(d, labels, fit, { B: 0 }),
    /B, the number of subsamples, must be a whole number of at least 1, got 0/,
  );
  assert.throws(() => clusterStability(d, labels, fit, { fraction: 1.5 }), /fraction must be in \(0, 1\], got 1.5/);
  assert.throws(() => clusterStability(d, labels, fit, { fraction: 0.1 }), /fewer than 2 rows/);
  assert.throws(() => clusterStability(d, labels, () => [0, 1], { fraction: 1 }), {
    message:
      'The fit returned 2 labels for a subsample of 6 rows; it must return one label per row of the matrix it is given.',
  });
  assert.throws(() => clusterStability(d, [0, 0, NaN, 1, 1, 1], fit), /Label 2 of the clustering is NaN/);
  assert.throws(() => clusterJaccard([0, 1], [0]), /the reference has 2 labels and the candidate 1/);
});

test('stabilitySubsampleSize is the rows of each subsample, and the most clusters a refit can make', () => {
  assert.equal(stabilitySubsampleSize(91), 46);
  assert.equal(stabilitySubsampleSize(92), 46);
  assert.equal(stabilitySubsampleSize(10000), 5000);
  assert.equal(stabilitySubsampleSize(10, 1), 10);
  // On the smallest sample the notebooks accept (91 tracks), both of notebook 02's refits work with
  // k = stabilitySubsampleSize(91) clusters and fail with one more: the check must refuse an N_CLUSTERS above it.
  const random = seededRandom(5);
  const points = Array.from({ length: 91 }, (): [number, number] => [randomNormal(random), randomNormal(random)]);
  const distances = euclidean(points);
  const largest = stabilitySubsampleSize(91);
  for (const k of [largest, largest + 1]) {
    const runs = () => {
      const labels = averageLinkage(distances).cut(k);
      clusterStability(distances, labels, (subset) => averageLinkage(subset).cut(k), { seed: 1, B: 2 });
      clusterStability(
        distances,
        kMedoids(distances, k, { seed: 1 }).labels,
        (subset, run) => kMedoids(subset, k, { seed: run.seed }).labels,
        { seed: 1, B: 2 },
      );
    };
    if (k === largest) runs();
    else assert.throws(runs, /46/);
  }
});

test("stabilityReading reads a mean Jaccard as fpc::clusterboot's documentation does, at each boundary", () => {
  const cases: [number, string][] = [
    [0, 'dissolved'],
    [0.4999, 'dissolved'],
    [0.5, 'not to be trusted'],
    [0.5999, 'not to be trusted'],
    [0.6, 'a pattern, but its members are doubtful'],
    [0.7499, 'a pattern, but its members are doubtful'],
    [0.75, 'stable'],
    [0.8499, 'stable'],
    [0.85, 'highly stable'],
    [1, 'highly stable'],
    [NaN, 'not measured (never in a subsample)'],
  ];
  for (const [jaccard, reading] of cases) assert.equal(stabilityReading(jaccard), reading, `at ${jaccard}`);
  assert.throws(() => stabilityReading(1.2), /A Jaccard similarity lies between 0 and 1, got 1\.2\./);
  assert.throws(() => stabilityReading(-0.1), /between 0 and 1/);
});

test('clusterStabilityTable gives each cluster its name, mean Jaccard and reading', () => {
  const cluster = (label: number, meanJaccard: number): ClusterStability => ({
    label,
    size: 10,
    meanJaccard,
    runs: 10,
    dissolved: 0,
    recovered: 0,
    jaccards: new Float64Array(10),
  });
  const result: StabilityResult = {
    clusters: [cluster(0, 0.91234), cluster(1, 0.42), cluster(2, NaN)],
    meanJaccard: 0.66,
    B: 10,
    fraction: 0.5,
    seed: 0,
    subsampleSize: 15,
  };
  assert.deepEqual(clusterStabilityTable(result, ['Country', 'Dance · minor', 'Rap']), [
    { cluster: 0, name: 'Country', jaccard: 0.912, reading: 'highly stable' },
    { cluster: 1, name: 'Dance · minor', jaccard: 0.42, reading: 'dissolved' },
    { cluster: 2, name: 'Rap', jaccard: null, reading: 'not measured (never in a subsample)' },
  ]);
  assert.equal(clusterStabilityTable(result)[0].name, '');
  assert.throws(
    () => clusterStabilityTable(result, ['Country']),
    /There are 1 names but the clusters are labelled up to 2; give one name per cluster\./,
  );
});

test('clusterStabilityTable reads the result of a real run', () => {
  const { points } = blobs(
    [
      [0, 0],
      [10, 0],
    ],
    15,
    0.5,
    3,
  );
  const labels = points.map(([x]) => (x < 5 ? 0 : 1));
  const result = clusterStability(euclidean(points), labels, (subset) => kMedoids(subset, 2, { seed: 0 }).labels, {
    B: 5,
  });
  const rows = clusterStabilityTable(result, ['left', 'right']);
  assert.deepEqual(
    rows.map((r) => [r.cluster, r.name, r.jaccard, r.reading]),
    [
      [0, 'left', 1, 'highly stable'],
      [1, 'right', 1, 'highly stable'],
    ],
  );
});

test('vectors instead of distances: each refit gets the rows of its subsample, and the same draws', () => {
  const { points } = blobs(
    [
      [0, 0],
      [10, 0],
      [0, 10],
    ],
    20,
    0.5,
    4,
  );
  const vectors = matrixFromRows(points);
  const labels = kMeans(vectors, 3, { seed: 0 }).labels;
  const seen: Int32Array[] = [];
  const result = clusterStability(
    vectors,
    labels,
    (rows, run) => {
      assert.equal(rows.n, run.indices.length);
      assert.deepEqual(Array.from(rows.data.subarray(0, 2)), points[run.indices[0]]);
      seen.push(run.indices);
      return kMeans(rows, 3, { seed: run.seed }).labels;
    },
    { B: 5, seed: 2 },
  );
  assert.equal(result.meanJaccard, 1);
  // The same seed draws the same subsamples as from the distances of the same points.
  const drawn: Int32Array[] = [];
  clusterStability(
    euclidean(points),
    labels,
    (subset, run) => (drawn.push(run.indices), labels.slice(0, subset.size)),
    {
      B: 5,
      seed: 2,
    },
  );
  assert.deepEqual(seen, drawn);
  assert.throws(
    () => clusterStability({ n: 3 } as unknown as DistanceMatrix, [0, 1, 2], () => [0, 1]),
    /needs a DistanceMatrix or a NumericMatrix of vectors/,
  );
});
