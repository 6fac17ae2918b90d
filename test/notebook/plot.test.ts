import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  barChart,
  bubbleChart,
  CLUSTER_COLOURS,
  binCounts,
  HISTOGRAM_RAW_LIMIT,
  histogram,
  linePlot,
  plotlyTypedArray,
  roundTicks,
  scatter,
  trackHoverTexts,
} from '../../lib/notebook/plot';
import { silhouettePlot } from '../../lib/notebook/silhouette-plot';
import { frameFromColumns } from '../../lib/data/frame';
import { ClusterLayout, generateClusterPositions } from '../../lib/cluster/describe/cluster-positions';
import { seededRandom } from '../../lib/random';

type Trace = Record<string, unknown> & { type: string; x: unknown[]; y?: unknown[]; text?: unknown[]; name?: string };
const traces = (figure: { data: Record<string, unknown>[] }): Trace[] => figure.data as Trace[];
const axisTitle = (figure: { layout: Record<string, unknown> }, axis: string): string =>
  (figure.layout[axis] as { title: { text: string } }).title.text;

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
  const figure = linePlot(
    [2, 3, 4],
    { inertia: [9, 6, 5], share: [50, 60, 70] },
    { xTitle: 'k', yTitle: 'inertia', secondary: ['share'], markers: [{ x: 3, label: 'knee' }] },
  );
  assert.deepEqual(
    traces(figure).map((t) => [t.type, t.mode, t.name]),
    [
      ['scatter', 'lines+markers', 'inertia'],
      ['scatter', 'lines+markers', 'share'],
    ],
  );
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
    groups: [1, 0, 1, 0],
    hover: ['a', 'b', 'c', 'd'],
    centroids: { x: [0.5, 2.5], y: [1, 2] },
    xTitle: 't-SNE 1',
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

