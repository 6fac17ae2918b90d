import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectGarbage } from '../../lib/parallel/collect';
import { sharedFloat64 } from '../../lib/parallel/pool';

test('collectGarbage collects a shared array let go of, which V8 would not count', async () => {
  let collected = false;
  const registry = new FinalizationRegistry(() => {
    collected = true;
  });
  (() => {
    const array = sharedFloat64(1 << 20);
    array.fill(1);
    registry.register(array, 'array');
  })();
  assert.equal(collectGarbage(), true);
  // finalisers run after the collection, on a later turn of the event loop
  for (let turn = 0; turn < 20 && !collected; turn++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(collected, true);
});
