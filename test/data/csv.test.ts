import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsvRecords, parseNumberField, scanCsv } from '../../lib/data/csv';

test('quoted fields keep commas, doubled quotes and line breaks', () => {
  const text = 'a,b,c\n1,"x, ""y""","two\nlines"\n';
  const parsed = parseCsvRecords(text);
  assert.deepEqual(parsed.rows, [
    ['a', 'b', 'c'],
    ['1', 'x, "y"', 'two\nlines'],
  ]);
});

test('each record knows the line it starts on, across quoted line breaks and blank lines', () => {
  // line 1 header, lines 2-3 one record, line 4 blank, line 5 a record
  const parsed = parseCsvRecords('a,b\n1,"x\ny"\n\n3,4\n');
  assert.deepEqual(parsed.lines, [1, 2, 5]);
  assert.equal(parsed.rows.length, 3);
});

test('a byte-order mark and CRLF line endings are recognised and removed', () => {
  const parsed = parseCsvRecords('\uFEFFa,b\r\n1,2\r\n');
  assert.equal(parsed.hadByteOrderMark, true);
  assert.equal(parsed.hadCrlf, true);
  assert.deepEqual(parsed.rows, [
    ['a', 'b'],
    ['1', '2'],
  ]);
});

test('a last line without a newline and a trailing empty field are read', () => {
  assert.deepEqual(parseCsvRecords('a,b\n1,').rows, [
    ['a', 'b'],
    ['1', ''],
  ]);
  assert.deepEqual(parseCsvRecords('a,b\n1,2').rows, [
    ['a', 'b'],
    ['1', '2'],
  ]);
});

test('numbers are read as Number() reads them, scientific notation included', () => {
  const cases = [
    '0',
    '12',
    '-3.5',
    '0.611',
    '8.19E-06',
    '1e3',
    '+4',
    '-52.457',
    '242.903',
    '.5',
    '5.',
    '123456789012345678',
    '0.1234567890123456789',
  ];
  for (const raw of cases) {
    assert.equal(parseNumberField(Buffer.from(raw), 0, Buffer.byteLength(raw)), Number(raw), raw);
  }
});

test('a field that is not a plain decimal number reads as NaN', () => {
  for (const raw of ['', 'abc', '1.2.3', '0x1A', '1e', '12abc', '-', 'Infinity']) {
    assert.ok(Number.isNaN(parseNumberField(Buffer.from(raw), 0, Buffer.byteLength(raw))), raw);
  }
});

test('fields beyond ASCII are decoded as UTF-8, and ASCII ones read as the same text', () => {
  const parsed = parseCsvRecords(Buffer.from('name,emoji\nChildren\u2019s Music,\u{1F3B5}\nPop,x\n', 'utf8'));
  assert.deepEqual(parsed.rows, [
    ['name', 'emoji'],
    ['Children\u2019s Music', '\u{1F3B5}'],
    ['Pop', 'x'],
  ]);
});

test('a quoted field over a line break reports the line its quote opens on, and a quote that never closes is reported', () => {
  const lines: number[] = [];
  const info = scanCsv(Buffer.from('a,b\n1,"x\ny"\n2,3\n4,"open\n5,6\n'), (_bounds, _count, _line, quoteLine) =>
    lines.push(quoteLine),
  );
  assert.deepEqual(lines, [0, 2, 0, 5]);
  assert.equal(info.unterminatedQuoteLine, 5);
  assert.equal(parseCsvRecords('a,b\n1,"x"\n').unterminatedQuoteLine, 0);
});
