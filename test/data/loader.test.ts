import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpotifyCsv, parseSpotifyCsv, repairTimeSignature, SpotifyCsvError } from '../../lib/data/loader';
import { generateSpotifyRows, mangleSpotifyCsv, spotifyCsvText } from '../../lib/data/synthetic';
import { SPOTIFY_COLUMN_NAMES } from '../../lib/data/schema';

const HEADER = SPOTIFY_COLUMN_NAMES.join(',');
// one well-formed row, field by field in schema order
const ROW = ['Pop', '"Earth, Wind & Fire"', '"Say ""Hi"""', '6iOvnACn4ChlAw4lWUU4dd', '61', '0.611', '0.389', '99373', '0.91', '8.19E-06', 'C#', '0.346', '-1.828', 'Major', '0.0525', '166.969', '4/4', '0.814'];
const row = (changes: Record<string, string> = {}): string =>
  ROW.map((value, i) => changes[SPOTIFY_COLUMN_NAMES[i]] ?? value).join(',');
const csv = (...lines: string[]): string => [HEADER, ...lines].join('\n') + '\n';

function expectError(text: string, pattern: RegExp): void {
  assert.throws(() => parseSpotifyCsv(text, 'test.csv'), (error: unknown) => {
    assert.ok(error instanceof SpotifyCsvError, `not a SpotifyCsvError: ${error}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test('a clean row is read with text, integers, floats and scientific notation', () => {
  const { table, report } = parseSpotifyCsv(csv(row()));
  assert.deepEqual(table.rows[0], ['Pop', 'Earth, Wind & Fire', 'Say "Hi"', '6iOvnACn4ChlAw4lWUU4dd', 61, 0.611, 0.389, 99373, 0.91, 0.00000819, 'C#', 0.346, -1.828, 'Major', 0.0525, 166.969, '4/4', 0.814]);
  assert.deepEqual(report.warnings, []);
  assert.equal(report.rows, 1);
});

test('a byte-order mark before genre and CRLF endings are tolerated', () => {
  const { table, report } = parseSpotifyCsv('\uFEFF' + csv(row(), row({ track_id: 'x' })).replace(/\n/g, '\r\n'));
  assert.equal(table.rows.length, 2);
  assert.equal(table.names[0], 'genre');
  assert.equal(report.hadByteOrderMark, true);
  assert.equal(report.hadCrlf, true);
  assert.equal(table.rows[1][17], 0.814); // no stray \r on the last field
});

test('a missing column is an error that names it', () => {
  const text = [SPOTIFY_COLUMN_NAMES.filter((n) => n !== 'tempo').join(','), ROW.filter((_, i) => i !== 15).join(',')].join('\n');
  expectError(text, /missing the column 'tempo'/);
});

test('a misspelt column is an error that names it and the spelling found', () => {
  expectError(csv(row()).replace('popularity', 'popularty'), /missing the column 'popularity' \(found 'popularty': misspelt\?\)/);
});

test('extra columns are kept and reported', () => {
  const text = [HEADER + ',comment,plays', row() + ',great,12'].join('\n');
  const { table, report } = parseSpotifyCsv(text);
  assert.deepEqual(report.extraColumns, ['comment', 'plays']);
  assert.deepEqual(table.rows[0].slice(18), ['great', '12']);
  assert.match(report.warnings.join(' '), /extra columns not in the schema: comment, plays/);
});

test('a non-numeric value in a numeric column names the column, the line and the value', () => {
  expectError(csv(row(), row({ track_id: 'b', tempo: 'fast' })), /line 3: the column 'tempo' holds "fast", which is not a number/);
});

test('a fractional popularity is refused as not a whole number', () => {
  expectError(csv(row({ popularity: '12.5' })), /line 2: the column 'popularity' holds 12.5, which is not a whole number/);
});

test('spreadsheet dates in time_signature are repaired and counted', () => {
  const dates: Record<string, string> = { '4-Apr': '4/4', '04-Apr': '4/4', '3-Apr': '3/4', '4-Mar': '3/4', '4-May': '5/4', '4-Jan': '1/4', '5-Apr': '5/4', '1-Apr': '1/4' };
  const lines = Object.keys(dates).map((date, i) => row({ track_id: `t${i}`, time_signature: date }));
  const { table, report } = parseSpotifyCsv(csv(...lines, row({ track_id: 'clean' })));
  assert.deepEqual(table.rows.map((r) => r[16]), [...Object.values(dates), '4/4']);
  assert.equal(report.repairedTimeSignatures, 8);
  assert.match(report.warnings.join(' '), /Repaired 8 time_signature values/);
});

test('repairTimeSignature leaves values that are not such dates alone', () => {
  assert.equal(repairTimeSignature('4/4'), null);
  assert.equal(repairTimeSignature('7-Jun'), null); // neither number is 4
  assert.equal(repairTimeSignature('Apr-04'), '4/4');
});

test('a cut-off last line is skipped with a warning naming its line, never half-filled', () => {
  const text = csv(row(), row({ track_id: 'b' })) + row({ track_id: 'c' }).slice(0, 60);
  const { table, report } = parseSpotifyCsv(text);
  assert.equal(table.rows.length, 2);
  assert.deepEqual(report.skippedLines, [4]);
  assert.equal(report.rowsInFile, 3);
  assert.match(report.warnings[0], /Skipped 1 incomplete row .* on line 4/);
});

test('a row with the right number of fields but empty trailing numbers is skipped as incomplete', () => {
  const cut = row({ track_id: 'c', tempo: '', time_signature: '', valence: '' });
  const { table, report } = parseSpotifyCsv(csv(row(), cut));
  assert.equal(table.rows.length, 1);
  assert.deepEqual(report.skippedLines, [3]);
});

test('a row with too many fields is skipped as well', () => {
  const { table, report } = parseSpotifyCsv(csv(row(), row({ track_id: 'b' }) + ',extra'));
  assert.equal(table.rows.length, 1);
  assert.deepEqual(report.skippedLines, [3]);
});

test('an empty file, a header-only file and a file without commas are refused with a sentence', () => {
  expectError('', /is empty/);
  expectError('\n\n', /is empty/);
  expectError(HEADER + '\n', /has a header but no data rows/);
  expectError('hello world\nthis is not csv\n', /does not look like a CSV file/);
});

test('a binary file is refused as not CSV text', () => {
  expectError('PK\u0003\u0004\u0000\u0000binary', /not a CSV text file/);
});

test('a missing file is refused with a sentence that says where to put the real one', () => {
  assert.throws(() => loadSpotifyCsv('/no/such/SpotifyFeatures.csv'), /There is no file at \/no\/such\/SpotifyFeatures.csv\. Download SpotifyFeatures.csv/);
});

test('a generated file mangled every way real copies are loads to the same rows as the clean one', () => {
  const rows = generateSpotifyRows({ rows: 400, seed: 3 });
  const clean = spotifyCsvText(rows);
  const mangled = mangleSpotifyCsv(clean, { bom: true, crlf: true, spreadsheetDates: 0.5, cutLastLine: true });
  const a = parseSpotifyCsv(clean).table.rows;
  const { table, report } = parseSpotifyCsv(mangled);
  assert.deepEqual(table.rows, a.slice(0, -1)); // all but the cut-off last row
  assert.ok(report.repairedTimeSignatures > 50);
  assert.deepEqual(report.skippedLines, [401]);
});

test('loadSpotifyCsv returns a DataFrame with the schema\'s dtypes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loader-'));
  const file = join(dir, 'tracks.csv');
  writeFileSync(file, csv(row(), row({ track_id: 'b', popularity: '5' })));
  const { df, report } = loadSpotifyCsv(file);
  assert.deepEqual(df.shape, [2, 18]);
  assert.deepEqual(df.columns, SPOTIFY_COLUMN_NAMES);
  assert.equal(df.dtypes[4], 'int32');
  assert.equal(df.dtypes[5], 'float32');
  assert.equal(df.dtypes[0], 'string');
  assert.deepEqual(df.column('popularity').values, [61, 5]);
  assert.equal(report.source, file);
});
