import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataFrame } from 'danfojs-node';
import {
  COLUMN_TYPES,
  columnKind,
  frameColumn,
  frameColumnNames,
  frameColumns,
  frameFromColumns,
  frameFromRows,
  frameIndex,
  frameKinds,
  frameNumbers,
  frameRowCount,
  frameRows,
  isFrameLike,
  kindOfDtype,
  takeRows,
} from '../../lib/data/frame';

const NAMES = ['genre', 'track_id', 'popularity', 'energy'];
const DTYPES = ['string', 'string', 'int32', 'float32'];
const ROWS = (): (string | number)[][] => [
  ['Pop', 'a', 5, 0.5],
  ['Rock', 'b', 50, 0.25],
  ['Jazz', 'a', 11, 1],
  ['Soul', 'c', 0, 0.125],
];
const COLUMNS = () => [
  ['Pop', 'Rock', 'Jazz', 'Soul'],
  ['a', 'b', 'a', 'c'],
  Float64Array.of(5, 50, 11, 0),
  Float64Array.of(0.5, 0.25, 1, 0.125),
];
const byColumns = (): DataFrame => frameFromColumns(COLUMNS(), NAMES, DTYPES);
const byRows = (): DataFrame => frameFromRows(ROWS(), [...NAMES], [...DTYPES]);

test('the dtype table maps each schema kind to one danfojs dtype and one DuckDB type, and back', () => {
  assert.deepEqual(COLUMN_TYPES, {
    text: { dtype: 'string', sql: 'VARCHAR' },
    integer: { dtype: 'int32', sql: 'BIGINT' },
    float: { dtype: 'float32', sql: 'DOUBLE' },
  });
  for (const kind of ['text', 'integer', 'float'] as const) assert.equal(kindOfDtype(COLUMN_TYPES[kind].dtype), kind);
  assert.equal(kindOfDtype('boolean'), 'text');
  assert.equal(columnKind('tempo', 'string'), 'float', 'the schema wins for its 18 columns');
  assert.equal(columnKind('plays', 'int32'), 'integer');
  assert.equal(columnKind('comment'), 'text');
});

test("a frame built from columns answers like the same frame built from rows, through danfojs' own methods", () => {
  const a = byColumns();
  const b = byRows();
  assert.ok(a instanceof DataFrame);
  assert.deepEqual(a.shape, b.shape);
  assert.deepEqual(a.columns, b.columns);
  assert.deepEqual(a.dtypes, b.dtypes);
  assert.deepEqual(a.index, b.index);
  for (const name of NAMES) {
    assert.deepEqual(a.column(name).values, b.column(name).values, name);
    assert.deepEqual(a.column(name).index, b.column(name).index, name);
    assert.deepEqual(a.column(name).dtypes, b.column(name).dtypes, name);
  }
  assert.deepEqual(a.iloc({ rows: [2, 0] }).values, b.iloc({ rows: [2, 0] }).values);
  assert.deepEqual(a.loc({ columns: ['popularity'] }).values, b.loc({ columns: ['popularity'] }).values);
  assert.deepEqual(a.query(a.column('popularity').gt(10)).values, b.query(b.column('popularity').gt(10)).values);
  assert.deepEqual(a.head(2).values, b.head(2).values);
  assert.equal(a.toString(), b.toString());
  assert.deepEqual(a.values, b.values);
  assert.deepEqual(a['genre'].values, b['genre'].values);
});

test('danfojs changes in place work on a frame built from columns, and the readers see them', () => {
  const a = byColumns();
  a.addColumn('plays', [1, 2, 3, 4], { inplace: true });
  assert.deepEqual(a.shape, [4, 5]);
  assert.deepEqual(frameColumn(a, 'plays'), [1, 2, 3, 4]);
  const b = byColumns();
  b.sortValues('popularity', { inplace: true, ascending: false });
  assert.deepEqual(frameColumn(b, 'track_id'), ['b', 'a', 'a', 'c']);
  assert.deepEqual(b.column('popularity').values, [50, 11, 5, 0]);
  const c = byColumns();
  c.fillNa(0, { inplace: true });
  assert.deepEqual(c.values, ROWS());
});

test('reading a column of a frame built from columns gives that column without making rows', () => {
  const columns = COLUMNS();
  const df = frameFromColumns(columns, NAMES, DTYPES);
  assert.equal(frameColumn(df, 'energy'), columns[3], 'the very array given, not a copy');
  assert.deepEqual(frameRows(df, 2), [
    ['Pop', 'a', 5, 0.5],
    ['Rock', 'b', 50, 0.25],
  ]);
  assert.equal(frameColumn(df, 'energy'), columns[3], 'reading two rows made no rows of the frame');
  assert.deepEqual(frameRows(df), ROWS());
  assert.deepEqual(
    frameColumn(df, 'energy'),
    [0.5, 0.25, 1, 0.125],
    'after the rows are made, the column is read from them',
  );
});

test('a frame built from columns can carry an index, and an empty one has shape [0, columns]', () => {
  const df = frameFromColumns(COLUMNS(), NAMES, DTYPES, { index: ['w', 'x', 'y', 'z'] });
  assert.deepEqual(df.index, ['w', 'x', 'y', 'z']);
  assert.deepEqual(df.column('genre').index, ['w', 'x', 'y', 'z']);
  assert.deepEqual(frameIndex(df), ['w', 'x', 'y', 'z']);
  const empty = frameFromColumns([[], new Float64Array(0)], ['a', 'b'], ['string', 'int32']);
  assert.deepEqual(empty.shape, [0, 2]);
  assert.deepEqual(empty.values, []);
});

