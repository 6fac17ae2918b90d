import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastAtMost, TextPacker } from '../../lib/data/text-pack';

test('a text pack gives back every value, row by row or block by block, NULL apart from an empty text', () => {
  const rows: (string | null)[][] = [
    ['a', 'Halo', 'Beyoncé'],
    ['b', '', null],
    ['c', '日本語', '😀 x'],
    ['d', null, ''],
    ['e', 'last', 'one'],
  ];
  const packer = new TextPacker(5, 3);
  packer.addRow(rows[0]);
  packer.addRow(rows[1]);
  packer.endBlock();
  // rows c and d as DuckDB joins them: every value, NULL as '', then the NULLs as bits
  packer.addBlock('c\u001f日本語\u001f😀 x\u001fd\u001f\u001f', 2, [0, 0b010]);
  packer.addRow(rows[4]);
  // catalogue row r is packing position 4 - r
  const pack = packer.finish(Int32Array.of(4, 3, 2, 1, 0));
  for (let r = 0; r < 5; r++)
    for (let t = 0; t < 3; t++) assert.equal(pack.get(4 - r, t), rows[r][t], `row ${r}, value ${t}`);
  assert.deepEqual(Array.from(pack.column(0).values()), ['e', 'd', 'c', 'b', 'a']);
});

test('a text pack refuses a block whose values do not match its separators, and more rows than it holds', () => {
  assert.throws(
    () => new TextPacker(2, 2).addBlock('a\u001fb\u001fc', 2),
    /does not have one separator between values/,
  );
  assert.throws(() => new TextPacker(2, 2).addBlock('a\u001fb\u001fc\u001fd\u001fe', 2), /one separator/);
  const packer = new TextPacker(1, 1);
  packer.addRow(['x']);
  assert.throws(() => packer.addRow(['y']), /holds 1 rows; more were added/);
  assert.throws(() => new TextPacker(2, 1).finish(), /got 0 rows of 2/);
});

test('lastAtMost finds the last entry at most a value, by bisection', () => {
  const sorted = Int32Array.of(0, 4, 4, 9);
  assert.deepEqual(
    [0, 3, 4, 5, 9, 100].map((value) => lastAtMost(sorted, value)),
    [0, 0, 2, 2, 3, 3],
  );
  assert.equal(lastAtMost(sorted, 100, 3), 2, 'among the first 3 entries');
  assert.equal(lastAtMost(Int32Array.of(5), 1), 0, 'none is: 0');
});
