import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { SpotifyCsvError } from '../../lib/data/csv-checks';
import { CsvBytes, HEAD_BYTES } from '../../lib/data/csv-file';
import { loadSpotifyCsv, parseSpotifyBytes, stageSpotifyFile } from '../../lib/data/loader';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';

// A file well past the head the loader reads at once (64 kB), so that a problem near its end is
// found by the pass over the whole file or by DuckDB, not in the head.
const dir = mkdtempSync(join(tmpdir(), 'loader-file-'));
const LINES = spotifyCsvText(generateSpotifyRows({ rows: 2000, seed: 5 })).split('\n');
const DEEP = 1990; // a line near the end (1-based)
const fileOf = (name: string, bytes: Buffer): string => {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
};
const withLine = (line: number, change: (text: string) => string): string =>
  LINES.map((text, i) => (i === line - 1 ? change(text) : text)).join('\n');
const fields = (line: number): string[] => LINES[line - 1].split(',');
assert.equal(fields(DEEP).length, 18); // no quoted field on that line: the changes below split it on commas

/** The message a refusal of the file gives, through the file path and through the bytes in memory: the same. */
async function refusal(name: string, bytes: Buffer): Promise<string> {
  assert.ok(bytes.length > 2 * HEAD_BYTES);
  const file = fileOf(name, bytes);
  const messages: string[] = [];
  for (const load of [() => loadSpotifyCsv(file), () => parseSpotifyBytes(bytes, file)])
    await assert.rejects(load, (error: unknown) => {
      assert.ok(error instanceof SpotifyCsvError, `not a SpotifyCsvError: ${error}`);
      messages.push(error.message);
      return true;
    });
  assert.equal(messages[0], messages[1]);
  return messages[0];
}

test('a byte that is not UTF-8 near the end of a large file is refused with its line, as in a small one', async () => {
  const text = withLine(DEEP, (line) => line.replace(/^([^,]*),/, '$1,Zyxonc\u00e9 '));
  const bytes = Buffer.from(text, 'utf8');
  const at = bytes.indexOf(Buffer.from('Zyxonc\u00e9 ', 'utf8'));
  bytes[at + 6] = 0xe9; // é in Windows-1252 (then the second byte of UTF-8's é, not a first byte)
  const message = await refusal('latin.csv', bytes);
  assert.match(message, new RegExp(`is not UTF-8 text: line ${DEEP} holds the byte 0xE9`));
});

test('a stray quote, a word for a number, an unknown key deep in a large file name their lines', async () => {
  const quote = withLine(DEEP, (line) => line.replace(/,([^,]*),/, ',"$1,'));
  assert.match(
    await refusal('quote.csv', Buffer.from(quote, 'utf8')),
    new RegExp(`, line ${DEEP}: a quote \\(\\"\\) opens a field that`),
  );
  const tempo = withLine(DEEP, () =>
    fields(DEEP)
      .map((v, i) => (i === 15 ? 'fast' : v))
      .join(','),
  );
  assert.match(
    await refusal('tempo.csv', Buffer.from(tempo, 'utf8')),
    new RegExp(`, line ${DEEP}: the column 'tempo' holds "fast", which is not a number`),
  );
  const key = withLine(DEEP, () =>
    fields(DEEP)
      .map((v, i) => (i === 10 ? 'H' : v))
      .join(','),
  );
  assert.match(await refusal('key.csv', Buffer.from(key, 'utf8')), new RegExp(`such as "H" on line ${DEEP}`));
});

test('the words for a missing number (NA, None, #N/A, NaN, null …) skip their rows, with their lines', async () => {
  const words = ['NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A', '', ' NA '];
  const numeric = [4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 17]; // popularity … valence, text columns left out
  const text = LINES.map((line, i) =>
    i >= 1000 && i < 1000 + words.length
      ? line
          .split(',')
          .map((v, f) => (f === numeric[i - 1000] ? words[i - 1000] : v))
          .join(',')
      : line,
  ).join('\n');
  const { df, report } = await loadSpotifyCsv(fileOf('missing.csv', Buffer.from(text, 'utf8')));
  assert.deepEqual(
    report.skippedLines,
    words.map((_, k) => 1001 + k),
  );
  assert.equal(df.shape[0], 2000 - words.length);
  // the same words in a text column are text
  const named = withLine(DEEP, (line) => line.replace(/^([^,]*),[^,]*,/, '$1,NA,'));
  const loaded = await loadSpotifyCsv(fileOf('na-artist.csv', Buffer.from(named, 'utf8')));
  assert.equal(loaded.df.column('artist_name').values[DEEP - 2], 'NA');
  assert.deepEqual(loaded.report.skippedLines, []);
});

