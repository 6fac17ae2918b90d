import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEncoding, checkNotEmpty, lineOfByte, SpotifyCsvError } from '../../lib/data/csv-checks';

test('a file of blanks and byte-order marks is refused as empty; one character is enough to pass', () => {
  for (const text of ['', '  \n\r\n', '\uFEFF', '\uFEFF \u00A0\n'])
    assert.throws(() => checkNotEmpty(Buffer.from(text, 'utf8'), 'x.csv'), /x\.csv is empty/);
  assert.doesNotThrow(() => checkNotEmpty(Buffer.from('\uFEFFa', 'utf8'), 'x.csv'));
});

test('the line of a byte is one more than the line feeds before it', () => {
  const bytes = Buffer.from('a\nb\nc', 'utf8');
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((offset) => lineOfByte(bytes, offset)),
    [1, 1, 2, 2, 3],
  );
});

test('UTF-8 passes; a Windows-1252 byte is refused as a SpotifyCsvError naming its line', () => {
  assert.doesNotThrow(() => checkEncoding(Buffer.from('genre,artist\nPop,Beyoncé\n', 'utf8'), 'x.csv'));
  const latin = Buffer.concat([Buffer.from('genre,artist\nPop,Beyonc', 'latin1'), Buffer.from([0xe9, 10])]);
  assert.throws(
    () => checkEncoding(latin, 'x.csv'),
    (error: unknown) => error instanceof SpotifyCsvError && /line 2 holds the byte 0xE9/.test(error.message),
  );
});
