import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barChart, bubbleChart, CLUSTER_COLOURS, histogram, linePlot, plotlyTypedArray, scatter, silhouettePlot, trackHoverTexts } from '../../lib/notebook/plot';
import { frameFromColumns } from '../../lib/data/frame';

type Trace = Record<string, unknown> & { type: string; x: unknown[]; y?: unknown[]; text?: unknown[]; name?: string };
const traces = (figure: { data: Record<string, unknown>[] }): Trace[] => figure.data as Trace[];
const axisTitle = (figure: { layout: Record<string, unknown> }, axis: string): string =>
  ((figure.layout[axis] as { title: { text: string } }).title.text);

test('a histogram has one histogram trace of the values, titled axes and optional bins', () => {
  const figure = histogram([1, 2, 2, 3], { title: 'Popularity', xTitle: 'popularity', bins: 10 });
  assert.equal(traces(figure)[0].type, 'histogram');
  assert.deepEqual(traces(figure)[0].x, [1, 2, 2, 3]);
  assert.equal(traces(figure)[0].nbinsx, 10);
  assert.equal(axisTitle(figure, 'xaxis'), 'popularity');
  assert.equal(axisTitle(figure, 'yaxis'), 'count');
  assert.equal((figure.layout.title as { text: string }).text, 'Popularity');
});

test('a line plot has one lines+markers trace per series, a second axis on request and marked x values', () => {
  const figure = linePlot([2, 3, 4], { inertia: [9, 6, 5], share: [50, 60, 70] }, { xTitle: 'k', yTitle: 'inertia', secondary: ['share'], markers: [{ x: 3, label: 'knee' }] });
  assert.deepEqual(traces(figure).map((t) => [t.type, t.mode, t.name]), [['scatter', 'lines+markers', 'inertia'], ['scatter', 'lines+markers', 'share']]);
  assert.equal(traces(figure)[1].yaxis, 'y2');
  assert.equal(axisTitle(figure, 'xaxis'), 'k');
  assert.equal((figure.layout.shapes as { x0: number }[])[0].x0, 3);
  assert.equal((figure.layout.annotations as { text: string }[])[0].text, 'knee');
});

test('a bar chart has one bar trace per series over the categories', () => {
  const figure = barChart(['a', 'b'], { size: [3, 5] }, { yTitle: 'tracks', stacked: true });
  assert.equal(traces(figure)[0].type, 'bar');
  assert.deepEqual(traces(figure)[0].x, ['a', 'b']);
  assert.equal(figure.layout.barmode, 'stack');
  assert.equal(axisTitle(figure, 'yaxis'), 'tracks');
});

test('a scatter has one trace per group in label order, hover text per point, and centroids as a last trace', () => {
  const figure = scatter([0, 1, 2, 3], [3, 2, 1, 0], {
    groups: [1, 0, 1, 0], hover: ['a', 'b', 'c', 'd'], centroids: { x: [0.5, 2.5], y: [1, 2] }, xTitle: 't-SNE 1',
  });
  const [first, second, centroids] = traces(figure);
  assert.equal(first.name, 'cluster 0');
  assert.deepEqual(first.x, [1, 3]);
  assert.deepEqual(first.text, ['b', 'd']);
  assert.match(String(first.hovertemplate), /%\{text\}/);
  assert.equal(second.name, 'cluster 1');
  assert.deepEqual(second.text, ['a', 'c']);
  assert.equal(centroids.name, 'centroids');
  assert.deepEqual(centroids.x, [0.5, 2.5]);
  assert.equal((first.marker as { color: string }).color, CLUSTER_COLOURS[0]);
  assert.equal(axisTitle(figure, 'xaxis'), 't-SNE 1');
});

test('a bubble chart sizes bubbles by area and shows the size on hover', () => {
  const figure = bubbleChart([0, 1], [0, 0], [10, 40], { labels: ['0', '1'] });
  const [trace] = traces(figure);
  assert.equal((trace.marker as { sizemode: string }).sizemode, 'area');
  assert.deepEqual((trace.marker as { size: number[] }).size, [10, 40]);
  assert.deepEqual(trace.customdata, [10, 40]);
  assert.match(String(trace.hovertemplate), /tracks/);
});

