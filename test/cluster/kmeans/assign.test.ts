import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignToCentroids } from '../../../lib/cluster/kmeans/assign';
import { kMeans } from '../../../lib/cluster/kmeans/kmeans';
import { dropDuplicateTracks } from '../../../lib/data/clean';
import { sampleTracks } from '../../../lib/data/sample';
import { CATEGORICAL_FEATURES } from '../../../lib/data/schema';
import { generateSpotifyRows, spotifyCsvText } from '../../../lib/data/synthetic';
import { encodeFrame } from '../../../lib/distance/encode';
import { StandardScaler } from '../../../lib/distance/scaler';
import { matrixFromRows } from '../../../lib/matrix/numeric-matrix';
import { generatedFrame } from '../../data/generated-frame';
import { withThreads } from '../../helpers';
import { storedTracksOf } from '../../data/stored-tracks-fixture';

const tracks = dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows: 600, seed: 3 }))).df;
const sample = sampleTracks(tracks, 150, 42);
const encodeOptions = {
  drop: ['artist_name', 'track_name'],
  idColumn: 'track_id',
  categoricalColumns: CATEGORICAL_FEATURES,
};

test('two centroids on a line: each new value goes to the nearer, a tie to the lower cluster', () => {
  // Fitted tempo 0 and 10: mean 5, scale 5, so z = (x − 5) / 5; centroids at z −1 and 1 (tempo 0 and 10).
  const encoded = encodeFrame({ tempo: [0, 10] });
  const scaler = new StandardScaler().fit(encoded.matrix);
  const centroids = matrixFromRows([[-1], [1]], ['tempo']);
  const result = assignToCentroids({ tempo: [1, 9, 5, 40] }, { encoded, scaler, centroids });
  assert.deepEqual(Array.from(result.labels), [0, 1, 0, 1]);
  assert.deepEqual(Array.from(result.sizes), [2, 2]);
});

test('the sampled tracks are assigned to the clusters k-means gave them, and every track gets one', () => {
  for (const categorical of ['label', 'onehot'] as const) {
    const encoded = encodeFrame(sample, { ...encodeOptions, categorical });
    const scaler = new StandardScaler();
    const km = kMeans(scaler.fitTransform(encoded.matrix), 5, { seed: 42, nInit: 2 });
    const fit = { encoded, scaler, centroids: km.centroids };
    const again = assignToCentroids(sample, fit, { idColumn: 'track_id' });
    assert.deepEqual(Array.from(again.labels), Array.from(km.labels), categorical);
    assert.deepEqual(again.ids, encoded.ids);
    const all = assignToCentroids(tracks, fit, { idColumn: 'track_id' });
    assert.equal(all.labels.length, tracks.shape[0]);
    assert.equal(
      all.sizes.reduce((a, b) => a + b, 0),
      tracks.shape[0],
    );
    assert.ok(all.labels.every((label) => label >= 0 && label < 5));
  }
});

test('a genre the sample never held is encoded as encodeLike says and reported; refused on request', () => {
  const encoded = encodeFrame(sample, { ...encodeOptions, categorical: 'onehot' });
  const scaler = new StandardScaler();
  const km = kMeans(scaler.fitTransform(encoded.matrix), 3, { seed: 1, nInit: 1 });
  const fit = { encoded, scaler, centroids: km.centroids };
  const columns: Record<string, unknown[]> = {};
  for (const name of sample.columns) columns[name] = (sample.column(name).values as unknown[]).slice(0, 3);
  columns.genre = ['Polka', columns.genre[1], 'Polka'];
  const result = assignToCentroids(columns, fit);
  assert.deepEqual(result.unseen, { genre: { rows: 2, categories: ['Polka'] } });
  assert.equal(result.labels.length, 3);
  assert.throws(() => assignToCentroids(columns, fit, { unseen: 'refuse' }), /Column genre holds "Polka" in row 0/);
  assert.throws(
    () => assignToCentroids(columns, { ...fit, centroids: matrixFromRows([[0]]) }),
    /centroids have 1 columns but the encoding makes/,
  );
});

test('1 and 2 threads give the same labels and sizes', () => {
  const encoded = encodeFrame(sample, { ...encodeOptions, categorical: 'label' });
  const scaler = new StandardScaler();
  const km = kMeans(scaler.fitTransform(encoded.matrix), 5, { seed: 42, nInit: 2 });
  const fit = { encoded, scaler, centroids: km.centroids };
  const [one, two] = [1, 2].map((threads) =>
    withThreads(threads, () => assignToCentroids(tracks, fit, { idColumn: 'track_id' })),
  );
  assert.deepEqual(two.labels, one.labels);
  assert.deepEqual(two.sizes, one.sizes);
});

test('the stored tracks as light columns get the labels, ids, sizes and unseen report of the frame, in blocks of any size', () => {
  const light = storedTracksOf(tracks);
  for (const categorical of ['label', 'onehot'] as const) {
    const encoded = encodeFrame(sample, { ...encodeOptions, categorical });
    const scaler = new StandardScaler();
    const km = kMeans(scaler.fitTransform(encoded.matrix), 5, { seed: 42, nInit: 2 });
    const fit = { encoded, scaler, centroids: km.centroids };
    const expected = assignToCentroids(tracks, fit, { idColumn: 'track_id' });
    for (const blockRows of [undefined, 1, 7, 64, tracks.shape[0]]) {
      for (const [what, input] of [
        ['frame', tracks],
        ['light', light],
      ] as const) {
        const got = assignToCentroids(input, fit, { idColumn: 'track_id', blockRows });
        assert.deepEqual(got.labels, expected.labels, `${what}, ${categorical}, blocks of ${blockRows}`);
        assert.deepEqual([...got.ids], [...expected.ids]);
        assert.deepEqual(got.sizes, expected.sizes);
        assert.deepEqual(got.unseen, expected.unseen);
      }
    }
  }
});

test('unseen categories are counted over every block, each named once, in order of first appearance', () => {
  const encoded = encodeFrame(sample, { ...encodeOptions, categorical: 'label' });
  const scaler = new StandardScaler();
  const km = kMeans(scaler.fitTransform(encoded.matrix), 3, { seed: 1, nInit: 1 });
  const fit = { encoded, scaler, centroids: km.centroids };
  const columns: Record<string, unknown[]> = {};
  for (const name of sample.columns) columns[name] = (sample.column(name).values as unknown[]).slice(0, 6);
  columns.genre = [columns.genre[0], 'Polka', 'Ska-punk', 'Polka', columns.genre[1], 'Ska-punk'];
  const whole = assignToCentroids(columns, fit);
  assert.deepEqual(whole.unseen, { genre: { rows: 4, categories: ['Polka', 'Ska-punk'] } });
  for (const blockRows of [1, 2, 4]) {
    const blocks = assignToCentroids(columns, fit, { blockRows });
    assert.deepEqual(blocks.unseen, whole.unseen);
    assert.deepEqual(blocks.labels, whole.labels);
  }
  assert.throws(
    () => assignToCentroids(columns, fit, { blockRows: 2, unseen: 'refuse' }),
    /Column genre holds "Polka" in row 1,/,
  );
  assert.throws(
    () => assignToCentroids(columns, fit, { blockRows: 1.5 }),
    /^Error: blockRows must be a whole number of at least 1, got 1\.5\.$/,
  );
});
