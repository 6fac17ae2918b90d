import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clara } from '../../../lib/cluster/kmedoids/clara';
import { assignTracksToMedoids, nearestMedoids } from '../../../lib/cluster/kmedoids/assign-tracks';
import { kMedoids } from '../../../lib/cluster/kmedoids/kmedoids';
import { dropDuplicateTracks } from '../../../lib/data/clean';
import { frameColumn } from '../../../lib/data/frame';
import { clusteringFeatures, sampleTracks } from '../../../lib/data/sample';
import { CATEGORICAL_FEATURES } from '../../../lib/data/schema';
import { generateSpotifyRows } from '../../../lib/data/synthetic';
import { generatedFrame } from '../../data/generated-frame';
import { gowerMatrix } from '../../../lib/distance/gower';
import { fitGower } from '../../../lib/distance/gower-metric';
import { storedTracksOf } from '../../data/stored-tracks-fixture';
import { withThreads } from '../../helpers';

const tracks = dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows: 900, seed: 5 }))).df;
const SAMPLE = 120;
const SEED = 42;
const K = 4;
const sample = sampleTracks(tracks, SAMPLE, SEED);
const metric = fitGower(clusteringFeatures(sample), { categorical: CATEGORICAL_FEATURES });
const today = kMedoids(gowerMatrix(metric), K, { seed: SEED });

test('CLARA_SAMPLES = 1 gives the medoids and assignment of kMedoids on the sample, as notebook 02 stored them before', () => {
  const one = clara(metric, tracks, K, { samples: 1, seed: SEED });
  const sampleIds = Array.from(frameColumn(sample, 'track_id'), String);
  const trackIds = Array.from(frameColumn(tracks, 'track_id'), String);
  assert.deepEqual(
    Array.from(one.medoids, (row) => trackIds[row]),
    Array.from(today.medoids, (row) => sampleIds[row]),
  );
  const assignment = assignTracksToMedoids(metric, today.medoids, tracks);
  assert.deepEqual(one.labels, assignment.labels);
  assert.deepEqual(one.distances, assignment.distances);
  assert.deepEqual(one.sizes, assignment.sizes);
  assert.equal(one.best, 0);
  assert.equal(one.improvement, 0);
  assert.equal(one.samples[0].sampleLoss, today.loss);
  // the fit passed as `first` is taken as it is, not fitted again
  const reused = clara(metric, tracks, K, { samples: 1, seed: SEED, first: today });
  assert.deepEqual(reused.medoids, one.medoids);
});

test("the stored medoids' catalogue cost is the lowest of the samples', each cost the mean distance to the nearest medoid", () => {
  const progress: number[] = [];
  const result = clara(metric, tracks, K, { samples: 5, seed: SEED, onProgress: (done) => progress.push(done) });
  assert.deepEqual(progress, [1, 2, 3, 4, 5]);
  assert.equal(result.samples.length, 5);
  const costs = result.samples.map((s) => s.cost);
  assert.equal(result.samples[result.best].cost, Math.min(...costs));
  assert.equal(result.best, costs.indexOf(Math.min(...costs)));
  assert.deepEqual(result.medoids, result.samples[result.best].medoids);
  assert.ok(new Set(costs).size > 1, 'the samples give different medoid sets');
  assert.ok(Math.abs(result.improvement - (1 - costs[result.best] / costs[0])) < 1e-15);
  // each sample's cost, recomputed from its medoids over the whole catalogue
  const catalogue = metric.encode(tracks);
  for (const s of result.samples) {
    assert.equal(s.rows.length, SAMPLE);
    const check = nearestMedoids(metric, catalogue, s.medoids, catalogue);
    const mean = check.distances.reduce((sum, d) => sum + d, 0) / catalogue.size;
    assert.ok(Math.abs(mean - s.cost) < 1e-12, `sample seeded ${s.seed}`);
  }
  assert.equal(
    result.sizes.reduce((a, b) => a + b, 0),
    tracks.shape[0],
  );
  // sample 0 is the notebook's, with today's medoids
  assert.equal(result.samples[0].seed, SEED);
  assert.equal(result.samples[0].sampleLoss, today.loss);
});

test('CLARA refuses bad arguments with one sentence each', () => {
  assert.throws(
    () => clara(metric, tracks, K, { samples: 0 }),
    /^Error: CLARA needs a whole number of samples of at least 1, got 0\.$/,
  );
  assert.throws(
    () => clara(metric, tracks, 0),
    /^Error: k must be a whole number from 1 to the 120 tracks of a sample, got 0\.$/,
  );
  assert.throws(() => clara(metric, tracks, K, { seed: -1 }), /^Error: The seed must be a whole number/);
  assert.throws(
    () => clara(metric, tracks, K, { seed: 7 }),
    /^Error: The metric's row \d+ is not track \d+ of the catalogue; fit the metric on sampleTracks\(tracks, 120, seed\)/,
  );
  assert.throws(
    () => clara(metric, tracks, 3, { first: today }),
    /^Error: The first sample's fit has 4 medoids, but k is 3\.$/,
  );
});

test('CLARA on the light columns of the stored tracks gives the samples, medoids, labels, distances and costs of the frame', () => {
  const light = storedTracksOf(tracks);
  for (const threads of [1, 2]) {
    const [fromFrame, fromLight] = withThreads(threads, () => [
      clara(fitGower(clusteringFeatures(sample), { categorical: CATEGORICAL_FEATURES }), tracks, K, {
        samples: 3,
        seed: SEED,
      }),
      clara(fitGower(clusteringFeatures(sample), { categorical: CATEGORICAL_FEATURES }), light, K, {
        samples: 3,
        seed: SEED,
      }),
    ]);
    assert.deepEqual(fromLight, fromFrame, `THREADS ${threads}`);
  }
  // the catalogue's numbers are the light columns themselves, not copies; its codes those of the frame's encoding
  const fitted = fitGower(clusteringFeatures(sample), { categorical: CATEGORICAL_FEATURES });
  const encoded = fitted.encode(light);
  assert.equal(encoded.values[fitted.columns.indexOf('tempo')], light.numbers.tempo);
  const again = fitGower(clusteringFeatures(sample), { categorical: CATEGORICAL_FEATURES });
  assert.deepEqual(encoded, again.encode(tracks));
  assert.deepEqual(fitted.specs, again.specs, 'new categories took the same codes in the metric');
});
