import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataFrame } from 'danfojs-node';
import { encodeFrame, encodeLike, labelDecode, labelEncode, oneHotEncode } from '../../lib/distance/encode';
import { readFixture } from '../helpers';
import { dropDuplicateTracks } from '../../lib/data/clean';
import { sampleTracks } from '../../lib/data/sample';
import { CATEGORICAL_FEATURES } from '../../lib/data/schema';
import { StoredTracks } from '../../lib/data/stored-tracks';
import { generateSpotifyRows } from '../../lib/data/synthetic';
import { generatedFrame } from '../data/generated-frame';
import { storedTracksOf } from '../data/stored-tracks-fixture';

// Made by test/reference/kmeans_fixtures.py: the original notebook's `encode` run by pandas (versions pinned in
// test/reference/requirements.txt).
const fixture = readFixture('kmeans.json').label_encoding;

test('codes follow the order of first appearance, not the alphabet', () => {
  const values = Object.freeze(['Rock', 'Pop', 'Rock', 'Jazz', 'Pop']);
  const { codes, categories } = labelEncode(values, 'genre');
  assert.deepEqual(Array.from(codes), [0, 1, 0, 2, 1]);
  assert.deepEqual(categories, ['Rock', 'Pop', 'Jazz']);
});

test("the original notebook's encoding matches pandas on every text column of the fixture (missing, empty, digits, booleans)", () => {
  for (const column of fixture.categorical_columns as string[]) {
    const { codes, categories } = labelEncode(fixture.input[column], column);
    assert.deepEqual(Array.from(codes), fixture.codes[column], `codes of ${column}`);
    assert.deepEqual(categories, fixture.categories[column], `categories of ${column}`);
  }
});

test('null, undefined and NaN share one category, written null; an empty string is its own', () => {
  const { codes, categories } = labelEncode(['a', null, undefined, NaN, '', 'a']);
  assert.deepEqual(Array.from(codes), [0, 1, 1, 1, 2, 0]);
  assert.deepEqual(categories, ['a', null, '']);
});

test('decoding the codes gives the values back', () => {
  const values = ['C#', 'A', 'C#', 'B'];
  const { codes, categories } = labelEncode(values);
  assert.deepEqual(labelDecode(codes, categories), values);
  assert.throws(() => labelDecode([0, 3], categories), /Code 3 in row 1 is not one of the 3 categories/);
});

test('relabelling the categories permutes the codes and nothing else (property)', () => {
  const values = ['x', 'y', 'x', 'z', 'y', 'y'];
  const renamed = values.map((v) => ({ x: 'q', y: 'r', z: 's' })[v]!);
  assert.deepEqual(labelEncode(values).codes, labelEncode(renamed).codes);
});

test('one-hot: one 0/1 column per category, in label-code order, each row summing to 1', () => {
  const m = oneHotEncode(['Rock', 'Pop', 'Rock', null], 'genre');
  assert.deepEqual(m.columns, ['genre_Rock', 'genre_Pop', 'genre_missing']);
  assert.deepEqual(Array.from(m.data), [1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1]);
  assert.deepEqual(Array.from(m.encoding.codes), [0, 1, 0, 2]);
});

test('encodeFrame on plain columns: drops, id column, label codes in place, numbers kept', () => {
  const frame = Object.freeze({
    track_id: ['a', 'b', 'c'],
    artist_name: ['X', 'Y', 'Z'],
    genre: ['Pop', 'Rock', 'Pop'],
    tempo: [120, 90.5, 100],
    mode: ['Minor', 'Major', 'Major'],
  });
  const encoded = encodeFrame(frame, { idColumn: 'track_id', drop: ['artist_name'] });
  assert.deepEqual(encoded.matrix.columns, ['genre', 'tempo', 'mode']);
  assert.deepEqual(Array.from(encoded.matrix.data), [0, 120, 0, 1, 90.5, 1, 0, 100, 1]);
  assert.deepEqual(encoded.ids, ['a', 'b', 'c']);
  assert.deepEqual(encoded.categoricalColumns, ['genre', 'mode']);
  assert.deepEqual(encoded.numericColumns, ['tempo']);
  assert.deepEqual(encoded.encodings.mode.categories, ['Minor', 'Major']);
});

test('encodeFrame one-hot puts each category column where its text column was', () => {
  const encoded = encodeFrame(
    { genre: ['Pop', 'Rock'], tempo: [1, 2], mode: ['Major', 'Major'] },
    { categorical: 'onehot' },
  );
  assert.deepEqual(encoded.matrix.columns, ['genre_Pop', 'genre_Rock', 'tempo', 'mode_Major']);
  assert.deepEqual(Array.from(encoded.matrix.data), [1, 0, 1, 1, 0, 1, 2, 1]);
});

