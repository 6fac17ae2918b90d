import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { densityMap, densityMapHoverRows, DENSITY_MAP_DEFAULTS } from '../../lib/notebook/density-map';
import { histogram } from '../../lib/notebook/plot';
import { Figure } from '../../lib/notebook/display';
import { seededRandom } from '../../lib/random';

/** The numbers a figure carries: every array element, and every element of a plotly typed array (bdata). */
function valuesCarried(value: unknown): number {
  if (Array.isArray(value))
    return value.reduce((sum: number, v) => sum + (typeof v === 'object' ? valuesCarried(v) : 1), 0);
  if (value && typeof value === 'object') {
    const typed = value as { dtype?: string; bdata?: string };
    if (typeof typed.bdata === 'string') {
      const bytes = { f4: 4, i4: 4, f8: 8, u1: 1 }[typed.dtype as 'f4'];
      return Buffer.from(typed.bdata, 'base64').length / bytes;
    }
    return Object.values(value).reduce((sum: number, v) => sum + valuesCarried(v), 0);
  }
  return 0;
}

function points(
  n: number,
  seed: number,
): { x: Float64Array; y: Float64Array; groups: Int32Array; sampled: Uint8Array } {
  const random = seededRandom(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const groups = new Int32Array(n);
  const sampled = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    groups[i] = i % 12;
    x[i] = 10 * Math.cos(groups[i]) + 3 * random();
    y[i] = 10 * Math.sin(groups[i]) + 3 * random();
    sampled[i] = i % 100 === 0 ? 1 : 0;
  }
  return { x, y, groups, sampled };
}

test('a map of many points carries the same few values whatever their number: an image and the points drawn on top', () => {
  const carried: number[] = [];
  const sizes: number[] = [];
  for (const n of [200_000, 1_000_000]) {
    const { x, y, groups, sampled } = points(n, 1);
    const figure = densityMap(x, y, { groups, highlight: sampled, highlightName: 'sampled track', hoverPoints: 1000 });
    const images = figure.layout.images as { source: string }[];
    assert.equal(images.length, 1);
    assert.match(images[0].source, /^data:image\/png;base64,/);
    // at most 1,000 points on top: x, y and row number each, plus a few numbers of the layout
    const values = valuesCarried(figure.data);
    assert.ok(values <= 3 * 1000 + 100, `${n} points: ${values} values in the traces`);
    carried.push(values);
    sizes.push(JSON.stringify(figure).length);
  }
  assert.equal(carried[0], carried[1]);
  for (const size of sizes) assert.ok(size < 400_000, `the figure is ${size} characters`);
});

test('the points on top are the highlighted ones (at most hoverPoints), coloured as scatter colours each group, with hover text', () => {
  const { x, y, groups, sampled } = points(60_000, 2);
  const figure = densityMap(x, y, {
    groups,
    groupNames: Array.from({ length: 12 }, (_, g) => `cluster ${g}: name`),
    highlight: sampled,
    hoverText: (row) => `track ${row}`,
    hoverPoints: 1000,
  });
  const traces = figure.data as {
    name: string;
    text: string[];
    customdata: { bdata: string };
    marker: { color: string };
  }[];
  assert.equal(traces.length, 12);
  assert.equal(traces[0].name, 'cluster 0: name');
  assert.equal(traces[1].marker.color, '#ff7f0e');
  const rows = traces.flatMap((t) =>
    Array.from(new Int32Array(new Uint8Array(Buffer.from(t.customdata.bdata, 'base64')).buffer)),
  );
  assert.equal(rows.length, 600);
  for (const row of rows) assert.equal(sampled[row], 1);
  assert.equal(traces[0].text[0], `track ${rows[0]}`);
  // the image: 400 × 400 cells, and an empty cell is transparent
  const png = Buffer.from((figure.layout.images as { source: string }[])[0].source.split(',')[1], 'base64');
  assert.equal(png.readUInt32BE(16), DENSITY_MAP_DEFAULTS.resolution);
  const raw = inflateSync(png.subarray(41, 41 + png.readUInt32BE(33)));
  assert.equal(raw[1 + 3], 0, 'the top-left corner holds no point');
  assert.ok(
    raw.some((byte, i) => i % 4 === 0 && byte > 0),
    'some cells are shaded',
  );
});

test('up to maxPoints the map is the WebGL scatter of every point', () => {
  const { x, y, groups, sampled } = points(5_000, 3);
  const figure = densityMap(x, y, { groups, highlight: sampled });
  assert.equal(figure.layout.images, undefined);
  assert.equal(valuesCarried(figure.data), 3 * 5_000);
  // hover texts when there are at most hoverPoints points, none beyond (a notebook stores one line a text)
  const named = densityMap(x, y, { groups, highlight: sampled, hoverText: (row) => `track ${row}` });
  const texts = (named.data as { text: string[] }[]).flatMap((trace) => trace.text);
  assert.equal(texts.length, 5_000);
  assert.ok(texts.every((t) => t.startsWith('track ')));
  const unnamed = densityMap(x, y, { groups, hoverText: (row) => `track ${row}`, hoverPoints: 7 });
  assert.ok((unnamed.data as { text?: string[] }[]).every((trace) => trace.text === undefined));
  assert.throws(
    () => densityMap(x, y.subarray(1)),
    /^Error: There are 5000 x values but 4999 y values; give one of each per point\.$/,
  );
  assert.throws(
    () => densityMap(x, y, { resolution: 0 }),
    /^Error: resolution is 0, but it must be a whole number of at least 1\.$/,
  );
});

test('a histogram of two million values carries one centre and one count per bin', () => {
  const random = seededRandom(4);
  const values = Float64Array.from({ length: 2_000_000 }, () => Math.floor(101 * random()));
  const figure = histogram(values, { bins: 101 });
  const trace = figure.data[0] as {
    type: string;
    histfunc: string;
    x: number[];
    y: number[];
    xbins: { start: number; size: number };
  };
  assert.equal(trace.type, 'histogram');
  assert.equal(trace.histfunc, 'sum');
  assert.equal(valuesCarried(figure.data), 2 * 101 + 0);
  assert.deepEqual(trace.xbins.start, -0.5);
  assert.equal(trace.xbins.size, 1);
  assert.deepEqual(trace.x.slice(0, 3), [0, 1, 2]);
  assert.equal(
    trace.y.reduce((a, b) => a + b, 0),
    2_000_000,
  );
  assert.ok(JSON.stringify(figure).length < 5_000);
});

test('densityMapHoverRows names exactly the rows densityMap asks hoverText for', () => {
  for (const [n, options] of [
    [30, {}],
    [30, { hoverPoints: 10 }],
    [300, { maxPoints: 100, hoverPoints: 20, seed: 3 }],
    [300, { maxPoints: 100, hoverPoints: 500 }],
    [
      300,
      { maxPoints: 100, hoverPoints: 20, highlight: Uint8Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? 1 : 0)) },
    ],
  ] as const) {
    const xs = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const ys = Float64Array.from({ length: n }, (_, i) => Math.cos(3 * i));
    const asked: number[] = [];
    densityMap(xs, ys, { ...options, hoverText: (row) => (asked.push(row), `row ${row}`) });
    assert.deepEqual(
      [...asked].sort((a, b) => a - b),
      densityMapHoverRows(n, options),
      JSON.stringify({ n, ...options }),
    );
  }
  assert.throws(
    () => densityMapHoverRows(10, { hoverPoints: -1 }),
    /^Error: hoverPoints is -1, but it must be a whole number of at least 0\.$/,
  );
});
