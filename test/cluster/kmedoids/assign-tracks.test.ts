import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignTracksToMedoids } from '../../../lib/cluster/kmedoids/assign-tracks';
import { dropDuplicateTracks } from '../../../lib/data/clean';
import { clusteringFeatures, sampleTracks } from '../../../lib/data/sample';
import { CATEGORICAL_FEATURES } from '../../../lib/data/schema';
import { generateSpotifyRows, spotifyCsvText } from '../../../lib/data/synthetic';
import { gowerMatrix } from '../../../lib/distance/gower';
import { fitGower } from '../../../lib/distance/gower-metric';
import { gowerContributions } from '../../../lib/distance/gower-contributions';
import { assertClose, randomGowerRows, withThreads } from '../../helpers';
import { generatedFrame } from '../../data/generated-frame';

const tracks = dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows: 600, seed: 3 }))).df;
const sample = sampleTracks(tracks, 150, 42);

test('nearest medoid by hand: sample ranges, a clipped value, a new category', () => {
  // Sample energy range 0 .. 1; medoids are rows 0 (Pop, 0) and 2 (Jazz, 1).
  const fitted = [
    { genre: 'Pop', energy: 0 },
    { genre: 'Pop', energy: 0.5 },
    { genre: 'Jazz', energy: 1 },
  ];
  const others = [
    { genre: 'Pop', energy: 0.2 },
    { genre: 'Jazz', energy: 3 },
    { genre: 'Polka', energy: 0.6 },
  ];
  const result = assignTracksToMedoids(fitted, [0, 2], others);
  // (Pop, 0.2): to medoid 0 (0 + 0.2)/2 = 0.1, to medoid 1 (1 + 0.8)/2 = 0.9.
  // (Jazz, 3): to medoid 0 (1 + 1 clipped)/2 = 1, to medoid 1 (0 + 1 clipped)/2 = 0.5.
  // (Polka, 0.6): (1 + 0.6)/2 = 0.8 and (1 + 0.4)/2 = 0.7.
  assert.deepEqual(Array.from(result.labels), [0, 1, 1]);
  assertClose(result.distances[0], 0.1, 1e-12, 'first');
  assertClose(result.distances[1], 0.5, 1e-12, 'second');
  assertClose(result.distances[2], 0.7, 1e-12, 'third');
  assert.deepEqual(Array.from(result.sizes), [1, 2]);
});

test('on the sample itself, each track goes to the medoid nearest in its Gower matrix, the medoids to themselves at 0', () => {
  const features = clusteringFeatures(sample);
  const options = { categorical: CATEGORICAL_FEATURES };
  const matrix = gowerMatrix(features, options);
  const medoids = [3, 40, 77, 120];
  const result = assignTracksToMedoids(features, medoids, features, options);
  for (let i = 0; i < matrix.size; i++) {
    const toMedoids = medoids.map((m) => (m === i ? 0 : matrix.get(i, m)));
    const best = Math.min(...toMedoids);
    assertClose(result.distances[i], best, 1e-6, `row ${i}`);
    assertClose(toMedoids[result.labels[i]], best, 1e-6, `row ${i} label`);
  }
  medoids.forEach((m, c) => {
    assert.equal(result.labels[m], c);
    assert.equal(result.distances[m], 0);
  });
});

test('every stored track is assigned, distances in [0, 1], from a frame with extra columns', () => {
  const features = clusteringFeatures(sample);
  const result = assignTracksToMedoids(features, [0, 1, 2], tracks, { categorical: CATEGORICAL_FEATURES });
  assert.equal(result.labels.length, tracks.shape[0]);
  assert.ok(result.distances.every((d) => d >= 0 && d <= 1));
  assert.throws(
    () => assignTracksToMedoids(features, [0, 150], tracks, { categorical: CATEGORICAL_FEATURES }),
    /Medoid 1 is row 150, which is not a row of the 150-row sample/,
  );
  assert.throws(() => assignTracksToMedoids(features, [], tracks), /no medoids/);
});

test('one fitted metric gives the matrix, contributions and assignment that the features and options give', () => {
  const features = clusteringFeatures(sample);
  const options = { categorical: CATEGORICAL_FEATURES, weights: { genre: 0.5, key: 0.5, tempo: 2 } };
  const metric = fitGower(features, options);
  const medoids = [3, 40, 77, 120];
  assert.deepEqual(Array.from(gowerMatrix(metric).condensed), Array.from(gowerMatrix(features, options).condensed));
  assert.deepEqual(gowerContributions(metric, { seed: 42 }), gowerContributions(features, { ...options, seed: 42 }));
  const once = assignTracksToMedoids(metric, medoids, tracks);
  const perCall = assignTracksToMedoids(features, medoids, tracks, options);
  assert.deepEqual(Array.from(once.labels), Array.from(perCall.labels));
  assert.deepEqual(Array.from(once.distances), Array.from(perCall.distances));
  assert.deepEqual(Array.from(once.sizes), Array.from(perCall.sizes));
  assert.equal(once.metric, metric, 'the assignment reports the metric it was given');
});

test('a fitted metric refuses the fit options given again to the assignment', () => {
  const metric = fitGower(clusteringFeatures(sample), { categorical: CATEGORICAL_FEATURES });
  assert.throws(
    () => assignTracksToMedoids(metric, [0, 1], tracks, { weights: { genre: 2 } }),
    /assignTracksToMedoids was given a fitted metric and `weights`, which the metric fixed when it was fitted; pass them to fitGower instead/,
  );
  assert.throws(() => assignTracksToMedoids(metric, [0, 150], tracks), /Medoid 1 is row 150, which is not a row/);
});

test('1, 2 and 3 threads give bit-identical labels and distances, as one medoid at a time over all tracks', () => {
  // more tracks than one chunk holds (2048), with holes: both kernel paths, several chunks
  const rows = randomGowerRows(5000, 21, 0.1);
  const metric = fitGower(rows.slice(0, 300));
  const medoids = [3, 50, 77, 120, 299];
  const others = metric.encode(rows);
  const expected = new Float64Array(rows.length).fill(Infinity);
  const expectedLabels = new Int32Array(rows.length).fill(-1);
  medoids.forEach((m, c) => {
    const column = metric.distanceToRows(metric.rows, m, others);
    column.forEach((d, j) => {
      if (d < expected[j]) {
        expected[j] = d;
        expectedLabels[j] = c;
      }
    });
  });
  for (const threads of [1, 2, 3]) {
    const assigned = withThreads(threads, () => assignTracksToMedoids(metric, medoids, rows));
    assert.deepEqual(assigned.distances, expected, `${threads} threads`);
    assert.deepEqual(assigned.labels, expectedLabels, `${threads} threads`);
  }
});