test('encodeFrame reads a danfojs DataFrame the same as plain columns, and bigint numbers as numbers', () => {
  const columns = { genre: ['Pop', 'Rock', null], tempo: [120, 90, 100], mode: ['Major', 'Minor', 'Major'] };
  const fromFrame = encodeFrame(new DataFrame(columns));
  const fromColumns = encodeFrame(columns);
  assert.deepEqual(fromFrame.matrix.columns, fromColumns.matrix.columns);
  assert.deepEqual(Array.from(fromFrame.matrix.data), Array.from(fromColumns.matrix.data));
  const withBigint = encodeFrame({ duration_ms: [BigInt(1000), BigInt(2000)] });
  assert.deepEqual(Array.from(withBigint.matrix.data), [1000, 2000]);
});

test("the original notebook's frame of the fixture encodes to pandas' codes and keeps the numeric column", () => {
  const encoded = encodeFrame(fixture.input);
  assert.deepEqual(encoded.categoricalColumns, fixture.categorical_columns);
  const { columns } = encoded.matrix;
  for (const name of fixture.categorical_columns as string[]) {
    const j = columns.indexOf(name);
    const codes = Array.from({ length: encoded.matrix.n }, (_, i) => encoded.matrix.data[i * encoded.matrix.d + j]);
    assert.deepEqual(codes, fixture.codes[name], name);
  }
  const tempo = columns.indexOf('tempo');
  assert.deepEqual(
    Array.from({ length: encoded.matrix.n }, (_, i) => encoded.matrix.data[i * encoded.matrix.d + tempo]),
    fixture.tempo,
  );
});

test('bad input is refused with a sentence naming the column and row', () => {
  assert.throws(
    () => encodeFrame({ tempo: [1, null, 3] }, { categoricalColumns: [] }),
    /Column tempo holds null in row 1/,
  );
  assert.throws(() => encodeFrame({ tempo: [1, 2] }, { drop: ['genre'] }), /no column "genre"/);
  assert.throws(() => encodeFrame({ a: [1, 2], b: [1] }), /Column b has 1 values but the columns before it have 2/);
  assert.throws(() => encodeFrame({ a: [1] }, { categorical: 'ordinal' as never }), /must be 'label' or 'onehot'/);
  assert.throws(() => labelEncode([{}], 'genre'), /Column genre holds \[object Object\] in row 0/);
  assert.throws(() => encodeFrame({ a: [1] }, { drop: ['a'] }), /no feature columns/);
});

// Encoding new rows with a fitted encoding.

test('encodeLike gives the fitted rows exactly the matrix encodeFrame gave them, label and one-hot', () => {
  const table = {
    track_id: ['a', 'b', 'c', 'd'],
    genre: ['Pop', 'Rock', 'Pop', 'Jazz'],
    mode: ['Major', 'Minor', 'Minor', 'Major'],
    tempo: [120, 90, 100, 80],
  };
  for (const categorical of ['label', 'onehot'] as const) {
    const fitted = encodeFrame(table, { idColumn: 'track_id', categorical });
    const again = encodeLike(table, fitted, { idColumn: 'track_id' });
    assert.deepEqual(Array.from(again.matrix.data), Array.from(fitted.matrix.data), categorical);
    assert.deepEqual(again.matrix.columns, fitted.matrix.columns);
    assert.deepEqual(again.ids, ['a', 'b', 'c', 'd']);
    assert.deepEqual(again.unseen, {});
  }
});

test('encodeLike keeps the fitted codes, whatever order the new rows come in', () => {
  const fitted = encodeFrame({ genre: ['Rock', 'Pop'], tempo: [1, 2] });
  // Fitted codes: Rock 0, Pop 1. The new rows start with Pop, which would be 0 if encoded afresh.
  const more = encodeLike({ genre: ['Pop', 'Rock', 'Pop'], tempo: [5, 6, 7] }, fitted);
  assert.deepEqual(Array.from(more.matrix.data), [1, 5, 0, 6, 1, 7]);
});

test('label encoding gives a category the fit never saw the reserved code one past the last, and reports it', () => {
  const fitted = encodeFrame({ genre: ['Pop', 'Rock'], tempo: [120, 90] });
  const more = encodeLike({ genre: ['Rock', 'Jazz', 'Polka', 'Jazz'], tempo: [100, 80, 70, 60] }, fitted);
  // Pop 0, Rock 1; Jazz and Polka share the reserved code 2.
  assert.deepEqual(Array.from(more.matrix.data), [1, 100, 2, 80, 2, 70, 2, 60]);
  assert.deepEqual(more.unseen, { genre: { rows: 3, categories: ['Jazz', 'Polka'] } });
});

test("one-hot encoding gives a category the fit never saw zeros in all of its column's 0/1 columns", () => {
  const fitted = encodeFrame({ genre: ['Pop', 'Rock'], tempo: [120, 90] }, { categorical: 'onehot' });
  const more = encodeLike({ genre: ['Rock', 'Jazz'], tempo: [100, 80] }, fitted);
  assert.deepEqual(more.matrix.columns, ['genre_Pop', 'genre_Rock', 'tempo']);
  assert.deepEqual(Array.from(more.matrix.data), [0, 1, 100, 0, 0, 80]);
  assert.deepEqual(more.unseen, { genre: { rows: 1, categories: ['Jazz'] } });
});

