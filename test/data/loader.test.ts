import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpotifyCsv, parseSpotifyBytes, parseSpotifyCsv, tableToDataFrame } from '../../lib/data/loader';
import { SpotifyCsvError } from '../../lib/data/csv-checks';
import { generateSpotifyRows, mangleSpotifyCsv, spotifyCsvColumns, spotifyCsvText } from '../../lib/data/synthetic';
import { generatedFrame } from './generated-frame';
import { SPOTIFY_COLUMN_NAMES } from '../../lib/data/schema';

const HEADER = SPOTIFY_COLUMN_NAMES.join(',');
// one well-formed row, field by field in schema order
const ROW = [
  'Pop',
  '"Earth, Wind & Fire"',
  '"Say ""Hi"""',
  '6iOvnACn4ChlAw4lWUU4dd',
  '61',
  '0.611',
  '0.389',
  '99373',
  '0.91',
  '8.19E-06',
  'C#',
  '0.346',
  '-1.828',
  'Major',
  '0.0525',
  '166.969',
  '4/4',
  '0.814',
];
const row = (changes: Record<string, string> = {}): string =>
  ROW.map((value, i) => changes[SPOTIFY_COLUMN_NAMES[i]] ?? value).join(',');
const csv = (...lines: string[]): string => [HEADER, ...lines].join('\n') + '\n';

