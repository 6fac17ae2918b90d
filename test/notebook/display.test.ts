import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayBundle, figureBundle, resetPlotlyEmbedding, tableBundle } from '../../lib/notebook/display';
import { histogram } from '../../lib/notebook/plot';
import { startProgress } from '../../lib/notebook/progress';
import { frameFromColumns } from '../../lib/data/frame';

test('a figure is sent as plotly JSON, self-drawing HTML and a short text in one bundle', () => {
  resetPlotlyEmbedding();
  const bundle = figureBundle(histogram([1, 2, 2, 3], { title: 'Popularity' }));
  assert.deepEqual(Object.keys(bundle), ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
  const json = bundle['application/vnd.plotly.v1+json'] as { data: { type: string }[] };
  assert.equal(json.data[0].type, 'histogram');
  assert.match(bundle['text/html'] as string, /Plotly\.newPlot/);
  assert.equal(bundle['text/plain'], '<plotly figure: Popularity; 1 trace>');
});

test('plotly.js is embedded in the first figure of a session only', () => {
  resetPlotlyEmbedding();
  const first = figureBundle(histogram([1])) ['text/html'] as string;
  const second = figureBundle(histogram([1]))['text/html'] as string;
  assert.ok(first.length > 1_000_000, 'the first figure carries plotly.js');
  assert.ok(second.length < 10_000, 'later figures do not');
});

test('a table shows its shape and only the first rows', () => {
  const df = { columns: ['a', 'b'], shape: [3, 2], values: [[1, 'x'], [2.123456789, 'y<'], [3, 'z']] };
  const bundle = tableBundle(df, { rows: 2, title: 'T' });
  assert.match(bundle['text/plain'] as string, /^T: 3 rows × 2 columns \(first 2 shown\)/);
  assert.match(bundle['text/html'] as string, /2\.12346/);
  assert.match(bundle['text/html'] as string, /y&lt;/);
  assert.doesNotMatch(bundle['text/html'] as string, />z</);
});

test('a table of row objects, as queryRows returns them, shows their keys as columns', () => {
  const rows = [{ genre: 'Pop', n: 3 }, { genre: 'Rock', n: 2 }, { genre: 'Jazz', n: 1 }];
  const text = tableBundle(rows, { rows: 2 })['text/plain'] as string;
  assert.deepEqual(text.split('\n'), ['3 rows × 2 columns (first 2 shown)', 'genre | n', '0: Pop | 3', '1: Rock | 2']);
  assert.match(tableBundle([])['text/plain'] as string, /^0 rows × 0 columns/);
});

test('a DataFrame\'s index labels its rows', () => {
  const df = frameFromColumns([Float64Array.of(0.5, 1)], ['energy'], ['float32'], { index: ['t1', 't2'] });
  assert.deepEqual((tableBundle(df)['text/plain'] as string).split('\n').slice(2), ['t1: 0.5', 't2: 1']);
});

test('outside a kernel a bundle is printed as its text and reported as console output', () => {
  const logged: string[] = [];
  const original = console.log;
  console.log = (line: string) => { logged.push(line); };
  try {
    assert.equal(displayBundle({ 'text/plain': 'hello' }), 'console');
  } finally {
    console.log = original;
  }
  assert.deepEqual(logged, ['hello']);
});

test('progress outside a kernel prints a handful of lines, not one per update', () => {
  const logged: string[] = [];
  const original = console.log;
  console.log = (line: string) => { logged.push(line); };
  try {
    const progress = startProgress('step');
    for (let i = 0; i <= 1000; i++) progress.update(i, 1000);
    progress.finish();
  } finally {
    console.log = original;
  }
  assert.ok(logged.length <= 7, `${logged.length} lines`);
  assert.match(logged[logged.length - 1], /step .* 100% .* done/);
});

test('inside a kernel the bundle goes to tslab as one display_data output with every MIME type', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };
  const sent: { data: Record<string, unknown>; transient: Record<string, unknown> }[] = [];
  const updates: boolean[] = [];
  jupyter.lastWriteDisplayData = (message: { data: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => { sent.push(message); updates.push(update); };
  try {
    assert.equal(displayBundle(figureBundle(histogram([1, 2]))), 'jupyter');
    assert.equal(displayBundle({ 'text/plain': 'bar' }, { displayId: 'p1', update: true }), 'jupyter');
  } finally {
    jupyter.lastWriteDisplayData = null;
  }
  assert.deepEqual(Object.keys(sent[0].data), ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
  assert.deepEqual(sent[1].transient, { display_id: 'p1' });
  assert.deepEqual(updates, [false, true]);
});