test('a silhouette plot has one filled trace per cluster: sorted values closed at x = 0, stacked with a gap', () => {
  // Cluster 0: rows 0, 1 (0.9, 0.8); cluster 1: rows 2, 3 (0.5, −0.1). n = 4, so the gap is 1 row.
  const figure = silhouettePlot([0.9, 0.8, 0.5, -0.1], [0, 0, 1, 1]);
  const [first, second] = traces(figure);
  assert.equal(traces(figure).length, 2);
  assert.deepEqual([first.type, first.mode, first.fill], ['scatter', 'lines', 'toself']);
  assert.deepEqual(first.x, [0, 0.8, 0.9, 0]);
  assert.deepEqual(first.y, [0, 0.5, 1.5, 2]);
  assert.deepEqual(second.x, [0, -0.1, 0.5, 0]);
  assert.deepEqual(second.y, [3, 3.5, 4.5, 5], 'cluster 1 starts above cluster 0 and the gap');
  assert.equal(first.name, 'cluster 0 (2)');
  assert.equal(first.fillcolor, CLUSTER_COLOURS[0]);
  assert.equal(second.fillcolor, CLUSTER_COLOURS[1]);
  assert.match(String(first.hovertemplate), /mean silhouette 0\.850/);
});

test('a silhouette plot marks the mean with a dashed vertical line and labels clusters on the y axis', () => {
  const figure = silhouettePlot([0.9, 0.8, 0.5, -0.1], ['b', 'b', 'a', 'a'], { title: 'Silhouettes', clusterName: 'group' });
  const shape = (figure.layout.shapes as { x0: number; x1: number; yref: string; line: { dash: string } }[])[0];
  assertCloseTo(shape.x0, 0.525);
  assert.equal(shape.x1, shape.x0);
  assert.equal(shape.yref, 'paper');
  assert.equal(shape.line.dash, 'dash');
  assert.equal((figure.layout.annotations as { text: string }[])[0].text, 'mean 0.525');
  const yaxis = figure.layout.yaxis as { tickvals: number[]; ticktext: string[] };
  assert.deepEqual(yaxis.ticktext, ['a', 'b'], 'clusters in label order, the first at the bottom');
  assert.deepEqual(yaxis.tickvals, [1, 4]);
  assert.equal(axisTitle(figure, 'xaxis'), 'silhouette coefficient');
  assert.equal(axisTitle(figure, 'yaxis'), 'group');
  assert.deepEqual((figure.layout.xaxis as { range: number[] }).range, [-0.1, 1]);
  assert.equal(traces(figure)[0].name, 'group a (2)');
});