test('frameFromColumns refuses mismatched columns, names, dtypes and index with a sentence', () => {
  assert.throws(
    () => frameFromColumns([['a'], ['b', 'c']], ['x', 'y'], ['string', 'string']),
    /Column y has 2 values but the columns before it have 1/,
  );
  assert.throws(
    () => frameFromColumns([['a']], ['x', 'y'], ['string']),
    /one name and one dtype per column: got 1 columns, 2 names and 1 dtypes/,
  );
  assert.throws(
    () => frameFromColumns([['a']], ['x'], ['string'], { index: [1, 2] }),
    /The index has 2 labels for 1 rows/,
  );
});

test('takeRows gathers the rows at the positions, in order, from either kind of frame, as a copy', () => {
  for (const make of [byColumns, byRows]) {
    const original = make();
    const taken = takeRows(original, [3, 0, 0]);
    assert.deepEqual(taken.values, [
      ['Soul', 'c', 0, 0.125],
      ['Pop', 'a', 5, 0.5],
      ['Pop', 'a', 5, 0.5],
    ]);
    assert.deepEqual(taken.index, [0, 1, 2]);
    assert.deepEqual(taken.dtypes, DTYPES);
    (frameRows(taken)[0] as unknown[])[0] = 'changed';
    assert.equal(frameRows(original)[3][0], 'Soul');
    assert.deepEqual(takeRows(original, []).shape, [0, 4]);
  }
  assert.throws(
    () => takeRows(byColumns(), [4]),
    /Row position 4 is not a row of this 4-row frame \(positions are 0 to 3\)/,
  );
  assert.throws(() => takeRows(byColumns(), [0.5]), /Row position 0.5 is not a row/);
});

test('the readers take the three forms of a frame alike: a DataFrame, row objects, column arrays', () => {
  const forms = [
    byColumns(),
    byRows(),
    { columns: NAMES, values: ROWS() },
    ROWS().map((row) => Object.fromEntries(NAMES.map((name, c) => [name, row[c]]))),
    Object.fromEntries(NAMES.map((name, c) => [name, ROWS().map((row) => row[c])])),
  ];
  for (const frame of forms) {
    assert.ok(isFrameLike(frame));
    assert.deepEqual(frameColumnNames(frame), NAMES);
    assert.equal(frameRowCount(frame), 4);
    assert.deepEqual(Array.from(frameColumn(frame, 'track_id')), ['a', 'b', 'a', 'c']);
    assert.deepEqual(
      frameColumns(frame, ['popularity', 'genre']).map((column) => Array.from(column)),
      [
        [5, 50, 11, 0],
        ['Pop', 'Rock', 'Jazz', 'Soul'],
      ],
    );
    assert.deepEqual(frameRows(frame), ROWS());
    assert.deepEqual(frameRows(frame, 1), [ROWS()[0]]);
    assert.deepEqual(frameKinds(frame), ['text', 'text', 'integer', 'float']);
  }
});

test('row objects may differ in their keys: the columns are all keys in order of first appearance, missing values undefined', () => {
  const rows = [{ a: 1 }, { b: 'x', a: 2 }];
  assert.deepEqual(frameColumnNames(rows), ['a', 'b']);
  assert.deepEqual(frameRows(rows), [
    [1, undefined],
    [2, 'x'],
  ]);
  assert.deepEqual(frameColumnNames([]), []);
  assert.equal(frameRowCount([]), 0);
});

test('frameKinds infers kinds from the values when there are no dtypes', () => {
  assert.deepEqual(frameKinds({ n: [1, 2], x: [0.5, 1], s: ['a', 'b'], mixed: [1, '2'] }), [
    'integer',
    'float',
    'text',
    'text',
  ]);
});

test('frameNumbers gives a numeric column as a Float64Array and names a value that is not a number', () => {
  assert.deepEqual(frameNumbers(byColumns(), 'popularity'), Float64Array.of(5, 50, 11, 0));
  assert.deepEqual(frameNumbers([{ p: 61 }, { p: 5 }], 'p'), Float64Array.of(61, 5));
  assert.throws(
    () => frameNumbers(byColumns(), 'genre'),
    /The column 'genre' holds "Pop" in row 0, which is not a finite number/,
  );
  assert.throws(() => frameNumbers({ p: [1, NaN] }, 'p'), /holds NaN in row 1/);
});

test('bad input is refused with a sentence naming the problem', () => {
  assert.throws(
    () => frameColumn(byColumns(), 'plays'),
    /The frame has no column 'plays'; it has genre, track_id, popularity, energy/,
  );
  assert.throws(() => frameColumn([{ a: 1 }], 'b'), /no column 'b'; it has a/);
  assert.throws(() => frameColumn({ a: [1] }, 'b'), /no column 'b'; it has a/);
  assert.throws(() => frameColumnNames([{ a: 1 }, [2]]), /Row 1 is not an object of column values \(got an array\)/);
  assert.throws(() => frameRows({ a: [1, 2], b: [1] }), /Column b has 1 values but the columns before it have 2/);
  assert.throws(() => frameRows({ columns: ['a'], values: [1, 2] }), /values are not rows.*not a Series/);
  assert.throws(
    () => frameColumnNames('tracks' as never),
    /Expected a table \(a danfojs DataFrame, an array of row objects or an object of column arrays\), got "tracks"/,
  );
  assert.equal(isFrameLike('tracks'), false);
  assert.equal(isFrameLike({ a: 1 }), false);
  assert.equal(isFrameLike(null), false);
});
