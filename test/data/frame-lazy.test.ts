import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The compiled library beside this compiled test (build/test/data → build/lib).
const LIB = join(__dirname, '..', '..', 'lib');
const FRAME = join(LIB, 'data', 'frame');

/** Runs `script` in a fresh Node process (what is loaded is per process) and returns its stdout lines. */
function fresh(script: string): string[] {
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim().split('\n');
}

const LOADED = "Object.keys(require.cache).some((file) => file.includes('danfojs-node'))";

test('importing the library loads no danfojs; the first frame made loads it', () => {
  const lines = fresh(`
    require(${JSON.stringify(LIB)});
    const sc = require(${JSON.stringify(FRAME)});
    console.log(${LOADED});
    // reading the other two forms of a frame needs no danfojs
    console.log(sc.frameRowCount({ a: [1, 2, 3] }), sc.frameRowCount([{ a: 1 }]), ${LOADED});
    console.log(JSON.stringify(sc.frameColumn({ columns: ['a'], values: [[1], [2]] }, 'a')), ${LOADED});
    const df = sc.frameFromColumns([Float64Array.of(1, 2), ['x', 'y']], ['n', 's'], ['int32', 'string']);
    console.log(${LOADED}, df.constructor.name, df.shape.join('x'), sc.frameRowCount(df), JSON.stringify(df.values));
    console.log(df.column('s').values.join(','), sc.frameFromRows([[1, 'a']], ['n', 's'], ['int32', 'string']).shape.join('x'));
  `);
  assert.deepEqual(lines, [
    'false',
    '3 1 false',
    '[1,2] false',
    'true ColumnarDataFrame 2x2 2 [[1,"x"],[2,"y"]]',
    'x,y 1x2',
  ]);
});

test("a DataFrame made by the notebook's own danfojs, before the library made any, is read as one", () => {
  const lines = fresh(`
    const sc = require(${JSON.stringify(FRAME)});
    const { DataFrame } = require('danfojs-node');
    const df = new DataFrame([[1, 'a'], [2, 'b'], [3, 'c']], { columns: ['n', 's'] });
    console.log(sc.frameRowCount(df), JSON.stringify(sc.frameColumn(df, 's')), sc.isFrameLike(df));
  `);
  assert.deepEqual(lines, ['3 ["a","b","c"] true']);
});
