import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayBundle, figureBundle, formatCount, tableBundle, typedArraySpec } from '../../lib/notebook/display';
import { histogram } from '../../lib/notebook/plot';
import { startProgress } from '../../lib/notebook/progress';
import { frameFromColumns } from '../../lib/data/frame';

test('a figure is sent as plotly JSON and a short text, with no plotly.js and no HTML copy of its data', () => {
  const bundle = figureBundle(histogram([1, 2, 2, 3], { title: 'Popularity' }));
  assert.deepEqual(Object.keys(bundle), ['application/vnd.plotly.v1+json', 'text/plain']);
  const json = bundle['application/vnd.plotly.v1+json'] as { data: { type: string; x: number[] }[] };
  assert.equal(json.data[0].type, 'histogram');
  assert.deepEqual(json.data[0].x, [1, 2, 2, 3], 'short arrays stay readable lists');
  assert.equal(bundle['text/plain'], '<plotly figure: Popularity; 1 trace>');
});

test('a figure of 20,000 points is sent once, compactly: numbers as base64 typed arrays', () => {
  const n = 20_000;
  const xs = Array.from({ length: n }, (_, i) => Math.sin(i) * 40);
  const popularity = Array.from({ length: n }, (_, i) => i % 101);
  const bundle = figureBundle({
    data: [
      { type: 'scattergl', x: xs, y: xs, marker: { size: popularity } },
      { type: 'histogram', x: popularity },
    ],
    layout: {},
  });
  const text = JSON.stringify(bundle);
  // 4 bytes per float and 1 per popularity, in base64: (2 · 4 + 1 + 1) · 20,000 · 4/3 ≈ 267 kB
  assert.ok(text.length < 280_000, `${text.length} characters`);
  const [points, bars] = (
    bundle['application/vnd.plotly.v1+json'] as {
      data: { x: { dtype: string; bdata: string }; marker?: { size: { dtype: string } } }[];
    }
  ).data;
  assert.equal(points.x.dtype, 'f4');
  assert.equal(points.marker!.size.dtype, 'u1');
  assert.equal(bars.x.dtype, 'u1');
});

test('typed arrays decode to the values: whole numbers exactly in the smallest type, others within float32 precision', () => {
  const decode = (spec: { dtype: string; bdata: string }): number[] => {
    const bytes = Buffer.from(spec.bdata, 'base64');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const size = { u1: 1, i1: 1, u2: 2, i2: 2, u4: 4, i4: 4, f4: 4, f8: 8 }[spec.dtype]!;
    return Array.from({ length: bytes.length / size }, (_, i) => {
      switch (spec.dtype) {
        case 'u1':
          return view.getUint8(i);
        case 'i1':
          return view.getInt8(i);
        case 'u2':
          return view.getUint16(2 * i, true);
        case 'i2':
          return view.getInt16(2 * i, true);
        case 'u4':
          return view.getUint32(4 * i, true);
        case 'i4':
          return view.getInt32(4 * i, true);
        case 'f8':
          return view.getFloat64(8 * i, true);
        default:
          return view.getFloat32(4 * i, true);
      }
    });
  };
  const cases: [number[], string][] = [
    [Array.from({ length: 1000 }, (_, i) => i % 256), 'u1'],
    [Array.from({ length: 1000 }, (_, i) => (i % 256) - 128), 'i1'],
    [Array.from({ length: 1000 }, (_, i) => i * 60), 'u2'],
    [Array.from({ length: 1000 }, (_, i) => i * 60 - 30000), 'i2'],
    [Array.from({ length: 1000 }, (_, i) => i * 4_000_000), 'u4'],
    [Array.from({ length: 1000 }, (_, i) => 1000 - i * 2_000_000), 'i4'],
    [Array.from({ length: 1000 }, (_, i) => i * 2 ** 40), 'f8'],
  ];
  for (const [values, dtype] of cases) {
    const spec = typedArraySpec(values) as { dtype: string; bdata: string };
    assert.equal(spec.dtype, dtype);
    assert.deepEqual(decode(spec), values, dtype);
  }
  const floats = Array.from({ length: 1000 }, (_, i) => Math.cos(i) * 123.456);
  const spec = typedArraySpec(floats) as { dtype: string; bdata: string };
  assert.equal(spec.dtype, 'f4');
  decode(spec).forEach((value, i) => assert.ok(Math.abs(value - floats[i]) <= 1e-7 * 123.456, `value ${i}`));
  // short lists and lists with a gap or a text stay as they are
  for (const kept of [
    [1, 2, 3],
    [...floats.slice(0, 999), NaN],
    [...floats.slice(0, 999), 'a'],
  ]) {
    assert.equal(typedArraySpec(kept), kept);
  }
});

test('a table shows its shape and only the first rows', () => {
  const df = {
    columns: ['a', 'b'],
    shape: [3, 2],
    values: [
      [1, 'x'],
      [2.123456789, 'y<'],
      [3, 'z'],
    ],
  };
  const bundle = tableBundle(df, { rows: 2, title: 'T' });
  assert.match(bundle['text/plain'] as string, /^T: 3 rows × 2 columns \(first 2 shown\)/);
  assert.match(bundle['text/html'] as string, /2\.12346/);
  assert.match(bundle['text/html'] as string, /y&lt;/);
  assert.doesNotMatch(bundle['text/html'] as string, />z</);
});

test('a table of row objects, as queryRows returns them, shows their keys as columns', () => {
  const rows = [
    { genre: 'Pop', n: 3 },
    { genre: 'Rock', n: 2 },
    { genre: 'Jazz', n: 1 },
  ];
  const text = tableBundle(rows, { rows: 2 })['text/plain'] as string;
  assert.deepEqual(text.split('\n'), ['3 rows × 2 columns (first 2 shown)', 'genre | n', 'Pop | 3', 'Rock | 2']);
  assert.match(tableBundle([])['text/plain'] as string, /^0 rows × 0 columns/);
});