test('a missing category is unseen unless the fitted rows had one too', () => {
  const withoutMissing = encodeFrame({ genre: ['Pop', 'Rock'] });
  assert.deepEqual(encodeLike({ genre: [null] }, withoutMissing).unseen, { genre: { rows: 1, categories: [null] } });
  const withMissing = encodeFrame({ genre: ['Pop', null] });
  assert.deepEqual(Array.from(encodeLike({ genre: [undefined] }, withMissing).matrix.data), [1]);
});

test('encodeLike refuses, on request, an unseen category, and always a missing column or a bad number', () => {
  const fitted = encodeFrame({ genre: ['Pop', 'Rock'], tempo: [120, 90] });
  assert.throws(
    () => encodeLike({ genre: ['Rock', 'Jazz'], tempo: [1, 2] }, fitted, { unseen: 'refuse' }),
    /Column genre holds "Jazz" in row 1, a category the fitted rows never held/,
  );
  assert.throws(() => encodeLike({ genre: ['Rock'] }, fitted), /no column "tempo", which the fitted encoding needs/);
  assert.throws(() => encodeLike({ genre: ['Rock'], tempo: [NaN] }, fitted), /Column tempo holds NaN in row 0/);
  assert.throws(
    () => encodeLike({ genre: ['Rock'], tempo: [1] }, fitted, { unseen: 'drop' as 'refuse' }),
    /unseen must be 'reserve' or 'refuse'/,
  );
});

// The stored tracks' light columns (lib/data/stored-tracks.ts): codes instead of strings.

test('encodeLike on the light columns of the stored tracks gives the matrix, ids and unseen report of the frame', () => {
  const frame = dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows: 300, seed: 8 }))).df;
  const sample = sampleTracks(frame, 40, 42);
  const light = storedTracksOf(frame);
  for (const categorical of ['label', 'onehot'] as const) {
    const fitted = encodeFrame(sample, {
      drop: ['artist_name', 'track_name'],
      idColumn: 'track_id',
      categorical,
      categoricalColumns: CATEGORICAL_FEATURES,
    });
    const expected = encodeLike(frame, fitted, { idColumn: 'track_id' });
    const got = encodeLike(light, fitted, { idColumn: 'track_id' });
    assert.deepEqual(got.matrix, expected.matrix, categorical);
    assert.deepEqual([...got.ids], [...expected.ids]);
    assert.deepEqual(got.unseen, expected.unseen);
    assert.ok(Object.keys(expected.unseen).length > 0, 'the sample misses some category of the frame');
    // `rows`: those rows only, in that order, from either form
    const rows = [7, 0, frame.shape[0] - 1, 7];
    const some = encodeLike(light, fitted, { idColumn: 'track_id', rows });
    const fromFrame = encodeLike(frame, fitted, { idColumn: 'track_id', rows });
    assert.deepEqual(some.matrix, fromFrame.matrix);
    assert.deepEqual(some.ids, fromFrame.ids);
    assert.deepEqual(
      Array.from(some.matrix.data),
      rows.flatMap((r) => Array.from(expected.matrix.data.subarray(r * fitted.matrix.d, (r + 1) * fitted.matrix.d))),
    );
    assert.deepEqual(
      some.ids,
      rows.map((r) => expected.ids[r]),
    );
  }
});

test('encodeLike on light columns refuses as on the frame: an unseen category at its first row, a NULL number, a bad row', () => {
  const fitted = encodeFrame({ genre: ['Pop', 'Rock', ''], tempo: [120, 90, 100] });
  const light = new StoredTracks({
    dbPath: 'x.duckdb',
    ids: ['a', 'b', 'c', 'd'],
    numbers: { tempo: Float64Array.of(1, 2, NaN, 4) },
    categories: { genre: { codes: Int32Array.of(2, 1, 0, 1), values: ['', 'Jazz', 'Rock'] } },
  });
  const frame = { genre: ['Rock', 'Jazz', '', 'Jazz'], tempo: [1, 2, null, 4] };
  for (const input of [light, frame]) {
    assert.throws(
      () => encodeLike(input, fitted, { unseen: 'refuse', rows: [0, 1, 3] }),
      /^Error: Column genre holds "Jazz" in row 1, a category the fitted rows never held/,
    );
    assert.throws(() => encodeLike(input, fitted), /^Error: Column tempo holds null in row 2; a numeric feature needs/);
    assert.throws(() => encodeLike(input, fitted, { rows: [4] }), /^Error: Row 4 is not a row of the table's 4 rows/);
    const ok = encodeLike(input, fitted, { rows: [3, 0, 1] });
    assert.deepEqual(Array.from(ok.matrix.data), [3, 4, 1, 1, 3, 2]);
    assert.deepEqual(ok.unseen, { genre: { rows: 2, categories: ['Jazz'] } });
  }
});
