import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { errorText, isUserError, USER_ERROR, UserError } from '../lib/user-error';
import { ParameterError } from '../lib/notebook/parameters';
import { SpotifyCsvError } from '../lib/data/csv-checks';
import { DatabaseError } from '../lib/data/db-open';

test('the errors raised for the user carry the mark the patched tslab looks for; others do not', () => {
  for (const error of [
    new ParameterError('K is 1.'),
    new SpotifyCsvError('x.csv is empty.'),
    new DatabaseError('held.'),
    new UserError('no.'),
  ]) {
    assert.ok(isUserError(error), error.name);
    assert.equal((error as unknown as Record<symbol, unknown>)[Symbol.for('spotify-clusters.user-error')], true);
    assert.ok(error instanceof Error);
  }
  for (const other of [new Error('bug'), new TypeError('bug'), 'text', null, undefined, { [USER_ERROR]: false }])
    assert.equal(isUserError(other), false);
});

test('an error for the user is shown as its sentence, the full stack with VERBOSE=1; any other error with its stack', () => {
  const refused = new ParameterError('K is 1, but it must be a whole number 2 or more.');
  assert.equal(errorText(refused, {}), 'ParameterError: K is 1, but it must be a whole number 2 or more.');
  assert.match(errorText(refused, { VERBOSE: '1' }), /^ParameterError: K is 1, .*\n\s+at /);
  assert.match(errorText(new Error('a bug'), {}), /^Error: a bug\n\s+at /);
  assert.equal(errorText('thrown text', {}), 'thrown text');
  // the mark is not listed when the whole error is printed
  assert.ok(!inspect(refused).includes('Symbol('));
});
