import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forget, inputsKey, isRemembered, remember } from '../../lib/notebook/remember';

test('the same inputs, by content, return the kept result; any changed value computes again', () => {
  forget();
  let calls = 0;
  const compute = (): { n: number } => ({ n: ++calls });
  const z = { data: Float64Array.of(1, 2, 3), n: 3, d: 1, columns: ['a'] };
  const first = remember('map', [z, 42], compute);
  assert.equal(remember('map', [z, 42], compute), first);
  assert.equal(remember('map', [{ ...z, data: Float64Array.of(1, 2, 3) }, 42], compute), first, 'a copy hits');
  assert.equal(isRemembered('map', [z, 42]), true);
  assert.equal(calls, 1);
  const changed = remember('map', [{ ...z, data: Float64Array.of(1, 2, 4) }, 42], compute);
  assert.notEqual(changed, first);
  assert.equal(remember('map', [{ ...z, data: Float64Array.of(1, 2, 4) }, 43], compute).n, 3, 'another seed');
  assert.equal(isRemembered('map', [z, 42]), false, 'one result per name');
  remember('other', [z, 42], compute);
  assert.equal(remember('map', [{ ...z, data: Float64Array.of(1, 2, 4) }, 43], compute).n, 3, 'names are separate');
  forget('map');
  assert.equal(isRemembered('map', [{ ...z, data: Float64Array.of(1, 2, 4) }, 43]), false);
  forget();
  assert.equal(isRemembered('other', [z, 42]), false);
});

test('keys tell kinds apart: typed arrays of other types or lengths, strings against numbers, key order does not matter', () => {
  assert.notEqual(inputsKey([Float64Array.of(1)]), inputsKey([Float32Array.of(1)]));
  assert.notEqual(inputsKey([[1, 2]]), inputsKey(['1,2']));
  assert.notEqual(inputsKey([1]), inputsKey(['1']));
  assert.notEqual(inputsKey([Float64Array.of(1, 2).subarray(1)]), inputsKey([Float64Array.of(1, 2)]));
  assert.equal(inputsKey([{ a: 1, b: [2] }]), inputsKey([{ b: [2], a: 1 }]));
});

test('bad use is refused with a sentence, and a step that throws keeps nothing', () => {
  forget();
  assert.throws(() => remember('', [], () => 1), /needs a name/);
  assert.throws(() => remember('x', 3 as unknown as unknown[], () => 1), /inputs as an array/);
  assert.throws(() => remember('x', [() => 1], () => 1), /an input is a function/);
  assert.throws(() =>
    remember('x', [1], () => {
      throw new Error('boom');
    }),
  );
  assert.equal(isRemembered('x', [1]), false);
});
