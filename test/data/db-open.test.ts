/**
 * Damaged database files: a DuckDB file cut short (a copy that stopped half-way) or with a block
 * overwritten gets one sentence, "the database file … is damaged: …; remove it or point DB_PATH
 * elsewhere", from every step, never DuckDB's raw "IO Error", and is left byte for byte as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { damageOf, DatabaseError, queryRows, storeTracks, tableCounts } from '../../lib/data/db';
import { readTracks } from '../../lib/data/sample';
import { loadCatalogue } from '../../lib/catalogue/catalogue';
import { assertRefusedUntouched, fileState, freshPath, tracks } from './db-fixtures';

/** The damaged sentence for a file cut to `size` bytes. */
const cutShort = (path: string, size: number): RegExp =>
  new RegExp(
    `^The database file ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is damaged: it ends too early \\(DuckDB could not read \\d+ bytes at byte \\d+ of a ${size}-byte file\\), ` +
      'as a copy or download that stopped half-way would; remove it or point DB_PATH elsewhere\\.$',
  );

test('a database file cut short after its header is refused by every step with one sentence, and left as it was', async () => {
  const whole = freshPath();
  await storeTracks(whole, tracks());
  const cut = freshPath();
  writeFileSync(cut, readFileSync(whole).subarray(0, 13000));
  await assertRefusedUntouched(cut, cutShort(cut, 13000));
});

test("a database file cut at any block gives the damaged sentence where a step reads past the end, never DuckDB's IO Error", async () => {
  const whole = freshPath();
  await storeTracks(whole, tracks());
  const bytes = readFileSync(whole);
  // DuckDB's blocks are 256 KiB after a 12 KiB header; where the catalogue and the track values lie varies from run to run
  for (let size = 12288 + 262144; size < bytes.length; size += 262144) {
    const cut = freshPath();
    writeFileSync(cut, bytes.subarray(0, size));
    const before = fileState(cut);
    for (const step of [
      () => tableCounts(cut),
      () => readTracks(cut),
      () => loadCatalogue(cut),
      () => queryRows(cut, 'SELECT * FROM track'),
    ]) {
      const outcome = await step().then(
        () => null,
        (error: unknown) => error,
      );
      if (outcome === null) continue;
      assert.ok(outcome instanceof DatabaseError, String(outcome));
      assert.match(outcome.message, cutShort(cut, size));
    }
    assert.equal(fileState(cut), before);
  }
});

test('a block overwritten where the tracks are is reported as damage when a step reads it, and nothing is changed', async () => {
  const whole = freshPath();
  await storeTracks(whole, tracks());
  const bytes = readFileSync(whole);
  // DuckDB's blocks are 256 KiB after a 12 KiB header: overwrite each in turn until one holds track values
  let found = false;
  for (let block = 12288; block < bytes.length && !found; block += 262144) {
    const damaged = Buffer.from(bytes);
    damaged.fill(0, block + 100, block + 200);
    const path = freshPath();
    writeFileSync(path, damaged);
    const before = fileState(path);
    let counted = true;
    await tableCounts(path).catch(() => {
      counted = false;
    });
    if (!counted) continue; // this block holds the catalogue: refused on opening, as the test above shows
    for (const step of [
      () => readTracks(path),
      () => loadCatalogue(path),
      () => queryRows(path, 'SELECT * FROM track'),
    ]) {
      const outcome = await step().then(
        () => null,
        (error: unknown) => error,
      );
      if (outcome === null) continue;
      assert.ok(outcome instanceof DatabaseError, String(outcome));
      assert.equal(
        outcome.message,
        `The database file ${path} is damaged: the block at byte ${block} does not match its checksum, so some of its bytes were overwritten; remove it or point DB_PATH elsewhere.`,
      );
      found = true;
    }
    assert.equal(fileState(path), before);
  }
  assert.ok(found, 'some block holds the track values');
});

test("DuckDB's messages about damage become phrases; other errors are not damage", () => {
  assert.equal(
    damageOf(
      'IO Error: Could not read enough bytes from file "x.duckdb": attempted to read 262144 bytes from location 9449472',
    ),
    'it ends too early (DuckDB could not read 262144 bytes at byte 9449472), as a copy or download that stopped half-way would',
  );
  assert.equal(
    damageOf(
      'IO Error: Corrupt database file: computed checksum 5662664142096438533 does not match stored checksum 4702111234474983745 in block at location 4096',
    ),
    'the block at byte 4096 does not match its checksum, so some of its bytes were overwritten',
  );
  assert.equal(
    damageOf('IO Error: The file "x.duckdb" exists, but it is not a valid DuckDB database file!'),
    'its header is not one DuckDB can read, though it starts like a DuckDB file',
  );
  assert.equal(damageOf('IO Error: could not write to the write-ahead log: No space left on device'), null);
  assert.equal(damageOf('Catalog Error: Table with name track does not exist!'), null);
});

test('reading a path where no database exists makes no file there', async () => {
  const path = freshPath();
  assert.deepEqual(await tableCounts(path), {
    track: 0,
    cluster: 0,
    track_to_cluster: 0,
    sample_track: 0,
    gower_cluster: 0,
    track_to_gower_cluster: 0,
  });
  await assert.rejects(queryRows(path, 'SELECT * FROM track'), /holds no tracks yet: run notebook 01/);
  await assert.rejects(readTracks(path), /holds no tracks yet: run notebook 01/);
  assert.equal(existsSync(path), false);
});

test('reading leaves a database and the write-ahead log a killed program left beside it as they were', async () => {
  const path = freshPath();
  await storeTracks(path, tracks());
  // a program that writes and is killed before it closes leaves its changes in path.wal
  const writer = spawn(
    process.execPath,
    [
      '-e',
      `
    require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(path)}).then((db) => db.connect())
      .then((c) => c.run("CREATE TABLE notes AS SELECT 'listened' AS note")).then(() => { console.log('written'); setTimeout(() => {}, 30000); });
  `,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => writer.stdout!.once('data', resolve));
  writer.kill('SIGKILL');
  await new Promise((resolve) => writer.once('exit', resolve));
  assert.ok(existsSync(`${path}.wal`));
  const before = [fileState(path), readFileSync(`${path}.wal`).toString('base64')];
  assert.equal((await tableCounts(path)).track, tracks().rows.length);
  assert.equal((await readTracks(path)).shape[0], tracks().rows.length);
  assert.deepEqual(await queryRows(path, 'SELECT note FROM notes'), [{ note: 'listened' }]); // read through the log, not from the file
  assert.deepEqual([fileState(path), readFileSync(`${path}.wal`).toString('base64')], before);
  await storeTracks(path, tracks()); // a write replays the log into the file, as DuckDB does
  assert.deepEqual(await queryRows(path, 'SELECT note FROM notes'), [{ note: 'listened' }]);
});
