import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { MISSING_NUMBERS, numberProblem, numbersSettledByStatistics } from '../../lib/data/csv-numbers';

test('the statistics settle the numbers only when every value is present, finite and in its domain', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const settled = async (values: string): Promise<boolean> => {
      await connection.run('CREATE OR REPLACE TEMP TABLE t (popularity DOUBLE, loudness DOUBLE)');
      if (values) await connection.run(`INSERT INTO t VALUES ${values}`);
      return numbersSettledByStatistics(connection, 't', [{ name: 'popularity' }, { name: 'loudness' }]);
    };
    assert.equal(await settled('(0, -60.5), (100, 1e300)'), true);
    assert.equal(await settled(''), false); // no rows: nothing to read the statistics from
    assert.equal(await settled('(0, -60.5), (NULL, 1)'), false);
    assert.equal(await settled("(0, -60.5), (1, 'nan'::DOUBLE)"), false);
    assert.equal(await settled("(0, 'inf'::DOUBLE)"), false);
    assert.equal(await settled('(100.00000000000001, 0)'), false); // just past popularity's 100
    assert.equal(await settled('(-0.5, 0)'), false);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
});

test('a number is refused with what is wrong with it; the words for a missing one are missing', () => {
  for (const word of MISSING_NUMBERS) assert.equal(numberProblem(` ${word} `, 'tempo', 'float'), 'missing');
  assert.equal(numberProblem('1e3', 'tempo', 'float'), null);
  assert.match(numberProblem('fast', 'tempo', 'float')!, /holds "fast", which is not a number/);
  assert.match(numberProblem('1e999', 'tempo', 'float')!, /too large to be a number/);
  assert.match(numberProblem('101', 'popularity', 'integer')!, /outside its range \(from 0 to 100\)/);
  assert.match(numberProblem('6.5', 'popularity', 'integer')!, /not a whole number/);
});
