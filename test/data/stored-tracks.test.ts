import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSample, readTracks, sampleTracks } from '../../lib/data/sample';
import { decodeColumn, isCodedColumn, readStoredTracks, StoredTracks } from '../../lib/data/stored-tracks';
import { storeTracks, tracksFromFrame, withDatabase, setupDb } from '../../lib/data/db';
import { frameColumn } from '../../lib/data/frame';
import { dropDuplicateTracks } from '../../lib/data/clean';
import { generateSpotifyRows } from '../../lib/data/synthetic';
import { generatedFrame } from './generated-frame';

const frame = () => dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows: 400, seed: 9 }))).df;
const freshPath = () => join(mkdtempSync(join(tmpdir(), 'stored-tracks-')), 'db.duckdb');

async function stored(...sql: string[]): Promise<string> {
  const path = freshPath();
  await storeTracks(path, tracksFromFrame(frame()));
  await withDatabase(path, async (con) => {
    for (const statement of sql) await con.run(statement);
  });
  return path;
}

/** Every column of the light read equals readTracks' column (NaN where readTracks has null). */
async function assertSameAsReadTracks(path: string): Promise<StoredTracks> {
  const light = await readStoredTracks(path);
  const full = await readTracks(path);
  assert.equal(light.size, full.shape[0]);
  assert.equal(light.dbPath, path);
  assert.deepEqual([...light.ids], Array.from(frameColumn(full, 'track_id')));
  assert.deepEqual(
    light.columnNames,
    full.columns.filter((name) => name !== 'track_name' && name !== 'artist_name'),
  );
  for (const name of light.columnNames) {
    const column = light.column(name);
    const numeric = column instanceof Float64Array;
    const expected = Array.from(frameColumn(full, name), (value) => (numeric && value === null ? NaN : value));
    const got: unknown[] = isCodedColumn(column) ? decodeColumn(column) : Array.from<unknown>(column);
    assert.deepEqual(got, expected, name);
  }
  return light;
}

/** readSample gives exactly sampleTracks(readTracks(db)): rows, order, values, dtypes, column types. */
async function assertSameSample(path: string, size: number, seed: number): Promise<void> {
  const light = await readStoredTracks(path);
  const expected = sampleTracks(await readTracks(path), size, seed);
  const got = await readSample(light, size, seed);
  assert.deepEqual(got.shape, expected.shape);
  assert.deepEqual(got.columns, expected.columns);
  assert.deepEqual(got.dtypes, expected.dtypes);
  assert.deepEqual([...got.index], [...expected.index]);
  for (const name of expected.columns) {
    const a = frameColumn(got, name);
    const b = frameColumn(expected, name);
    assert.equal(a.constructor, b.constructor, `${name}: the same kind of array`);
    assert.deepEqual(a, b, name);
  }
  assert.deepEqual(got.values, expected.values);
}

test('the light read holds every stored track in track_id order: ids, numbers and categories as readTracks has them', async () => {
  const path = await stored();
  const light = await assertSameAsReadTracks(path);
  assert.deepEqual([...light.ids], [...light.ids].sort());
  assert.ok(light.numbers.tempo instanceof Float64Array);
  const genre = light.categories.genre;
  assert.ok(genre.codes instanceof Int32Array);
  assert.equal(genre.values.length, new Set(genre.values).size);
  assert.ok(genre.values.length < 30, 'the distinct genres, not one string per track');
  assert.equal(light.withNulls.size, 0);
  assert.throws(
    () => light.column('track_name'),
    /^Error: The stored tracks hold no column 'track_name'; they hold genre, track_id, /,
  );
});

test('NULLs read as NaN in numbers and as a null category; text holding the separators reads value by value', async () => {
  const path = await stored(
    'UPDATE track SET tempo = NULL, genre = NULL WHERE track_id IN (SELECT track_id FROM track ORDER BY track_id LIMIT 3)',
    "UPDATE track SET key = '' WHERE track_id IN (SELECT track_id FROM track ORDER BY track_id DESC LIMIT 2)",
    "INSERT INTO track SELECT * REPLACE ('zz' || chr(31) || 'x' || chr(29) AS track_id, 'A' || chr(31) || 'B' AS track_name) FROM track LIMIT 1",
    "INSERT INTO track SELECT * REPLACE ('zz' || chr(31) AS track_id, 'Rock' || chr(31) AS genre) FROM track LIMIT 1",
  );
  const light = await assertSameAsReadTracks(path);
  assert.ok(Number.isNaN(light.numbers.tempo[0]) && Number.isNaN(light.numbers.tempo[2]));
  assert.ok(!Number.isNaN(light.numbers.tempo[3]));
  assert.deepEqual([...light.withNulls], ['tempo']);
  assert.equal(light.categories.genre.values.at(-1), null, 'NULL is the last distinct value');
  assert.equal(light.ids.at(-2), 'zz\u001f');
  assert.equal(light.ids.at(-1), 'zz\u001fx\u001d');
  assert.ok(light.categories.genre.values.includes('Rock\u001f'));
  assert.ok(light.categories.key.values.includes(''));
  const [names, genres] = await light.readText(['track_name', 'genre'], [light.size - 1, 0]);
  assert.equal(names[light.size - 1], 'A\u001fB');
  assert.equal(genres[0], null);
  assert.equal(names.filter(() => true).length, 2, 'values at the rows asked for only');
  assert.equal(names[1], undefined);
  await assertSameSample(path, 50, 42);
  await assertSameSample(path, 10 ** 6, 3);
});

