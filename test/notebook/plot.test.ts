import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barChart, bubbleChart, CLUSTER_COLOURS, histogram, linePlot, scatter, trackHoverTexts } from '../../lib/notebook/plot';
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

test('hover texts read "track — artist (genre)" for each row, from a DataFrame or row objects', () => {
  const df = frameFromColumns([['Folk', 'Pop'], ['Ann', 'Bo'], ['Wild time', 'Say "Hi"'], Float64Array.of(1, 2)], ['genre', 'artist_name', 'track_name', 'tempo'], ['string', 'string', 'string', 'float32']);
  assert.deepEqual(trackHoverTexts(df), ['Wild time — Ann (Folk)', 'Say "Hi" — Bo (Pop)']);
  assert.deepEqual(trackHoverTexts([{ track_name: 'Wild time', artist_name: 'Ann', genre: 'Folk' }]), ['Wild time — Ann (Folk)']);
});

test('a column the frame lacks shows as "?" in the hover text, and a missing genre is left out', () => {
  assert.deepEqual(trackHoverTexts({ track_name: ['Wild time'] }), ['Wild time — ?']);
  assert.deepEqual(trackHoverTexts({ genre: ['Folk'] }), ['? — ? (Folk)']);
});