async function expectError(text: string, pattern: RegExp): Promise<void> {
  await assert.rejects(
    () => parseSpotifyCsv(text, 'test.csv'),
    (error: unknown) => {
      assert.ok(error instanceof SpotifyCsvError, `not a SpotifyCsvError: ${error}`);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

test('a clean row is read with text, integers, floats and scientific notation', async () => {
  const { table, report } = await parseSpotifyCsv(csv(row()));
  assert.deepEqual(table.rows[0], [
    'Pop',
    'Earth, Wind & Fire',
    'Say "Hi"',
    '6iOvnACn4ChlAw4lWUU4dd',
    61,
    0.611,
    0.389,
    99373,
    0.91,
    0.00000819,
    'C#',
    0.346,
    -1.828,
    'Major',
    0.0525,
    166.969,
    '4/4',
    0.814,
  ]);
  assert.deepEqual(report.warnings, []);
  assert.equal(report.rows, 1);
});

test('a byte-order mark before genre and CRLF endings are tolerated', async () => {
  const { table, report } = await parseSpotifyCsv('\uFEFF' + csv(row(), row({ track_id: 'x' })).replace(/\n/g, '\r\n'));
  assert.equal(table.rows.length, 2);
  assert.equal(table.names[0], 'genre');
  assert.equal(report.hadByteOrderMark, true);
  assert.equal(report.hadCrlf, true);
  assert.equal(table.rows[1][17], 0.814); // no stray \r on the last field
});

test('a missing column is an error that names it', async () => {
  const text = [
    SPOTIFY_COLUMN_NAMES.filter((n) => n !== 'tempo').join(','),
    ROW.filter((_, i) => i !== 15).join(','),
  ].join('\n');
  await expectError(text, /missing the column 'tempo'/);
});

test('a misspelt column is an error that names it and the spelling found', async () => {
  await expectError(
    csv(row()).replace('popularity', 'popularty'),
    /missing the column 'popularity' \(found 'popularty': misspelt\?\)/,
  );
});

test('extra columns are kept and reported', async () => {
  const text = [HEADER + ',comment,plays', row() + ',great,12'].join('\n');
  const { table, report } = await parseSpotifyCsv(text);
  assert.deepEqual(report.extraColumns, ['comment', 'plays']);
  assert.deepEqual(table.rows[0].slice(18), ['great', '12']);
  assert.match(report.warnings.join(' '), /extra columns not in the schema: comment, plays/);
});

test('a non-numeric value in a numeric column names the column, the line and the value', async () => {
  await expectError(
    csv(row(), row({ track_id: 'b', tempo: 'fast' })),
    /line 3: the column 'tempo' holds "fast", which is not a number/,
  );
});

test('an empty or blank track_id is refused with its line: every stored track needs an id', async () => {
  await expectError(
    csv(row(), row({ track_id: '' })),
    /^test\.csv, line 3: the column 'track_id' is empty, but every track needs an id \(the key of the stored track table\)\. Fix or delete that line\.$/,
  );
  await expectError(
    csv(row(), row({ track_id: 'b' }), row({ track_id: '   ' })),
    /^test\.csv, line 4: the column 'track_id' holds only spaces \("   "\), but every track needs an id/,
  );
  await expectError(csv(row({ track_id: '""' })), /line 2: the column 'track_id' is empty/);
});

test('a fractional popularity is refused as not a whole number', async () => {
  await expectError(
    csv(row({ popularity: '12.5' })),
    /line 2: the column 'popularity' holds 12.5, which is not a whole number/,
  );
});

test('spreadsheet dates in time_signature are repaired and counted', async () => {
  const dates: Record<string, string> = {
    '4-Apr': '4/4',
    '04-Apr': '4/4',
    '3-Apr': '3/4',
    '4-Mar': '3/4',
    '4-May': '5/4',
    '4-Jan': '1/4',
    '5-Apr': '5/4',
    '1-Apr': '1/4',
  };
  const lines = Object.keys(dates).map((date, i) => row({ track_id: `t${i}`, time_signature: date }));
  const { table, report } = await parseSpotifyCsv(csv(...lines, row({ track_id: 'clean' })));
  assert.deepEqual(
    table.rows.map((r) => r[16]),
    [...Object.values(dates), '4/4'],
  );
  assert.equal(report.repairedTimeSignatures, 8);
  assert.match(report.warnings.join(' '), /Repaired 8 time_signature values/);
});

test('a cut-off last line is skipped with a warning naming its line, never half-filled', async () => {
  const text = csv(row(), row({ track_id: 'b' })) + row({ track_id: 'c' }).slice(0, 60);
  const { table, report } = await parseSpotifyCsv(text);
  assert.equal(table.rows.length, 2);
  assert.deepEqual(report.skippedLines, [4]);
  assert.equal(report.rowsInFile, 3);
  assert.match(report.warnings[0], /Skipped 1 incomplete row .* on line 4/);
});

test('a row with the right number of fields but empty trailing numbers is skipped as incomplete', async () => {
  const cut = row({ track_id: 'c', tempo: '', time_signature: '', valence: '' });
  const { table, report } = await parseSpotifyCsv(csv(row(), cut));
  assert.equal(table.rows.length, 1);
  assert.deepEqual(report.skippedLines, [3]);
});

test('a row with too many fields is skipped as well', async () => {
  const { table, report } = await parseSpotifyCsv(csv(row(), row({ track_id: 'b' }) + ',extra'));
  assert.equal(table.rows.length, 1);
  assert.deepEqual(report.skippedLines, [3]);
});

test('an empty file, a header-only file and a file without commas are refused with a sentence', async () => {
  await expectError('', /is empty/);
  await expectError('\n\n', /is empty/);
  await expectError(HEADER + '\n', /has a header but no data rows/);
  await expectError('hello world\nthis is not csv\n', /does not look like a CSV file/);
});

test('a binary file is refused as not CSV text', async () => {
  await expectError('PK\u0003\u0004\u0000\u0000binary', /not a CSV text file/);
});

test('a missing file is refused with a sentence that says where to put the real one', async () => {
  await assert.rejects(
    () => loadSpotifyCsv('/no/such/SpotifyFeatures.csv'),
    /There is no file at \/no\/such\/SpotifyFeatures.csv\. Download SpotifyFeatures.csv/,
  );
});

test('a generated file mangled every way real copies are loads to the same rows as the clean one', async () => {
  const rows = generateSpotifyRows({ rows: 400, seed: 3 });
  const clean = spotifyCsvText(rows);
  const mangled = mangleSpotifyCsv(clean, { bom: true, crlf: true, spreadsheetDates: 0.5, cutLastLine: true });
  const a = (await parseSpotifyCsv(clean)).table.rows;
  const { table, report } = await parseSpotifyCsv(mangled);
  assert.deepEqual(table.rows, a.slice(0, -1)); // all but the cut-off last row
  assert.ok(report.repairedTimeSignatures > 50);
  assert.deepEqual(report.skippedLines, [401]);
});

test("loadSpotifyCsv returns a DataFrame with the schema's dtypes", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loader-'));
  const file = join(dir, 'tracks.csv');
  writeFileSync(file, csv(row(), row({ track_id: 'b', popularity: '5' })));
  const { df, report } = await loadSpotifyCsv(file);
  assert.deepEqual(df.shape, [2, 18]);
  assert.deepEqual(df.columns, SPOTIFY_COLUMN_NAMES);
  assert.equal(df.dtypes[4], 'int32');
  assert.equal(df.dtypes[5], 'float32');
  assert.equal(df.dtypes[0], 'string');
  assert.deepEqual(df.column('popularity').values, [61, 5]);
  assert.equal(report.source, file);
});

// What real copies from the wild do to the file: each is read correctly, repaired with a count, or
// refused with a sentence naming its line.

async function expectBytesError(bytes: Buffer, pattern: RegExp): Promise<void> {
  await assert.rejects(
    () => parseSpotifyBytes(bytes, 'test.csv'),
    (error: unknown) => {
      assert.ok(error instanceof SpotifyCsvError, `not a SpotifyCsvError: ${error}`);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

test('a Windows-1252 file with an accent after its first 4 KB is refused with the line and how to re-save it as UTF-8', async () => {
  const lines = Array.from({ length: 40 }, (_, i) => row({ track_id: `t${i}` }));
  lines.push(row({ track_id: 'beyonce', artist_name: 'Beyoncé' }));
  const bytes = Buffer.from(csv(...lines), 'latin1'); // é is the single byte 0xE9, as Windows-1252 writes it
  assert.ok(bytes.indexOf(0xe9) > 4096);
  await expectBytesError(
    bytes,
    /test\.csv is not UTF-8 text: line 42 holds the byte 0xE9, which in Windows-1252 .* reads "Beyoncé"\. Re-save it as UTF-8 .*iconv -f WINDOWS-1252 -t UTF-8/,
  );
});

test('a Windows-1252 file with an accent on its second line is called an encoding problem, not a compressed file', async () => {
  const bytes = Buffer.concat([
    Buffer.from(HEADER + '\n'),
    Buffer.from(row({ genre: 'Children\u2019s Music' }), 'utf8').subarray(0, 0),
    Buffer.from([...'Children'].map((c) => c.charCodeAt(0))),
    Buffer.from([0x92]),
    Buffer.from(`s Music${row().slice(3)}\n`),
  ]);
  await expectBytesError(bytes, /line 2 holds the byte 0x92, which in Windows-1252 .* reads "Children’s Music"/);
});

test('a UTF-16 file, with or without its byte-order mark, is refused as UTF-16 with how to re-save it', async () => {
  const text = csv(row());
  await expectBytesError(
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    /is UTF-16 text .*iconv -f UTF-16 -t UTF-8/,
  );
  await expectBytesError(Buffer.from(text, 'utf16le'), /is UTF-16 text/);
});

test('a gzip file and a spreadsheet are refused as compressed or a spreadsheet', async () => {
  await expectBytesError(
    Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]),
    /not a CSV text file \(it is compressed or a spreadsheet\)/,
  );
  await expectBytesError(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), /compressed or a spreadsheet/);
});

test('a quote that swallows the following rows is refused with the line where it opens', async () => {
  // the stray quote runs on to the next quote of the file: here the quoted artist two lines on
  const plain = (id: string): string => row({ track_id: id, artist_name: 'Plain', track_name: 'Plain' });
  const text = csv(
    plain('a'),
    row({ track_id: 'b', artist_name: 'Plain', track_name: '"Say Hi' }),
    plain('c'),
    plain('d'),
    row({ track_id: 'e' }),
    plain('f'),
  );
  await expectError(
    text,
    /test\.csv, line 3: a quote \("\) opens a field that does not close on that line, so the 3 lines after it were read into one row of \d+ fields instead of 18/,
  );
});

test('a quote that never closes before the end of the file is refused with its line', async () => {
  // the quote opens in the last field, so the swallowed row still has 18 fields
  const text = csv(row(), row({ track_id: 'b', valence: '"0.5' }), 'more text', 'and more');
  await expectError(text, /line 3: a quote \("\) opens a field that never closes/);
  // and when it swallows every row after it
  const rest = Array.from({ length: 22 }, (_, i) =>
    row({ track_id: `r${i}`, artist_name: 'Plain', track_name: 'Plain' }),
  );
  await expectError(
    csv(row(), row({ track_id: 'b', artist_name: 'Plain', track_name: '"Say Hi' }), ...rest),
    /line 3: a quote \("\) opens a field that never closes/,
  );
});

test('a quoted field that legitimately spans two lines is read, and a cut-off last line inside quotes is only skipped', async () => {
  const { table } = await parseSpotifyCsv(csv(row({ track_name: '"Two\nlines"' }), row({ track_id: 'b' })));
  assert.equal(table.rows[0][2], 'Two\nlines');
  const cut = csv(row()) + row({ track_id: 'c', track_name: '"Half a tit' }).slice(0, 80);
  const { report } = await parseSpotifyCsv(cut);
  assert.deepEqual(report.skippedLines, [3]);
});

test('a number too large for a double (1e400) is refused instead of stored as Infinity', async () => {
  await expectError(
    csv(row(), row({ track_id: 'b', duration_ms: '1e400' })),
    /line 3: the column 'duration_ms' holds 1e400, which is too large to be a number/,
  );
});

test("numbers outside their column's domain are refused with the line, the value and the range", async () => {
  await expectError(
    csv(row({ energy: '1.7' })),
    /line 2: the column 'energy' holds 1\.7, outside its range \(from 0 to 1\)/,
  );
  await expectError(
    csv(row({ popularity: '101' })),
    /the column 'popularity' holds 101, outside its range \(from 0 to 100\)/,
  );
  await expectError(csv(row({ tempo: '-3' })), /the column 'tempo' holds -3, outside its range \(0 or more\)/);
  assert.equal((await parseSpotifyCsv(csv(row({ loudness: '-60.5', tempo: '0' })))).table.rows.length, 1); // loudness only has to be finite, tempo 0 is Spotify's "none found"
});

test('time signatures a spreadsheet in another language turned into dates are repaired and counted', async () => {
  const dates: Record<string, string> = {
    '4-avr.': '4/4',
    '04. Apr': '4/4',
    '4-abr': '4/4',
    '3-avr': '3/4',
    '4-mai': '5/4',
    '4-mrt': '3/4',
    '4-janv.': '1/4',
    'mayo-4': '5/4',
  };
  const lines = Object.keys(dates).map((date, i) => row({ track_id: `t${i}`, time_signature: date }));
  const { table, report } = await parseSpotifyCsv(csv(...lines));
  assert.deepEqual(
    table.rows.map((r) => r[16]),
    Object.values(dates),
  );
  assert.equal(report.repairedTimeSignatures, 8);
});

test('a time signature, key or mode outside the known values is refused with a count and example lines, never a new category', async () => {
  const lines = [
    row(),
    row({ track_id: 'b', time_signature: '4-juin' }),
    row({ track_id: 'c', time_signature: '7/8' }),
    row({ track_id: 'd' }),
  ];
  await expectError(
    csv(...lines),
    /test\.csv: the column 'time_signature' holds 2 values that are not one of 4\/4, 3\/4, 5\/4, 1\/4, 0\/4, such as "4-juin" on line 3 \(also "7\/8" on line 4\); they would become categories of their own/,
  );
  await expectError(
    csv(row({ key: 'H' })),
    /the column 'key' holds 1 value that is not one of C, C#, .* such as "H" on line 2/,
  );
  await expectError(csv(row({ mode: 'major' })), /the column 'mode' holds 1 value that is not one of Major, Minor/);
});

test('a genre outside the 27 known labels is kept, with a note that names it and its line', async () => {
  const { table, report } = await parseSpotifyCsv(csv(row(), row({ track_id: 'b', genre: 'Polka' })));
  assert.equal(table.rows[1][0], 'Polka');
  assert.match(
    report.warnings.join(' '),
    /Kept 1 row whose genre is not one of the 27 of SpotifyFeatures\.csv, such as "Polka" on line 3/,
  );
});

test('a trailing comma in the header, with or without one on the rows, is dropped with a note', async () => {
  for (const text of [[HEADER + ',', row() + ','].join('\n'), [HEADER + ',', row()].join('\n')]) {
    const { table, report } = await parseSpotifyCsv(text);
    assert.deepEqual(table.names, SPOTIFY_COLUMN_NAMES);
    assert.equal(table.rows[0].length, 18);
    assert.deepEqual(report.droppedColumns, [19]);
    assert.match(report.warnings.join(' '), /Dropped column 19 of the header, which has no name and no values/);
  }
});

test('a pandas index column, unnamed or "Unnamed: 0", is dropped with a note', async () => {
  for (const name of ['', 'Unnamed: 0']) {
    const { table, report } = await parseSpotifyCsv(
      [`${name},${HEADER}`, `0,${row()}`, `1,${row({ track_id: 'b' })}`].join('\n'),
    );
    assert.deepEqual(table.names, SPOTIFY_COLUMN_NAMES);
    assert.equal(table.rows[1][3], 'b');
    assert.match(
      report.warnings.join(' '),
      /Dropped column 1 of the header, which has no name and holds row numbers \(an index column written by pandas\?\)/,
    );
  }
});

test('an unnamed column that holds other values is refused with an example and its line', async () => {
  await expectError(
    [`${HEADER},`, `${row()},`, `${row({ track_id: 'b' })},note`].join('\n'),
    /column 19 of the header has no name but holds values, such as "note" on line 3/,
  );
});

test('two header columns that differ only in case are refused, since the database does not tell them apart', async () => {
  await expectError(
    [`${HEADER},Genre`, `${row()},x`].join('\n'),
    /names the column 'genre' twice in its header \(as 'genre' and 'Genre'/,
  );
});

test('replacement characters in a UTF-8 file are reported as a sign of an earlier encoding accident', async () => {
  const { report } = await parseSpotifyCsv(csv(row(), row({ track_id: 'b', artist_name: 'Beyonc\uFFFD' })));
  assert.match(report.warnings.join(' '), /replacement character \uFFFD 1 time, first on line 3/);
});

// What the hand-written scanner's own tests asked of it, now asked of the DuckDB path.

test('quoted fields keep commas, doubled quotes and line breaks; fields beyond ASCII are read as UTF-8', async () => {
  const { table } = await parseSpotifyCsv(
    csv(
      row({ artist_name: '"x, ""y"""', track_name: '"two\nlines"' }),
      row({ track_id: 'b', artist_name: 'Children\u2019s \u{1F3B5}' }),
    ),
  );
  assert.deepEqual(table.columns[1], ['x, "y"', 'Children\u2019s \u{1F3B5}']);
  assert.deepEqual(table.columns[2], ['two\nlines', 'Say "Hi"']);
});

test('a refused value after quoted line breaks and blank lines names its line in the file', async () => {
  const text =
    csv(row({ track_name: '"Two\nlines"' }), row({ track_id: 'b', track_name: '"Three\n\nlines"' })) +
    '\n' +
    row({ track_id: 'c', tempo: 'fast' }) +
    '\n';
  // lines: 1 header, 2-3, 4-6, 7 blank, 8 the bad row
  await expectError(text, /^test\.csv, line 8: the column 'tempo' holds "fast", which is not a number/);
  const skipped = csv(
    row({ track_name: '"Two\nlines"' }),
    '',
    row({ track_id: 'b', tempo: '' }),
    row({ track_id: 'c' }) + ',x',
  );
  const { report } = await parseSpotifyCsv(skipped);
  assert.deepEqual(report.skippedLines, [5, 6]);
  await expectError(
    csv(row({ track_name: '"Two\nlines"' }), row({ track_id: 'b' }) + ',x', row({ track_id: 'c', key: 'H' })),
    /such as "H" on line 5/,
  );
});

test('a last line without a line feed is read; numbers are read as Number() reads them', async () => {
  const cases = [
    '0',
    '12',
    '-3.5',
    '0.611',
    '8.19E-06',
    '1e3',
    '+4',
    '-52.457',
    '.5',
    '5.',
    '123456789012345678',
    '0.1234567890123456789',
  ];
  const text = [HEADER, ...cases.map((value, i) => row({ track_id: `t${i}`, loudness: value }))].join('\n');
  const { table } = await parseSpotifyCsv(text);
  assert.deepEqual(Array.from(table.columns[12] as Float64Array), cases.map(Number));
  assert.equal((await parseSpotifyCsv([HEADER, row()].join('\n'))).table.rows.length, 1);
});

test('a value that is not a plain decimal number is refused as not a number', async () => {
  for (const raw of ['abc', '1.2.3', '0x1A', '1e', '12abc', '-', 'Infinity', 'inf']) {
    await expectError(
      csv(row({ tempo: raw })),
      new RegExp(`line 2: the column 'tempo' holds "${raw}", which is not a number`),
    );
  }
});

test('a generated file loads to exactly the frame test/data/generated-frame.ts makes without reading it', async () => {
  const rows = generateSpotifyRows({ rows: 500, seed: 4 });
  const { table } = await parseSpotifyCsv(spotifyCsvText(rows));
  assert.deepEqual(table.columns, spotifyCsvColumns(rows));
  assert.deepEqual(generatedFrame(rows).values, tableToDataFrame(table).values);
});