function assertCloseTo(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} is not ${expected}`);
}

test('a silhouette plot of 10,000 rows stays light: at most about maxPoints points, each cluster\'s extremes kept', () => {
  let state = 1;
  const random = (): number => ((state = (state * 16807) % 2147483647) / 2147483647);
  const labels = Array.from({ length: 10_000 }, (_, i) => (i < 7_000 ? 0 : i < 9_900 ? 1 : 2 + (i % 3)));
  const samples = labels.map((l) => Math.min(1, Math.max(-1, 0.6 - 0.2 * l + 0.5 * (random() - 0.5))));
  const figure = silhouettePlot(samples, labels);
  const all = traces(figure);
  assert.equal(all.length, 5);
  const points = all.reduce((s, t) => s + t.x.length, 0);
  assert.ok(points <= 2000 + 5 * 4, `${points} points`);
  assert.ok(JSON.stringify(figure).length < 100_000, 'a few tens of KB');
  all.forEach((trace, c) => {
    const members = samples.filter((_, i) => labels[i] === [0, 1, 2, 3, 4][c]);
    const xs = trace.x.slice(1, -1) as number[];
    assert.equal(xs[0], Number(Math.min(...members).toFixed(4)), `cluster ${c} minimum`);
    assert.equal(xs[xs.length - 1], Number(Math.max(...members).toFixed(4)), `cluster ${c} maximum`);
    for (let p = 1; p < xs.length; p++) assert.ok(xs[p] >= xs[p - 1], 'sorted');
    const ys = trace.y as number[];
    assert.equal(ys[ys.length - 1] - ys[0], members.length, `cluster ${c} spans its ${members.length} rows`);
  });
});

test('a silhouette plot refuses mismatched or non-finite input with a sentence', () => {
  assert.throws(() => silhouettePlot([0.1, 0.2], [0]), /exactly one label per silhouette value, but there are 2 values and 1 labels/);
  assert.throws(() => silhouettePlot([0.1, NaN], [0, 1]), /Silhouette 1 is NaN/);
  assert.throws(() => silhouettePlot([], []), /needs at least one row/);
});

test('hover texts read "track — artist (genre)" for each row, from a DataFrame or row objects', () => {
  const df = frameFromColumns([['Folk', 'Pop'], ['Ann', 'Bo'], ['Wild time', 'Say "Hi"'], Float64Array.of(1, 2)], ['genre', 'artist_name', 'track_name', 'tempo'], ['string', 'string', 'string', 'float32']);
  assert.deepEqual(trackHoverTexts(df), ['Wild time — Ann (Folk)', 'Say "Hi" — Bo (Pop)']);
  assert.deepEqual(trackHoverTexts([{ track_name: 'Wild time', artist_name: 'Ann', genre: 'Folk' }]), ['Wild time — Ann (Folk)']);
});

test('a column the frame lacks shows as "?" in the hover text, and a missing genre is left out', () => {
  assert.deepEqual(trackHoverTexts({ track_name: ['Wild time'] }), ['Wild time — ?']);
  assert.deepEqual(trackHoverTexts({ genre: ['Folk'] }), ['? — ? (Folk)']);
});

/** The numbers of a plotly typed-array spec. */
function decode(spec: unknown): number[] {
  const { dtype, bdata } = spec as { dtype: string; bdata: string };
  const bytes = Buffer.from(bdata, 'base64');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return Array.from(dtype === 'f4' ? new Float32Array(buffer) : dtype === 'i4' ? new Int32Array(buffer) : new Uint8Array(buffer));
}

test('a typed-array spec holds the values\' bytes in base64', () => {
  assert.deepEqual(plotlyTypedArray([1, 2], 'f4'), { dtype: 'f4', bdata: 'AACAPwAAAEA=' });
  assert.deepEqual(decode(plotlyTypedArray([3, -1, 7], 'i4')), [3, -1, 7]);
});

test('the WebGL scatter sends each coordinate once, as typed arrays, with row numbers for hover, and hover off until asked for', () => {
  // Points 0..5 in clusters [1, 0, 1, 0, 1, 1]; points 2 and 3 are highlighted (sampled).
  const xs = [0, 1, 2, 3, 4, 5];
  const ys = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5];
  const figure = scatter(xs, ys, { groups: [1, 0, 1, 0, 1, 1], scattergl: { highlight: [0, 0, 1, 1, 0, 0], highlightName: 'sampled track' } });
  const data = traces(figure);
  // Ordinary traces first (cluster 0, cluster 1), the highlighted ones after, so they are drawn on top.
  assert.deepEqual(data.map((t) => [t.type, t.name, decode(t.customdata)]), [
    ['scattergl', 'cluster 0', [1]],
    ['scattergl', 'cluster 1', [0, 4, 5]],
    ['scattergl', 'cluster 0', [3]],
    ['scattergl', 'cluster 1', [2]],
  ]);
  const rows = data.flatMap((t) => decode(t.customdata)).sort();
  assert.deepEqual(rows, [0, 1, 2, 3, 4, 5], 'every point in exactly one trace');
  for (const t of data) {
    const idx = decode(t.customdata);
    assert.deepEqual(decode(t.x), idx.map((i) => xs[i]));
    assert.deepEqual(decode(t.y), idx.map((i) => ys[i]));
    assert.equal(t.legendgroup, t.name === 'cluster 0' ? '0' : '1');
  }
  assert.deepEqual(data.map((t) => t.showlegend), [true, true, false, false]);
  const highlighted = data[3].marker as { size: number; line: { width: number } };
  const ordinary = data[1].marker as { size: number; line?: unknown };
  assert.ok(highlighted.size > ordinary.size && highlighted.line.width > 0 && ordinary.line === undefined);
  assert.equal(data[0].marker && (data[0].marker as { color: string }).color, (data[2].marker as { color: string }).color);
  assert.match(String(data[3].hovertemplate), /row %\{customdata\}.*sampled track/);
  assert.equal(figure.layout.hovermode, false);
  assert.deepEqual(figure.layout.modebar, { add: ['hoverclosest'] });
  assert.equal(JSON.stringify(figure).includes('"x":['), false, 'no coordinate written as a decimal list');
});

test('the WebGL scatter takes hover texts and hover on from the start when asked, and refuses mismatched lengths', () => {
  const figure = scatter([0, 1], [0, 1], { hover: ['a', 'b'], scattergl: { hover: true } });
  assert.equal(figure.layout.hovermode, 'closest');
  assert.deepEqual(traces(figure)[0].text, ['a', 'b']);
  assert.equal(traces(figure).length, 1);
  assert.throws(() => scatter([0, 1], [0], {}), /2 x values but 1 y values/);
  assert.throws(() => scatter([0, 1], [0, 1], { scattergl: { highlight: [1] } }), /1 highlight flags for 2 points/);
});