test("a line plot's second axis has round ticks of its own: 58.4 … 97 gets 50 … 100 in steps of 10", () => {
  const figure = linePlot(
    [2, 3, 4, 5],
    { silhouette: [0.1, 0.3, 0.2, 0.25], share: [58.4, 70, 88, 97] },
    { secondary: ['share'] },
  );
  const axis = figure.layout.yaxis2 as {
    tickmode: string;
    tick0: number;
    dtick: number;
    range: number[];
    showgrid: boolean;
    overlaying: string;
  };
  assert.deepEqual(
    [axis.tickmode, axis.tick0, axis.dtick, axis.range, axis.showgrid, axis.overlaying],
    ['linear', 50, 10, [50, 100], false, 'y'],
  );
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
  const figure = silhouettePlot([0.9, 0.8, 0.5, -0.1], ['b', 'b', 'a', 'a'], {
    title: 'Silhouettes',
    clusterName: 'group',
  });
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

test("a silhouette plot of 10,000 rows stays light: at most about maxPoints points, each cluster's extremes kept", () => {
  let state = 1;
  const random = (): number => (state = (state * 16807) % 2147483647) / 2147483647;
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
  assert.throws(
    () => silhouettePlot([0.1, 0.2], [0]),
    /exactly one label per silhouette value, but there are 2 values and 1 labels/,
  );
  assert.throws(() => silhouettePlot([0.1, NaN], [0, 1]), /Silhouette 1 is NaN/);
  assert.throws(() => silhouettePlot([], []), /needs at least one row/);
});

test('hover texts read "track — artist (genre)" for each row, from a DataFrame or row objects', () => {
  const df = frameFromColumns(
    [['Folk', 'Pop'], ['Ann', 'Bo'], ['Wild time', 'Say "Hi"'], Float64Array.of(1, 2)],
    ['genre', 'artist_name', 'track_name', 'tempo'],
    ['string', 'string', 'string', 'float32'],
  );
  assert.deepEqual(trackHoverTexts(df), ['Wild time — Ann (Folk)', 'Say "Hi" — Bo (Pop)']);
  assert.deepEqual(trackHoverTexts([{ track_name: 'Wild time', artist_name: 'Ann', genre: 'Folk' }]), [
    'Wild time — Ann (Folk)',
  ]);
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
  return Array.from(
    dtype === 'f4' ? new Float32Array(buffer) : dtype === 'i4' ? new Int32Array(buffer) : new Uint8Array(buffer),
  );
}

test("a typed-array spec holds the values' bytes in base64", () => {
  assert.deepEqual(plotlyTypedArray([1, 2], 'f4'), { dtype: 'f4', bdata: 'AACAPwAAAEA=' });
  assert.deepEqual(decode(plotlyTypedArray([3, -1, 7], 'i4')), [3, -1, 7]);
});

test('the WebGL scatter sends each coordinate once, as typed arrays, with row numbers for hover, and hover off until asked for', () => {
  // Points 0..5 in clusters [1, 0, 1, 0, 1, 1]; points 2 and 3 are highlighted (sampled).
  const xs = [0, 1, 2, 3, 4, 5];
  const ys = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5];
  const figure = scatter(xs, ys, {
    groups: [1, 0, 1, 0, 1, 1],
    scattergl: { highlight: [0, 0, 1, 1, 0, 0], highlightName: 'sampled track' },
  });
  const data = traces(figure);
  // Ordinary traces first (cluster 0, cluster 1), the highlighted ones after, so they are drawn on top.
  assert.deepEqual(
    data.map((t) => [t.type, t.name, decode(t.customdata)]),
    [
      ['scattergl', 'cluster 0', [1]],
      ['scattergl', 'cluster 1', [0, 4, 5]],
      ['scattergl', 'cluster 0', [3]],
      ['scattergl', 'cluster 1', [2]],
    ],
  );
  const rows = data.flatMap((t) => decode(t.customdata)).sort();
  assert.deepEqual(rows, [0, 1, 2, 3, 4, 5], 'every point in exactly one trace');
  for (const t of data) {
    const idx = decode(t.customdata);
    assert.deepEqual(
      decode(t.x),
      idx.map((i) => xs[i]),
    );
    assert.deepEqual(
      decode(t.y),
      idx.map((i) => ys[i]),
    );
    assert.equal(t.legendgroup, t.name === 'cluster 0' ? '0' : '1');
  }
  assert.deepEqual(
    data.map((t) => t.showlegend),
    [true, true, false, false],
  );
  const highlighted = data[3].marker as { size: number; line: { width: number } };
  const ordinary = data[1].marker as { size: number; line?: unknown };
  assert.ok(highlighted.size > ordinary.size && highlighted.line.width > 0 && ordinary.line === undefined);
  assert.equal(
    data[0].marker && (data[0].marker as { color: string }).color,
    (data[2].marker as { color: string }).color,
  );
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

test('round ticks: steps of 1, 2 or 5 times a power of ten, a range from one multiple to another around the values', () => {
  assert.deepEqual(roundTicks([58.4, 97]), { range: [50, 100], dtick: 10 });
  assert.deepEqual(roundTicks([0.013, 0.087]), { range: [0, 0.1], dtick: 0.02 });
  assert.deepEqual(roundTicks([99.2, 100]), { range: [99.2, 100], dtick: 0.2 });
  assert.deepEqual(roundTicks([3, 3]), { range: [2.6, 3.4], dtick: 0.2 });
  const random = seededRandom(4);
  for (let trial = 0; trial < 200; trial++) {
    const scale = 10 ** Math.floor(random() * 8 - 3);
    const values = Array.from({ length: 5 }, () => (random() - 0.3) * scale);
    const { range, dtick } = roundTicks(values);
    const mantissa = dtick / 10 ** Math.floor(Math.log10(dtick) + 1e-9);
    assert.ok(
      [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9),
      `step ${dtick}`,
    );
    for (const end of range)
      assert.ok(Math.abs(end / dtick - Math.round(end / dtick)) < 1e-6, `${end} is a multiple of ${dtick}`);
    assert.ok(range[0] <= Math.min(...values) && range[1] >= Math.max(...values));
    const intervals = (range[1] - range[0]) / dtick;
    assert.ok(intervals >= 2 && intervals <= 12, `${intervals} intervals`);
  }
});

test('a bar chart labels every bar with its value and switches to a log axis when the sizes span more than a factor of 100', () => {
  const lopsided = barChart(['0', '1', '2'], { tracks: [9875, 13, 3] }, { yTitle: 'tracks' });
  assert.deepEqual(traces(lopsided)[0].text, ['9,875', '13', '3']);
  assert.equal((lopsided.layout.yaxis as { type: string }).type, 'log');
  assert.equal(axisTitle(lopsided, 'yaxis'), 'tracks (log scale)');
  const even = barChart(['0', '1'], { tracks: [900, 1000] }, { yTitle: 'tracks' });
  assert.equal((even.layout.yaxis as { type?: string }).type, undefined);
  assert.equal(
    (barChart(['0', '1'], { tracks: [900, 1000] }, { log: true }).layout.yaxis as { type: string }).type,
    'log',
  );
  assert.equal(
    (barChart(['0', '1'], { tracks: [1, 1000] }, { log: false }).layout.yaxis as { type?: string }).type,
    undefined,
  );
});

test('centroid labels sit in white boxes above their crosses, so they read on a dense map; maps have no zero lines', () => {
  const figure = scatter([0, 1], [0, 1], { centroids: { x: [0.5, 0.7], y: [0.5, 0.2] } });
  const labels = figure.layout.annotations as {
    x: number;
    y: number;
    text: string;
    bgcolor: string;
    font: { size: number };
    yshift: number;
  }[];
  assert.deepEqual(
    labels.map((a) => [a.x, a.y, a.text]),
    [
      [0.5, 0.5, '<b>0</b>'],
      [0.7, 0.2, '<b>1</b>'],
    ],
  );
  for (const label of labels) {
    assert.match(label.bgcolor, /255,255,255/);
    assert.ok(label.font.size >= 14 && label.yshift > 0);
  }
  assert.deepEqual(traces(figure)[1].text, ['0', '1'], 'hover names the centroid');
  assert.equal((figure.layout.xaxis as { zeroline: boolean }).zeroline, false);
});

type Circle = { type: string; xref: string; yref: string; x0: number; x1: number; y0: number; y1: number };

test('a bubble chart draws each cluster as a circle of its radius in data units, labelled with its id and size', () => {
  const figure = bubbleChart([0, 1], [0, 0], [10, 40], { radii: [0.25, 0.5], labels: ['a', 'b'] });
  const [a, b] = figure.layout.shapes as Circle[];
  assert.deepEqual(a, { ...a, type: 'circle', xref: 'x', yref: 'y', x0: -0.25, x1: 0.25, y0: -0.25, y1: 0.25 });
  assert.deepEqual([b.x0, b.x1, b.y0, b.y1], [0.5, 1.5, -0.5, 0.5]);
  const [labels] = traces(figure);
  assert.deepEqual(labels.text, ['<b>a</b><br>10', '<b>b</b><br>40']);
  assert.deepEqual(labels.customdata, [
    ['a', 10],
    ['b', 40],
  ]);
  // without radii: areas proportional to sizes, the largest half the closest distance between centres
  const [small, large] = bubbleChart([0, 1], [0, 0], [10, 40]).layout.shapes as Circle[];
  assert.equal(large.x1 - large.x0, 1);
  assert.equal(small.x1 - small.x0, 0.5);
  assert.throws(() => bubbleChart([0, 1], [0], [1, 2]), /as many y values, sizes, radii and labels as x values \(2\)/);
});

/** Labels of n clusters with sizes from 1 to about 40 times that, seeded. */
function unevenLabels(n: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const weights = Array.from({ length: n }, (_, c) => 1 + 40 * random() ** 3 + (c === 0 ? 1 : 0));
  const labels: number[] = [];
  weights.forEach((w, c) => {
    for (let i = 0; i < Math.round(w * 20); i++) labels.push(c);
  });
  return Int32Array.from(labels);
}

for (const layout of ['circular', 'grid', 'packed'] as ClusterLayout[]) {
  for (const n of [2, 12, 40]) {
    test(`the ${layout} cluster figure of ${n} clusters is to scale: circles of the computed radii, none overlapping, equal axes, a tight range, every cluster labelled`, () => {
      const positions = generateClusterPositions(unevenLabels(n, n), n, layout);
      const figure = bubbleChart(
        positions.map((p) => p.x),
        positions.map((p) => p.y),
        positions.map((p) => p.size),
        {
          radii: positions.map((p) => p.radius),
          labels: positions.map((p) => String(p.id)),
        },
      );
      const circles = figure.layout.shapes as Circle[];
      assert.equal(circles.length, n);
      circles.forEach((c, i) => {
        const p = positions[i];
        assert.equal(c.type, 'circle');
        assert.deepEqual([c.xref, c.yref], ['x', 'y'], 'in data units');
        for (const [value, expected] of [
          [c.x0, p.x - p.radius],
          [c.x1, p.x + p.radius],
          [c.y0, p.y - p.radius],
          [c.y1, p.y + p.radius],
        ]) {
          assert.ok(Math.abs(value - expected) < 1e-12, `circle ${i}`);
        }
      });
      for (let a = 0; a < n; a++) {
        for (let b = a + 1; b < n; b++) {
          const [ca, cb] = [circles[a], circles[b]];
          const gap =
            Math.hypot((ca.x0 + ca.x1 - cb.x0 - cb.x1) / 2, (ca.y0 + ca.y1 - cb.y0 - cb.y1) / 2) -
            (ca.x1 - ca.x0) / 2 -
            (cb.x1 - cb.x0) / 2;
          assert.ok(gap >= -1e-9, `circles ${a} and ${b} overlap by ${-gap}`);
        }
      }
      const x = figure.layout.xaxis as { range: number[]; constrain: string };
      const y = figure.layout.yaxis as { range: number[]; scaleanchor: string; scaleratio: number };
      assert.deepEqual(
        [y.scaleanchor, y.scaleratio, x.constrain],
        ['x', 1, 'domain'],
        'one data unit is as long across as up',
      );
      const extent = [
        Math.min(...circles.map((c) => c.x0)),
        Math.max(...circles.map((c) => c.x1)),
        Math.min(...circles.map((c) => c.y0)),
        Math.max(...circles.map((c) => c.y1)),
      ];
      const span = Math.max(extent[1] - extent[0], extent[3] - extent[2]);
      // every circle inside the range, with at most 5% of the span to spare on each side
      for (const [low, high, axis] of [
        [extent[0], extent[1], x],
        [extent[2], extent[3], y],
      ] as [number, number, { range: number[] }][]) {
        assert.ok(axis.range[0] <= low && axis.range[1] >= high);
        assert.ok(
          low - axis.range[0] <= 0.05 * span && axis.range[1] - high <= 0.05 * span,
          `range ${axis.range} around ${low} … ${high}`,
        );
      }
      const text = traces(figure)[0].text as string[];
      positions.forEach((p, i) => assert.equal(text[i], `<b>${p.id}</b><br>${p.size.toLocaleString('en-US')}`));
      // each layout looks like its name
      const centres = circles.map((c) => [(c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2]);
      if (layout === 'circular')
        for (const [cx, cy] of centres) assert.ok(Math.abs(Math.hypot(cx, cy) - 1) < 1e-9, 'on the unit circle');
      if (layout === 'grid') {
        const columns = Math.ceil(Math.sqrt(n));
        assert.equal(new Set(centres.map(([cx]) => cx.toFixed(9))).size, Math.min(columns, n));
        assert.equal(new Set(centres.map(([, cy]) => cy.toFixed(9))).size, Math.ceil(n / columns));
      }
      if (layout === 'packed') {
        // packed: every circle touches another one
        for (let a = 0; a < n; a++) {
          const touches = circles.some(
            (cb, b) =>
              b !== a &&
              Math.abs(
                Math.hypot(centres[a][0] - centres[b][0], centres[a][1] - centres[b][1]) -
                  (circles[a].x1 - circles[a].x0) / 2 -
                  (cb.x1 - cb.x0) / 2,
              ) < 1e-9,
          );
          assert.ok(touches, `circle ${a} touches another`);
        }
      }
    });
  }
}

test('names: scatter legends take group names and the marks their own name; silhouette axis and legend too', () => {
  const figure = scatter([0, 1, 2], [0, 1, 2], {
    groups: [0, 1, 1],
    groupNames: ['0: Dance · minor', '1: Country'],
    centroids: { x: [0], y: [0], name: 'medoids' },
  });
  const data = figure.data as Record<string, unknown>[];
  assert.deepEqual(
    data.map((t) => t.name),
    ['0: Dance · minor', '1: Country', 'medoids'],
  );
  assert.match(String(data[2].hovertemplate), /medoids/);
  const silhouette = silhouettePlot([0.5, 0.4, 0.2], [0, 1, 1], { names: ['Dance', 'Country'] });
  assert.deepEqual((silhouette.layout.yaxis as { ticktext: string[] }).ticktext, ['Dance', 'Country']);
  assert.equal((silhouette.data[1] as { name: string }).name, 'Country (2)');
});

test('the bubble chart hides its meaningless axis numbers and labels circles by name and size', () => {
  const figure = bubbleChart([0, 1], [0, 0], [10, 2521], { labels: ['Dance · minor', 'Country'] });
  const layout = figure.layout as { xaxis: Record<string, unknown>; yaxis: Record<string, unknown> };
  assert.equal(layout.xaxis.showticklabels, false);
  assert.equal(layout.yaxis.showticklabels, false);
  assert.deepEqual((figure.data[0] as { text: string[] }).text, [
    '<b>Dance ·<br>minor</b><br>10',
    '<b>Country</b><br>2,521',
  ]);
});

test('a line plot with a right axis takes its own title there and puts the legend under the plot', () => {
  const figure = linePlot(
    [2, 3],
    { score: [0.2, 0.3], 'largest, %': [50, 60] },
    {
      secondary: ['largest, %'],
      secondaryTitle: 'largest cluster, %',
    },
  );
  const layout = figure.layout as { yaxis2: { title: { text: string } }; legend: { orientation: string } };
  assert.equal(layout.yaxis2.title.text, 'largest cluster, %');
  assert.equal(layout.legend.orientation, 'h');
});

test('markers at the same x share one label instead of printing over each other', () => {
  const figure = linePlot(
    [2, 3],
    { a: [1, 2] },
    {
      markers: [
        { x: 2, label: 'linkage best: 2' },
        { x: 2, label: 'k-medoids best: 2' },
        { x: 3, label: 'K = 3' },
      ],
    },
  );
  assert.deepEqual(
    (figure.layout.annotations as { text: string }[]).map((a) => a.text),
    ['linkage best: 2 · k-medoids best: 2', 'K = 3'],
  );
  assert.equal((figure.layout.shapes as unknown[]).length, 3);
});

test('binCounts: round bins, one per whole value when the values are whole, non-finite values left out', () => {
  assert.deepEqual(binCounts([0, 1, 1, 2], 3), { start: -0.5, size: 1, counts: Int32Array.of(1, 2, 1) });
  assert.deepEqual(binCounts([0.1, 0.35, 0.9, NaN, Infinity], 4), {
    start: 0,
    size: 0.2,
    counts: Int32Array.of(1, 1, 0, 0, 1),
  });
  assert.deepEqual(binCounts([], 10), { start: 0, size: 1, counts: new Int32Array(0) });
  // past HISTOGRAM_RAW_LIMIT values, the histogram is of the counts
  const many = Array.from({ length: HISTOGRAM_RAW_LIMIT + 1 }, (_, i) => (i % 10) / 10);
  const trace = histogram(many, { bins: 5 }).data[0] as { x: number[]; y: number[] };
  assert.deepEqual(trace.x, [0.1, 0.3, 0.5, 0.7, 0.9]);
  assert.equal(
    trace.y.reduce((a, b) => a + b, 0),
    HISTOGRAM_RAW_LIMIT + 1,
  );
});