test("a DataFrame's index labels its rows", () => {
  const df = frameFromColumns([Float64Array.of(0.5, 1)], ['energy'], ['float32'], { index: ['t1', 't2'] });
  assert.deepEqual((tableBundle(df)['text/plain'] as string).split('\n').slice(2), ['t1: 0.5', 't2: 1']);
});

test('a table prints no index of row numbers beside its columns, and an index of labels (track ids) as a first column', () => {
  const numbered = tableBundle({
    columns: ['id', 'size'],
    shape: [2, 2],
    values: [
      [0, 10],
      [1, 20],
    ],
    index: [0, 1],
  });
  assert.match(
    numbered['text/html'] as string,
    /<thead><tr><th>id<\/th><th>size<\/th><\/tr><\/thead><tbody><tr><td>0<\/td><td>10<\/td><\/tr>/,
  );
  assert.match(numbered['text/plain'] as string, /\n0 \| 10\n1 \| 20$/);
  const labelled = tableBundle({ columns: ['tempo'], shape: [1, 1], values: [[120]], index: ['6iOvn'] });
  assert.match(
    labelled['text/html'] as string,
    /<tr><th><\/th><th>tempo<\/th><\/tr><\/thead><tbody><tr><th>6iOvn<\/th><td>120<\/td><\/tr>/,
  );
  assert.match(labelled['text/plain'] as string, /\n6iOvn: 120$/);
});

test('outside a kernel a bundle is printed as its text and reported as console output', () => {
  const logged: string[] = [];
  const original = console.log;
  console.log = (line: string) => {
    logged.push(line);
  };
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
  console.log = (line: string) => {
    logged.push(line);
  };
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

test('inside a kernel a progress bar shows at once, before the step reports anything, then updates the same output', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };
  const sent: { data: Record<string, unknown>; transient: Record<string, unknown> }[] = [];
  const updates: boolean[] = [];
  jupyter.lastWriteDisplayData = (
    message: { data: Record<string, unknown>; transient: Record<string, unknown> },
    update: boolean,
  ) => {
    sent.push(message);
    updates.push(update);
  };
  try {
    const progress = startProgress('Average-linkage tree');
    assert.equal(sent.length, 1, 'shown by startProgress itself');
    assert.match(sent[0].data['text/plain'] as string, /^Average-linkage tree .* 0% · 0\.0 s$/);
    progress.finish();
  } finally {
    jupyter.lastWriteDisplayData = null;
  }
  assert.deepEqual(updates, [false, true]);
  assert.equal(sent[1].transient.display_id, sent[0].transient.display_id);
  assert.match(sent[1].data['text/plain'] as string, /100% .* done$/);
});

test('inside a kernel the bundle goes to tslab as one display_data output with every MIME type', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };
  const sent: { data: Record<string, unknown>; transient: Record<string, unknown> }[] = [];
  const updates: boolean[] = [];
  jupyter.lastWriteDisplayData = (
    message: { data: Record<string, unknown>; transient: Record<string, unknown> },
    update: boolean,
  ) => {
    sent.push(message);
    updates.push(update);
  };
  try {
    assert.equal(displayBundle(figureBundle(histogram([1, 2]))), 'jupyter');
    assert.equal(displayBundle({ 'text/plain': 'bar' }, { displayId: 'p1', update: true }), 'jupyter');
  } finally {
    jupyter.lastWriteDisplayData = null;
  }
  assert.deepEqual(Object.keys(sent[0].data), ['application/vnd.plotly.v1+json', 'text/plain']);
  assert.deepEqual(sent[1].transient, { display_id: 'p1' });
  assert.deepEqual(updates, [false, true]);
});

test('a count is written with commas between the thousands', () => {
  assert.equal(formatCount(145602), '145,602');
  assert.equal(formatCount(91), '91');
  assert.equal(formatCount(2000000), '2,000,000');
});

test('track names link to their Spotify page, with the text HTML-escaped and the id URL-encoded', () => {
  const rows = [
    { track: '<script>alert("x")</script> & \'quotes\'', artist: 'A', track_id: 'id"><script>1' },
    { track: 'Plain', artist: 'B', track_id: '4uLU6hMCjMI75M1A2tKUQC' },
    { track: 'No id', artist: 'C', track_id: null },
  ];
  const html = tableBundle(rows, { links: { track: 'track_id' }, hide: ['track_id'] })['text/html'] as string;
  assert.ok(!html.includes('<script>'), 'no script tag gets through');
  assert.ok(!/id"/.test(html), 'no quote closes the attribute');
  assert.ok(
    html.includes(
      '<td><a href="https://open.spotify.com/track/id%22%3E%3Cscript%3E1" target="_blank" rel="noopener noreferrer">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</a></td>',
    ),
    html,
  );
  assert.ok(
    html.includes(
      '<a href="https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC" target="_blank" rel="noopener noreferrer">Plain</a>',
    ),
  );
  assert.ok(html.includes('<td>No id</td>'), 'a row without an id shows the text alone');
  assert.ok(!html.includes('<th>track_id</th>'), 'the hidden id column is not shown');
  const text = tableBundle(rows, { links: { track: 'track_id' }, hide: ['track_id'] })['text/plain'] as string;
  assert.equal(text.split('\n')[1], 'track | artist');
  assert.throws(() => tableBundle(rows, { links: { name: 'track_id' } }), /The table has no column "name" to link/);
});
