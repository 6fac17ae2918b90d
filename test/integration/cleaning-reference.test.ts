/**
 * The original notebook's cleaning here and in pandas, on the same mangled file (test/fixtures/spotify-mangled.csv).
 * Expected values: test/fixtures/cleaning_pandas.json, made by test/reference/cleaning_fixtures.py
 * (pandas pinned in test/reference/requirements.txt).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { loadSpotifyCsv } from '../../lib/data/loader';
import { dropDuplicateTracks, keepPopularTracks } from '../../lib/data/clean';
import { NUMERIC_FEATURES } from '../../lib/data/schema';
import { StagedTracks } from '../../lib/data/load-tracks';
import { queryRows } from '../../lib/data/db';

const fixtures = join(PROJECT_ROOT, 'test', 'fixtures');
const pandas = JSON.parse(readFileSync(join(fixtures, 'cleaning_pandas.json'), 'utf8'));
const cleaned = loadSpotifyCsv(join(fixtures, 'spotify-mangled.csv')).then(({ df, report }) => {
  const unique = dropDuplicateTracks(df).df;
  return { df, report, unique, kept: keepPopularTracks(unique, 10) };
});

test("the row counts after each cleaning step equal pandas' counts", async () => {
  const { df, report, unique, kept } = await cleaned;
  assert.equal(report.rowsInFile, pandas.rows_read);
  assert.equal(df.shape[0], pandas.complete_rows);
  assert.equal(unique.shape[0], pandas.unique_tracks);
  assert.equal(kept.shape[0], pandas.kept_tracks);
});

test("every numeric column of the cleaned tracks sums to pandas' sum (to 1e-12 relative)", async () => {
  const { kept } = await cleaned;
  for (const name of NUMERIC_FEATURES) {
    const values = kept.column(name).values as number[];
    const sum = values.reduce((a, b) => a + b, 0);
    assert.ok(
      Math.abs(sum - pandas.sums[name]) <= 1e-12 * Math.abs(pandas.sums[name]),
      `${name}: ${sum} vs ${pandas.sums[name]}`,
    );
  }
});

test('the repaired time signatures count as pandas counts them after the same repair', async () => {
  const { kept } = await cleaned;
  const counts: Record<string, number> = {};
  for (const value of kept.column('time_signature').values as string[]) counts[value] = (counts[value] ?? 0) + 1;
  assert.deepEqual(counts, pandas.time_signatures);
});

test("the track table filled by SQL (StagedTracks.store) holds pandas' tracks, sums and time signatures", async () => {
  const staged = await StagedTracks.load(join(fixtures, 'spotify-mangled.csv'));
  const path = join(mkdtempSync(join(tmpdir(), 'cleaning-')), 'sql.duckdb');
  try {
    assert.equal(staged.report.rowsInFile, pandas.rows_read);
    assert.equal(staged.report.rows, pandas.complete_rows);
    assert.equal(await staged.uniqueCount(), pandas.unique_tracks);
    assert.equal((await staged.store(path, 10)).tracks, pandas.kept_tracks);
  } finally {
    staged.close();
  }
  const [sums] = await queryRows(
    path,
    `SELECT ${NUMERIC_FEATURES.map((name) => `sum(${name}) AS ${name}`).join(', ')} FROM track`,
  );
  for (const name of NUMERIC_FEATURES) {
    const sum = Number(sums[name]);
    assert.ok(
      Math.abs(sum - pandas.sums[name]) <= 1e-12 * Math.abs(pandas.sums[name]),
      `${name}: ${sum} vs ${pandas.sums[name]}`,
    );
  }
  const counts: Record<string, number> = {};
  for (const row of await queryRows(path, 'SELECT time_signature, count(*) AS n FROM track GROUP BY 1'))
    counts[String(row.time_signature)] = Number(row.n);
  assert.deepEqual(counts, pandas.time_signatures);
});
