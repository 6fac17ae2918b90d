import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterHeatmap } from '../../lib/notebook/heatmap';
import { foldedTableBundle } from '../../lib/notebook/folded-table';
import { describeClusters } from '../../lib/cluster/describe/describe-clusters';

// The frame of describe-clusters.test.ts: energy d = ±9.8995, genre h = π for both clusters.
const TWO = { genre: ['Pop', 'Pop', 'Rock', 'Rock'], energy: [0.9, 0.8, 0.2, 0.1] };

test('the heatmap: clusters by name, features by separation, values in cells, colours centred on zero', () => {
  const figure = clusterHeatmap(describeClusters(TWO, [0, 0, 1, 1]));
  const [trace] = figure.data as Record<string, unknown>[];
  assert.equal(trace.type, 'heatmap');
  assert.deepEqual(trace.y, ['0 · energetic · Pop', '1 · calm · Rock']);
  assert.deepEqual(trace.x, ['energy', 'genre']);
  assert.deepEqual(trace.z, [
    [9.899, 3.142],
    [-9.899, 3.142],
  ]);
  assert.deepEqual(trace.text, [
    ['+9.9', 'Pop<br>+3.1'],
    ['−9.9', 'Rock<br>+3.1'],
  ]);
  assert.equal(trace.texttemplate, '%{text}');
  assert.equal(trace.zmid, 0);
  assert.deepEqual([trace.zmin, trace.zmax], [-3, 3]);
  assert.match(String((trace.customdata as string[][])[0][0]), /0\.85 here, 0\.15 in the other tracks/);
  assert.throws(() => clusterHeatmap([]), /no clusters/);
});

test('a folded table is the table inside <details>, its summary escaped', () => {
  const bundle = foldedTableBundle([{ a: 1 }], { summary: 'All <17> columns' });
  assert.match(String(bundle['text/html']), /^<details><summary[^>]*>All &lt;17&gt; columns<\/summary><div/);
  assert.match(String(bundle['text/plain']), /1 rows × 1 columns/);
});