test('a category with a value per track codes as readTracks has it (a join on the distinct values, not a search in them)', async () => {
  const path = await stored("UPDATE track SET genre = 'g' || (rowid * 7919 % 1000)", 'UPDATE track SET mode = NULL');
  const light = await assertSameAsReadTracks(path);
  assert.equal(light.categories.genre.values.length, light.size);
  assert.deepEqual(light.categories.mode.values, [null], 'a category of NULLs only');
});

test('readSample is sampleTracks(readTracks(db)) for any size and seed, and refuses a bad size as it does', async () => {
  const path = await stored();
  for (const [size, seed] of [
    [1, 42],
    [120, 42],
    [120, 7],
    [10 ** 6, 1],
  ])
    await assertSameSample(path, size, seed);
  const light = await readStoredTracks(path);
  await assert.rejects(
    readSample(light, 0, 42),
    /^Error: The sample size must be a whole number of at least 1, got 0\.$/,
  );
});

test('readText reads the asked rows of text columns only, and refuses a row or column it does not know', async () => {
  const path = await stored();
  const light = await readStoredTracks(path);
  const full = await readTracks(path);
  const rows = [5, 0, light.size - 1];
  const [names, artists] = await light.readText(['track_name', 'artist_name'], rows);
  for (const row of rows) {
    assert.equal(names[row], frameColumn(full, 'track_name')[row]);
    assert.equal(artists[row], frameColumn(full, 'artist_name')[row]);
  }
  assert.deepEqual(await light.readText(['track_name'], []), [[]]);
  await assert.rejects(
    light.readText(['track_name'], [light.size]),
    /^Error: Row \d+ is not one of the \d+ stored tracks/,
  );
  await assert.rejects(
    light.readText(['lyrics'], [0]),
    /^Error: readText reads columns of the track table, and 'lyrics' is not one/,
  );
});

test('an empty store is refused with the sentence readTracks says (other refusals: db-fixtures.ts)', async () => {
  const empty = freshPath();
  await withDatabase(empty, (con) => setupDb(con));
  await assert.rejects(
    readStoredTracks(empty),
    /^Error: The database .*db\.duckdb holds no tracks yet: run notebook 01 \(or `npm run notebooks`\) first, with the same DB_PATH\.$/,
  );
  await assert.rejects(readStoredTracks(freshPath()), /holds no tracks yet: run notebook 01/);
});

test('light columns of unequal length are refused', () => {
  assert.throws(
    () => new StoredTracks({ dbPath: 'x', ids: ['a', 'b'], numbers: { tempo: Float64Array.of(1) }, categories: {} }),
    /^Error: The column tempo has 1 values for 2 tracks; give one value per track\.$/,
  );
});

test('with { text: true } the reader also packs every text column, gives every column in table order, and the ids from the pack', async () => {
  const path = await stored(
    'UPDATE track SET artist_name = NULL WHERE track_id IN (SELECT track_id FROM track ORDER BY track_id LIMIT 1)',
    "UPDATE track SET track_name = 'Crème 😀 日本' WHERE track_id IN (SELECT track_id FROM track ORDER BY track_id DESC LIMIT 1)",
  );
  const plain = await readStoredTracks(path);
  const full = await readTracks(path);
  for (const blockRows of [7, 65536]) {
    const light = await readStoredTracks(path, { text: true, blockRows });
    assert.equal(light.size, plain.size);
    assert.deepEqual(light.tableNames, full.columns);
    assert.deepEqual(light.columnNames, plain.columnNames);
    assert.equal(light.idsInOrder, true);
    assert.deepEqual(light.text?.names, ['artist_name', 'track_name', 'track_id']);
    for (const name of ['track_name', 'artist_name', 'track_id'])
      assert.deepEqual(light.packedText(name).values(), Array.from(frameColumn(full, name)), name);
    assert.deepEqual([...light.ids], [...plain.ids]);
    for (const name of plain.columnNames) assert.deepEqual(light.column(name), plain.column(name), name);
    assert.deepEqual(light.withNulls, plain.withNulls);
  }
  assert.equal(plain.text, null);
  assert.throws(
    () => plain.packedText('track_name'),
    /^Error: The stored tracks hold no packed text 'track_name'; they hold none \(read them with readStoredTracks\(dbPath, \{ text: true \}\)\)\.$/,
  );
  await assert.rejects(
    readStoredTracks(path, { text: true, blockRows: 0 }),
    /^Error: blockRows must be a whole number of at least 1, got 0\.$/,
  );
});

test('stored tracks without ids are refused', () => {
  assert.throws(
    () => new StoredTracks({ dbPath: 'x', numbers: {}, categories: {} }),
    /^Error: The stored tracks need their ids: give ids, or a packed text column track_id\.$/,
  );
});
