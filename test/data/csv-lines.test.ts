import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRecordAt, recordStartLines } from '../../lib/data/csv-lines';

test('each record knows the line it starts on, across quoted line breaks and blank lines', () => {
  // line 1 header, lines 2-3 one record, line 4 blank, line 5 a record
  assert.deepEqual([...recordStartLines(Buffer.from('a,b\n1,"x\ny"\n\n3,4\n'))], [1, 2, 5]);
  assert.deepEqual([...recordStartLines(Buffer.from('a,b\r\n1,"x ""q""\r\ny"\r\n\r\n3,4'))], [1, 2, 5]);
});

test('a record read at an offset keeps commas, doubled quotes and line breaks inside quotes', () => {
  const bytes = Buffer.from('a,b,c\n1,"x, ""y""","two\nlines"\n');
  assert.deepEqual(readRecordAt(bytes, 6, 2), {
    fields: ['1', 'x, "y"', 'two\nlines'],
    quoteLine: 2,
    swallowed: 1,
    unterminated: false,
    next: bytes.length,
  });
  assert.deepEqual(readRecordAt(Buffer.from('a,b\n1,'), 4, 2).fields, ['1', '']);
});

test('a quoted field over a line break reports the line its quote opens on, and a quote that never closes is reported', () => {
  const bytes = Buffer.from('a,b\n1,"x\ny"\n2,3\n4,"open\n5,6\n');
  assert.equal(readRecordAt(bytes, 4, 2).quoteLine, 2);
  assert.equal(readRecordAt(bytes, 12, 4).quoteLine, 0);
  const open = readRecordAt(bytes, 16, 5);
  assert.equal(open.quoteLine, 5);
  assert.equal(open.unterminated, true);
  assert.equal(open.swallowed, 1); // the line feed that ends the file swallows nothing
});