test('numbers settled by the statistics DuckDB keeps, or aggregated when those show a problem, give the same notes', async () => {
  // a new genre with an acousticness of 0 (a clean file: the statistics settle the numbers) is noted
  const polka = withLine(DEEP, () =>
    fields(DEEP)
      .map((v, i) => (i === 0 ? 'Polka' : i === 5 ? '0' : v))
      .join(','),
  );
  const { report } = await loadSpotifyCsv(fileOf('polka.csv', Buffer.from(polka, 'utf8')));
  assert.match(report.warnings.join(' '), new RegExp(`Kept 1 row whose genre is not one of the 27 .* on line ${DEEP}`));
  // an empty number elsewhere (the aggregates run) changes nothing else
  const both = withLine(10, () =>
    fields(10)
      .map((v, i) => (i === 6 ? '' : v))
      .join(','),
  )
    .split('\n')
    .map((line, i) => (i === DEEP - 1 ? polka.split('\n')[i] : line))
    .join('\n');
  const aggregated = await loadSpotifyCsv(fileOf('polka-empty.csv', Buffer.from(both, 'utf8')));
  assert.deepEqual(aggregated.report.skippedLines, [10]);
  assert.match(aggregated.report.warnings.join(' '), new RegExp(`Kept 1 row whose genre .* on line ${DEEP}`));
  // values outside their range are refused through the aggregates, first in file order
  const loud = withLine(DEEP, () =>
    fields(DEEP)
      .map((v, i) => (i === 5 ? '1.5' : v))
      .join(','),
  );
  assert.match(
    await refusal('loud.csv', Buffer.from(loud, 'utf8')),
    new RegExp(`, line ${DEEP}: the column 'acousticness' holds 1.5, outside its range \\(from 0 to 1\\)`),
  );
});

test('CRLF endings and replacement characters deep in a large file are found', async () => {
  const crlf = withLine(DEEP, () =>
    fields(DEEP)
      .map((v, i) => (i === 2 ? '"two\r\nlines"' : v))
      .join(','),
  );
  const { report } = await loadSpotifyCsv(fileOf('crlf.csv', Buffer.from(crlf, 'utf8')));
  assert.equal(report.hadCrlf, true);
  assert.equal(report.rows, 2000);
  const lf = await loadSpotifyCsv(fileOf('lf.csv', Buffer.from(LINES.join('\n'), 'utf8')));
  assert.equal(lf.report.hadCrlf, false);
  assert.deepEqual(lf.report.warnings, []);
  const lost = withLine(DEEP, (line) => line.replace(/^([^,]*),/, '$1,Zyxonc\uFFFD '));
  const replaced = await loadSpotifyCsv(fileOf('fffd.csv', Buffer.from(lost, 'utf8')));
  assert.match(replaced.report.warnings.join(' '), new RegExp(`\uFFFD 1 time, first on line ${DEEP}`));
});

test('the pass over every byte sees a CRLF, a character and U+FFFD cut by its 256 kB chunks', () => {
  const chunk = 262144;
  const at = (offset: number, inserted: string): CsvBytes => {
    const bytes = Buffer.alloc(chunk * 2 + 100, 'a');
    const encoded = Buffer.from(inserted, 'utf8');
    encoded.copy(bytes, offset);
    return CsvBytes.fromFile(fileOf('chunks.csv', bytes));
  };
  assert.deepEqual(at(chunk - 1, '\r\n').scan(), { utf8: true, crlf: true, replacement: false });
  assert.deepEqual(at(chunk - 1, '\u00e9').scan(), { utf8: true, crlf: false, replacement: false });
  assert.deepEqual(at(chunk - 2, '\uFFFD').scan(), { utf8: true, crlf: false, replacement: true });
  assert.deepEqual(at(chunk - 1, '\u{1F3B5}').scan(), { utf8: true, crlf: false, replacement: false });
  assert.deepEqual(at(chunk * 2 + 99, '\u00e9').scan().utf8, false); // cut off by the end of the file
  const lone = Buffer.alloc(chunk + 10, 'a');
  lone[chunk + 5] = 0x80;
  assert.equal(CsvBytes.fromFile(fileOf('lone.csv', lone)).scan().utf8, false);
});

test('a large file of blanks is refused as empty', async () => {
  const blanks = Buffer.from('\uFEFF' + ' \n'.repeat(HEAD_BYTES), 'utf8');
  await assert.rejects(() => loadSpotifyCsv(fileOf('blank.csv', blanks)), /blank\.csv is empty\. Point SPOTIFY_CSV/);
});

test('a refused file leaves no staging table behind in the connection', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const tempo = withLine(DEEP, () =>
      fields(DEEP)
        .map((v, i) => (i === 15 ? 'fast' : v))
        .join(','),
    );
    await assert.rejects(() => stageSpotifyFile(connection, fileOf('tempo2.csv', Buffer.from(tempo, 'utf8'))));
    const tables = (await connection.runAndReadAll('SELECT table_name FROM duckdb_tables()')).getRows();
    assert.deepEqual(tables, []);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
});
