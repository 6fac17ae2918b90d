import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repairTimeSignature } from '../../lib/data/time-signature';

test('a spreadsheet date becomes the time signature it came from, in either order and in other languages', () => {
  assert.equal(repairTimeSignature('04-Apr'), '4/4');
  assert.equal(repairTimeSignature('3-Apr'), '3/4');
  assert.equal(repairTimeSignature('4-Mar'), '3/4');
  assert.equal(repairTimeSignature('4-May'), '5/4');
  assert.equal(repairTimeSignature('4-Jan'), '1/4');
  assert.equal(repairTimeSignature('4-avr.'), '4/4');
  assert.equal(repairTimeSignature('4. Mai'), '5/4');
});

test('repairTimeSignature leaves values that are not such dates alone', () => {
  assert.equal(repairTimeSignature('4/4'), null);
  assert.equal(repairTimeSignature('7-Jun'), null); // neither number is 4
  assert.equal(repairTimeSignature('Apr-04'), '4/4');
});
